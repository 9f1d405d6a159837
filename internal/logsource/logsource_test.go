package logsource

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/translog"
)

// testLog is an in-memory log with its signing keys, served as a server
// would serve it.
type testLog struct {
	translog.Signed
	keys translog.Keys
}

func newTestLog(t testing.TB) *testLog {
	t.Helper()
	l, err := translog.New("comuna.example/test", &translog.MemStorage{})
	if err != nil {
		t.Fatal(err)
	}
	tl := &testLog{}
	if err := tl.keys.Rotate("comuna.example"); err != nil {
		t.Fatal(err)
	}
	s, err := tl.keys.NewSigner()
	if err != nil {
		t.Fatal(err)
	}
	tl.Signed = translog.Signed{Log: l, Signer: s}
	return tl
}

// fill appends records [from, to), varied by salt.
func (tl *testLog) fill(t testing.TB, from, to int, salt string) {
	t.Helper()
	var recs [][]byte
	for i := from; i < to; i++ {
		r, err := translog.EncodeRecord("tally-sheet", fmt.Appendf(nil, "table=%d salt=%s\n", i, salt))
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if _, err := tl.Log.Append(context.Background(), recs...); err != nil {
		t.Fatal(err)
	}
}

// handler serves a log under /log/ as the web layer does.
func handler(src translog.Source) http.Handler {
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
		return src.Checkpoint(r.Context())
	}))
	mux.HandleFunc("GET /log/record/{n}", serve(func(r *http.Request) ([]byte, error) {
		n, err := strconv.ParseInt(r.PathValue("n"), 10, 64)
		if err != nil {
			return nil, comuna.Errorf(comuna.ENotFound, "no record %q", r.PathValue("n"))
		}
		return src.Record(r.Context(), n)
	}))
	mux.HandleFunc("GET /log/tile/", serve(func(r *http.Request) ([]byte, error) {
		return src.Tile(r.Context(), strings.TrimPrefix(r.URL.Path, "/log/"))
	}))
	return mux
}

func wantProblem(t *testing.T, what string, err error, p translog.Problem) *translog.VerifyError {
	t.Helper()
	var ve *translog.VerifyError
	if !errors.As(err, &ve) || ve.Problem != p {
		t.Fatalf("%s: error %v, want a %q problem", what, err, p)
	}
	return ve
}

func TestMirrorOverHTTPThenVerifyOffline(t *testing.T) {
	ctx := context.Background()
	tl := newTestLog(t)
	tl.fill(t, 0, 700, "")
	srv := httptest.NewServer(handler(tl))
	defer srv.Close()
	src := &HTTPSource{Base: srv.URL + "/"}

	c, records, err := translog.Verify(ctx, src, tl.keys.Verifiers, nil)
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
	if _, _, err := translog.Verify(ctx, DirSource(dir), tl.keys.Verifiers, c); err != nil {
		t.Errorf("Verify of the mirror: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "record", "42"), []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = translog.Verify(ctx, DirSource(dir), tl.keys.Verifiers, c)
	ve := wantProblem(t, "Verify of an edited mirror", err, translog.ProblemRecords)
	if !slices.Equal(ve.Records, []int64{42}) {
		t.Errorf("Verify named records %v, want [42]", ve.Records)
	}
	if _, err := (&HTTPSource{Base: srv.URL}).Record(ctx, 700); comuna.ErrorCode(err) != comuna.ENotFound {
		t.Errorf("HTTPSource.Record beyond the log: error %v, want code %s", err, comuna.ENotFound)
	}
	if _, err := DirSource(dir).Record(ctx, 700); comuna.ErrorCode(err) != comuna.ENotFound {
		t.Errorf("DirSource.Record beyond the log: error %v, want code %s", err, comuna.ENotFound)
	}
	if _, err := src.Tile(ctx, "tile/../x"); comuna.ErrorCode(err) != comuna.EInvalid {
		t.Errorf("HTTPSource.Tile(bad path): error %v, want code %s", err, comuna.EInvalid)
	}
}

func TestVerifySavedRemembersTheLog(t *testing.T) {
	ctx := context.Background()
	state := filepath.Join(t.TempDir(), "checkpoint")
	a := newTestLog(t)
	a.fill(t, 0, 300, "")
	if _, _, err := VerifySaved(ctx, a, a.keys.Verifiers, state); err != nil {
		t.Fatalf("first VerifySaved: %v", err)
	}
	a.fill(t, 300, 400, "")
	if _, _, err := VerifySaved(ctx, a, a.keys.Verifiers, state); err != nil {
		t.Fatalf("VerifySaved after growth: %v", err)
	}
	fork := newTestLog(t)
	fork.keys, fork.Signer = a.keys, a.Signer
	fork.fill(t, 0, 500, "fork")
	_, _, err := VerifySaved(ctx, fork, a.keys.Verifiers, state)
	wantProblem(t, "VerifySaved of a fork", err, translog.ProblemFork)
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

// BenchmarkVerifyDir verifies a national round's sheets (16,000 records)
// from a local copy: every tile, every record and the checkpoint
// signature.
func BenchmarkVerifyDir(b *testing.B) {
	const nationalRound = 16000
	ctx := context.Background()
	tl := newTestLog(b)
	tl.fill(b, 0, nationalRound, "")
	dir := b.TempDir()
	if _, err := Mirror(ctx, tl, dir); err != nil {
		b.Fatal(err)
	}
	src := DirSource(dir)
	for b.Loop() {
		c, recs, err := translog.Verify(ctx, src, tl.keys.Verifiers, nil)
		if err != nil || c.Tree.N != nationalRound || len(recs) != nationalRound {
			b.Fatalf("Verify = %v, %d records, %v", c, len(recs), err)
		}
	}
}
