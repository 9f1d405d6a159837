// Package postgres is Comuna's production storage backend: PostgreSQL
// through pgx's database/sql driver, with the shared store of package
// sqlstore on top. It owns its SQL dialect and its embedded, versioned
// migrations (migrations/NNNN_name.sql), applied in one transaction under
// an advisory lock when the database is opened, so that servers starting
// together do not migrate twice.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

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

// Open connects to the PostgreSQL database at url (a postgres:// URL or
// key=value DSN; a search_path parameter selects the schema) and applies
// its migrations. An unreachable server is an EUnavailable error.
func Open(ctx context.Context, url string) (*sqlstore.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect: %w", Dialect{}.Err(err))
	}
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

// Dialect is PostgreSQL's sqlstore.Dialect.
type Dialect struct{}

// Rebind numbers the "?" placeholders of q as $1, $2 …, leaving quoted
// text alone.
func (Dialect) Rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + len(q)/4)
	n := 0
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// ShareLock locks the rows a write depends on against concurrent change.
func (Dialect) ShareLock() string { return " FOR SHARE" }

// SerialWriters reports whether the engine runs one write transaction at
// a time.
func (Dialect) SerialWriters() bool { return false }

// LockSheets takes a transaction-scoped advisory lock on the round's
// sheets.
func (Dialect) LockSheets(ctx context.Context, tx *sql.Tx, roundID int64) error {
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtext('comuna sheets'), $1::int)", roundID)
	return err
}

// LockMigrations takes a transaction-scoped advisory lock for the current
// schema, so two servers starting together migrate one after the other.
func (Dialect) LockMigrations(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtext('comuna migrate'), hashtext(current_schema()))")
	return err
}

// Purge rewrites the tables and their indexes into new files (VACUUM
// FULL), so that no deleted row stays in their pages; it locks each table
// while it runs. Older copies in the server's WAL and in backups are
// useless once the round's poll-book key is shredded.
//
// VACUUM keeps a deleted row while any transaction that may still see it
// runs, so Purge first waits, up to two minutes, until every session of
// the database has a snapshot newer than now and no transaction older.
func (Dialect) Purge(ctx context.Context, db *sql.DB, tables ...string) error {
	var xid string
	if err := db.QueryRowContext(ctx, "SELECT (txid_current() % 4294967296)::text").Scan(&xid); err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var older int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
			  AND ((backend_xmin IS NOT NULL AND age(backend_xmin) >= age($1::xid))
			    OR (backend_xid IS NOT NULL AND age(backend_xid) >= age($1::xid)))`, xid).Scan(&older); err != nil {
			return fmt.Errorf("purge: %w", err)
		}
		if older == 0 {
			break
		}
		if time.Now().After(deadline) {
			return comuna.Errorf(comuna.EUnavailable, "%d sessions of the database hold transactions older than the destruction; run it again once they end", older)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	for _, t := range tables {
		if _, err := db.ExecContext(ctx, "VACUUM FULL "+t); err != nil {
			return fmt.Errorf("vacuum %s: %w", t, err)
		}
	}
	return nil
}

// Analyze runs ANALYZE on the tables: autovacuum would get to them only
// after the load, and queries right after it would be planned blind.
func (Dialect) Analyze(ctx context.Context, tx *sql.Tx, tables ...string) error {
	_, err := tx.ExecContext(ctx, "ANALYZE "+strings.Join(tables, ", "))
	return err
}

// Err maps PostgreSQL's constraint errors and connection failures to
// comuna error codes.
func (Dialect) Err(err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505":
			return &comuna.Error{Code: comuna.EConflict, Message: "a record with the same key exists already"}
		case pe.Code == "CMN01":
			return &comuna.Error{Code: comuna.EConflict, Message: pe.Message}
		case pe.Code == "23503":
			return &comuna.Error{Code: comuna.EInvalid, Message: "a referenced record does not exist"}
		case strings.HasPrefix(pe.Code, "08"), pe.Code == "57P01", pe.Code == "57P03", pe.Code == "53300":
			return unavailable(err)
		}
		return err
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) || pgconn.Timeout(err) {
		return unavailable(err)
	}
	return err
}

func unavailable(err error) error {
	return fmt.Errorf("%w: %v", &comuna.Error{Code: comuna.EUnavailable, Message: "the database cannot be reached"}, err)
}
