-- Audits of the paper: a public seed and a risk limit (risk-limiting
-- audits) or a number of tables (plain draws), and the hand recounts
-- entered for them, one per audit and table (a new entry replaces it).
CREATE TABLE audits (
	id         INTEGER PRIMARY KEY,
	round_id   INTEGER NOT NULL REFERENCES rounds (id),
	kind       TEXT    NOT NULL,
	seed       TEXT    NOT NULL,
	risk_limit REAL    NOT NULL DEFAULT 0,
	table_count INTEGER NOT NULL DEFAULT 0,
	epoch      BIGINT  NOT NULL DEFAULT 0,
	created_by INTEGER REFERENCES users (id),
	created    BIGINT  NOT NULL
);
CREATE INDEX audits_round ON audits (round_id, id);

CREATE TABLE audit_recounts (
	audit_id   INTEGER NOT NULL REFERENCES audits (id),
	table_code TEXT    NOT NULL,
	counts     TEXT    NOT NULL,
	ballots    BIGINT  NOT NULL,
	entered_by INTEGER REFERENCES users (id),
	entered    BIGINT  NOT NULL,
	PRIMARY KEY (audit_id, table_code)
);
