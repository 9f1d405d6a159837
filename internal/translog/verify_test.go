package translog

import (
	"bytes"
	"context"
	"errors"
	"slices"
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
