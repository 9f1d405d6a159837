package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/comuna/comuna/internal/postgres"
	"github.com/comuna/comuna/internal/sqlstore"
)

// PostgresEnv names the environment variable holding the DSN of the
// PostgreSQL server tests use.
const PostgresEnv = "COMUNA_TEST_POSTGRES"

// PostgresURL returns the test server's URL from COMUNA_TEST_POSTGRES and
// skips the test if it is unset.
func PostgresURL(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Skipf("PostgreSQL tests skipped: set %s, e.g. %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable", PostgresEnv, PostgresEnv)
	}
	return dsn
}

// Postgres returns a fresh PostgreSQL store in a new schema of the server
// named by COMUNA_TEST_POSTGRES; the schema is dropped when the test ends.
// The test is skipped if the variable is unset and fails if the server
// cannot be reached.
func Postgres(t testing.TB) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	dsn := PostgresURL(t)
	schema := TempSchema(t, dsn)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatalf("postgres.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TempSchema creates an empty schema named t_<random> on the server at
// dsn and drops it, with everything in it, when the test ends.
func TempSchema(t testing.TB, dsn string) string {
	t.Helper()
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("open %s: %v", PostgresEnv, err)
	}
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		t.Fatalf("PostgreSQL at %s=%s cannot be reached: %v", PostgresEnv, dsn, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}
