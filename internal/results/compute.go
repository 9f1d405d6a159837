package results

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/comuna/comuna/internal/allocation"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

// Compute adds up a round's results over the territory of idx, which must
// be the round's.
//
// ballots holds each circuit's current ballot by circuit code; sheets the
// current accepted version of each reported table's sheet (see Sheets);
// counts each table's poll-book counters by table code; pbVotes the
// stored ballots of a participatory budget's circuits by circuit code (nil
// for a consultation). A circuit is final when it has tables and every one
// of them has reported, or when it has stored ballots, which are its whole
// vote; its decision is then no longer provisional and what it funds
// counts at every level above.
//
// What a circuit funds is decided by allocation.Decide with the round's
// rules (allocation.RulesOf), from the votes of its reported tables or
// from its stored ballots.
//
// A sheet is left out and listed in Results.Problems when its table is not
// in the territory, it is of another round, it names another circuit than
// the one its table serves, its vote counts do not match the circuit's
// ballot one for one, a count is negative, or an earlier sheet of the same
// table was counted already; so are poll-book counts of an unknown table,
// and a circuit that cannot be decided (its ballot repeats a number, a
// stored ballot names a number not on it). Compute fails only when the
// round's own rules are broken (allocation.Rules.Check): an unknown
// tie-break, a lottery without its seed, a budget rule without a budget.
func Compute(idx *Index, round *comuna.Round, ballots map[string][]comuna.BallotItem, sheets []tally.Sheet, counts map[string]voteday.TableCount, pbVotes map[string][]comuna.PBBallot) (*Results, error) {
	if idx == nil || round == nil {
		return nil, comuna.Errorf(comuna.EInvalid, "results: Compute needs an index and a round")
	}
	// The round's rules decide every circuit alike: check them once.
	rules := allocation.RulesOf(round)
	if err := rules.Check(); err != nil {
		return nil, fmt.Errorf("results: round %d: %w", round.ID, err)
	}
	c := newComputation(idx, round, ballots)
	c.rules, c.pbVotes = rules, pbVotes
	for i := range sheets {
		c.addSheet(&sheets[i])
	}
	for code, tc := range counts {
		id, ok := idx.tables[code]
		if !ok {
			c.problem(code, "", "poll-book counts for a table that is not in the round's territory")
			continue
		}
		t := &c.nodes[id]
		t.CheckIns, t.WalkIns = tc.CheckIns, tc.WalkIns
		if tc.Closed {
			t.TablesClosed = 1
		}
	}
	c.rollUp()
	slices.SortStableFunc(c.problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Table, b.Table), cmp.Compare(a.Circuit, b.Circuit))
	})
	return &Results{RoundID: round.ID, Problems: c.problems, idx: idx, nodes: c.nodes}, nil
}

// Sheets returns the tally sheets of accepted sheet versions, such as
// voteday.Store.CurrentSheets returns, for Compute. The round and circuit
// recorded on a version fill the sheet's when it leaves them out. The
// sheets share their vote slices with the versions.
func Sheets(versions []*voteday.SheetVersion) []tally.Sheet {
	out := make([]tally.Sheet, 0, len(versions))
	for _, v := range versions {
		s := v.Sheet
		if s.RoundID == 0 {
			s.RoundID = v.RoundID
		}
		if s.Table == "" {
			s.Table = v.Table
		}
		if s.Circuit == "" {
			s.Circuit = v.Circuit
		}
		out = append(out, s)
	}
	return out
}

// computation is the state of one Compute. Per-circuit arrays are indexed
// by the circuit's id minus circuits.lo; a circuit's ballot positions are
// [offset[i], offset[i+1]) of votes, projects and contest.
type computation struct {
	idx      *Index
	round    *comuna.Round
	rules    allocation.Rules
	pbVotes  map[string][]comuna.PBBallot
	nodes    []Node
	circuits span
	ballot   [][]comuna.BallotItem
	offset   []int32
	votes    []int64
	projects []ProjectResult
	problems []Problem
}

func newComputation(idx *Index, round *comuna.Round, ballots map[string][]comuna.BallotItem) *computation {
	c := &computation{idx: idx, round: round, nodes: slices.Clone(idx.nodes), circuits: idx.levels[comuna.LevelCircuit]}
	n := int(c.circuits.hi - c.circuits.lo)
	c.ballot = make([][]comuna.BallotItem, n)
	c.offset = make([]int32, n+1)
	for i := range n {
		b := ballots[c.nodes[c.circuits.lo+int32(i)].Code]
		c.ballot[i] = b
		c.offset[i+1] = c.offset[i] + int32(len(b))
	}
	c.votes = make([]int64, c.offset[n])
	c.projects = make([]ProjectResult, c.offset[n])
	return c
}

func (c *computation) problem(table, circuit, format string, args ...any) {
	c.problems = append(c.problems, Problem{Table: table, Circuit: circuit, Message: fmt.Sprintf(format, args...)})
}

// addSheet counts one sheet into its table and its circuit's votes, or
// records why it cannot.
func (c *computation) addSheet(s *tally.Sheet) {
	id, ok := c.idx.tables[s.Table]
	if !ok {
		c.problem(s.Table, s.Circuit, "the sheet's table is not in the round's territory")
		return
	}
	t := &c.nodes[id]
	ci := t.parent - c.circuits.lo
	want := len(c.ballot[ci])
	switch {
	case s.RoundID != c.round.ID:
		c.problem(t.Code, t.Parent, "the sheet is of round %d, not round %d", s.RoundID, c.round.ID)
	case s.Circuit != "" && s.Circuit != t.Parent:
		c.problem(t.Code, t.Parent, "the sheet names circuit %q, but the table serves circuit %q", s.Circuit, t.Parent)
	case want == 0:
		c.problem(t.Code, t.Parent, "the circuit has no ballot, but the sheet has %d vote counts", len(s.Votes))
	case len(s.Votes) != want:
		c.problem(t.Code, t.Parent, "the sheet has %d vote counts, but the circuit's ballot has %d projects", len(s.Votes), want)
	case negative(s):
		c.problem(t.Code, t.Parent, "the sheet has a negative count")
	case t.TablesReported > 0:
		c.problem(t.Code, t.Parent, "a second current sheet for the table; only the first is counted")
	default:
		t.Cast, t.Blank, t.Null, t.Received, t.Unused = s.Cast, s.Blank, s.Null, s.Received, s.Unused
		t.Votes = slices.Clip(slices.Clone(s.Votes))
		t.TablesReported = 1
		votes := c.votes[c.offset[ci]:c.offset[ci+1]]
		for k, v := range s.Votes {
			votes[k] += v
			t.Valid += v
		}
	}
}

func negative(s *tally.Sheet) bool {
	if s.Cast < 0 || s.Blank < 0 || s.Null < 0 || s.Received < 0 || s.Unused < 0 {
		return true
	}
	return slices.ContainsFunc(s.Votes, func(v int64) bool { return v < 0 })
}

// rollUp finishes every node and adds it into its parent. Ids run from
// parents to children, so walking them backwards finishes all tables of a
// circuit before the circuit, and all circuits of a commune before it.
func (c *computation) rollUp() {
	for id := int32(len(c.nodes)) - 1; id >= 0; id-- {
		n := &c.nodes[id]
		if id >= c.circuits.lo && id < c.circuits.hi {
			c.finishCircuit(n, id-c.circuits.lo)
		}
		n.Provisional = n.TablesExpected == 0 || n.TablesReported < n.TablesExpected
		n.TurnoutText = "n/a"
		if n.Census > 0 {
			n.Turnout = float64(n.Cast) / float64(n.Census)
			n.TurnoutText = strconv.FormatFloat(100*n.Turnout, 'f', 1, 64) + "%"
		}
		n.OverCensus = comuna.OverCensus(n.CheckIns+n.WalkIns, n.Census)
		if n.parent < 0 {
			continue
		}
		p := &c.nodes[n.parent]
		p.Cast += n.Cast
		p.Blank += n.Blank
		p.Null += n.Null
		p.Valid += n.Valid
		p.Received += n.Received
		p.Unused += n.Unused
		p.CheckIns += n.CheckIns
		p.WalkIns += n.WalkIns
		p.TablesClosed += n.TablesClosed
		p.TablesReported += n.TablesReported
		p.CircuitsFinal += n.CircuitsFinal
		p.Funded += n.Funded
		p.FundedAmount += n.FundedAmount
	}
}

// finishCircuit gives a circuit, whose tables are all added, its projects
// and its decision. ci is its position among the circuits.
func (c *computation) finishCircuit(n *Node, ci int32) {
	items := c.ballot[ci]
	if len(items) == 0 {
		return
	}
	lo, hi := c.offset[ci], c.offset[ci+1]
	votes, ps := c.votes[lo:hi], c.projects[lo:hi:hi]
	in := &allocation.Circuit{Rules: c.rules, Code: n.Code, Projects: make([]allocation.Project, len(items))}
	for k, it := range items {
		var v int64
		if it.Number >= 1 && it.Number <= len(votes) {
			v = votes[it.Number-1]
		}
		ps[k] = ProjectResult{Number: it.Number, ProposalID: it.ProposalID, Title: it.Title, Cost: it.Cost, Votes: v}
		if n.Valid > 0 {
			ps[k].Share = float64(v) / float64(n.Valid)
		}
		in.Projects[k] = allocation.Project{Number: it.Number, ProposalID: it.ProposalID, ExternalID: it.ExternalID, Title: it.Title, Cost: it.Cost}
	}
	n.Projects = ps
	if stored := c.pbVotes[n.Code]; len(stored) > 0 {
		// A participatory budget's stored ballots are the circuit's
		// whole vote.
		in.Ballots = stored
		n.TablesReported = n.TablesExpected
	} else if n.TablesReported == 0 {
		return
	} else {
		in.Votes, in.Blank = votes, n.Blank
	}
	d, err := allocation.Decide(in)
	if err != nil {
		c.problem("", n.Code, "the circuit's funded projects cannot be decided: %s", comuna.ErrorMessage(err))
		n.DecisionError = comuna.ErrorMessage(err)
		return
	}
	n.Decision = d
	for _, f := range d.Funded {
		for k := range ps {
			if ps[k].Number == f.Number {
				ps[k].Won, ps[k].Position, ps[k].Amount = true, f.Position, f.Amount
			}
		}
	}
	if n.TablesExpected > 0 && n.TablesReported >= n.TablesExpected {
		n.CircuitsFinal = 1
		n.Funded = len(d.Funded)
		n.FundedAmount = d.Amount
	}
}
