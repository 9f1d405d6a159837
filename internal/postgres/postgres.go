// Package postgres is Comuna's production storage backend.
package postgres

import (
	"context"
	"errors"

	"github.com/comuna/comuna/internal/comuna"
)

// Open connects to the PostgreSQL database at url and applies its
// migrations.
func Open(ctx context.Context, url string) (comuna.Store, error) {
	return nil, errors.New("postgres backend: not built yet")
}
