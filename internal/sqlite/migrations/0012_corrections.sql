-- Four-eyes corrections of accepted sheets. A correction is proposed by
-- one person with its reason and becomes a sheet version only when a
-- second, different person confirms the same values (or it is refused,
-- with a reason). Once a round is in results, a correction needs an
-- administrator's reopening of the circuit, with its own reason; each
-- reopening admits one correction. Every step is also in the
-- transparency log (log_index).
CREATE TABLE circuit_reopenings (
	id            INTEGER PRIMARY KEY,
	round_id      INTEGER NOT NULL REFERENCES rounds (id),
	circuit       TEXT NOT NULL,
	reason        TEXT   NOT NULL,
	opened_by     INTEGER NOT NULL REFERENCES users (id),
	opened        BIGINT NOT NULL,
	correction_id INTEGER,
	log_index     BIGINT NOT NULL
);
CREATE INDEX circuit_reopenings_round ON circuit_reopenings (round_id, circuit, id);

CREATE TABLE sheet_corrections (
	id              INTEGER PRIMARY KEY,
	round_id        INTEGER NOT NULL REFERENCES rounds (id),
	table_code      TEXT NOT NULL,
	circuit         TEXT NOT NULL,
	base_version    INTEGER NOT NULL,
	sheet           TEXT    NOT NULL,
	reason          TEXT    NOT NULL,
	status          TEXT    NOT NULL DEFAULT 'proposed',
	proposed_by     INTEGER NOT NULL REFERENCES users (id),
	proposed        BIGINT  NOT NULL,
	decided_by      INTEGER REFERENCES users (id),
	decided         BIGINT  NOT NULL DEFAULT 0,
	decision_reason TEXT    NOT NULL DEFAULT '',
	version         INTEGER NOT NULL DEFAULT 0,
	reopening_id    INTEGER REFERENCES circuit_reopenings (id),
	log_index       BIGINT  NOT NULL,
	CHECK (decided_by IS NULL OR decided_by <> proposed_by)
);
CREATE INDEX sheet_corrections_table ON sheet_corrections (round_id, table_code, id);
