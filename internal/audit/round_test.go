package audit

import (
	"fmt"
	"slices"
	"testing"

	"github.com/comuna/comuna/internal/tally"
)

// wideContest is one circuit of 200 tables, each reporting 60 votes for
// project 1 and 40 for project 2 out of 100 ballots.
func wideContest() *Contest {
	c := &Contest{Name: "CI1", Projects: []string{"1", "2"}, Winners: 1}
	for i := range 200 {
		c.Tables = append(c.Tables, Table{Code: fmt.Sprintf("T%03d", i), Counts: []int64{60, 40}, Ballots: 100})
	}
	return c
}

// recountAll recounts every pending table as reported, except those in
// found, and returns the counts.
func recountAll(c *Contest, pending []string, counts map[string]Recount) {
	for _, code := range pending {
		for _, t := range c.Tables {
			if t.Code == code {
				counts[code] = Recount{Table: code, Counts: slices.Clone(t.Counts), Ballots: t.Ballots}
			}
		}
	}
}

func TestEvaluateDeterministic(t *testing.T) {
	c := wideContest()
	a, err := Evaluate(c, "31415926535897932384", 0.05, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Evaluate(wideContest(), "31415926535897932384", 0.05, map[string]Recount{})
	if !slices.Equal(a.Sample, b.Sample) || a.Draws != a.Plan.Draws || a.Status.Outcome != InProgress || len(a.Pending) == 0 {
		t.Fatalf("Evaluate twice = %v and %v (%s); want the same sample of the plan's %d draws, in progress", a.Sample, b.Sample, a.Status.Outcome, a.Plan.Draws)
	}
	other, _ := Evaluate(c, "27182818284590452353", 0.05, nil)
	if slices.Equal(a.Sample, other.Sample) {
		t.Errorf("Evaluate with another seed drew the same sample %v", a.Sample)
	}
	d1 := EvaluateDraw("1 2 3 4 5 6", c.Tables, 5, nil)
	d2 := EvaluateDraw("1 2 3 4 5 6", c.Tables, 8, nil)
	if !slices.Equal(d1.Tables, d2.Tables[:5]) || !slices.Equal(d1.Pending, d1.Tables) {
		t.Errorf("EvaluateDraw(5) = %v, EvaluateDraw(8) = %v; want the larger draw to extend the smaller, all pending", d1.Tables, d2.Tables)
	}
}

func TestEvaluateCleanRecountConfirms(t *testing.T) {
	c := wideContest()
	counts := map[string]Recount{}
	rep, _ := Evaluate(c, "seed", 0.05, counts)
	recountAll(c, rep.Pending, counts)
	rep, err := Evaluate(c, "seed", 0.05, counts)
	if err != nil || rep.Status.Outcome != Confirmed || rep.Draws != rep.Plan.Draws || len(rep.Pending) != 0 || len(rep.Status.Discrepancies) != 0 {
		t.Fatalf("Evaluate(clean recounts) = %+v, %v; want confirmed with the plan's draws", rep.Status, err)
	}
}

func TestEvaluateDiscrepancyEscalates(t *testing.T) {
	c := wideContest()
	counts := map[string]Recount{}
	rep, _ := Evaluate(c, "seed", 0.05, counts)
	recountAll(c, rep.Pending, counts)
	bad := rep.Sample[0]
	counts[bad] = Recount{Table: bad, Counts: []int64{50, 50}, Ballots: 100}
	esc, err := Evaluate(c, "seed", 0.05, counts)
	if err != nil || esc.Status.Outcome != InProgress || esc.Draws <= rep.Draws || len(esc.Pending) == 0 {
		t.Fatalf("Evaluate(one discrepancy) = %s with %d draws, pending %v, %v; want the sample extended beyond %d draws",
			esc.Status.Outcome, esc.Draws, esc.Pending, err, rep.Draws)
	}
	if !slices.Equal(esc.Sample[:rep.Draws], rep.Sample) {
		t.Errorf("the extended sample %v does not start with the first %v", esc.Sample, rep.Sample)
	}
	if ds := esc.Status.Discrepancies; len(ds) != 1 || ds[0].Table != bad || !slices.Equal(ds[0].Recounted, []int64{50, 50}) || ds[0].Overstatement <= 0 {
		t.Fatalf("discrepancies = %+v, want table %s overstating the margin", ds, bad)
	}
	recountAll(c, esc.Pending, counts)
	done, err := Evaluate(c, "seed", 0.05, counts)
	if err != nil || done.Status.Outcome != Confirmed || done.Draws <= rep.Draws {
		t.Fatalf("Evaluate(escalated sample recounted) = %+v, %v; want confirmed after more draws", done.Status, err)
	}

	// A recount that finds the loser ahead calls for a full count.
	counts[bad] = Recount{Table: bad, Counts: []int64{0, 100}, Ballots: 100}
	full, _ := Evaluate(c, "seed", 0.05, counts)
	if full.Status.Outcome != FullCount || len(full.Pending) != 200-len(counts) {
		t.Fatalf("Evaluate(a flipped table) = %s, %d pending; want a full count of the %d tables not recounted", full.Status.Outcome, len(full.Pending), 200-len(counts))
	}
}

func TestNewReport(t *testing.T) {
	var sheets []tally.Sheet
	for i, v := range [][]int64{{5, 3, 2}, {4, 6, 1}, {3, 2}} {
		circuit := "CI1"
		if len(v) == 2 {
			circuit = "CI2"
		}
		sheets = append(sheets, tally.Sheet{Table: fmt.Sprintf("T%d", i+1), Circuit: circuit, Votes: v, Cast: 12})
	}
	a := &Audit{ID: 1, Kind: KindRisk, Seed: "s", RiskLimit: 0.05, Epoch: 7}
	rep, err := NewReport(a, sheets, map[string]int64{"T1": 14}, 1, nil, 8)
	if err != nil || len(rep.Circuits) != 2 || !rep.Stale || rep.Circuits[0].Circuit != "CI1" {
		t.Fatalf("NewReport() = %+v, %v; want two circuits and stale", rep, err)
	}
	// CI1 reports a tie for its one winning place (9 and 9): count by hand.
	if o := rep.Circuits[0].Status.Outcome; o != FullCount || len(rep.Circuits[0].Pending) != 2 {
		t.Errorf("NewReport() CI1 = %s, pending %v; want a full count of T1 and T2", o, rep.Circuits[0].Pending)
	}
	if got := Contests(sheets, map[string]int64{"T1": 14}, 1)[0].Tables[0].Ballots; got != 14 {
		t.Errorf("Contests() T1 ballots = %d, want the poll book's 14", got)
	}
	d := &Audit{ID: 2, Kind: KindDraw, Seed: "s", Tables: 2}
	rep, err = NewReport(d, sheets, nil, 1, []*HandCount{{Recount: Recount{Table: "T1", Counts: []int64{5, 3, 1}}}}, 0)
	if err != nil || rep.Draw == nil || len(rep.Draw.Tables) != 2 {
		t.Fatalf("NewReport(draw) = %+v, %v", rep, err)
	}
	if slices.Contains(rep.Draw.Tables, "T1") && (len(rep.Draw.Discrepancies) != 1 || rep.Draw.Discrepancies[0].Table != "T1") {
		t.Errorf("NewReport(draw) discrepancies = %+v, want T1's", rep.Draw.Discrepancies)
	}
}
