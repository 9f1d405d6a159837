-- Comuna's first SQLite schema: territory versions and units, rounds and
-- their phase history, proposals, ballots, accounts, sessions and tokens.
-- Times are unix milliseconds (0 for none), dates 'YYYY-MM-DD', money cents.

CREATE TABLE territory_versions (
	id       INTEGER PRIMARY KEY,
	label    TEXT    NOT NULL,
	frozen   BOOLEAN NOT NULL,
	created  BIGINT  NOT NULL,
	-- editable version: bumped by every import; frozen copy: the editable
	-- revision it copied, so an unchanged territory is frozen only once.
	revision BIGINT  NOT NULL DEFAULT 0
);
-- Exactly one editable version.
CREATE UNIQUE INDEX territory_versions_editable ON territory_versions (frozen) WHERE frozen = FALSE;
INSERT INTO territory_versions (label, frozen, created, revision) VALUES ('editable', FALSE, 0, 0);

CREATE TABLE units (
	version_id INTEGER NOT NULL REFERENCES territory_versions (id),
	level      TEXT    NOT NULL,
	code       TEXT    NOT NULL,
	parent     TEXT    NOT NULL DEFAULT '',
	name       TEXT    NOT NULL,
	census     BIGINT  NOT NULL DEFAULT 0,
	circuit    TEXT    NOT NULL DEFAULT '',
	address    TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (version_id, level, code)
);
CREATE INDEX units_parent ON units (version_id, level, parent);
CREATE INDEX units_circuit ON units (version_id, circuit);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	username      TEXT    NOT NULL UNIQUE,
	name          TEXT    NOT NULL,
	role          TEXT    NOT NULL,
	scope         TEXT    NOT NULL DEFAULT '',
	password_hash TEXT    NOT NULL DEFAULT '',
	created       BIGINT  NOT NULL,
	disabled      BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE sessions (
	token_hash BLOB    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf       TEXT    NOT NULL,
	created    BIGINT  NOT NULL,
	expires    BIGINT  NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY,
	token_hash BLOB    NOT NULL UNIQUE,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name       TEXT    NOT NULL,
	created    BIGINT  NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE rounds (
	id                INTEGER PRIMARY KEY,
	name              TEXT    NOT NULL,
	vote_date         TEXT    NOT NULL,
	min_age           INTEGER NOT NULL,
	max_age           INTEGER NOT NULL,
	ballot_size       INTEGER NOT NULL,
	winners           INTEGER NOT NULL,
	amount            BIGINT  NOT NULL,
	currency          TEXT    NOT NULL,
	exchange_rate     TEXT    NOT NULL,
	tie_break         TEXT    NOT NULL,
	tie_break_seed    TEXT    NOT NULL,
	vote_rule         TEXT    NOT NULL,
	phase             TEXT    NOT NULL,
	territory_version INTEGER NOT NULL REFERENCES territory_versions (id),
	created           BIGINT  NOT NULL,
	created_by        INTEGER REFERENCES users (id)
);

CREATE TABLE phase_transitions (
	id         INTEGER PRIMARY KEY,
	round_id   INTEGER NOT NULL REFERENCES rounds (id),
	from_phase TEXT    NOT NULL,
	to_phase   TEXT    NOT NULL,
	user_id    INTEGER REFERENCES users (id),
	at         BIGINT  NOT NULL
);
CREATE INDEX phase_transitions_round ON phase_transitions (round_id, id);

CREATE TABLE proposals (
	id            INTEGER PRIMARY KEY,
	round_id      INTEGER NOT NULL REFERENCES rounds (id),
	council       TEXT    NOT NULL,
	circuit       TEXT    NOT NULL,
	title         TEXT    NOT NULL,
	description   TEXT    NOT NULL,
	category      TEXT    NOT NULL,
	cost          BIGINT  NOT NULL,
	location      TEXT    NOT NULL,
	assembly_date TEXT    NOT NULL,
	attendance    INTEGER NOT NULL,
	quorum_met    BOOLEAN NOT NULL,
	votes_for     INTEGER NOT NULL,
	votes_against INTEGER NOT NULL,
	votes_abstain INTEGER NOT NULL,
	status        TEXT    NOT NULL,
	reason        TEXT    NOT NULL DEFAULT '',
	reviewed_by   INTEGER REFERENCES users (id),
	reviewed      BIGINT  NOT NULL DEFAULT 0,
	submitted_by  INTEGER REFERENCES users (id),
	submitted     BIGINT  NOT NULL
);
CREATE INDEX proposals_circuit ON proposals (round_id, circuit, id);
CREATE INDEX proposals_council ON proposals (round_id, council, id);

CREATE TABLE ballots (
	id           INTEGER PRIMARY KEY,
	round_id     INTEGER NOT NULL REFERENCES rounds (id),
	circuit      TEXT    NOT NULL,
	version      INTEGER NOT NULL,
	reason       TEXT    NOT NULL DEFAULT '',
	published    BOOLEAN NOT NULL DEFAULT FALSE,
	created_by   INTEGER REFERENCES users (id),
	created      BIGINT  NOT NULL,
	published_at BIGINT  NOT NULL DEFAULT 0,
	UNIQUE (round_id, circuit, version)
);

CREATE TABLE ballot_items (
	ballot_id   INTEGER NOT NULL REFERENCES ballots (id) ON DELETE CASCADE,
	number      INTEGER NOT NULL,
	proposal_id INTEGER NOT NULL REFERENCES proposals (id),
	PRIMARY KEY (ballot_id, number)
);
CREATE INDEX ballot_items_proposal ON ballot_items (proposal_id);
