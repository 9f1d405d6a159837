package translog

import (
	"context"
	"sync"

	"github.com/comuna/comuna/internal/comuna"
	"golang.org/x/mod/sumdb/tlog"
)

// Storage keeps one log's records and tlog stored hashes. The database
// backends implement it on top of a transaction, so that a record and the
// thing it records (a tally sheet, a phase change) commit or roll back
// together: open the transaction, write the sheet, build a Log over a
// Storage bound to that transaction, Append, commit.
//
// Records and hashes are append-only: an implementation never changes or
// deletes one once written.
type Storage interface {
	// Size returns the number of records in the log. A backend that lets
	// concurrent transactions append should lock the log here (SELECT …
	// FOR UPDATE) or rely on Append's conflict check.
	Size(ctx context.Context) (int64, error)

	// ReadHashes returns the stored hashes at the given storage indexes
	// (tlog.StoredHashIndex numbering), in the order asked. An index not
	// yet stored is an error.
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)

	// Record returns the bytes of record n; ENotFound if n is not in the
	// log.
	Record(ctx context.Context, n int64) ([]byte, error)

	// Append stores records at indexes start, start+1, … and hashes at
	// storage indexes tlog.StoredHashCount(start), … , all or nothing. It
	// returns an EConflict error, storing nothing, if the log does not hold
	// exactly start records, so two writers can never both claim an index
	// (a primary key on the record index gives this for free).
	Append(ctx context.Context, start int64, records [][]byte, hashes []tlog.Hash) error
}

// MemStorage is a Storage in memory, safe for concurrent use. Tests use it,
// and so can a verifier that rebuilds a log it downloaded.
type MemStorage struct {
	mu      sync.RWMutex
	records [][]byte
	hashes  []tlog.Hash
}

// Size implements Storage.
func (m *MemStorage) Size(ctx context.Context) (int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return int64(len(m.records)), nil
}

// ReadHashes implements Storage.
func (m *MemStorage) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m.hashes)) {
			return nil, comuna.Errorf(comuna.ENotFound, "stored hash %d is not in the log", x)
		}
		out[i] = m.hashes[x]
	}
	return out, nil
}

// Record implements Storage. The returned slice is a copy.
func (m *MemStorage) Record(ctx context.Context, n int64) ([]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if n < 0 || n >= int64(len(m.records)) {
		return nil, comuna.Errorf(comuna.ENotFound, "record %d is not in the log", n)
	}
	return append([]byte(nil), m.records[n]...), nil
}

// Append implements Storage. It copies the records.
func (m *MemStorage) Append(ctx context.Context, start int64, records [][]byte, hashes []tlog.Hash) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if start != int64(len(m.records)) {
		return comuna.Errorf(comuna.EConflict, "the log holds %d records, not %d", len(m.records), start)
	}
	end := start + int64(len(records))
	if want := tlog.StoredHashCount(end) - tlog.StoredHashCount(start); int64(len(hashes)) != want {
		return comuna.Errorf(comuna.EInternal, "appending %d records needs %d stored hashes, got %d", len(records), want, len(hashes))
	}
	for _, r := range records {
		m.records = append(m.records, append([]byte(nil), r...))
	}
	m.hashes = append(m.hashes, hashes...)
	return nil
}
