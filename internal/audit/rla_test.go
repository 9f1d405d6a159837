package audit

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

// circuit builds a contest of n tables with the same reported counts.
func circuit(n, winners int, counts ...int64) *Contest {
	c := &Contest{Name: "C-1", Winners: winners}
	for i := range counts {
		c.Projects = append(c.Projects, fmt.Sprint(i+1))
	}
	for _, code := range tableCodes(n) {
		var ballots int64
		for _, v := range counts {
			ballots += v
		}
		c.Tables = append(c.Tables, Table{Code: code, Counts: slices.Clone(counts), Ballots: ballots + 2})
	}
	return c
}

// recount returns the recounts of the drawn tables, with truth giving each
// table's paper (the reported counts where truth has none).
func recount(c *Contest, draws []string, truth map[string][]int64) []Recount {
	reported := make(map[string][]int64, len(c.Tables))
	for _, t := range c.Tables {
		reported[t.Code] = t.Counts
	}
	out := make([]Recount, 0, len(draws))
	for _, d := range draws {
		x, ok := truth[d]
		if !ok {
			x = reported[d]
		}
		out = append(out, Recount{Table: d, Counts: x})
	}
	return out
}

func TestPlanKnownValues(t *testing.T) {
	c := &Contest{Projects: []string{"1", "2"}, Winners: 1, Tables: []Table{
		{Code: "T1", Counts: []int64{60, 40}, Ballots: 100},
		{Code: "T2", Counts: []int64{50, 30}, Ballots: 80},
	}}
	// V = 40; u = (20+100)/40 + (20+80)/40 = 5.5; n = ⌈ln 0.05 / ln(1 − 1/5.5)⌉ = 15.
	p, err := NewPlan(c, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	if p.MinMargin != 40 || p.U != 5.5 || p.Draws != 15 || !p.FullCount {
		t.Errorf("NewPlan = %+v, want margin 40, U 5.5, 15 draws, full count", p)
	}
}

func TestPlanAndAssess(t *testing.T) {
	for _, tc := range []struct {
		name      string
		c         *Contest
		maxDraws  int
		fullCount bool
	}{
		// 200 tables, 60% / 25% / 15%: a 35-point margin.
		{"big margin", circuit(200, 1, 120, 50, 30), 20, false},
		// Top two of four, the second ahead of the third by 20 points.
		{"top two", circuit(200, 2, 90, 60, 20, 30), 25, false},
		// A 1-vote margin in 200 tables of 200 ballots.
		{"tiny margin", withMargin(circuit(200, 1, 100, 100), 1), 0, true},
		{"tie", circuit(50, 1, 70, 70, 10), 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewPlan(tc.c, 0.05)
			if err != nil {
				t.Fatal(err)
			}
			if p.FullCount != tc.fullCount {
				t.Fatalf("NewPlan = %+v, want FullCount %v", p, tc.fullCount)
			}
			if tc.fullCount {
				return
			}
			if p.Draws < 1 || p.Draws > tc.maxDraws {
				t.Errorf("NewPlan draws = %d, want 1 to %d", p.Draws, tc.maxDraws)
			}
			draws, err := Sample(tc.c, testSeed, p.Draws)
			if err != nil {
				t.Fatal(err)
			}
			st, err := Assess(tc.c, recount(tc.c, draws, nil), 0.05)
			if err != nil {
				t.Fatal(err)
			}
			if st.Outcome != Confirmed || st.PValue > 0.05 || len(st.Discrepancies) != 0 {
				t.Errorf("Assess with no discrepancies = %+v, want confirmed", st)
			}
			// One draw fewer is not enough.
			st, _ = Assess(tc.c, recount(tc.c, draws[1:], nil), 0.05)
			if st.Outcome != Escalate || st.MoreDraws != 1 {
				t.Errorf("Assess of %d draws = %+v, want escalate by 1", len(draws)-1, st)
			}
		})
	}
}

// withMargin makes project 1 lead project 2 by margin votes in total.
func withMargin(c *Contest, margin int64) *Contest {
	c.Tables[0].Counts[0] += margin
	c.Tables[0].Ballots += margin
	return c
}

func TestAssessEscalatesOnOverstatement(t *testing.T) {
	c := circuit(400, 1, 120, 50, 30)
	p, _ := NewPlan(c, 0.05)
	draws, _ := Sample(c, testSeed, p.Draws)
	// The first table drawn gave project 1 forty votes that were project 2's.
	bad := draws[0]
	truth := map[string][]int64{bad: {80, 90, 30}}
	st, err := Assess(c, recount(c, draws, truth), 0.05)
	if err != nil {
		t.Fatal(err)
	}
	if st.Outcome != Escalate || st.MoreDraws < 1 {
		t.Fatalf("Assess = %+v, want escalate", st)
	}
	if len(st.Discrepancies) != 1 {
		t.Fatalf("Assess discrepancies = %+v, want one for %s", st.Discrepancies, bad)
	}
	d := st.Discrepancies[0]
	// MACRO: 80 votes of the 400·70 = 28000-vote margin of 1 over 2; the
	// table could have overstated it by 70+202.
	if d.Table != bad || !slices.Equal(d.Reported, []int64{120, 50, 30}) || !slices.Equal(d.Recounted, []int64{80, 90, 30}) ||
		math.Abs(d.Overstatement-80.0/28000) > 1e-12 || math.Abs(d.Taint-80.0/272) > 1e-12 {
		t.Errorf("discrepancy = %+v, want %s reported [120 50 30], recounted [80 90 30], overstatement 80/28000, taint 80/272", d, bad)
	}
	// Escalating as told, with clean recounts, confirms.
	more, _ := Sample(c, testSeed, p.Draws+st.MoreDraws)
	st, _ = Assess(c, recount(c, more, truth), 0.05)
	if st.Outcome != Confirmed {
		t.Errorf("Assess after escalating = %+v, want confirmed", st)
	}
}

func TestAssessCallsForFullCount(t *testing.T) {
	c := circuit(100, 1, 120, 50, 30)
	p, _ := NewPlan(c, 0.05)
	draws, _ := Sample(c, testSeed, p.Draws)
	for name, x := range map[string][]int64{
		"maximal overstatement": {0, 202, 0},   // every ballot was project 2's
		"overfull box":          {130, 50, 30}, // more votes than ballots
	} {
		st, err := Assess(c, recount(c, draws, map[string][]int64{draws[0]: x}), 0.05)
		if err != nil {
			t.Fatal(err)
		}
		if st.Outcome != FullCount {
			t.Errorf("%s: Assess = %+v, want full count", name, st)
		}
	}
}

func TestAssessHandCount(t *testing.T) {
	c := circuit(5, 1, 30, 20, 10)
	truth := map[string][]int64{}
	for _, code := range tableCodes(5) {
		truth[code] = []int64{10, 40, 10}
	}
	st, err := Assess(c, recount(c, tableCodes(5), truth), 0.05)
	if err != nil {
		t.Fatal(err)
	}
	if st.Outcome != HandCounted || !slices.Equal(st.HandWinners, []int{1}) || !slices.Equal(st.HandTotals, []int64{50, 200, 50}) || len(st.Discrepancies) != 5 {
		t.Errorf("Assess of every table = %+v, want hand-counted, project 2 winning 200 to 50", st)
	}
}

func TestAssessRejectsBadInput(t *testing.T) {
	c := circuit(5, 1, 30, 20, 10)
	for name, sample := range map[string][]Recount{
		"unknown table":       {{Table: "X", Counts: []int64{1, 2, 3}}},
		"short counts":        {{Table: "T01", Counts: []int64{1, 2}}},
		"negative":            {{Table: "T01", Counts: []int64{1, -2, 3}}},
		"two recounts":        {{Table: "T01", Counts: []int64{1, 2, 3}}, {Table: "T01", Counts: []int64{1, 2, 4}}},
		"same table twice ok": nil,
	} {
		if sample == nil {
			continue
		}
		if _, err := Assess(c, sample, 0.05); comuna.ErrorCode(err) != comuna.EInvalid {
			t.Errorf("%s: error %v, want code %s", name, err, comuna.EInvalid)
		}
	}
	if _, err := Assess(c, nil, 1.5); comuna.ErrorField(err) != "risk_limit" {
		t.Errorf("risk limit 1.5: error %v, want one on risk_limit", err)
	}
	bad := circuit(2, 1, 1, 2)
	bad.Tables[1].Code = bad.Tables[0].Code
	if _, err := NewPlan(bad, 0.05); comuna.ErrorCode(err) != comuna.EInvalid {
		t.Errorf("NewPlan with a duplicate table: error %v, want code %s", err, comuna.EInvalid)
	}
}
