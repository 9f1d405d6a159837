-- A round's promise about the projects placed after the funded ones: the
-- runner-up policy (package execution), set by an administrator; every
-- change is kept, the newest is in force.
CREATE TABLE execution_policies (
	round_id  BIGINT NOT NULL REFERENCES rounds (id),
	seq       INTEGER NOT NULL,
	runner_up TEXT   NOT NULL,
	set_by    TEXT   NOT NULL,
	set_at    BIGINT NOT NULL,
	PRIMARY KEY (round_id, seq)
);
