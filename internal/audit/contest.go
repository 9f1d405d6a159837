// Package audit checks the paper: it draws tables for a hand recount from a
// public seed (Draw, DrawWeighted) and runs a risk-limiting audit of a
// circuit's winners (Plan, Assess).
//
// # Method
//
// The audit is a batch-level comparison audit: each table (mesa) is a
// batch, its hand recount is compared with its reported tally sheet, and
// the discrepancies are measured with MACRO, the maximum across
// winner–loser pairs of the relative overstatement of the margin (Stark,
// "A sharper discrepancy measure for post-election audits", Ann. Appl.
// Stat. 2008). Tables are drawn with replacement with probability
// proportional to an error bound (PPEB; Aslam, Popa and Rivest, "On
// auditing elections when precincts have different sizes", EVT 2008), and
// the evidence is summed up by the Kaplan–Markov P-value (Stark,
// "Risk-limiting post-election audits: conservative P-values from common
// probability inequalities", IEEE TIFS 2009), a sequential test that stays
// valid however many times the audit escalates.
//
// For a choose-one contest with k winners W and losers L, reported votes
// a_ip for project i at table p, and b_p an upper bound on the ballots in
// table p's box:
//
//	V_wl = Σ_p (a_wp − a_lp)                      reported margin, w∈W, l∈L
//	u_p  = max_{w,l} (a_wp − a_lp + b_p) / V_wl   the most table p can overstate
//	e_p  = max_{w,l} ((a_wp − a_lp) − (x_wp − x_lp)) / V_wl   with hand counts x
//	U    = Σ_p u_p
//
// If the reported winners are wrong, some pair's true margin is ≤ 0, so
// Σ_p e_p ≥ 1. A draw picks table p with probability u_p/U and scores its
// taint t = e_p/u_p ≤ 1; under a wrong outcome E[t] ≥ 1/U. After draws
// t_1 … t_n the P-value is
//
//	P = Π_j (1 − 1/U) / (1 − t_j)
//
// and the outcome is confirmed when P ≤ the risk limit α. With no
// discrepancies that takes n = ⌈ln α / ln(1 − 1/U)⌉ ≈ U·ln(1/α) draws.
//
// # Assumptions
//
//   - Table.Ballots (the poll book's count of voters) bounds the ballots in
//     the table's box; b_p = max(Ballots, Σ reported votes). A recount that
//     finds more ballots or votes breaks this and calls for a full count.
//   - Margins come from the reported totals; a reported tie at the k-th
//     place cannot be confirmed by sampling, so it calls for a full count.
//   - For drawing, u_p is rounded up to a multiple of 2⁻²⁰ (Scale) so the
//     weights are integers anyone can recompute exactly, and U is the sum
//     of the rounded bounds; taints divide by the exact u_p. Both choices
//     only make the audit more cautious.
//   - Understatements (negative taints) are counted, as the Kaplan–Markov
//     bound allows; they can only come from errors in the loser's favour.
package audit

import (
	"sort"

	"github.com/comuna/comuna/internal/comuna"
)

// Scale is the denominator of the integer error-bound weights: a table's
// weight is u_p·Scale rounded up.
const Scale = 1 << 20

// maxVotes bounds a count so that weights cannot overflow.
const maxVotes = 1e9

// Contest is one circuit's choose-one, top-k result as reported, table by
// table.
type Contest struct {
	Name     string   // the circuit, for reports
	Projects []string // ballot entries; every Counts slice follows this order
	Winners  int      // how many projects win: 1 (2024) or 2 (from 2025)
	Tables   []Table
}

// Table is one table's reported tally sheet.
type Table struct {
	Code    string
	Counts  []int64 // reported votes per project
	Ballots int64   // ballots cast per the poll book, blank and spoilt included
}

// Recount is the hand count of one table's paper ballots.
type Recount struct {
	Table   string
	Counts  []int64 // votes per project found on the paper
	Ballots int64   // ballots found in the box, blank and spoilt included; 0 if not counted
}

// validate checks the contest's shape and returns a map from table code to
// index.
func (c *Contest) validate() (map[string]int, error) {
	if len(c.Projects) == 0 {
		return nil, comuna.FieldError("projects", "the contest has no projects")
	}
	if c.Winners < 1 {
		return nil, comuna.FieldError("winners", "a contest needs at least one winner")
	}
	if len(c.Tables) == 0 {
		return nil, comuna.FieldError("tables", "the contest has no tables")
	}
	byCode := make(map[string]int, len(c.Tables))
	var ballots int64
	for i, t := range c.Tables {
		if _, dup := byCode[t.Code]; dup {
			return nil, comuna.FieldError("tables", "table %q appears twice", t.Code)
		}
		byCode[t.Code] = i
		if err := checkCounts(c, t.Code, t.Counts, t.Ballots); err != nil {
			return nil, err
		}
		ballots += bound(t)
	}
	if ballots > 1<<40 {
		return nil, comuna.FieldError("tables", "the contest has more ballots than any circuit could")
	}
	return byCode, nil
}

func checkCounts(c *Contest, table string, counts []int64, ballots int64) error {
	if len(counts) != len(c.Projects) {
		return comuna.FieldError("counts", "table %q has %d counts for %d projects", table, len(counts), len(c.Projects))
	}
	if ballots < 0 || ballots > maxVotes {
		return comuna.FieldError("ballots", "table %q: %d ballots is out of range", table, ballots)
	}
	for i, v := range counts {
		if v < 0 || v > maxVotes {
			return comuna.FieldError("counts", "table %q: %d votes for %s is out of range", table, v, c.Projects[i])
		}
	}
	return nil
}

// bound is b_p: the most ballots table t's box can hold.
func bound(t Table) int64 {
	var sum int64
	for _, v := range t.Counts {
		sum += v
	}
	return max(t.Ballots, sum)
}

// Totals returns the reported votes per project across all tables.
func (c *Contest) Totals() []int64 {
	sum := make([]int64, len(c.Projects))
	for _, t := range c.Tables {
		for i, v := range t.Counts {
			sum[i] += v
		}
	}
	return sum
}

// TopK returns the indexes of the k projects with the most votes, most
// first; equal totals go to the project listed first. It does not apply a
// round's tie-break rule: the audit treats a tie at the k-th place as
// unconfirmable.
func TopK(totals []int64, k int) []int {
	order := make([]int, len(totals))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return totals[order[i]] > totals[order[j]] })
	return order[:min(k, len(order))]
}

// pair is one reported winner and one reported loser with the margin
// between them.
type pair struct {
	w, l   int
	margin int64 // V_wl
}

// pairs returns every winner–loser pair of the reported result.
func (c *Contest) pairs() []pair {
	tot := c.Totals()
	win := TopK(tot, c.Winners)
	isWinner := make([]bool, len(tot))
	for _, w := range win {
		isWinner[w] = true
	}
	var ps []pair
	for _, w := range win {
		for l := range tot {
			if !isWinner[l] {
				ps = append(ps, pair{w, l, tot[w] - tot[l]})
			}
		}
	}
	return ps
}

// weight returns table t's error bound u_p·Scale, rounded up; every margin
// in ps must be positive.
func weight(t Table, ps []pair) int64 {
	b := bound(t)
	var w int64
	for _, p := range ps {
		num := (t.Counts[p.w] - t.Counts[p.l] + b) * Scale
		w = max(w, (num+p.margin-1)/p.margin)
	}
	return w
}

// errorBound returns the exact u_p of table t.
func errorBound(t Table, ps []pair) float64 {
	b := bound(t)
	var u float64
	for _, p := range ps {
		u = max(u, float64(t.Counts[p.w]-t.Counts[p.l]+b)/float64(p.margin))
	}
	return u
}

// overstatement returns e_p, table t's MACRO: the largest share of a
// pair's margin that the reported counts overstate relative to the hand
// counts x.
func overstatement(t Table, x []int64, ps []pair) float64 {
	e := -1e300
	for _, p := range ps {
		over := (t.Counts[p.w] - t.Counts[p.l]) - (x[p.w] - x[p.l])
		e = max(e, float64(over)/float64(p.margin))
	}
	return e
}
