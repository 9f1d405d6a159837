-- Admissions with limits. A round caps the voters a table may admit on
-- paper at a share (percent) of its expected voters; each walk-in report
-- is proposed by one person with a reason and counts only once a second
-- person confirms it. A table closed by the move from voting to counting
-- says so.
ALTER TABLE rounds ADD COLUMN walkin_share INTEGER NOT NULL DEFAULT 10;

ALTER TABLE table_status ADD COLUMN closed_by_phase BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE walkin_reports (
	id          INTEGER PRIMARY KEY,
	round_id    INTEGER NOT NULL REFERENCES rounds (id),
	table_code  TEXT    NOT NULL,
	count       BIGINT  NOT NULL CHECK (count > 0),
	reason      TEXT    NOT NULL,
	status      TEXT    NOT NULL DEFAULT 'proposed',
	proposed_by INTEGER NOT NULL REFERENCES users (id),
	proposed    BIGINT  NOT NULL,
	decided_by  INTEGER REFERENCES users (id),
	decided     BIGINT  NOT NULL DEFAULT 0,
	CHECK (decided_by IS NULL OR decided_by <> proposed_by)
);
CREATE INDEX walkin_reports_table ON walkin_reports (round_id, table_code, id);
