// Package blob stores files by the SHA-256 of their content: evidence of
// funded projects (photos, receipts, certificates). A file's name is its
// hash, so a stored file cannot be swapped for another without its name,
// logged in the transparency log, changing too. Dir keeps them in a local
// directory; an S3-compatible object store is the way to scale out, behind
// the same interface.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/comuna/comuna/internal/comuna"
)

// Store keeps files by content.
type Store interface {
	// Put stores data under key (the hex SHA-256 of data, or a name
	// derived from one, such as its thumbnail's). Storing the same key
	// twice is not an error.
	Put(ctx context.Context, key string, data []byte) error
	// Get returns what Put stored; ENotFound if nothing was.
	Get(ctx context.Context, key string) ([]byte, error)
}

// Sum is the key of data: its SHA-256 in hex.
func Sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// Dir is a Store in a local directory: KEY is kept as DIR/KE/KEY.
type Dir string

// validKey accepts hex SHA-256 keys with an optional ".suffix" of letters.
func validKey(key string) bool {
	if len(key) < 64 {
		return false
	}
	for i, c := range key {
		switch {
		case i < 64 && (c >= '0' && c <= '9' || c >= 'a' && c <= 'f'):
		case i == 64 && c == '.':
		case i > 64 && c >= 'a' && c <= 'z':
		default:
			return false
		}
	}
	return len(key) == 64 || len(key) > 65
}

func (d Dir) path(key string) string { return filepath.Join(string(d), key[:2], key) }

// Put implements Store, writing through a temporary file so a crash never
// leaves half a file under its name.
func (d Dir) Put(ctx context.Context, key string, data []byte) error {
	if !validKey(key) {
		return comuna.Errorf(comuna.EInvalid, "%q is not a content key", key)
	}
	name := d.path(key)
	if _, err := os.Stat(name); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".put-*")
	if err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("blob: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("blob: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	return nil
}

// Get implements Store.
func (d Dir) Get(ctx context.Context, key string) ([]byte, error) {
	if !validKey(key) {
		return nil, comuna.Errorf(comuna.ENotFound, "no file %q", key)
	}
	data, err := os.ReadFile(d.path(key))
	if errors.Is(err, os.ErrNotExist) {
		return nil, comuna.Errorf(comuna.ENotFound, "no file %q", key)
	}
	if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	return data, nil
}
