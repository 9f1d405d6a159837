-- Funded projects followed to completion (package execution). A funded
-- project is one proposal of a round, created from the round's decision;
-- its whole history is execution_entries, appended and never changed,
-- each entry holding the canonical bytes of its transparency-log record.
CREATE TABLE funded_projects (
	id          INTEGER PRIMARY KEY,
	round_id    INTEGER NOT NULL REFERENCES rounds (id),
	circuit     TEXT    NOT NULL,
	proposal_id INTEGER NOT NULL REFERENCES proposals (id),
	number      INTEGER NOT NULL,
	title       TEXT    NOT NULL,
	created     BIGINT  NOT NULL,
	UNIQUE (round_id, proposal_id),
	UNIQUE (round_id, circuit, number)
);
CREATE INDEX funded_projects_circuit ON funded_projects (round_id, circuit);

CREATE TABLE execution_entries (
	project_id INTEGER NOT NULL REFERENCES funded_projects (id),
	seq        INTEGER NOT NULL,
	kind       TEXT    NOT NULL,
	body       TEXT    NOT NULL,
	log_index  BIGINT  NOT NULL,
	PRIMARY KEY (project_id, seq)
);
CREATE TRIGGER execution_entries_no_update BEFORE UPDATE ON execution_entries
BEGIN SELECT RAISE(ABORT, 'execution entries are append-only'); END;
CREATE TRIGGER execution_entries_no_delete BEFORE DELETE ON execution_entries
BEGIN SELECT RAISE(ABORT, 'execution entries are append-only'); END;

-- What residents report about a project, without an account: held for a
-- comptroller, who turns a report into a finding or dismisses it.
CREATE TABLE execution_reports (
	id         INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES funded_projects (id),
	text       TEXT    NOT NULL,
	photo      TEXT    NOT NULL DEFAULT '',
	state      TEXT    NOT NULL,
	finding    INTEGER NOT NULL DEFAULT 0,
	reason     TEXT    NOT NULL DEFAULT '',
	received   BIGINT  NOT NULL,
	handled_by TEXT    NOT NULL DEFAULT '',
	handled    BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX execution_reports_project ON execution_reports (project_id, id);
