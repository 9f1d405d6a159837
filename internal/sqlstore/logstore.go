package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
	"golang.org/x/mod/sumdb/tlog"
)

// logChunk bounds the rows of one multi-row INSERT or IN list of the log.
const logChunk = 400

// txLog is translog.Storage over one transaction, so that a record
// commits or rolls back with what it records. A writing txLog locks the
// log's state row the first time it reads the size (an UPDATE, which
// PostgreSQL row-locks until commit and SQLite's single writer serialises
// anyway), so concurrent appenders run one after the other.
type txLog struct {
	tx    *Tx
	write bool
	size  int64 // -1 until read
}

func newTxLog(tx *Tx, write bool) *txLog { return &txLog{tx: tx, write: write, size: -1} }

// Size implements translog.Storage.
func (s *txLog) Size(ctx context.Context) (int64, error) {
	if s.size >= 0 {
		return s.size, nil
	}
	q := "SELECT size FROM log_state WHERE id = 1"
	if s.write {
		q = "UPDATE log_state SET size = size WHERE id = 1 RETURNING size"
	}
	if err := s.tx.get(ctx, q, nil, &s.size); err != nil {
		s.size = -1
		return 0, err
	}
	return s.size, nil
}

// ReadHashes implements translog.Storage.
func (s *txLog) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	found := make(map[int64]tlog.Hash, len(indexes))
	for lo := 0; lo < len(indexes); lo += logChunk {
		part := indexes[lo:min(lo+logChunk, len(indexes))]
		args := make([]any, len(part))
		for i, x := range part {
			args[i] = x
		}
		rows, err := s.tx.query(ctx, "SELECT idx, hash FROM log_hashes WHERE idx IN ("+
			strings.TrimSuffix(strings.Repeat("?, ", len(part)), ", ")+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var x int64
			var h []byte
			if err := rows.Scan(&x, &h); err != nil {
				rows.Close()
				return nil, err
			}
			if len(h) != tlog.HashSize {
				rows.Close()
				return nil, comuna.Errorf(comuna.EInternal, "stored hash %d has %d bytes", x, len(h))
			}
			found[x] = tlog.Hash(h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, s.tx.d.Err(err)
		}
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		h, ok := found[x]
		if !ok {
			return nil, comuna.Errorf(comuna.ENotFound, "stored hash %d is not in the log", x)
		}
		out[i] = h
	}
	return out, nil
}

// Record implements translog.Storage.
func (s *txLog) Record(ctx context.Context, n int64) ([]byte, error) {
	var data []byte
	err := s.tx.get(ctx, "SELECT data FROM log_records WHERE idx = ?", []any{n}, &data)
	if err == sql.ErrNoRows {
		return nil, comuna.Errorf(comuna.ENotFound, "record %d is not in the log", n)
	}
	return data, err
}

// Append implements translog.Storage.
func (s *txLog) Append(ctx context.Context, start int64, records [][]byte, hashes []tlog.Hash) error {
	size, err := s.Size(ctx)
	if err != nil {
		return err
	}
	if !s.write || start != size {
		return comuna.Errorf(comuna.EConflict, "the log holds %d records, not %d", size, start)
	}
	for lo := 0; lo < len(records); lo += logChunk {
		part := records[lo:min(lo+logChunk, len(records))]
		args := make([]any, 0, 2*len(part))
		for i, r := range part {
			args = append(args, start+int64(lo+i), r)
		}
		if _, err := s.tx.exec(ctx, "INSERT INTO log_records (idx, data) VALUES "+placeholders(2, len(part)), args...); err != nil {
			return err
		}
	}
	first := tlog.StoredHashCount(start)
	for lo := 0; lo < len(hashes); lo += logChunk {
		part := hashes[lo:min(lo+logChunk, len(hashes))]
		args := make([]any, 0, 2*len(part))
		for i, h := range part {
			args = append(args, first+int64(lo+i), h[:])
		}
		if _, err := s.tx.exec(ctx, "INSERT INTO log_hashes (idx, hash) VALUES "+placeholders(2, len(part)), args...); err != nil {
			return err
		}
	}
	end := start + int64(len(records))
	res, err := s.tx.exec(ctx, "UPDATE log_state SET size = ? WHERE id = 1 AND size = ?", end, start)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return comuna.Errorf(comuna.EConflict, "the log grew meanwhile")
	}
	s.size = end
	return nil
}
