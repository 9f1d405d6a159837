package audit

import (
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/comuna/comuna/internal/tally"
)

// InProgress is the outcome of an audit still waiting for hand counts of
// tables it drew.
const InProgress Outcome = "in-progress"

// maxEscalations bounds how often Evaluate extends a circuit's sample
// before it calls for a full count.
const maxEscalations = 64

// Contests builds one Contest per circuit from a round's accepted tally
// sheets, in circuit-code order: the projects are the ballot numbers
// ("1", "2", …), each table's counts its sheet's votes, and its ballots the
// larger of the sheet's cast ballots and polled[table], the poll book's
// check-ins and walk-ins. winners is the round's winners per circuit.
func Contests(sheets []tally.Sheet, polled map[string]int64, winners int) []*Contest {
	by := map[string]*Contest{}
	var codes []string
	for _, s := range sheets {
		c := by[s.Circuit]
		if c == nil {
			c = &Contest{Name: s.Circuit, Winners: winners}
			for i := range s.Votes {
				c.Projects = append(c.Projects, strconv.Itoa(i+1))
			}
			by[s.Circuit] = c
			codes = append(codes, s.Circuit)
		}
		c.Tables = append(c.Tables, Table{Code: s.Table, Counts: slices.Clone(s.Votes), Ballots: max(s.Cast, polled[s.Table])})
	}
	sort.Strings(codes)
	out := make([]*Contest, len(codes))
	for i, code := range codes {
		c := by[code]
		sort.Slice(c.Tables, func(a, b int) bool { return c.Tables[a].Code < c.Tables[b].Code })
		out[i] = c
	}
	return out
}

// CircuitReport is where one circuit's risk-limiting audit stands.
type CircuitReport struct {
	Circuit string
	Plan    Plan
	Draws   int      // draws made so far, escalations included
	Sample  []string // the tables drawn, in draw order; a table drawn twice appears twice
	// Pending lists the distinct tables the audit waits for, in draw
	// order: drawn and not yet recounted, or every uncounted table once a
	// full count is called for.
	Pending []string
	// Status assesses the recounted draws; its Outcome is InProgress
	// while Pending is not empty, unless a full count is already needed.
	Status Status
}

// Evaluate runs a circuit's risk-limiting audit on the hand counts
// entered so far (by table code): it draws the initial sample of the plan
// for seed, assesses it once every drawn table is recounted, and extends
// the sample by the draws Assess asks for as often as it escalates, so
// that the whole audit is a function of the seed, the reported sheets and
// the hand counts that anyone can recompute.
func Evaluate(c *Contest, seed string, alpha float64, counts map[string]Recount) (CircuitReport, error) {
	rep := CircuitReport{Circuit: c.Name}
	plan, err := NewPlan(c, alpha)
	if err != nil {
		return rep, err
	}
	rep.Plan = plan
	if plan.FullCount {
		return fullCount(c, rep, alpha, counts)
	}
	if plan.Draws == 0 {
		rep.Status, err = Assess(c, nil, alpha)
		return rep, err
	}
	n := plan.Draws
	for range maxEscalations {
		sample, err := Sample(c, seed, n)
		if err != nil {
			return rep, err
		}
		rep.Draws, rep.Sample, rep.Pending = n, sample, nil
		var recs []Recount
		seen := map[string]bool{}
		for _, code := range sample {
			if r, ok := counts[code]; ok {
				recs = append(recs, r)
			} else if !seen[code] {
				rep.Pending = append(rep.Pending, code)
			}
			seen[code] = true
		}
		st, err := Assess(c, recs, alpha)
		if err != nil {
			return rep, err
		}
		rep.Status = st
		switch {
		case st.Outcome == FullCount:
			return fullCount(c, rep, alpha, counts)
		case len(rep.Pending) > 0:
			rep.Status.Outcome = InProgress
			rep.Status.Reason = fmt.Sprintf("%d of the drawn tables still need a hand count", len(rep.Pending))
			return rep, nil
		case st.Outcome != Escalate:
			return rep, nil
		}
		n += st.MoreDraws
	}
	return fullCount(c, rep, alpha, counts)
}

// fullCount asks for every table of c that can hold a ballot to be counted
// by hand, and assesses the hand counts made so far.
func fullCount(c *Contest, rep CircuitReport, alpha float64, counts map[string]Recount) (CircuitReport, error) {
	rep.Pending = nil
	var recs []Recount
	for _, t := range c.Tables {
		if r, ok := counts[t.Code]; ok {
			recs = append(recs, r)
		} else if bound(t) > 0 {
			rep.Pending = append(rep.Pending, t.Code)
		}
	}
	st, err := Assess(c, recs, alpha)
	if err != nil {
		return rep, err
	}
	if st.Outcome != HandCounted {
		st.Outcome = FullCount
		if rep.Plan.FullCount && rep.Plan.Reason != "" {
			st.Reason = rep.Plan.Reason
		}
	}
	rep.Status = st
	return rep, nil
}

// DrawReport is where a plain national draw stands.
type DrawReport struct {
	Tables        []string // the tables drawn, in draw order
	Pending       []string // drawn tables not yet recounted
	Discrepancies []Discrepancy
}

// EvaluateDraw draws n of the reported tables with Draw and compares each
// hand count entered so far with its sheet. Discrepancies of a plain draw
// carry the counts and ballots found; it has no margins, so their
// Overstatement and Taint stay zero.
func EvaluateDraw(seed string, reported []Table, n int, counts map[string]Recount) DrawReport {
	by := make(map[string]Table, len(reported))
	codes := make([]string, len(reported))
	for i, t := range reported {
		by[t.Code], codes[i] = t, t.Code
	}
	rep := DrawReport{Tables: Draw(seed, codes, n)}
	for _, code := range rep.Tables {
		r, ok := counts[code]
		if !ok {
			rep.Pending = append(rep.Pending, code)
			continue
		}
		t := by[code]
		if !slices.Equal(t.Counts, r.Counts) || overflows(t, r) {
			rep.Discrepancies = append(rep.Discrepancies, Discrepancy{Table: code, Reported: t.Counts, Recounted: r.Counts, Ballots: r.Ballots})
		}
	}
	sort.Slice(rep.Discrepancies, func(i, j int) bool { return rep.Discrepancies[i].Table < rep.Discrepancies[j].Table })
	return rep
}

// Report is where a stored audit stands, computed from the round's
// current sheets and the hand counts entered so far.
type Report struct {
	Audit    *Audit
	Circuits []CircuitReport // KindRisk, in circuit order
	Draw     *DrawReport     // KindDraw
	// Stale is set when a sheet was corrected after the audit was
	// created, so the reported counts it compares against have changed.
	Stale bool
	// Outcomes counts the circuits of a risk-limiting audit by outcome.
	Outcomes map[Outcome]int
}

// NewReport evaluates audit a on a round's current sheets, the poll-book
// ballots per table (polled), the round's winners per circuit, the hand
// counts entered so far and the round's current results epoch.
func NewReport(a *Audit, sheets []tally.Sheet, polled map[string]int64, winners int, counts []*HandCount, epoch int64) (*Report, error) {
	rep := &Report{Audit: a, Stale: epoch != a.Epoch, Outcomes: map[Outcome]int{}}
	byTable := make(map[string]Recount, len(counts))
	for _, h := range counts {
		byTable[h.Table] = h.Recount
	}
	contests := Contests(sheets, polled, winners)
	if a.Kind == KindDraw {
		var tables []Table
		for _, c := range contests {
			tables = append(tables, c.Tables...)
		}
		d := EvaluateDraw(a.Seed, tables, a.Tables, byTable)
		rep.Draw = &d
		return rep, nil
	}
	for _, c := range contests {
		mine := map[string]Recount{}
		for _, t := range c.Tables {
			if r, ok := byTable[t.Code]; ok && len(r.Counts) == len(c.Projects) {
				mine[t.Code] = r
			}
		}
		cr, err := Evaluate(c, a.Seed, a.RiskLimit, mine)
		if err != nil {
			return nil, fmt.Errorf("circuit %s: %w", c.Name, err)
		}
		rep.Outcomes[cr.Status.Outcome]++
		rep.Circuits = append(rep.Circuits, cr)
	}
	return rep, nil
}

// Pending lists every table the audit waits for, in circuit and draw
// order.
func (r *Report) Pending() []string {
	if r.Draw != nil {
		return r.Draw.Pending
	}
	var out []string
	for _, c := range r.Circuits {
		out = append(out, c.Pending...)
	}
	return out
}
