-- The identity documents a round's poll book accepts (letters V, E, P;
-- by default the two cédulas, not passports), and whether one number
-- under V and under E is two people (by default one).
ALTER TABLE rounds ADD COLUMN doc_types TEXT NOT NULL DEFAULT 'VE';
ALTER TABLE rounds ADD COLUMN separate_ve BOOLEAN NOT NULL DEFAULT FALSE;
