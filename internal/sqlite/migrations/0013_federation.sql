-- Federations of communes and movements (package assemblies/federation).
-- A federation's whole history is federation_entries, appended and never
-- changed, each entry holding the canonical bytes of its transparency-log
-- record. Credential codes are kept only as hashes. Ballots are kept
-- without the delegate's identity, under a random token (WITHOUT ROWID, so
-- no row number records the order they came in); who took part is kept
-- apart, to refuse a second ballot.
CREATE TABLE federations (
	id      INTEGER PRIMARY KEY,
	name    TEXT   NOT NULL,
	created BIGINT NOT NULL
);

CREATE TABLE federation_entries (
	federation_id INTEGER NOT NULL REFERENCES federations (id),
	seq           INTEGER NOT NULL,
	kind          TEXT    NOT NULL,
	body          TEXT    NOT NULL,
	log_index     BIGINT  NOT NULL,
	PRIMARY KEY (federation_id, seq)
);
CREATE TRIGGER federation_entries_no_update BEFORE UPDATE ON federation_entries
BEGIN SELECT RAISE(ABORT, 'federation entries are append-only'); END;
CREATE TRIGGER federation_entries_no_delete BEFORE DELETE ON federation_entries
BEGIN SELECT RAISE(ABORT, 'federation entries are append-only'); END;

CREATE TABLE federation_credentials (
	federation_id INTEGER NOT NULL REFERENCES federations (id),
	congress      INTEGER NOT NULL,
	delegate      INTEGER NOT NULL,
	code_hash     TEXT    NOT NULL UNIQUE,
	PRIMARY KEY (federation_id, congress, delegate)
);

CREATE TABLE federation_participation (
	federation_id INTEGER NOT NULL REFERENCES federations (id),
	election      INTEGER NOT NULL,
	delegate      INTEGER NOT NULL,
	PRIMARY KEY (federation_id, election, delegate)
);

CREATE TABLE federation_ballots (
	federation_id INTEGER NOT NULL REFERENCES federations (id),
	election      INTEGER NOT NULL,
	token         TEXT    NOT NULL,
	ranking       TEXT    NOT NULL,
	PRIMARY KEY (federation_id, election, token)
) WITHOUT ROWID;
