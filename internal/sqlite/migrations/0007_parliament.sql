-- Communal self-government: the organs of councils and communes, who
-- holds their seats and when, their sessions (each one document, changed
-- only through the domain's commands, with a version for optimistic
-- locking), their minutes, and the register of decisions with a word
-- index for search. Approved minutes and every decision are also records
-- of the transparency log (log_index).
CREATE TABLE parliament_organs (
	id         INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL,
	unit_code  TEXT NOT NULL,
	commune    TEXT NOT NULL DEFAULT '',
	state_code TEXT NOT NULL DEFAULT '',
	name       TEXT    NOT NULL,
	size       INTEGER NOT NULL,
	quorum_num INTEGER NOT NULL,
	quorum_den INTEGER NOT NULL,
	tie        TEXT    NOT NULL,
	weekday    INTEGER NOT NULL,
	minute     INTEGER NOT NULL,
	created    BIGINT  NOT NULL,
	UNIQUE (unit_code, kind)
);

CREATE TABLE parliament_seats (
	id         INTEGER PRIMARY KEY,
	organ_id   INTEGER NOT NULL REFERENCES parliament_organs (id),
	position   INTEGER NOT NULL,
	role       TEXT    NOT NULL,
	holder     TEXT    NOT NULL,
	gender     TEXT    NOT NULL DEFAULT '',
	committee  TEXT    NOT NULL DEFAULT '',
	start_date TEXT    NOT NULL,
	end_date   TEXT    NOT NULL,
	elected_by TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX parliament_seats_organ ON parliament_seats (organ_id, position);

CREATE TABLE parliament_sessions (
	id        INTEGER PRIMARY KEY,
	organ_id  INTEGER NOT NULL REFERENCES parliament_organs (id),
	number    INTEGER NOT NULL,
	scheduled BIGINT  NOT NULL,
	status    TEXT    NOT NULL,
	state     TEXT    NOT NULL,
	version   INTEGER NOT NULL DEFAULT 1,
	updated   BIGINT  NOT NULL,
	UNIQUE (organ_id, number)
);

CREATE TABLE parliament_minutes (
	session_id  INTEGER PRIMARY KEY REFERENCES parliament_sessions (id),
	text        TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	version     INTEGER NOT NULL DEFAULT 1,
	approved_in INTEGER,
	approved_at BIGINT  NOT NULL DEFAULT 0,
	log_index   BIGINT
);

CREATE TABLE parliament_decisions (
	id          INTEGER PRIMARY KEY,
	organ_id    INTEGER NOT NULL REFERENCES parliament_organs (id),
	session_id  INTEGER NOT NULL REFERENCES parliament_sessions (id),
	vote        INTEGER NOT NULL,
	title       TEXT    NOT NULL,
	text        TEXT    NOT NULL,
	passed      INTEGER NOT NULL,
	result      TEXT    NOT NULL,
	explanation TEXT    NOT NULL,
	decided_at  BIGINT  NOT NULL,
	unit_code   TEXT NOT NULL,
	commune     TEXT NOT NULL,
	state_code  TEXT NOT NULL,
	log_index   BIGINT
);
CREATE INDEX parliament_decisions_time ON parliament_decisions (decided_at, id);
CREATE INDEX parliament_decisions_organ ON parliament_decisions (organ_id, decided_at);
CREATE INDEX parliament_decisions_unit ON parliament_decisions (unit_code, decided_at);
CREATE INDEX parliament_decisions_commune ON parliament_decisions (commune, decided_at);
CREATE INDEX parliament_decisions_state ON parliament_decisions (state_code, decided_at);

CREATE TABLE parliament_decision_words (
	word        TEXT NOT NULL,
	decision_id INTEGER NOT NULL REFERENCES parliament_decisions (id),
	PRIMARY KEY (word, decision_id)
);
