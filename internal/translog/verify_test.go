package translog

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"golang.org/x/mod/sumdb/tlog"
)

// wantProblem checks that err is a *VerifyError with problem p.
func wantProblem(t *testing.T, what string, err error, p Problem) *VerifyError {
	t.Helper()
	var ve *VerifyError
	if !errors.As(err, &ve) || ve.Problem != p {
		t.Fatalf("%s: error %v, want a %q problem", what, err, p)
	}
	if comuna.ErrorCode(err) == comuna.EInternal {
		t.Errorf("%s: error has no domain code", what)
	}
	return ve
}

func TestVerify(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{0, 1, 255, 256, 1000} {
		tl := newTestLog(t)
		tl.fill(t, 0, n, 100, "")
		c, records, err := Verify(ctx, tl, tl.keys.Verifiers, nil)
		if err != nil {
			t.Fatalf("n=%d: Verify: %v", n, err)
		}
		if c.Tree.N != int64(n) || len(records) != n {
			t.Fatalf("n=%d: Verify = %d records, checkpoint of %d", n, len(records), c.Tree.N)
		}
		for i, r := range records {
			if !bytes.Equal(r, record(i, "")) {
				t.Fatalf("n=%d: record %d = %q, want %q", n, i, r, record(i, ""))
			}
		}
	}
}

func TestVerifyNamesTamperedRecords(t *testing.T) {
	ctx := context.Background()
	tl := newTestLog(t)
	tl.fill(t, 0, 600, 100, "")
	// An UPDATE behind the log's back: record 417's votes change.
	tl.mem.records[417] = bytes.Replace(tl.mem.records[417], []byte("votes="), []byte("votes=9"), 1)
	_, _, err := Verify(ctx, tl, tl.keys.Verifiers, nil)
	ve := wantProblem(t, "Verify after editing record 417", err, ProblemRecords)
	if !slices.Equal(ve.Records, []int64{417}) {
		t.Errorf("Verify named records %v, want [417]", ve.Records)
	}
	if !strings.Contains(err.Error(), "record 417 does not match") {
		t.Errorf("Verify error = %q, want it to name record 417", err)
	}

	// Record 3 is edited too and the last record cannot be found.
	tl.mem.records[3] = []byte("deleted")
	_, _, err = Verify(ctx, dropRecord{tl, 599}, tl.keys.Verifiers, nil)
	ve = wantProblem(t, "Verify after editing three records", err, ProblemRecords)
	if !slices.Equal(ve.Records, []int64{3, 417, 599}) {
		t.Errorf("Verify named records %v, want [3 417 599]", ve.Records)
	}
}

func TestVerifyDetectsEditedHashes(t *testing.T) {
	ctx := context.Background()
	tl := newTestLog(t)
	tl.fill(t, 0, 300, 100, "")
	c, _, err := Verify(ctx, tl, tl.keys.Verifiers, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The leaf hash of record 5 is also rewritten to match a new record:
	// the tiles no longer hash to the tree the log signs.
	tl.mem.records[5] = record(5, "forged")
	tl.mem.hashes[tlog.StoredHashIndex(0, 5)] = tlog.RecordHash(tl.mem.records[5])
	_, _, err = Verify(ctx, staleCheckpoint{tl, c.Note}, tl.keys.Verifiers, nil)
	wantProblem(t, "Verify with a rewritten leaf hash", err, ProblemTiles)
}

func TestVerifyDetectsForkAndRollback(t *testing.T) {
	ctx := context.Background()
	a := newTestLog(t)
	a.fill(t, 0, 500, 100, "")
	prev, _, err := Verify(ctx, a, a.keys.Verifiers, nil)
	if err != nil {
		t.Fatal(err)
	}

	// b has another history, signed with the same key.
	b := newTestLog(t)
	b.keys, b.signer = a.keys, a.signer
	b.fill(t, 0, 200, 100, "")
	b.fill(t, 200, 201, 1, "changed")
	b.fill(t, 201, 500, 100, "")
	_, _, err = Verify(ctx, b, a.keys.Verifiers, prev)
	wantProblem(t, "Verify of a fork of the same size", err, ProblemFork)

	b.fill(t, 500, 900, 100, "")
	_, _, err = Verify(ctx, b, a.keys.Verifiers, prev)
	wantProblem(t, "Verify of a longer fork", err, ProblemFork)

	a.fill(t, 500, 900, 100, "")
	if _, _, err := Verify(ctx, a, a.keys.Verifiers, prev); err != nil {
		t.Errorf("Verify of the grown log: %v", err)
	}

	short := newTestLog(t)
	short.keys, short.signer = a.keys, a.signer
	short.fill(t, 0, 499, 100, "")
	_, _, err = Verify(ctx, short, a.keys.Verifiers, prev)
	wantProblem(t, "Verify of a shorter log", err, ProblemRollback)

	other, _ := New("comuna.example/round/8", a.mem)
	_, _, err = Verify(ctx, &testLog{Log: other, mem: a.mem, keys: a.keys, signer: a.signer}, a.keys.Verifiers, prev)
	wantProblem(t, "Verify of another log", err, ProblemOrigin)

	stranger := newTestLog(t)
	_, _, err = Verify(ctx, a, stranger.keys.Verifiers, nil)
	wantProblem(t, "Verify with unknown keys", err, ProblemSignature)
}

func TestVerifySavedRemembersTheLog(t *testing.T) {
	ctx := context.Background()
	state := filepath.Join(t.TempDir(), "checkpoint")
	a := newTestLog(t)
	a.fill(t, 0, 300, 100, "")
	if _, _, err := VerifySaved(ctx, a, a.keys.Verifiers, state); err != nil {
		t.Fatalf("first VerifySaved: %v", err)
	}
	a.fill(t, 300, 400, 100, "")
	if _, _, err := VerifySaved(ctx, a, a.keys.Verifiers, state); err != nil {
		t.Fatalf("VerifySaved after growth: %v", err)
	}
	fork := newTestLog(t)
	fork.keys, fork.signer = a.keys, a.signer
	fork.fill(t, 0, 500, 100, "fork")
	_, _, err := VerifySaved(ctx, fork, a.keys.Verifiers, state)
	wantProblem(t, "VerifySaved of a fork", err, ProblemFork)
	// The failure did not overwrite what was seen.
	c, err := LoadCheckpoint(state, a.keys.Verifiers)
	if err != nil || c.Tree.N != 400 {
		t.Errorf("LoadCheckpoint after a failed run = %v, %v; want the 400-record checkpoint", c, err)
	}
	_, err = LoadCheckpoint(filepath.Join(t.TempDir(), "none"), a.keys.Verifiers)
	if comuna.ErrorCode(err) != comuna.ENotFound {
		t.Errorf("LoadCheckpoint(missing file): error %v, want code %s", err, comuna.ENotFound)
	}
}

// handler serves a log under /log/ as the web layer will.
func handler(tl *testLog) http.Handler {
	mux := http.NewServeMux()
	serve := func(get func(r *http.Request) ([]byte, error)) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			data, err := get(r)
			switch {
			case comuna.ErrorCode(err) == comuna.ENotFound:
				http.NotFound(w, r)
			case err != nil:
				http.Error(w, "internal error", http.StatusInternalServerError)
			default:
				w.Write(data)
			}
		}
	}
	mux.HandleFunc("GET /log/checkpoint", serve(func(r *http.Request) ([]byte, error) {
		return tl.Checkpoint(r.Context())
	}))
	mux.HandleFunc("GET /log/record/{n}", serve(func(r *http.Request) ([]byte, error) {
		n, err := strconv.ParseInt(r.PathValue("n"), 10, 64)
		if err != nil {
			return nil, comuna.Errorf(comuna.ENotFound, "no record %q", r.PathValue("n"))
		}
		return tl.Record(r.Context(), n)
	}))
	mux.HandleFunc("GET /log/tile/", serve(func(r *http.Request) ([]byte, error) {
		return tl.Tile(r.Context(), strings.TrimPrefix(r.URL.Path, "/log/"))
	}))
	return mux
}

func TestMirrorOverHTTPThenVerifyOffline(t *testing.T) {
	ctx := context.Background()
	tl := newTestLog(t)
	tl.fill(t, 0, 700, 100, "")
	srv := httptest.NewServer(handler(tl))
	defer srv.Close()
	src := &HTTPSource{Base: srv.URL + "/"}

	c, records, err := Verify(ctx, src, tl.keys.Verifiers, nil)
	if err != nil || c.Tree.N != 700 || len(records) != 700 {
		t.Fatalf("Verify over HTTP = %v, %d records, %v", c, len(records), err)
	}
	dir := t.TempDir()
	n, err := Mirror(ctx, src, dir)
	if err != nil || n != 700 {
		t.Fatalf("Mirror = %d, %v; want 700", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "tile", "8", "0", "002.p", "188")); err != nil {
		t.Errorf("the mirror lacks the partial tile at tile/8/0/002.p/188: %v", err)
	}
	if _, _, err := Verify(ctx, DirSource(dir), tl.keys.Verifiers, c); err != nil {
		t.Errorf("Verify of the mirror: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "record", "42"), []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = Verify(ctx, DirSource(dir), tl.keys.Verifiers, c)
	ve := wantProblem(t, "Verify of an edited mirror", err, ProblemRecords)
	if !slices.Equal(ve.Records, []int64{42}) {
		t.Errorf("Verify named records %v, want [42]", ve.Records)
	}
	if _, err := (&HTTPSource{Base: srv.URL}).Record(ctx, 700); comuna.ErrorCode(err) != comuna.ENotFound {
		t.Errorf("HTTPSource.Record beyond the log: error %v, want code %s", err, comuna.ENotFound)
	}
}
