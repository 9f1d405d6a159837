// Package sqlite is Comuna's embedded storage backend: a single file, a
// pure-Go driver (modernc.org/sqlite, no cgo), and the shared store of
// package sqlstore on top. It owns its SQL dialect and its embedded,
// versioned migrations (migrations/NNNN_name.sql), applied in one
// transaction when the database is opened.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the schema changes this binary knows, in order.
func Migrations() ([]sqlstore.Migration, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	return sqlstore.ReadMigrations(sub)
}

// Open opens (creating if needed) the SQLite database at path and applies
// its migrations. The database runs in WAL mode with synchronous=FULL, so
// an acknowledged write survives a crash or power loss; foreign keys are
// enforced; writers take the lock when their transaction begins
// (_txlock=immediate) and wait up to ten seconds for each other instead of
// failing or deadlocking, while readers never wait.
func Open(ctx context.Context, path string) (*sqlstore.DB, error) {
	q := url.Values{}
	q.Set("_txlock", "immediate")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	// Deleted content is overwritten with zeros, so that a destroyed poll
	// book leaves no hash in free space.
	q.Add("_pragma", "secure_delete(1)")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	// WAL lets readers run beside the one writer; a handful of
	// connections covers a web server's concurrency.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	ms, err := Migrations()
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	if err := sqlstore.Migrate(ctx, db, Dialect{}, ms); err != nil {
		db.Close()
		return nil, err
	}
	return sqlstore.New(db, Dialect{}), nil
}

// Dialect is SQLite's sqlstore.Dialect.
type Dialect struct{}

// Rebind returns the query unchanged: SQLite reads "?" placeholders.
func (Dialect) Rebind(q string) string { return q }

// ShareLock returns "": immediate transactions already serialise writers.
func (Dialect) ShareLock() string { return "" }

// SerialWriters reports whether the engine runs one write transaction at
// a time.
func (Dialect) SerialWriters() bool { return true }

// LockSheets does nothing: immediate transactions already serialise
// writers.
func (Dialect) LockSheets(context.Context, *sql.Tx, int64) error { return nil }

// LockMigrations does nothing: the migration transaction is immediate and
// so holds the write lock from its start.
func (Dialect) LockMigrations(context.Context, *sql.Tx) error { return nil }

// Purge checkpoints the WAL into the main file, vacuums it (rewriting it
// without free pages) and truncates the WAL to nothing, so that no copy of
// a deleted row is left in either file. It waits for readers to finish.
func (Dialect) Purge(ctx context.Context, db *sql.DB, tables ...string) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, q := range []string{"PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"} {
		var busy, logFrames, done int
		if q == "VACUUM" {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
			continue
		}
		if err := conn.QueryRowContext(ctx, q).Scan(&busy, &logFrames, &done); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
		if busy != 0 {
			return comuna.Errorf(comuna.EUnavailable, "readers kept the write-ahead log busy; try again")
		}
	}
	return nil
}

// Analyze runs ANALYZE on the tables so the planner knows their size.
func (Dialect) Analyze(ctx context.Context, tx *sql.Tx, tables ...string) error {
	for _, t := range tables {
		if _, err := tx.ExecContext(ctx, "ANALYZE "+t); err != nil {
			return err
		}
	}
	return nil
}

// Err maps SQLite's constraint and locking errors to comuna error codes.
func (Dialect) Err(err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return &comuna.Error{Code: comuna.EConflict, Message: "a record with the same key exists already"}
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return &comuna.Error{Code: comuna.EInvalid, Message: "a referenced record does not exist"}
	}
	switch e.Code() & 0xff { // the primary code of an extended one
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN:
		return fmt.Errorf("%w: %v", &comuna.Error{Code: comuna.EUnavailable, Message: "the database is busy or cannot be opened"}, err)
	}
	return err
}
