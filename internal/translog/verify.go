package translog

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/comuna/comuna/internal/comuna"
	"golang.org/x/mod/sumdb/tlog"
)

// Problem names what a verification found wrong.
type Problem string

// Problems Verify reports.
const (
	ProblemSignature Problem = "signature" // checkpoint malformed or not signed by a published key
	ProblemOrigin    Problem = "origin"    // checkpoint names another log than the one seen before
	ProblemRollback  Problem = "rollback"  // the log is shorter than when last seen
	ProblemFork      Problem = "fork"      // the log's history differs from what was seen before
	ProblemTiles     Problem = "tiles"     // the hashes served do not add up to the signed tree
	ProblemRecords   Problem = "records"   // records missing or not matching their leaf hash
)

// VerifyError is a failed verification: what is wrong and, for
// ProblemRecords, the indexes of every record at fault, so the caller can
// name the tally sheets. It unwraps to a *comuna.Error (EConflict, or
// EInvalid for a bad signature).
type VerifyError struct {
	Problem Problem
	Records []int64 // for ProblemRecords, ascending
	Err     *comuna.Error
}

// Error implements the error interface.
func (e *VerifyError) Error() string { return "log verification failed: " + e.Err.Error() }

// Unwrap returns the coded error.
func (e *VerifyError) Unwrap() error { return e.Err }

func verifyErr(p Problem, format string, args ...any) *VerifyError {
	code := comuna.EConflict
	if p == ProblemSignature {
		code = comuna.EInvalid
	}
	return &VerifyError{Problem: p, Err: comuna.Errorf(code, format, args...)}
}

// maxRecords bounds the size of a log a verifier will read, so that a
// checkpoint cannot make it allocate without limit.
const maxRecords = 1 << 28

// Verify reads the whole log from src and checks it: the checkpoint is
// signed by one of vkeys; the tiles hash up to the signed tree; every record
// hashes (tlog.RecordHash) to its leaf; and, if prev (the checkpoint seen
// last time, or nil) is given, the log has the same name and only grew
// from it (a tlog consistency proof computed from the tiles). It returns
// the new checkpoint and all records in order. Any failure of the log is a
// *VerifyError; failures to read src are returned as they are.
func Verify(ctx context.Context, src Source, vkeys []string, prev *Checkpoint) (*Checkpoint, [][]byte, error) {
	msg, err := src.Checkpoint(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("verify: %w", err)
	}
	c, err := OpenCheckpoint(msg, vkeys)
	if err != nil {
		return nil, nil, verifyErr(ProblemSignature, "%s", comuna.ErrorMessage(err))
	}
	n := c.Tree.N
	if n > maxRecords {
		return nil, nil, verifyErr(ProblemTiles, "the checkpoint claims %d records, more than a verifier reads (%d)", n, maxRecords)
	}
	if prev != nil {
		switch {
		case prev.Origin != c.Origin:
			return nil, nil, verifyErr(ProblemOrigin, "the checkpoint names log %q, but %q was seen before", c.Origin, prev.Origin)
		case n < prev.Tree.N:
			return nil, nil, verifyErr(ProblemRollback, "the log has %d records, but %d were seen before", n, prev.Tree.N)
		}
	}

	tr := &tileReader{src: src, ctx: ctx, data: map[tlog.Tile][]byte{}}
	tiles := tlog.NewTiles(TileHeight, 0, n)
	if err := tr.fetch(tiles); err != nil {
		return nil, nil, err
	}
	hr := tlog.TileHashReader(c.Tree, tr)
	leafIdx := make([]int64, n)
	for i := range leafIdx {
		leafIdx[i] = tlog.StoredHashIndex(0, int64(i))
	}
	var leaves []tlog.Hash
	if n > 0 {
		leaves, err = hr.ReadHashes(leafIdx)
	}
	if err != nil {
		return nil, nil, verifyErr(ProblemTiles, "the tiles do not match the signed tree of %d records: %v", n, err)
	}

	if prev != nil && prev.Tree.N > 0 {
		if err := checkConsistent(c, prev, hr); err != nil {
			return nil, nil, err
		}
	}

	records := make([][]byte, n)
	var mu sync.Mutex
	var bad []int64
	err = FetchAll(ctx, int(n), func(i int) error {
		r, err := src.Record(ctx, int64(i))
		if comuna.ErrorCode(err) == comuna.ENotFound || err == nil && tlog.RecordHash(r) != leaves[i] {
			mu.Lock()
			bad = append(bad, int64(i))
			mu.Unlock()
			return nil
		}
		records[i] = r
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("verify: %w", err)
	}
	if len(bad) > 0 {
		sort.Slice(bad, func(i, j int) bool { return bad[i] < bad[j] })
		e := verifyErr(ProblemRecords, "%s not match the signed log", describeIndexes(bad))
		e.Records = bad
		return nil, nil, e
	}
	return c, records, nil
}

// checkConsistent checks that prev's tree is a prefix of c's, using hashes
// already authenticated against c.
func checkConsistent(c, prev *Checkpoint, hr tlog.HashReader) error {
	if prev.Tree.N == c.Tree.N {
		if prev.Tree.Hash != c.Tree.Hash {
			return verifyErr(ProblemFork, "the log of %d records has a different tree hash than when seen before: its history was rewritten", c.Tree.N)
		}
		return nil
	}
	proof, err := tlog.ProveTree(c.Tree.N, prev.Tree.N, hr)
	if err == nil {
		err = tlog.CheckTree(proof, c.Tree.N, c.Tree.Hash, prev.Tree.N, prev.Tree.Hash)
	}
	if err != nil {
		return verifyErr(ProblemFork, "the log of %d records does not extend the %d seen before: its history was rewritten", c.Tree.N, prev.Tree.N)
	}
	return nil
}

// tileReader is a tlog.TileReader over tiles fetched from a Source.
type tileReader struct {
	src  Source
	ctx  context.Context
	mu   sync.Mutex
	data map[tlog.Tile][]byte
}

func (r *tileReader) Height() int { return TileHeight }

// fetch downloads tiles into r.data.
func (r *tileReader) fetch(tiles []tlog.Tile) error {
	return FetchAll(r.ctx, len(tiles), func(i int) error {
		t := tiles[i]
		d, err := r.src.Tile(r.ctx, t.Path())
		if err != nil {
			if comuna.ErrorCode(err) == comuna.ENotFound {
				return verifyErr(ProblemTiles, "tile %s is missing", t.Path())
			}
			return fmt.Errorf("verify: %w", err)
		}
		if len(d) != t.W*tlog.HashSize {
			return verifyErr(ProblemTiles, "tile %s has %d bytes, not %d", t.Path(), len(d), t.W*tlog.HashSize)
		}
		r.mu.Lock()
		r.data[t] = d
		r.mu.Unlock()
		return nil
	})
}

func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	var missing []tlog.Tile
	for _, t := range tiles {
		if r.data[t] == nil {
			missing = append(missing, t)
		}
	}
	if err := r.fetch(missing); err != nil {
		return nil, err
	}
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		out[i] = r.data[t]
	}
	return out, nil
}

func (r *tileReader) SaveTiles([]tlog.Tile, [][]byte) {}

// describeIndexes says "record 7 does" or "records 3, 9 and 12 do",
// listing at most 20.
func describeIndexes(idx []int64) string {
	if len(idx) == 1 {
		return "record " + strconv.FormatInt(idx[0], 10) + " does"
	}
	var s []string
	for i, x := range idx {
		if i == 20 {
			s = append(s, fmt.Sprintf("%d more", len(idx)-20))
			break
		}
		s = append(s, strconv.FormatInt(x, 10))
	}
	return "records " + strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1] + " do"
}
