package verify

import (
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/audit"
	"github.com/comuna/comuna/internal/record"
	"github.com/comuna/comuna/internal/tally"
)

// TestRederiveDraw is part of finding 4 of issue 8: the verifier
// re-derives an audit's logged draw from its seed and the sheets logged
// before it, and names the record of a draw that does not follow.
func TestRederiveDraw(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	var recs [][]byte
	add := func(r record.Record) {
		b, err := record.Encode(r)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, b)
	}
	for _, table := range []string{"T1", "T2", "T3", "T4"} {
		add(&record.Sheet{Version: 1, Accepted: at, Signer: "ana", Sheet: tally.Sheet{RoundID: 7, Table: table, Circuit: "CI1",
			Received: 10, Cast: 1, Votes: []int64{1}, Unused: 9, Members: []string{"Ana"}}})
	}
	const seed = "1 2 3 4 5 6"
	good := audit.Draw(seed, []string{"T1", "T2", "T3", "T4"}, 2)
	add(&record.Audit{RoundID: 7, Audit: 1, AuditKind: "draw", Seed: seed, RiskLimit: "0", Tables: 2, Draw: good, At: at, By: "admin"})
	if h := rebuild(recs); len(h.problems) != 0 || h.draws != 1 {
		t.Fatalf("rebuild(honest draw) = %d draws, problems %+v; want 1 and none", h.draws, h.problems)
	}
	// An insider logs a draw that skips the table they want unaudited.
	bad := []string{"T1", "T2"}
	if strings.Join(bad, " ") == strings.Join(good, " ") {
		bad = []string{"T3", "T4"}
	}
	add(&record.Audit{RoundID: 7, Audit: 2, AuditKind: "draw", Seed: seed, RiskLimit: "0", Tables: 2, Draw: bad, At: at, By: "admin"})
	h := rebuild(recs)
	if len(h.problems) != 1 || !strings.Contains(h.problems[0].Message, "audit 2 drew") {
		t.Fatalf("rebuild(tampered draw) problems = %+v, want one naming audit 2", h.problems)
	}
}
