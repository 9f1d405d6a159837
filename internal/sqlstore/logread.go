package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/translog"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// readLog runs fn on the log as of one read-only transaction.
func (db *DB) readLog(ctx context.Context, op string, fn func(l *translog.Log) error) error {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	l, err := translog.New(db.LogOrigin(), newTxLog(tx, false))
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := fn(l); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// LogSize returns the number of records in the transparency log.
func (db *DB) LogSize(ctx context.Context) (n int64, err error) {
	err = db.readLog(ctx, "log size", func(l *translog.Log) error {
		n, err = l.Size(ctx)
		return err
	})
	return n, err
}

// LogCheckpoint returns the log's current tree as a note signed by
// signer, to publish at /log/checkpoint.
func (db *DB) LogCheckpoint(ctx context.Context, signer note.Signer) (msg []byte, err error) {
	err = db.readLog(ctx, "log checkpoint", func(l *translog.Log) error {
		msg, err = l.Checkpoint(ctx, signer)
		return err
	})
	return msg, err
}

// LogRecord returns record n of the log; ENotFound past its end.
func (db *DB) LogRecord(ctx context.Context, n int64) (data []byte, err error) {
	err = db.readLog(ctx, "log record", func(l *translog.Log) error {
		data, err = l.Record(ctx, n)
		return err
	})
	return data, err
}

// LogTile returns the data of the tlog tile at path ("tile/8/0/001.p/5");
// ENotFound for a tile the log does not have.
func (db *DB) LogTile(ctx context.Context, path string) (data []byte, err error) {
	err = db.readLog(ctx, "log tile", func(l *translog.Log) error {
		data, err = l.Tile(ctx, path)
		return err
	})
	return data, err
}

// LogProveRecord returns the proof that record n is in the tree of the
// log's first size records.
func (db *DB) LogProveRecord(ctx context.Context, n, size int64) (p tlog.RecordProof, err error) {
	err = db.readLog(ctx, "log record proof", func(l *translog.Log) error {
		p, err = l.ProveRecord(ctx, n, size)
		return err
	})
	return p, err
}

// LogProveTree returns the proof that the tree of the first oldSize
// records is a prefix of the tree of the first newSize.
func (db *DB) LogProveTree(ctx context.Context, newSize, oldSize int64) (p tlog.TreeProof, err error) {
	err = db.readLog(ctx, "log tree proof", func(l *translog.Log) error {
		p, err = l.ProveTree(ctx, newSize, oldSize)
		return err
	})
	return p, err
}

// LogIndexOfSheet returns the log index of a table's sheet version;
// ENotFound if there is no such version or it was accepted before the log
// existed.
func (db *DB) LogIndexOfSheet(ctx context.Context, roundID int64, table string, version int) (int64, error) {
	var idx sql.NullInt64
	err := db.db.QueryRowContext(ctx, db.dialect.Rebind(
		"SELECT log_index FROM sheet_versions WHERE round_id = ? AND table_code = ? AND version = ?"),
		roundID, table, version).Scan(&idx)
	if err == sql.ErrNoRows || err == nil && !idx.Valid {
		return 0, comuna.Errorf(comuna.ENotFound, "version %d of table %q's sheet is not in the log", version, table)
	} else if err != nil {
		return 0, fmt.Errorf("log index of sheet: %w", db.dialect.Err(err))
	}
	return idx.Int64, nil
}

// PublishLogKey adds a verifier key to the published list; publishing a
// key again changes nothing. A malformed key is EInvalid.
func (db *DB) PublishLogKey(ctx context.Context, vkey string) error {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return fmt.Errorf("publish log key: %w", comuna.Errorf(comuna.EInvalid, "malformed verifier key: %v", err))
	}
	_, err = db.db.ExecContext(ctx, db.dialect.Rebind(
		"INSERT INTO log_keys (vkey, name, created) VALUES (?, ?, ?) ON CONFLICT (vkey) DO NOTHING"),
		vkey, v.Name(), ms(db.Now()))
	if err != nil {
		return fmt.Errorf("publish log key: %w", db.dialect.Err(err))
	}
	return nil
}

// LogKeys lists the published verifier keys (note format), oldest
// first.
func (db *DB) LogKeys(ctx context.Context) ([]string, error) {
	rows, err := db.db.QueryContext(ctx, "SELECT vkey FROM log_keys ORDER BY created, vkey")
	if err != nil {
		return nil, fmt.Errorf("log keys: %w", db.dialect.Err(err))
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("log keys: %w", db.dialect.Err(err))
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("log keys: %w", db.dialect.Err(err))
	}
	return keys, nil
}
