-- Whether a round refuses proposals that cost more than its amount per
-- project. Rounds made before keep taking them, as they did.
ALTER TABLE rounds ADD COLUMN cap_cost BOOLEAN NOT NULL DEFAULT FALSE;
