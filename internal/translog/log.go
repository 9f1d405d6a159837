// Package translog keeps Comuna's transparency log: an append-only Merkle
// tree of canonical records (accepted tally sheets, corrections, published
// ballots, phase changes) with signed checkpoints, in the design of
// Certificate Transparency and Go's checksum database. The tree, proofs and
// tiles come from golang.org/x/mod/sumdb/tlog and the signed checkpoints
// from golang.org/x/mod/sumdb/note.
//
// The write side is Log over a Storage that the database backends implement
// inside their transactions. The read side, Verify and Mirror, needs no
// database: it reads a Source (HTTP or a directory) and checks that every
// record is in the signed tree and that the tree only ever grew.
package translog

import (
	"context"
	"fmt"

	"github.com/comuna/comuna/internal/comuna"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// TileHeight is the height of the tiles a Log serves, as in Go's checksum
// database: a full tile holds 256 hashes.
const TileHeight = 8

// Log is a transparency log named origin over a Storage. It keeps no state
// of its own, so building one per transaction is cheap.
type Log struct {
	origin string
	s      Storage
}

// New returns the log named origin (e.g. "comuna.example/round/7") kept in
// s. The origin is the first line of every checkpoint.
func New(origin string, s Storage) (*Log, error) {
	if err := checkOrigin(origin); err != nil {
		return nil, err
	}
	return &Log{origin: origin, s: s}, nil
}

// Origin returns the log's name.
func (l *Log) Origin() string { return l.origin }

// Size returns the number of records in the log.
func (l *Log) Size(ctx context.Context) (int64, error) { return l.s.Size(ctx) }

// Append adds records to the end of the log in one Storage.Append and
// returns the index of the first. Records are stored as given: callers pass
// canonical bytes (see EncodeRecord) so the same data always hashes the
// same.
func (l *Log) Append(ctx context.Context, records ...[]byte) (first int64, err error) {
	if len(records) == 0 {
		return 0, comuna.Errorf(comuna.EInvalid, "nothing to append")
	}
	for i, r := range records {
		if len(r) > MaxRecordSize+1024 {
			return 0, comuna.Errorf(comuna.EInvalid, "record %d is %d bytes, over the limit", i, len(r))
		}
	}
	start, err := l.s.Size(ctx)
	if err != nil {
		return 0, fmt.Errorf("translog append: %w", err)
	}
	r := &appendReader{ctx: ctx, s: l.s, base: tlog.StoredHashCount(start), cache: map[int64]tlog.Hash{}}
	if err := r.prefetch(start); err != nil {
		return 0, fmt.Errorf("translog append: %w", err)
	}
	for i, rec := range records {
		h, err := tlog.StoredHashes(start+int64(i), rec, r)
		if err != nil {
			return 0, fmt.Errorf("translog append: %w", err)
		}
		r.pending = append(r.pending, h...)
	}
	if err := l.s.Append(ctx, start, records, r.pending); err != nil {
		return 0, fmt.Errorf("translog append: %w", err)
	}
	return start, nil
}

// TreeHash returns the hash of the tree of the log's first n records.
func (l *Log) TreeHash(ctx context.Context, n int64) (tlog.Hash, error) {
	if err := l.checkSize(ctx, n); err != nil {
		return tlog.Hash{}, err
	}
	return tlog.TreeHash(n, l.reader(ctx))
}

// Checkpoint returns the current tree as a checkpoint note signed by
// signer, ready to publish at /log/checkpoint.
func (l *Log) Checkpoint(ctx context.Context, signer note.Signer) ([]byte, error) {
	n, err := l.s.Size(ctx)
	if err != nil {
		return nil, fmt.Errorf("translog checkpoint: %w", err)
	}
	h, err := tlog.TreeHash(n, l.reader(ctx))
	if err != nil {
		return nil, fmt.Errorf("translog checkpoint: %w", err)
	}
	text, err := FormatCheckpoint(l.origin, tlog.Tree{N: n, Hash: h})
	if err != nil {
		return nil, err
	}
	msg, err := note.Sign(&note.Note{Text: string(text)}, signer)
	if err != nil {
		return nil, fmt.Errorf("translog checkpoint: %w", err)
	}
	return msg, nil
}

// Record returns record n; ENotFound if the log is shorter.
func (l *Log) Record(ctx context.Context, n int64) ([]byte, error) {
	return l.s.Record(ctx, n)
}

// ProveRecord returns the proof that record n is in the tree of the first
// treeSize records, to check with tlog.CheckRecord.
func (l *Log) ProveRecord(ctx context.Context, n, treeSize int64) (tlog.RecordProof, error) {
	if n < 0 || n >= treeSize {
		return nil, comuna.Errorf(comuna.EInvalid, "record %d is not in a tree of %d records", n, treeSize)
	}
	if err := l.checkSize(ctx, treeSize); err != nil {
		return nil, err
	}
	return tlog.ProveRecord(treeSize, n, l.reader(ctx))
}

// ProveTree returns the proof that the tree of the first oldSize records is
// a prefix of the tree of the first newSize, to check with tlog.CheckTree.
func (l *Log) ProveTree(ctx context.Context, newSize, oldSize int64) (tlog.TreeProof, error) {
	if oldSize < 1 || oldSize > newSize {
		return nil, comuna.Errorf(comuna.EInvalid, "no proof from %d to %d records", oldSize, newSize)
	}
	if err := l.checkSize(ctx, newSize); err != nil {
		return nil, err
	}
	return tlog.ProveTree(newSize, oldSize, l.reader(ctx))
}

// Tile returns the data of the hash tile at tilePath (tlog's Tile.Path,
// e.g. "tile/8/0/001.p/5"), to serve at /log/<tilePath>. Only height-8 hash
// tiles within the current tree exist; others are ENotFound.
func (l *Log) Tile(ctx context.Context, tilePath string) ([]byte, error) {
	t, err := tlog.ParseTilePath(tilePath)
	if err != nil || t.H != TileHeight || t.L < 0 || t.L > 7 {
		return nil, comuna.Errorf(comuna.ENotFound, "no tile %q", tilePath)
	}
	size, err := l.s.Size(ctx)
	if err != nil {
		return nil, fmt.Errorf("translog tile: %w", err)
	}
	hashes := size >> (TileHeight * t.L) // hashes at the tile's level
	if t.N > hashes>>TileHeight || t.N<<TileHeight+int64(t.W) > hashes {
		return nil, comuna.Errorf(comuna.ENotFound, "tile %q is beyond the log's %d records", tilePath, size)
	}
	return tlog.ReadTileData(t, l.reader(ctx))
}

func (l *Log) checkSize(ctx context.Context, n int64) error {
	size, err := l.s.Size(ctx)
	if err != nil {
		return err
	}
	if n < 0 || n > size {
		return comuna.Errorf(comuna.ENotFound, "the log has %d records, not %d", size, n)
	}
	return nil
}

func (l *Log) reader(ctx context.Context) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return l.s.ReadHashes(ctx, indexes)
	})
}

// appendReader serves the hashes StoredHashes asks for during a batch
// append: those of the batch from pending, older ones from storage, fetched
// once.
type appendReader struct {
	ctx     context.Context
	s       Storage
	base    int64 // storage index of pending[0]
	pending []tlog.Hash
	cache   map[int64]tlog.Hash
}

// prefetch reads the roots of the complete subtrees of the first n records
// in one call: they are the only old hashes that appending can need.
func (r *appendReader) prefetch(n int64) error {
	var idx []int64
	var lo int64
	for level := 62; level >= 0; level-- {
		if n&(1<<level) != 0 {
			idx = append(idx, tlog.StoredHashIndex(level, lo>>level))
			lo += 1 << level
		}
	}
	_, err := r.ReadHashes(idx)
	return err
}

func (r *appendReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	var miss []int64
	for _, x := range indexes {
		if _, ok := r.cache[x]; !ok && x < r.base {
			miss = append(miss, x)
		}
	}
	if len(miss) > 0 {
		hs, err := r.s.ReadHashes(r.ctx, miss)
		if err != nil {
			return nil, err
		}
		if len(hs) != len(miss) {
			return nil, fmt.Errorf("storage returned %d hashes for %d indexes", len(hs), len(miss))
		}
		for i, x := range miss {
			r.cache[x] = hs[i]
		}
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x >= r.base {
			if x-r.base >= int64(len(r.pending)) {
				return nil, fmt.Errorf("stored hash %d is not written yet", x)
			}
			out[i] = r.pending[x-r.base]
		} else {
			out[i] = r.cache[x]
		}
	}
	return out, nil
}
