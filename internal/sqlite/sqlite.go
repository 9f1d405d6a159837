// Package sqlite is Comuna's embedded storage backend.
package sqlite

import (
	"context"
	"errors"

	"github.com/comuna/comuna/internal/comuna"
)

// Open opens (creating if needed) the SQLite database at path and applies
// its migrations.
func Open(ctx context.Context, path string) (comuna.Store, error) {
	return nil, errors.New("sqlite backend: not built yet")
}
