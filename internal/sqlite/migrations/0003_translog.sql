-- The transparency log (package translog): records and tlog stored
-- hashes, append-only, written in the same transaction as what they
-- record; the published verifier keys; and, on each logged row, the index
-- of its record.

-- Record n of the log: translog.EncodeRecord bytes (package record).
CREATE TABLE log_records (
	idx  INTEGER PRIMARY KEY,
	data BLOB    NOT NULL
);

-- tlog stored hashes, numbered as tlog.StoredHashIndex.
CREATE TABLE log_hashes (
	idx  INTEGER PRIMARY KEY,
	hash BLOB    NOT NULL CHECK (length(hash) = 32)
);

-- One row: the log's size. Appenders update it first, which serialises
-- them (SQLite's single writer does anyway).
CREATE TABLE log_state (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	size INTEGER NOT NULL
);
INSERT INTO log_state (id, size) VALUES (1, 0);

CREATE TRIGGER log_records_no_update BEFORE UPDATE ON log_records
BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
CREATE TRIGGER log_records_no_delete BEFORE DELETE ON log_records
BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
CREATE TRIGGER log_hashes_no_update BEFORE UPDATE ON log_hashes
BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
CREATE TRIGGER log_hashes_no_delete BEFORE DELETE ON log_hashes
BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;

-- Every verifier key ever used to sign checkpoints (note format), kept
-- after rotation so old checkpoints stay verifiable.
CREATE TABLE log_keys (
	vkey    TEXT    PRIMARY KEY,
	name    TEXT    NOT NULL,
	created BIGINT  NOT NULL
);

-- The log record of each logged row; NULL for rows from before the log.
ALTER TABLE sheet_versions ADD COLUMN log_index INTEGER;
ALTER TABLE ballots ADD COLUMN log_index INTEGER;
ALTER TABLE phase_transitions ADD COLUMN log_index INTEGER;
CREATE INDEX sheet_versions_log ON sheet_versions (log_index);
