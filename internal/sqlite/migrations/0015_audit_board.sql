-- Audit boards: hand recounts are entered by auditors of the audit, blind
-- and twice, like sheets. Each auditor's latest entry of a table waits in
-- audit_recount_entries; two different auditors' agreeing entries make the
-- table's recount, which is append-only (first_by entered it first,
-- entered_by second) and logged.
CREATE TABLE audit_recount_entries (
	audit_id   INTEGER NOT NULL REFERENCES audits (id),
	table_code TEXT    NOT NULL,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	counts     TEXT    NOT NULL,
	ballots    BIGINT  NOT NULL,
	entered    BIGINT  NOT NULL,
	PRIMARY KEY (audit_id, table_code, user_id)
);
ALTER TABLE audit_recounts ADD COLUMN first_by INTEGER REFERENCES users (id);
CREATE TRIGGER audit_recounts_no_update BEFORE UPDATE ON audit_recounts
BEGIN SELECT RAISE(ABORT, 'audit recounts are append-only'); END;
CREATE TRIGGER audit_recounts_no_delete BEFORE DELETE ON audit_recounts
BEGIN SELECT RAISE(ABORT, 'audit recounts are append-only'); END;
