package audit

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

// Plan is how much recounting a contest needs before any table is opened.
type Plan struct {
	Draws          int     // draws (with replacement) to make if no discrepancies turn up
	ExpectedTables float64 // distinct tables those draws are expected to hit
	MinMargin      int64   // smallest reported winner–loser margin, in votes
	U              float64 // total error bound Σ u_p
	FullCount      bool    // sampling cannot help: count every table by hand
	Reason         string  // why, when FullCount or Draws is 0
}

// Outcome is where an audit stands.
type Outcome string

// Audit outcomes.
const (
	Confirmed   Outcome = "confirmed"    // the risk limit is met: the reported winners stand
	Escalate    Outcome = "escalate"     // draw and recount more tables
	FullCount   Outcome = "full-count"   // count every table by hand
	HandCounted Outcome = "hand-counted" // every table was recounted: the hand count decides
)

// Status is the result of assessing the recounts made so far.
type Status struct {
	Outcome       Outcome
	PValue        float64 // Kaplan–Markov P-value of the draws so far (may exceed 1)
	Draws         int     // draws assessed
	Tables        int     // distinct tables recounted
	MoreDraws     int     // for Escalate: further draws needed if they find no discrepancy
	Reason        string  // a sentence for the report
	Discrepancies []Discrepancy
	// HandTotals and HandWinners are the votes per project and the winners
	// by the hand count, for HandCounted. HandWinners breaks ties by project
	// order; apply the round's tie-break rule to HandTotals where it matters.
	HandTotals  []int64
	HandWinners []int
}

// Discrepancy is a recounted table whose paper differs from its sheet.
type Discrepancy struct {
	Table     string
	Reported  []int64 // per project, as on the sheet
	Recounted []int64 // per project, as found on the paper
	Ballots   int64   // ballots found, if counted
	// Overstatement is the table's MACRO e_p: the largest share of a
	// winner–loser margin the sheet overstates (negative if the errors
	// favour the losers).
	Overstatement float64
	Taint         float64 // e_p / u_p: 1 is the most a table can overstate
}

// NewPlan returns the initial sample for auditing c at risk limit alpha
// (e.g. 0.05): the number of PPEB draws that confirms the reported winners
// if no discrepancy is found. It calls for a full hand count when the
// reported result is a tie or when that many draws would cost as much as
// counting every table.
func NewPlan(c *Contest, alpha float64) (Plan, error) {
	if _, err := c.validate(); err != nil {
		return Plan{}, err
	}
	if err := checkAlpha(alpha); err != nil {
		return Plan{}, err
	}
	ps := c.pairs()
	if len(ps) == 0 {
		return Plan{Reason: "every project wins; there is nothing to audit"}, nil
	}
	p := Plan{MinMargin: ps[0].margin}
	for _, x := range ps {
		p.MinMargin = min(p.MinMargin, x.margin)
	}
	if p.MinMargin <= 0 {
		p.FullCount, p.Reason = true, "the reported result is a tie for the last winning place"
		return p, nil
	}
	weights, total, drawable := c.weights(ps)
	p.U = float64(total) / Scale
	p.Draws = drawsFor(1, alpha, p.U)
	for _, w := range weights {
		p.ExpectedTables += 1 - math.Pow(1-float64(w)/float64(total), float64(p.Draws))
	}
	if p.Draws >= drawable {
		p.FullCount = true
		p.Reason = fmt.Sprintf("the margin of %d votes needs %d draws for %d tables", p.MinMargin, p.Draws, drawable)
	}
	return p, nil
}

// Sample returns the first n PPEB draws of c's tables for seed: DrawWeighted
// with each table's weight ⌈u_p·Scale⌉ (see the package documentation), so
// anyone can re-derive them from the published sheets.
func Sample(c *Contest, seed string, n int) ([]string, error) {
	if _, err := c.validate(); err != nil {
		return nil, err
	}
	ps := c.pairs()
	for _, p := range ps {
		if p.margin <= 0 {
			return nil, comuna.Errorf(comuna.EInvalid, "a tied contest cannot be sampled; count every table")
		}
	}
	if len(ps) == 0 {
		return nil, nil
	}
	weights, _, _ := c.weights(ps)
	codes := make([]string, len(c.Tables))
	for i, t := range c.Tables {
		codes[i] = t.Code
	}
	return DrawWeighted(seed, codes, weights, n)
}

// Assess weighs the recounts so far against risk limit alpha. sample holds
// one Recount per draw, in any order: a table drawn twice is recounted once
// and listed twice. Assess reports every discrepancy and whether the
// winners are confirmed, the audit must escalate (and by how many draws),
// or every table must be counted by hand. Once every table that can hold a
// ballot is recounted, the hand count decides (HandCounted).
func Assess(c *Contest, sample []Recount, alpha float64) (Status, error) {
	byCode, err := c.validate()
	if err != nil {
		return Status{}, err
	}
	if err := checkAlpha(alpha); err != nil {
		return Status{}, err
	}
	ps := c.pairs()
	st := Status{Draws: len(sample), PValue: 1}
	if len(ps) == 0 {
		st.Outcome, st.PValue, st.Reason = Confirmed, 0, "every project wins; there is nothing to audit"
		return st, nil
	}
	found := make(map[string]Recount)
	for _, r := range sample {
		i, ok := byCode[r.Table]
		if !ok {
			return Status{}, comuna.FieldError("table", "table %q is not in circuit %s", r.Table, c.Name)
		}
		if err := checkCounts(c, r.Table, r.Counts, r.Ballots); err != nil {
			return Status{}, err
		}
		if prev, dup := found[r.Table]; dup {
			if !slices.Equal(prev.Counts, r.Counts) || prev.Ballots != r.Ballots {
				return Status{}, comuna.FieldError("table", "table %q has two different recounts", r.Table)
			}
			continue
		}
		found[r.Table] = r
		t := c.Tables[i]
		if d := discrepancy(t, r, ps); d != nil {
			st.Discrepancies = append(st.Discrepancies, *d)
		}
	}
	st.Tables = len(found)
	slices.SortFunc(st.Discrepancies, func(a, b Discrepancy) int { return strings.Compare(a.Table, b.Table) })

	if handCounted(c, found) {
		st.Outcome = HandCounted
		st.HandTotals = recountTotals(c, found)
		st.HandWinners = TopK(st.HandTotals, c.Winners)
		st.Reason = "every table was counted by hand; the hand count decides"
		return st, nil
	}
	for _, x := range ps {
		if x.margin <= 0 {
			st.Outcome, st.Reason = FullCount, "the reported result is a tie for the last winning place"
			return st, nil
		}
	}
	weights, total, drawable := c.weights(ps) // margins are positive here
	u := float64(total) / Scale
	logP := 0.0
	for _, r := range sample {
		i := byCode[r.Table]
		t := c.Tables[i]
		if weights[i] == 0 || overflows(t, r) {
			st.Outcome, st.PValue = FullCount, math.Inf(1)
			st.Reason = fmt.Sprintf("table %s holds more ballots than its poll book allows", t.Code)
			return st, nil
		}
		taint := overstatement(t, r.Counts, ps) / errorBound(t, ps)
		if taint >= 1 {
			st.Outcome, st.PValue = FullCount, math.Inf(1)
			st.Reason = fmt.Sprintf("table %s overstates the margin as much as it possibly could", t.Code)
			return st, nil
		}
		logP += math.Log1p(-1/u) - math.Log1p(-taint)
	}
	st.PValue = math.Exp(logP)
	if st.PValue <= alpha {
		st.Outcome = Confirmed
		st.Reason = fmt.Sprintf("the risk limit of %g is met (P = %.4f)", alpha, st.PValue)
		return st, nil
	}
	st.MoreDraws = drawsFor(st.PValue, alpha, u)
	if st.Draws+st.MoreDraws >= drawable {
		st.Outcome = FullCount
		st.Reason = fmt.Sprintf("P = %.4f would need %d more draws for %d tables", st.PValue, st.MoreDraws, drawable)
		return st, nil
	}
	st.Outcome = Escalate
	st.Reason = fmt.Sprintf("P = %.4f exceeds the risk limit of %g: make %d more draws", st.PValue, alpha, st.MoreDraws)
	return st, nil
}

// drawsFor returns the least n with p·(1 − 1/u)ⁿ ≤ alpha.
func drawsFor(p, alpha, u float64) int {
	if p <= alpha {
		return 0
	}
	n := math.Ceil(math.Log(alpha/p) / math.Log1p(-1/u))
	if n > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(n)
}

// weights returns every table's integer error bound, their total, and how
// many tables can be drawn at all.
func (c *Contest) weights(ps []pair) (w []int64, total int64, drawable int) {
	w = make([]int64, len(c.Tables))
	for i, t := range c.Tables {
		w[i] = weight(t, ps)
		total += w[i]
		if w[i] > 0 {
			drawable++
		}
	}
	return w, total, drawable
}

func discrepancy(t Table, r Recount, ps []pair) *Discrepancy {
	if slices.Equal(t.Counts, r.Counts) && !overflows(t, r) {
		return nil
	}
	d := &Discrepancy{Table: t.Code, Reported: t.Counts, Recounted: r.Counts, Ballots: r.Ballots}
	d.Overstatement = overstatement(t, r.Counts, ps)
	if u := errorBound(t, ps); u > 0 {
		d.Taint = d.Overstatement / u
	}
	return d
}

// overflows reports whether the recount found more ballots or votes than
// the table's bound b_p, which breaks the audit's assumptions.
func overflows(t Table, r Recount) bool {
	var votes int64
	for _, v := range r.Counts {
		votes += v
	}
	return max(votes, r.Ballots) > bound(t)
}

// handCounted reports whether every table that can hold a ballot was
// recounted.
func handCounted(c *Contest, found map[string]Recount) bool {
	for _, t := range c.Tables {
		if _, ok := found[t.Code]; !ok && bound(t) > 0 {
			return false
		}
	}
	return true
}

// recountTotals adds up the hand counts, with the reported counts of
// tables not recounted (those that hold no ballot).
func recountTotals(c *Contest, found map[string]Recount) []int64 {
	sum := make([]int64, len(c.Projects))
	for _, t := range c.Tables {
		counts := t.Counts
		if r, ok := found[t.Code]; ok {
			counts = r.Counts
		}
		for i, v := range counts {
			sum[i] += v
		}
	}
	return sum
}

func checkAlpha(alpha float64) error {
	if !(alpha > 0 && alpha < 1) {
		return comuna.FieldError("risk_limit", "the risk limit must be between 0 and 1, not %g", alpha)
	}
	return nil
}
