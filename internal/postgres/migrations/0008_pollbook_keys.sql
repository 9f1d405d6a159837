-- Each round's poll-book key, wrapped (AES-256-GCM) under the electoral
-- authority's master key, with that master key's fingerprint: the first
-- check-in of a round binds it, and a server holding another master key
-- is refused. DestroyCheckIns empties wrapped (crypto-shredding every copy
-- of the round's hashes) and keeps the row, so the round never takes a
-- new key.
CREATE TABLE pollbook_keys (
	round_id           BIGINT PRIMARY KEY REFERENCES rounds (id),
	master_fingerprint TEXT    NOT NULL,
	wrapped            BYTEA,
	created            BIGINT  NOT NULL,
	destroyed          BIGINT  NOT NULL DEFAULT 0
);
