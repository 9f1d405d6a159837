package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/comuna/comuna/internal/postgres"
	"github.com/comuna/comuna/internal/sqlite"
	"github.com/comuna/comuna/internal/sqlstore"
)

// defaultDB is the SQLite file used when neither --db nor COMUNA_DB is set.
const defaultDB = "comuna.db"

// dbFlag registers the --db flag shared by every command that opens the
// store. Its default comes from COMUNA_DB.
func dbFlag(fs *flag.FlagSet, env *Env) *string {
	def := env.getenv("COMUNA_DB")
	if def == "" {
		def = defaultDB
	}
	return fs.String("db", def, "database: a SQLite file path, or a postgres:// URL (env COMUNA_DB)")
}

// openStore opens the database named by dsn: a postgres:// or
// postgresql:// URL selects PostgreSQL, anything else is a SQLite file.
// Migrations are applied on open. Both backends return the one SQL store,
// which every use case takes as it is.
func openStore(ctx context.Context, dsn string) (*sqlstore.DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		return s, nil
	}
	s, err := sqlite.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
	}
	return s, nil
}
