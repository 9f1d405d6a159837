package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/comuna/comuna/internal/voteday"
)

// BindRoundKey binds a round to a poll-book key on first use. See
// voteday.RoundKeyStore.
func (db *DB) BindRoundKey(ctx context.Context, k voteday.RoundKey) (*voteday.RoundKey, error) {
	const op = "bind poll-book key"
	if got, err := db.roundKey(ctx, k.RoundID); err != nil || got != nil {
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		return got, nil
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	if _, err := findRound(ctx, tx, k.RoundID, false); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO pollbook_keys (round_id, master_fingerprint, wrapped, created) VALUES (?, ?, ?, ?)
		ON CONFLICT (round_id) DO NOTHING`, k.RoundID, k.MasterFingerprint, k.Wrapped, ms(tx.now)); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	got, err := db.roundKey(ctx, k.RoundID)
	if err == nil && got == nil {
		err = fmt.Errorf("the key of round %d vanished", k.RoundID)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return got, nil
}

// roundKey reads a round's bound key, or nil if it has none.
func (db *DB) roundKey(ctx context.Context, roundID int64) (*voteday.RoundKey, error) {
	k := &voteday.RoundKey{RoundID: roundID}
	var destroyed int64
	err := db.db.QueryRowContext(ctx, db.dialect.Rebind("SELECT master_fingerprint, wrapped, destroyed FROM pollbook_keys WHERE round_id = ?"),
		roundID).Scan(&k.MasterFingerprint, &k.Wrapped, &destroyed)
	if err == sql.ErrNoRows {
		return nil, nil
	} else if err != nil {
		return nil, db.dialect.Err(err)
	}
	k.Destroyed = destroyed != 0
	return k, nil
}

// shredRoundKey, inside DestroyCheckIns's transaction, empties the round's
// wrapped key, or leaves a tombstone if the round never had one, so that
// the round never takes another key.
func shredRoundKey(ctx context.Context, tx *Tx, roundID int64) error {
	now := ms(tx.now)
	if now == 0 {
		now = 1
	}
	res, err := tx.exec(ctx, "UPDATE pollbook_keys SET wrapped = NULL, destroyed = ? WHERE round_id = ? AND destroyed = 0", now, roundID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return tx.d.Err(err)
	} else if n > 0 {
		return nil
	}
	_, err = tx.exec(ctx, `INSERT INTO pollbook_keys (round_id, master_fingerprint, wrapped, created, destroyed) VALUES (?, '', NULL, ?, ?)
		ON CONFLICT (round_id) DO NOTHING`, roundID, now, now)
	return err
}

// purgePollBook, after DestroyCheckIns has committed, removes what the
// deleted rows left in the database files (see Dialect.Purge).
func (db *DB) purgePollBook(ctx context.Context) error {
	if db.writer != nil {
		select {
		case db.writer <- struct{}{}:
			defer func() { <-db.writer }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := db.dialect.Purge(ctx, db.db, "check_ins", "pollbook_keys"); err != nil {
		return db.dialect.Err(err)
	}
	return nil
}
