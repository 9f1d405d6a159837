package audit

import (
	"fmt"
	"math"
	"testing"
)

// wrongOutcome is a circuit of 500 tables of 100 ballots whose reported
// winner, project 1, truly lost to project 2; truth gives the paper of the
// tables whose sheets lie.
type wrongOutcome struct {
	name  string
	c     *Contest
	truth map[string][]int64
}

func wrongOutcomes() []wrongOutcome {
	// Concentrated: 50 sheets turned project 2's 100 votes into project
	// 1's, the worst case for PPEB (each bad table at taint 1, their
	// bounds adding up to just over 1): the chance of missing all of them
	// in the planned draws is close to the risk limit.
	conc := wrongOutcome{name: "concentrated", c: circuit(500, 1, 50, 40, 10), truth: map[string][]int64{}}
	for _, t := range conc.c.Tables[:50] {
		t.Counts[0], t.Counts[1], t.Counts[2] = 100, 0, 0
		conc.truth[t.Code] = []int64{0, 100, 0}
	}
	// Spread: 150 sheets each moved 17 votes from project 2 to 1, so
	// project 2 truly wins by 100; every bad draw has a modest taint and
	// the audit escalates.
	spread := wrongOutcome{name: "spread", c: circuit(500, 1, 50, 40, 10), truth: map[string][]int64{}}
	for _, t := range spread.c.Tables[100:250] {
		spread.truth[t.Code] = []int64{33, 57, 10}
	}
	return []wrongOutcome{conc, spread}
}

// runAudit audits c from seed to the end, recounting from truth, and
// returns the final status and the number of draws made.
func runAudit(t *testing.T, c *Contest, truth map[string][]int64, seed string, alpha float64) Status {
	t.Helper()
	p, err := NewPlan(c, alpha)
	if err != nil {
		t.Fatal(err)
	}
	if p.FullCount {
		return Status{Outcome: FullCount}
	}
	n := p.Draws
	for {
		draws, err := Sample(c, seed, n)
		if err != nil {
			t.Fatal(err)
		}
		st, err := Assess(c, recount(c, draws, truth), alpha)
		if err != nil {
			t.Fatal(err)
		}
		if st.Outcome != Escalate {
			return st
		}
		n += st.MoreDraws
	}
}

// TestWrongOutcomesAreRarelyConfirmed runs 200 audits with fixed seeds of
// each wrong outcome: the share confirmed must stay within the risk limit,
// allowing three standard deviations of sampling noise.
func TestWrongOutcomesAreRarelyConfirmed(t *testing.T) {
	const runs, alpha = 200, 0.05
	limit := runs*alpha + 3*math.Sqrt(runs*alpha*(1-alpha))
	for _, w := range wrongOutcomes() {
		t.Run(w.name, func(t *testing.T) {
			var totals []int64
			for i, v := range w.c.Totals() {
				totals = append(totals, v)
				for _, tab := range w.c.Tables {
					if x, ok := w.truth[tab.Code]; ok {
						totals[i] += x[i] - tab.Counts[i]
					}
				}
			}
			if totals[1] <= totals[0] {
				t.Fatalf("true totals %v: the reported winner did not lose", totals)
			}
			confirmed, outcomes := 0, map[Outcome]int{}
			for i := range runs {
				st := runAudit(t, w.c, w.truth, fmt.Sprintf("simulation seed %d", i), alpha)
				outcomes[st.Outcome]++
				if st.Outcome == Confirmed {
					confirmed++
				}
				if st.Outcome == HandCounted && st.HandWinners[0] != 1 {
					t.Errorf("run %d: a full hand count named project %d, want 2", i, st.HandWinners[0]+1)
				}
			}
			t.Logf("%s: %v over %d runs", w.name, outcomes, runs)
			if float64(confirmed) > limit {
				t.Errorf("%d of %d audits confirmed a wrong outcome, more than %.1f", confirmed, runs, limit)
			}
		})
	}
}

// TestRightOutcomesAreConfirmed runs the same circuits with honest sheets:
// every audit confirms with the planned draws.
func TestRightOutcomesAreConfirmed(t *testing.T) {
	for _, w := range wrongOutcomes() {
		for i := range 20 {
			st := runAudit(t, w.c, nil, fmt.Sprintf("simulation seed %d", i), 0.05)
			if st.Outcome != Confirmed {
				t.Errorf("%s, run %d: honest sheets gave %+v, want confirmed", w.name, i, st)
			}
		}
	}
}
