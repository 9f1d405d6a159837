-- Allocation: how a round turns votes into funded projects (rule,
-- satisfaction, MES completion and fill, and a budget per circuit in cents;
-- an empty rule is the vote rule's default), the identifier a project had
-- in an imported file (a pabulib project_id), and the ballots of
-- participatory-budgeting rounds, one row per voter: ballot numbers of the
-- circuit's published ballot, and the points given to each, comma-separated.
ALTER TABLE rounds ADD COLUMN alloc_rule       TEXT   NOT NULL DEFAULT '';
ALTER TABLE rounds ADD COLUMN alloc_sat        TEXT   NOT NULL DEFAULT '';
ALTER TABLE rounds ADD COLUMN alloc_completion TEXT   NOT NULL DEFAULT '';
ALTER TABLE rounds ADD COLUMN alloc_fill       TEXT   NOT NULL DEFAULT '';
ALTER TABLE rounds ADD COLUMN alloc_budget     BIGINT NOT NULL DEFAULT 0;

ALTER TABLE proposals ADD COLUMN external_id TEXT NOT NULL DEFAULT '';

CREATE TABLE pb_ballots (
	round_id INTEGER NOT NULL REFERENCES rounds (id),
	circuit  TEXT    NOT NULL,
	seq      INTEGER NOT NULL,
	voter    TEXT    NOT NULL,
	projects TEXT    NOT NULL,
	points   TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (round_id, circuit, seq)
);
