// Package sqlstore implements comuna.Store once, on database/sql, for every
// SQL backend Comuna supports.
//
// Layout: the SQL here is the subset SQLite and PostgreSQL both accept —
// "?" placeholders, INSERT … ON CONFLICT … DO UPDATE SET x = excluded.x,
// RETURNING id, TRUE/FALSE, WITH RECURSIVE — with times stored as BIGINT
// unix milliseconds (0 for none), dates as TEXT 'YYYY-MM-DD' and money as
// BIGINT cents. What differs between engines goes through a Dialect that
// each backend package (internal/sqlite, internal/postgres) supplies
// together with its own embedded, versioned migrations: placeholder
// syntax, the meaning of driver errors, and row locks. Shared code never
// asks which engine it runs on.
//
// Every public method opens one transaction, defers its rollback and hands
// the transaction to small unexported helpers. Domain rules (validation,
// references between units, phase rules) are checked inside that
// transaction and reported as *comuna.Error values; "not found" is always
// an error.
package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// Dialect is what a backend tells the shared store about its engine.
type Dialect interface {
	// Rebind rewrites a query written with "?" placeholders into the
	// engine's placeholder syntax.
	Rebind(query string) string
	// Err translates a driver error into a *comuna.Error where it has a
	// domain meaning (unique violation → conflict, unreachable server →
	// unavailable) and returns any other error unchanged.
	Err(err error) error
	// ShareLock is appended to a SELECT that reads a row a write depends
	// on (a round's phase), e.g. " FOR SHARE"; "" where transactions
	// already serialise writers.
	ShareLock() string
	// SerialWriters reports whether the engine runs one write transaction
	// at a time (SQLite). The store then queues writers in Go, first come
	// first served, instead of letting them poll the engine's lock, where
	// under load some would wait past the busy timeout and fail.
	SerialWriters() bool
	// LockSheets runs first in a transaction that writes a round's tally
	// sheets, so that such writers run one after the other: a sheet
	// version's id is then handed out in commit order, and two people
	// entering one table at once see each other's entries. Engines whose
	// write transactions are serial already do nothing.
	LockSheets(ctx context.Context, tx *sql.Tx, roundID int64) error
	// LockMigrations runs first in the migration transaction so that two
	// processes starting together do not migrate at once.
	LockMigrations(ctx context.Context, tx *sql.Tx) error
	// Purge removes deleted rows of the tables from the database files
	// once their transaction has committed, so that no copy stays in free
	// pages or the engine's write-ahead log: SQLite (whose connections
	// delete with secure_delete) checkpoints, vacuums and truncates its
	// WAL; PostgreSQL rewrites the tables (VACUUM FULL).
	Purge(ctx context.Context, db *sql.DB, tables ...string) error
	// Analyze refreshes the planner's statistics on tables after a bulk
	// load, inside the loading transaction, so the next queries on
	// national data are planned for its real size.
	Analyze(ctx context.Context, tx *sql.Tx, tables ...string) error
}

// DB is Comuna's store on a SQL database. It implements comuna.Store.
type DB struct {
	db      *sql.DB
	dialect Dialect
	// rounds caches, per round id, what vote day needs and never changes:
	// the tables of the round's frozen territory (*roundTables).
	rounds sync.Map
	// roundsLoad lets one request at a time load a round into rounds, so
	// that the first burst of check-ins does not load it once each.
	roundsLoad sync.Mutex
	group      groupCommitter
	// writer holds one token per write transaction in progress when the
	// engine allows only one (Dialect.SerialWriters); nil otherwise.
	writer chan struct{}
	// logOrigin names the transparency log in its checkpoints; "" means
	// DefaultLogOrigin.
	logOrigin string
	// Now returns the current time; tests replace it to expire sessions.
	Now func() time.Time
}

var _ comuna.Store = (*DB)(nil)

// New wraps an open, migrated database. Backends call it from their Open.
func New(db *sql.DB, d Dialect) *DB {
	s := &DB{db: db, dialect: d, Now: comuna.Now}
	if d.SerialWriters() {
		s.writer = make(chan struct{}, 1)
	}
	return s
}

// SQL returns the underlying database handle, for backend-specific tools.
func (db *DB) SQL() *sql.DB { return db.db }

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping: %w", db.dialect.Err(err))
	}
	return nil
}

// Close releases the database.
func (db *DB) Close() error {
	db.group.close()
	return db.db.Close()
}

// SchemaVersion returns the highest migration applied to the database.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", db.dialect.Err(err))
	}
	return v, nil
}

// Tx is one transaction of the store, with the dialect at hand and the
// time the transaction started.
type Tx struct {
	tx    *sql.Tx
	d     Dialect
	now   time.Time
	stmts map[string]*sql.Stmt // statements prepared by getPrepared, closed with the transaction
	// release gives back the writer token, if the transaction holds one;
	// it runs once, at commit or rollback.
	release func()
}

// begin opens a transaction; read-only ones do not take SQLite's write
// lock, so pages keep loading during an import.
func (db *DB) begin(ctx context.Context, write bool) (*Tx, error) {
	release := func() {}
	if write && db.writer != nil {
		select {
		case db.writer <- struct{}{}:
			release = func() { <-db.writer }
		case <-ctx.Done():
			return nil, comuna.Errorf(comuna.EUnavailable, "the database is busy; try again")
		}
	}
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: !write})
	if err != nil {
		release()
		return nil, db.dialect.Err(err)
	}
	return &Tx{tx: tx, d: db.dialect, now: db.Now().UTC().Truncate(time.Millisecond), release: release}, nil
}

// beginSnapshot opens a read-only transaction whose statements all see
// the database as it was when the first one ran (PostgreSQL's REPEATABLE
// READ; a SQLite read transaction is one snapshot already), for use
// cases that read several tables that must agree.
func (db *DB) beginSnapshot(ctx context.Context) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return nil, db.dialect.Err(err)
	}
	return &Tx{tx: tx, d: db.dialect, now: db.Now().UTC().Truncate(time.Millisecond)}, nil
}

func (tx *Tx) commit() error {
	err := tx.tx.Commit()
	tx.done()
	if err != nil {
		return tx.d.Err(err)
	}
	return nil
}

func (tx *Tx) rollback() {
	_ = tx.tx.Rollback()
	tx.done()
}

// done gives back the writer token once the transaction has ended.
func (tx *Tx) done() {
	if tx.release != nil {
		tx.release()
		tx.release = nil
	}
}

// analyzeAfter is how many rows a bulk load writes before it refreshes
// the planner's statistics.
const analyzeAfter = 5000

// analyze refreshes statistics on tables if a load wrote n rows or more.
func (tx *Tx) analyze(ctx context.Context, n int, tables ...string) error {
	if n < analyzeAfter {
		return nil
	}
	if err := tx.d.Analyze(ctx, tx.tx, tables...); err != nil {
		return fmt.Errorf("analyze: %w", tx.d.Err(err))
	}
	return nil
}

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	r, err := tx.tx.ExecContext(ctx, tx.d.Rebind(q), args...)
	if err != nil {
		return nil, tx.d.Err(err)
	}
	return r, nil
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	rows, err := tx.tx.QueryContext(ctx, tx.d.Rebind(q), args...)
	if err != nil {
		return nil, tx.d.Err(err)
	}
	return rows, nil
}

// get runs a query expected to return one row and scans it; sql.ErrNoRows
// comes back unchanged so callers can turn it into a not-found error.
func (tx *Tx) get(ctx context.Context, q string, args []any, dest ...any) error {
	err := tx.tx.QueryRowContext(ctx, tx.d.Rebind(q), args...).Scan(dest...)
	if err != nil && err != sql.ErrNoRows {
		return tx.d.Err(err)
	}
	return err
}

// getPrepared is get for a statement run many times in one transaction
// (check-ins of a group commit): it is parsed once per transaction.
func (tx *Tx) getPrepared(ctx context.Context, q string, args []any, dest ...any) error {
	st, ok := tx.stmts[q]
	if !ok {
		var err error
		if st, err = tx.tx.PrepareContext(ctx, tx.d.Rebind(q)); err != nil {
			return tx.d.Err(err)
		}
		if tx.stmts == nil {
			tx.stmts = map[string]*sql.Stmt{}
		}
		tx.stmts[q] = st
	}
	err := st.QueryRowContext(ctx, args...).Scan(dest...)
	if err != nil && err != sql.ErrNoRows {
		return tx.d.Err(err)
	}
	return err
}

// ms stores a time as unix milliseconds, 0 for the zero time.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS reads a time stored by ms.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// dateText stores a calendar date as YYYY-MM-DD, "" for the zero time.
func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// parseDate reads a date stored by dateText as midnight UTC.
func parseDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// nullID stores an optional reference to a user: 0 means none.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// placeholders returns "(?, ?, ?)" repeated rows times, comma-separated.
func placeholders(cols, rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	var b strings.Builder
	b.Grow(rows * (len(one) + 2))
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

// escapeLike escapes the wildcards of a LIKE pattern for ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
