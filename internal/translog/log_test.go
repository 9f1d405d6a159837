package translog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const testOrigin = "comuna.example/round/7"

// testLog is a log in memory with its keys, and a Source serving it the way
// the web layer will.
type testLog struct {
	*Log
	mem    *MemStorage
	keys   Keys
	signer note.Signer
}

func newTestLog(t testing.TB) *testLog {
	t.Helper()
	mem := &MemStorage{}
	l, err := New(testOrigin, mem)
	if err != nil {
		t.Fatal(err)
	}
	tl := &testLog{Log: l, mem: mem}
	tl.rotate(t)
	return tl
}

func (tl *testLog) rotate(t testing.TB) {
	t.Helper()
	if err := tl.keys.Rotate("comuna.example"); err != nil {
		t.Fatal(err)
	}
	s, err := tl.keys.NewSigner()
	if err != nil {
		t.Fatal(err)
	}
	tl.signer = s
}

// record returns the i'th test record of a log, varied by salt.
func record(i int, salt string) []byte {
	r, err := EncodeRecord("tally-sheet", fmt.Appendf(nil, "table=%d salt=%s votes=%d,%d,%d\n", i, salt, i%7, i%11, i%13))
	if err != nil {
		panic(err)
	}
	return r
}

// fill appends records [from, to) in batches of the given size.
func (tl *testLog) fill(t testing.TB, from, to, batch int, salt string) {
	t.Helper()
	ctx := context.Background()
	for i := from; i < to; i += batch {
		var recs [][]byte
		for j := i; j < min(i+batch, to); j++ {
			recs = append(recs, record(j, salt))
		}
		first, err := tl.Append(ctx, recs...)
		if err != nil {
			t.Fatal(err)
		}
		if first != int64(i) {
			t.Fatalf("Append at %d returned first index %d", i, first)
		}
	}
}

// Source implementation serving the log as the web layer would.
func (tl *testLog) Checkpoint(ctx context.Context) ([]byte, error) {
	return tl.Log.Checkpoint(ctx, tl.signer)
}

func (tl *testLog) Tile(ctx context.Context, path string) ([]byte, error) {
	return tl.Log.Tile(ctx, path)
}

func TestAppendBatchesGiveTheSameTree(t *testing.T) {
	ctx := context.Background()
	var want tlog.Hash
	for i, batch := range []int{1, 3, 256, 1000} {
		tl := newTestLog(t)
		tl.fill(t, 0, 1000, batch, "")
		got, err := tl.TreeHash(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			want = got
		} else if got != want {
			t.Errorf("tree hash after batches of %d = %v, want %v (batches of 1)", batch, got, want)
		}
	}
}

func TestAppendConflict(t *testing.T) {
	ctx := context.Background()
	tl := newTestLog(t)
	tl.fill(t, 0, 5, 5, "")
	err := tl.mem.Append(ctx, 3, [][]byte{[]byte("x")}, []tlog.Hash{{}})
	if comuna.ErrorCode(err) != comuna.EConflict {
		t.Errorf("Append at a stale size: error %v, want code %s", err, comuna.EConflict)
	}
	if _, err := tl.Append(ctx); comuna.ErrorCode(err) != comuna.EInvalid {
		t.Errorf("Append() with no records: error %v, want code %s", err, comuna.EInvalid)
	}
}

func TestCheckpointVerifies(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{0, 1, 2, 7, 255, 256, 257, 1000} {
		tl := newTestLog(t)
		tl.fill(t, 0, n, 50, "")
		msg, err := tl.Log.Checkpoint(ctx, tl.signer)
		if err != nil {
			t.Fatal(err)
		}
		c, err := OpenCheckpoint(msg, tl.keys.Verifiers)
		if err != nil {
			t.Fatalf("n=%d: OpenCheckpoint: %v", n, err)
		}
		h, _ := tl.TreeHash(ctx, int64(n))
		if c.Origin != testOrigin || c.Tree.N != int64(n) || c.Tree.Hash != h {
			t.Errorf("n=%d: checkpoint = %q %d %v, want %q %d %v", n, c.Origin, c.Tree.N, c.Tree.Hash, testOrigin, n, h)
		}
		if !bytes.HasPrefix(msg, []byte(testOrigin+"\n"+fmt.Sprint(n)+"\n")) {
			t.Errorf("n=%d: checkpoint text = %q, want it to open with the origin and size", n, msg)
		}
	}
}

func TestKeyRotation(t *testing.T) {
	ctx := context.Background()
	tl := newTestLog(t)
	tl.fill(t, 0, 10, 10, "")
	old, _ := tl.Log.Checkpoint(ctx, tl.signer)
	tl.rotate(t)
	tl.fill(t, 10, 20, 10, "")
	cur, _ := tl.Log.Checkpoint(ctx, tl.signer)

	for _, msg := range [][]byte{old, cur} {
		if _, err := OpenCheckpoint(msg, tl.keys.Verifiers); err != nil {
			t.Errorf("OpenCheckpoint with every published key: %v", err)
		}
	}
	if _, err := OpenCheckpoint(cur, tl.keys.Verifiers[:1]); comuna.ErrorCode(err) != comuna.EInvalid {
		t.Errorf("OpenCheckpoint(new checkpoint, only the old key): error %v, want code %s", err, comuna.EInvalid)
	}
	prev, _ := OpenCheckpoint(old, tl.keys.Verifiers)
	if _, _, err := Verify(ctx, tl, tl.keys.Verifiers, prev); err != nil {
		t.Errorf("Verify across a key rotation: %v", err)
	}
	// A checkpoint whose text was changed after signing fails.
	forged := bytes.Replace(cur, []byte("\n20\n"), []byte("\n19\n"), 1)
	if _, err := OpenCheckpoint(forged, tl.keys.Verifiers); comuna.ErrorCode(err) != comuna.EInvalid {
		t.Errorf("OpenCheckpoint(edited text): error %v, want code %s", err, comuna.EInvalid)
	}
}

func TestParseVerifierKeys(t *testing.T) {
	_, vkey, err := GenerateKey("comuna.example")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := ParseVerifierKeys([]byte("# round 7\n\n" + vkey + "\n"))
	if err != nil || len(keys) != 1 || keys[0] != vkey {
		t.Errorf("ParseVerifierKeys = %q, %v; want [%q]", keys, err, vkey)
	}
	_, err = ParseVerifierKeys([]byte(vkey + "\nnot-a-key\n"))
	var e *comuna.Error
	if !errors.As(err, &e) || e.Line != 2 {
		t.Errorf("ParseVerifierKeys with a bad second line: error %v, want one naming line 2", err)
	}
}

func TestProofs(t *testing.T) {
	ctx := context.Background()
	tl := newTestLog(t)
	tl.fill(t, 0, 300, 37, "")
	for _, size := range []int64{1, 2, 5, 64, 256, 257, 300} {
		th, err := tl.TreeHash(ctx, size)
		if err != nil {
			t.Fatal(err)
		}
		for n := int64(0); n < size; n += 1 + n/3 {
			p, err := tl.ProveRecord(ctx, n, size)
			if err != nil {
				t.Fatalf("ProveRecord(%d, %d): %v", n, size, err)
			}
			if err := tlog.CheckRecord(p, size, th, n, tlog.RecordHash(record(int(n), ""))); err != nil {
				t.Errorf("CheckRecord(%d in %d): %v", n, size, err)
			}
			if err := tlog.CheckRecord(p, size, th, n, tlog.RecordHash(record(int(n), "other"))); err == nil {
				t.Errorf("CheckRecord(another record at %d in %d) passed", n, size)
			}
		}
		for old := int64(1); old <= size; old += 1 + old/2 {
			p, err := tl.ProveTree(ctx, size, old)
			if err != nil {
				t.Fatalf("ProveTree(%d, %d): %v", size, old, err)
			}
			oh, _ := tl.TreeHash(ctx, old)
			if err := tlog.CheckTree(p, size, th, old, oh); err != nil {
				t.Errorf("CheckTree(%d -> %d): %v", old, size, err)
			}
		}
	}
	if _, err := tl.ProveRecord(ctx, 5, 301); comuna.ErrorCode(err) != comuna.ENotFound {
		t.Errorf("ProveRecord beyond the log: error %v, want code %s", err, comuna.ENotFound)
	}
	if _, err := tl.ProveTree(ctx, 10, 0); comuna.ErrorCode(err) != comuna.EInvalid {
		t.Errorf("ProveTree from 0: error %v, want code %s", err, comuna.EInvalid)
	}
}

func TestTiles(t *testing.T) {
	ctx := context.Background()
	tl := newTestLog(t)
	const n = 256*256 + 300 // three levels of tiles
	tl.fill(t, 0, n, 4096, "")
	for _, tile := range tlog.NewTiles(TileHeight, 0, n) {
		data, err := tl.Tile(ctx, tile.Path())
		if err != nil {
			t.Fatalf("Tile(%s): %v", tile.Path(), err)
		}
		parsed, err := tlog.ParseTilePath(tile.Path())
		if err != nil || parsed != tile {
			t.Fatalf("ParseTilePath(%s) = %v, %v; want %v", tile.Path(), parsed, err, tile)
		}
		for _, i := range []int{0, tile.W - 1} {
			idx := tlog.StoredHashIndex(TileHeight*tile.L, tile.N<<TileHeight+int64(i))
			got, err := tlog.HashFromTile(tile, data, idx)
			want, _ := tl.mem.ReadHashes(ctx, []int64{idx})
			if err != nil || got != want[0] {
				t.Errorf("HashFromTile(%s, %d) = %v, %v; want %v", tile.Path(), idx, got, err, want[0])
			}
		}
	}
	for _, p := range []string{"tile/8/0/257", "tile/8/0/257.p/45", "tile/8/2/000", "tile/8/data/000", "tile/4/0/000", "tile/8/0/x999/x999/x999/x999/x999/x999/x999/000", "nonsense"} {
		if _, err := tl.Tile(ctx, p); comuna.ErrorCode(err) != comuna.ENotFound {
			t.Errorf("Tile(%q): error %v, want code %s", p, err, comuna.ENotFound)
		}
	}
}
