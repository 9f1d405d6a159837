package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/sqlite"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *sqlstore.DB { return storetest.SQLite(t) })
}

func TestOpenSettings(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "a b.db"))
	if err != nil {
		t.Fatalf("Open() = %v", err)
	}
	defer db.Close()
	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "2"}, // FULL
		{"busy_timeout", "10000"},
	}
	for _, tt := range tests {
		var got string
		if err := db.SQL().QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s: %v", tt.pragma, err)
		}
		if got != tt.want {
			t.Errorf("PRAGMA %s = %s, want %s", tt.pragma, got, tt.want)
		}
	}
}

func TestSchemaVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "comuna.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := sqlite.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if v, err := db.SchemaVersion(ctx); err != nil || v != len(ms) {
		t.Errorf("SchemaVersion() = %d, %v; want %d", v, err, len(ms))
	}
	storetest.Seed(t, db)
	db.Close()

	// Reopening keeps the data and applies nothing twice.
	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(again) = %v", err)
	}
	if sum, err := db.TerritorySummary(ctx, 0); err != nil || sum.Census != 2000 {
		t.Errorf("after reopening TerritorySummary() = %+v, %v; want census 2000", sum, err)
	}
	// A database from a newer binary is refused.
	if _, err := db.SQL().ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied) VALUES (?, 'future', 0)", len(ms)+1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = sqlite.Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "upgrade comuna") {
		t.Errorf("Open(newer schema) = %v, want a refusal asking to upgrade", err)
	}
}

func TestOpenUnwritable(t *testing.T) {
	_, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "missing", "dir", "comuna.db"))
	if err == nil {
		t.Errorf("Open(path in a missing directory) = nil error, want one")
	}
}

// BenchmarkNational loads the national data set; run it with
//
//	go test -run '^$' -bench National -benchtime 1x ./internal/sqlite/
func BenchmarkNational(b *testing.B) {
	storetest.BenchmarkNational(b, func(b *testing.B) *sqlstore.DB { return storetest.SQLite(b) })
}

// BenchmarkCheckIn measures the poll book's hot path; run it with
//
//	go test -run '^$' -bench CheckIn -benchtime 20000x ./internal/sqlite/
func BenchmarkCheckIn(b *testing.B) {
	storetest.BenchmarkCheckIn(b, func(b *testing.B) *sqlstore.DB { return storetest.SQLite(b) })
}

// BenchmarkSubmitEntry measures accepted tally sheets per second, each
// logged in the transparency log; run it with
//
//	go test -run '^$' -bench SubmitEntry -benchtime 4000x ./internal/sqlite/
func BenchmarkSubmitEntry(b *testing.B) {
	storetest.BenchmarkSubmitEntry(b, func(b *testing.B) *sqlstore.DB { return storetest.SQLite(b) })
}

// BenchmarkDecisionSearch searches a register of 200,000 decisions; run
// it with go test -run '^$' -bench DecisionSearch ./internal/sqlite/.
func BenchmarkDecisionSearch(b *testing.B) {
	storetest.BenchmarkDecisionSearch(b, storetest.SQLite(b))
}
