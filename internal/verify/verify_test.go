package verify

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/logsource"
	"github.com/comuna/comuna/internal/translog"
)

func run(t testing.TB, dir string, keys []string, state string) *Report {
	t.Helper()
	rep, err := Run(context.Background(), Config{Log: logsource.DirSource(dir), Keys: keys, StatePath: state, Results: DirResults(dir)})
	if err != nil {
		t.Fatalf("Run(%s) = %v", dir, err)
	}
	return rep
}

func TestVerifyPasses(t *testing.T) {
	s := newSynthRound(t, 40, 3)
	dir := s.mirror(t)
	rep := run(t, dir, s.vkeys, filepath.Join(dir, "state"))
	if !rep.OK() {
		var b bytes.Buffer
		rep.WriteText(&b)
		t.Fatalf("Run() failed on an honest round:\n%s", b.String())
	}
	if len(rep.Rounds) != 1 || rep.Rounds[0].Sheets != 40 || rep.Rounds[0].Circuits != 14 || rep.Rounds[0].Compared != 14 || rep.Rounds[0].Final != 14 {
		t.Fatalf("Run() rounds = %+v, want one round of 40 sheets and 14 circuits, all compared", rep.Rounds[0])
	}
	var b bytes.Buffer
	if err := rep.WriteText(&b); err != nil || !strings.Contains(b.String(), "PASS") {
		t.Fatalf("WriteText() = %q, %v; want PASS", b.String(), err)
	}
}

// TestVerifyPublishedChanged changes one table's published votes: the
// verifier names the circuit, the table and the sheet's log index.
func TestVerifyPublishedChanged(t *testing.T) {
	s := newSynthRound(t, 12, 3)
	c := s.results["CI00001"]
	c.Children[1].Votes[0]++
	c.Node.Projects[0].Votes++
	dir := s.mirror(t)
	rep := run(t, dir, s.vkeys, "")
	if rep.OK() || len(rep.Mismatches) != 2 {
		t.Fatalf("Run() mismatches = %v, want two", rep.Mismatches)
	}
	m := rep.Mismatches[0]
	if m.Circuit != "CI00001" || m.Table != "T00004" || m.Index != s.sheets["T00004"] {
		t.Fatalf("Run() first mismatch = %+v, want circuit CI00001, table T00004, index %d", m, s.sheets["T00004"])
	}
	if !strings.Contains(m.Error(), "log record "+strconv.FormatInt(m.Index, 10)) {
		t.Errorf("Mismatch.Error() = %q, want the log index", m.Error())
	}
}

// TestVerifyRecordChanged alters one record of the mirrored log: the log
// fails verification naming that record.
func TestVerifyRecordChanged(t *testing.T) {
	s := newSynthRound(t, 12, 3)
	dir := s.mirror(t)
	n := s.sheets["T00007"]
	name := filepath.Join(dir, "record", strconv.FormatInt(n, 10))
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte("\nvotes "), []byte("\nvotes 9"), 1)
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	rep := run(t, dir, s.vkeys, "")
	if rep.OK() || rep.LogError == nil || len(rep.LogError.Records) != 1 || rep.LogError.Records[0] != n {
		t.Fatalf("Run() log error = %v, want record %d named", rep.LogError, n)
	}
}

// TestVerifyWrongKey refuses a checkpoint signed by another key.
func TestVerifyWrongKey(t *testing.T) {
	s := newSynthRound(t, 3, 3)
	other := newSynthRound(t, 3, 3)
	rep := run(t, s.mirror(t), other.vkeys, "")
	if rep.OK() || rep.LogError == nil || rep.LogError.Problem != translog.ProblemSignature {
		t.Fatalf("Run(other key) = %+v, want a signature failure", rep.LogError)
	}
}

// BenchmarkVerifyNational verifies a synthetic national round of 16,000
// sheets in 5,334 circuits from a local copy: the log (signature, tiles,
// every record), decoding, recomputing every circuit and comparing with
// the mirrored published results.
func BenchmarkVerifyNational(b *testing.B) {
	s := newSynthRound(b, 16000, 3)
	dir := s.mirror(b)
	b.ResetTimer()
	for b.Loop() {
		rep := run(b, dir, s.vkeys, "")
		if !rep.OK() || rep.Rounds[0].Sheets != 16000 {
			b.Fatalf("Run() = %+v", rep)
		}
	}
}
