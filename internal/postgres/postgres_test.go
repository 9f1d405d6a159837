package postgres_test

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/postgres"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/storetest"
)

func TestStore(t *testing.T) {
	storetest.PostgresURL(t)
	storetest.Run(t, func(t *testing.T) *sqlstore.DB { return storetest.Postgres(t) })
}

func TestRebind(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"},
		{"INSERT INTO t VALUES (?, '?', ?)", "INSERT INTO t VALUES ($1, '?', $2)"},
		{"SELECT 'it''s ?' || ?", "SELECT 'it''s ?' || $1"},
	}
	for _, tt := range tests {
		if got := (postgres.Dialect{}).Rebind(tt.in); got != tt.want {
			t.Errorf("Rebind(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOpenUnreachable(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=3")
	if got := comuna.ErrorCode(err); got != comuna.EUnavailable {
		t.Errorf("Open(closed port) = %v (code %q), want code %q", err, got, comuna.EUnavailable)
	}
}

// schemaURL returns the test server's URL with search_path set to a fresh
// schema.
func schemaURL(t *testing.T) string {
	dsn := storetest.PostgresURL(t)
	schema := storetest.TempSchema(t, dsn)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestConcurrentOpen(t *testing.T) {
	ctx := context.Background()
	dsn := schemaURL(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := postgres.Open(ctx, dsn)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open() #%d beside three others = %v", i, err)
		}
	}
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, _ := postgres.Migrations()
	if v, err := db.SchemaVersion(ctx); err != nil || v != len(ms) {
		t.Errorf("SchemaVersion() = %d, %v; want %d", v, err, len(ms))
	}
	var editable int
	if err := db.SQL().QueryRowContext(ctx, "SELECT COUNT(*) FROM territory_versions WHERE frozen = FALSE").Scan(&editable); err != nil || editable != 1 {
		t.Errorf("editable versions = %d, %v; want exactly 1", editable, err)
	}
}

func TestSchemaTooNew(t *testing.T) {
	ctx := context.Background()
	dsn := schemaURL(t)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := postgres.Migrations()
	if _, err := db.SQL().ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied) VALUES ($1, 'future', 0)", len(ms)+1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = postgres.Open(ctx, dsn)
	if err == nil || !strings.Contains(err.Error(), "upgrade comuna") {
		t.Errorf("Open(newer schema) = %v, want a refusal asking to upgrade", err)
	}
}

// BenchmarkNational loads the national data set; run it with
//
//	COMUNA_TEST_POSTGRES=postgres://… go test -run '^$' -bench National -benchtime 1x ./internal/postgres/
func BenchmarkNational(b *testing.B) {
	storetest.PostgresURL(b)
	storetest.BenchmarkNational(b, func(b *testing.B) *sqlstore.DB { return storetest.Postgres(b) })
}

// BenchmarkCheckIn measures the poll book's hot path; run it with
//
//	COMUNA_TEST_POSTGRES=postgres://… go test -run '^$' -bench CheckIn -benchtime 20000x ./internal/postgres/
func BenchmarkCheckIn(b *testing.B) {
	storetest.PostgresURL(b)
	storetest.BenchmarkCheckIn(b, func(b *testing.B) *sqlstore.DB { return storetest.Postgres(b) })
}

// BenchmarkSubmitEntry measures accepted tally sheets per second, each
// logged in the transparency log; run it with
//
//	go test -run '^$' -bench SubmitEntry -benchtime 4000x ./internal/postgres/
func BenchmarkSubmitEntry(b *testing.B) {
	storetest.BenchmarkSubmitEntry(b, func(b *testing.B) *sqlstore.DB { return storetest.Postgres(b) })
}

// BenchmarkDecisionSearch searches a register of 200,000 decisions on
// PostgreSQL; run it with COMUNA_TEST_POSTGRES set and
// go test -run '^$' -bench DecisionSearch ./internal/postgres/.
func BenchmarkDecisionSearch(b *testing.B) {
	storetest.PostgresURL(b)
	storetest.BenchmarkDecisionSearch(b, storetest.Postgres(b))
}
