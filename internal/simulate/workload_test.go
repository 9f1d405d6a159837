package simulate

import (
	"testing"
	"time"

	"github.com/comuna/comuna/internal/tally"
)

func testTables(n int) []Table {
	ts := make([]Table, n)
	for i := range ts {
		ts[i] = Table{Table: string(rune('A'+i%26)) + string(rune('a'+i/26)), Centre: "E", Circuit: "C", BallotSize: 1 + i%7}
	}
	return ts
}

func TestWorkload(t *testing.T) {
	vote := time.Date(2026, 12, 13, 0, 0, 0, 0, time.UTC)
	w := NewWorkload(1, 42, testTables(50), 30, 0.05, 0.02, vote, 15, 0)
	again := NewWorkload(1, 42, testTables(50), 30, 0.05, 0.02, vote, 15, 0)
	if len(w.Voters) != len(again.Voters) || len(w.Repeats) != len(again.Repeats) || w.Voters[77] != again.Voters[77] {
		t.Fatalf("two workloads of one seed differ")
	}
	docs, keys := map[string]bool{}, map[string]bool{}
	var voters, young int
	for _, a := range w.Voters {
		if docs[a.Number] || keys[a.Key] {
			t.Fatalf("document %s or key %s used twice", a.Number, a.Key)
		}
		docs[a.Number], keys[a.Key] = true, true
		birth, err := time.Parse(time.DateOnly, a.BirthDate)
		if err != nil {
			t.Fatal(err)
		}
		adult := !birth.After(vote.AddDate(-15, 0, 0))
		switch a.Expect {
		case outcomeAccepted:
			voters++
			if !adult {
				t.Errorf("voter born %s is under 15 on %s", a.BirthDate, vote.Format(time.DateOnly))
			}
		case outcomeOutsideAge:
			young++
			if adult || birth.After(vote) {
				t.Errorf("under-age attempt born %s is not between 0 and 14", a.BirthDate)
			}
		}
	}
	if voters != 50*30 || young == 0 || len(w.Repeats) == 0 {
		t.Errorf("%d voters, %d under-age, %d repeats; want 1500 and some of each", voters, young, len(w.Repeats))
	}
	for _, r := range w.Repeats {
		if src := w.Voters[r.Source]; src.Number != r.Number || src.Table == r.Table || r.Expect != outcomeAlreadyVoted {
			t.Errorf("repeat %+v of %+v: want the same document at another table, already voted", r, src)
		}
	}
	for ti := range w.Tables {
		for _, cast := range []int64{0, 1, 7, 30} {
			sh := w.Sheet(ti, cast)
			if errs := tally.Reconcile(sh, w.Tables[ti].BallotSize, cast, 0); len(errs) > 0 {
				t.Errorf("sheet of table %d with %d cast does not reconcile: %v (%+v)", ti, cast, errs, sh)
			}
		}
	}
}

func TestPercentiles(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	got := percentiles(ds)
	if want := (Latency{P50: 50, P90: 90, P99: 99, Max: 100}); got != want {
		t.Errorf("percentiles(1..100 ms) = %+v, want %+v", got, want)
	}
	if got := percentiles(nil); got != (Latency{}) {
		t.Errorf("percentiles(nil) = %+v, want zero", got)
	}
}
