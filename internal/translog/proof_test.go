package translog

import (
	"bytes"
	"context"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"golang.org/x/mod/sumdb/tlog"
)

func TestProofRoundTrip(t *testing.T) {
	ctx := context.Background()
	tl := newTestLog(t)
	tl.fill(t, 0, 100, 100, "")
	th, _ := tl.TreeHash(ctx, 100)
	rp, _ := tl.ProveRecord(ctx, 42, 100)
	got, err := ParseProof(FormatProof(rp))
	if err != nil {
		t.Fatal(err)
	}
	if err := tlog.CheckRecord(got, 100, th, 42, tlog.RecordHash(record(42, ""))); err != nil {
		t.Errorf("CheckRecord(parsed proof): %v", err)
	}
	tp, _ := tl.ProveTree(ctx, 100, 37)
	oh, _ := tl.TreeHash(ctx, 37)
	got, err = ParseProof(FormatProof(tp))
	if err != nil || tlog.CheckTree(got, 100, th, 37, oh) != nil {
		t.Errorf("CheckTree(parsed proof) failed: %v", err)
	}
	for _, in := range []string{"x\n", tlog.Hash{}.String(), tlog.Hash{}.String() + "\n\n"} {
		if _, err := ParseProof([]byte(in)); comuna.ErrorCode(err) != comuna.EInvalid {
			t.Errorf("ParseProof(%q): error %v, want code %s", in, err, comuna.EInvalid)
		}
	}
}

func FuzzParseProof(f *testing.F) {
	f.Add([]byte(tlog.Hash{}.String() + "\n"))
	f.Add([]byte("\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		p, err := ParseProof(text)
		if err != nil {
			return
		}
		if again := FormatProof(p); !bytes.Equal(again, text) {
			t.Fatalf("FormatProof(ParseProof(%q)) = %q", text, again)
		}
	})
}
