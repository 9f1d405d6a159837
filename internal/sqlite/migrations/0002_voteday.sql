-- Vote day: the poll book (document hashes apart from per-table counters),
-- idempotency answers, tally-sheet entries and accepted sheet versions.

-- One row per voter and round: the keyed hash of the identity document,
-- the centre (to answer "already voted at …") and a hash of the client's
-- idempotency key (a key may embed a time, as UUIDv7 does). Never a time,
-- a table or a user. WITHOUT ROWID, so not even a row number records the
-- order of arrival. No foreign key to rounds: the hot path checks the
-- round's phase itself, and a key check would lock the round's row on
-- every check-in. DestroyCheckIns deletes the rows once results are final.
CREATE TABLE check_ins (
	round_id INTEGER NOT NULL,
	doc_hash BLOB    NOT NULL CHECK (length(doc_hash) = 32),
	centre   TEXT    NOT NULL,
	key_hash BLOB    NOT NULL,
	PRIMARY KEY (round_id, doc_hash)
) WITHOUT ROWID;
CREATE UNIQUE INDEX check_ins_key ON check_ins (round_id, key_hash);

-- A table's poll-book counters, created by its first check-in, walk-in
-- report or close, and updated in the same transaction.
CREATE TABLE table_status (
	round_id   INTEGER NOT NULL,
	table_code TEXT    NOT NULL,
	check_ins  BIGINT  NOT NULL DEFAULT 0,
	walk_ins   BIGINT  NOT NULL DEFAULT 0,
	closed     BOOLEAN NOT NULL DEFAULT FALSE,
	closed_at  BIGINT  NOT NULL DEFAULT 0,
	closed_by  INTEGER REFERENCES users (id),
	PRIMARY KEY (round_id, table_code)
);

-- The first answer to each idempotency key of walk-ins, entries and
-- corrections (check-ins keep theirs on the hash row): the kind of
-- request, a SHA-256 of the request to tell a replay from a reuse, and
-- the answer as JSON.
CREATE TABLE idempotency (
	round_id     INTEGER NOT NULL REFERENCES rounds (id),
	idem_key     TEXT    NOT NULL,
	kind         TEXT    NOT NULL,
	request_hash BLOB    NOT NULL,
	response     TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (round_id, idem_key)
);

-- Each person's latest entry of a table's sheet (JSON of tally.Sheet);
-- matched once two entries agreed and made version 1.
CREATE TABLE sheet_entries (
	round_id   INTEGER NOT NULL REFERENCES rounds (id),
	table_code TEXT    NOT NULL,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	sheet      TEXT    NOT NULL,
	matched    BOOLEAN NOT NULL DEFAULT FALSE,
	entered    BIGINT  NOT NULL,
	PRIMARY KEY (round_id, table_code, user_id)
);

-- Accepted sheets, append-only: version 1 from double entry, then one
-- version per correction. id grows with every row, so MAX(id) of a round
-- is an epoch of its results.
CREATE TABLE sheet_versions (
	id         INTEGER PRIMARY KEY,
	round_id   INTEGER NOT NULL REFERENCES rounds (id),
	table_code TEXT    NOT NULL,
	circuit    TEXT    NOT NULL,
	version    INTEGER NOT NULL,
	sheet      TEXT    NOT NULL,
	reason     TEXT    NOT NULL DEFAULT '',
	signed_by  INTEGER REFERENCES users (id),
	entered_by TEXT    NOT NULL DEFAULT '',
	accepted   BIGINT  NOT NULL,
	UNIQUE (round_id, table_code, version)
);
CREATE INDEX sheet_versions_round ON sheet_versions (round_id, id);
CREATE TRIGGER sheet_versions_no_update BEFORE UPDATE ON sheet_versions
BEGIN SELECT RAISE(ABORT, 'sheet versions are append-only'); END;
CREATE TRIGGER sheet_versions_no_delete BEFORE DELETE ON sheet_versions
BEGIN SELECT RAISE(ABORT, 'sheet versions are append-only'); END;
