-- The transparency log (package translog): records and tlog stored
-- hashes, append-only, written in the same transaction as what they
-- record; the published verifier keys; and, on each logged row, the index
-- of its record.

-- Record n of the log: translog.EncodeRecord bytes (package record).
CREATE TABLE log_records (
	idx  BIGINT PRIMARY KEY,
	data BYTEA  NOT NULL
);

-- tlog stored hashes, numbered as tlog.StoredHashIndex.
CREATE TABLE log_hashes (
	idx  BIGINT PRIMARY KEY,
	hash BYTEA  NOT NULL CHECK (length(hash) = 32)
);

-- One row: the log's size. Appenders lock it with UPDATE first, which
-- serialises them.
CREATE TABLE log_state (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	size BIGINT  NOT NULL
);
INSERT INTO log_state (id, size) VALUES (1, 0);

CREATE FUNCTION log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the log is append-only';
END $$;
CREATE TRIGGER log_records_append_only BEFORE UPDATE OR DELETE ON log_records
	FOR EACH ROW EXECUTE FUNCTION log_append_only();
CREATE TRIGGER log_hashes_append_only BEFORE UPDATE OR DELETE ON log_hashes
	FOR EACH ROW EXECUTE FUNCTION log_append_only();

-- Every verifier key ever used to sign checkpoints (note format), kept
-- after rotation so old checkpoints stay verifiable.
CREATE TABLE log_keys (
	vkey    TEXT   PRIMARY KEY,
	name    TEXT   NOT NULL,
	created BIGINT NOT NULL
);

-- The log record of each logged row; NULL for rows from before the log.
ALTER TABLE sheet_versions ADD COLUMN log_index BIGINT;
ALTER TABLE ballots ADD COLUMN log_index BIGINT;
ALTER TABLE phase_transitions ADD COLUMN log_index BIGINT;
CREATE INDEX sheet_versions_log ON sheet_versions (log_index);
