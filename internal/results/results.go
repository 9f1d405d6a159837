package results

import (
	"github.com/comuna/comuna/internal/allocation"
	"github.com/comuna/comuna/internal/comuna"
)

// Node is the results of one unit: a table, a circuit, a commune, a
// parish, a municipality, a state or the nation. Counts of a node above a
// table are the sums over the tables below it; a table that has not
// reported adds its poll-book counts but no sheet.
type Node struct {
	Level comuna.Level `json:"level"`
	Code  string       `json:"code"` // "" for the nation
	Name  string       `json:"name"`
	// ParentLevel and Parent name the node above: the circuit a table
	// serves, the nation for a state (code ""), nothing for the nation.
	ParentLevel comuna.Level `json:"parent_level,omitempty"`
	Parent      string       `json:"parent,omitempty"`
	// Centre and CentreName are the voting centre of a table.
	Centre     string `json:"centre,omitempty"`
	CentreName string `json:"centre_name,omitempty"`

	// From the accepted tally sheets.
	Cast     int64 `json:"cast"`
	Blank    int64 `json:"blank"`
	Null     int64 `json:"null"`
	Valid    int64 `json:"valid"` // ballots that chose a project
	Received int64 `json:"received"`
	Unused   int64 `json:"unused"`
	// From the poll book, for every table whether it has reported or not.
	CheckIns     int64 `json:"check_ins"`
	WalkIns      int64 `json:"walk_ins"`
	TablesClosed int   `json:"tables_closed"`

	TablesReported int `json:"tables_reported"` // tables with an accepted sheet
	TablesExpected int `json:"tables_expected"` // tables in the territory below

	// Census is the residents aged 15 and over in the councils below; a
	// table has none of its own, since residents are counted by council.
	Census int64 `json:"census"`
	// Turnout is Cast / Census, 0 when the census is 0; TurnoutText shows
	// it as a percentage with one decimal, e.g. "37.5%", or "n/a".
	Turnout     float64 `json:"turnout"`
	TurnoutText string  `json:"turnout_text"`
	// OverCensus flags a unit whose check-ins and walk-ins pass its
	// census: more voters admitted than residents who may vote.
	OverCensus bool `json:"over_census"`

	// Circuits counts the circuits below (1 for a circuit), CircuitsFinal
	// those where every table has reported. Funded counts the projects
	// the decision of those final circuits funds, and FundedAmount what
	// they receive: the money committed so far.
	Circuits      int          `json:"circuits"`
	CircuitsFinal int          `json:"circuits_final"`
	Funded        int          `json:"funded"`
	FundedAmount  comuna.Cents `json:"funded_amount"`

	// Provisional is set until every table below has reported (and always
	// for a node with no tables at all).
	Provisional bool `json:"provisional"`

	// Votes of a table that has reported, by ballot number (Votes[i] for
	// number i+1), as on its sheet.
	Votes []int64 `json:"votes,omitempty"`
	// Projects of a circuit with a ballot, in ballot order, and its
	// Decision by the round's rules (allocation.Decide): nil until a table
	// of the circuit has reported, or when it cannot be decided, which
	// DecisionError says why.
	Projects      []ProjectResult      `json:"projects,omitempty"`
	Decision      *allocation.Decision `json:"-"`
	DecisionError string               `json:"decision_error,omitempty"`

	parent     int32 // -1 for the nation
	first, end int32 // the children's ids, [first, end)
}

// ProjectResult is one project of a circuit's ballot with its votes.
type ProjectResult struct {
	Number     int          `json:"number"` // on the ballot, from 1
	ProposalID int64        `json:"proposal_id"`
	Title      string       `json:"title"`
	Cost       comuna.Cents `json:"cost"`
	Votes      int64        `json:"votes"`
	// Share is Votes over the circuit's valid votes, from 0 to 1; 0 while
	// there are none.
	Share float64 `json:"share"`
	// Won is set when the circuit's decision funds the project,
	// provisionally unless the circuit is final; Position is then its
	// place in the order of selection, from 1, and Amount what it
	// receives.
	Won      bool         `json:"won"`
	Position int          `json:"position,omitempty"`
	Amount   comuna.Cents `json:"amount,omitempty"`
}

// Problem is input Compute left out because it does not fit the round's
// territory or ballots, for an operator to look into.
type Problem struct {
	Table   string `json:"table,omitempty"`
	Circuit string `json:"circuit,omitempty"`
	Message string `json:"message"`
}

// Results is the live results of a round at one moment. It is read-only
// once computed and safe for concurrent use.
type Results struct {
	RoundID  int64
	Problems []Problem // sorted by table, then circuit
	idx      *Index
	nodes    []Node
}

// Node returns the node of a level and code; the nation is
// (LevelNation, "").
func (r *Results) Node(level comuna.Level, code string) (*Node, bool) {
	id, ok := r.idx.ids[nodeKey{level, code}]
	if !ok {
		return nil, false
	}
	return &r.nodes[id], true
}

// Nation returns the node of the whole territory.
func (r *Results) Nation() *Node { return &r.nodes[0] }

// Children returns the nodes one level below n in code order: the states
// of the nation, …, the circuits of a commune, the tables serving a
// circuit; none for a table.
func (r *Results) Children(n *Node) []*Node {
	out := make([]*Node, 0, n.end-n.first)
	for id := n.first; id < n.end; id++ {
		out = append(out, &r.nodes[id])
	}
	return out
}

// Parent returns the node above n, or nil for the nation.
func (r *Results) Parent(n *Node) *Node {
	if n.parent < 0 {
		return nil
	}
	return &r.nodes[n.parent]
}

// Ancestors returns the nodes above n from the nation down to its parent,
// for breadcrumbs; none for the nation.
func (r *Results) Ancestors(n *Node) []*Node {
	var out []*Node
	for p := r.Parent(n); p != nil; p = r.Parent(p) {
		out = append(out, p)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// Level returns every node of a level in code order, e.g. all circuits
// for open data.
func (r *Results) Level(level comuna.Level) []*Node {
	ids := r.idx.byCode[level]
	out := make([]*Node, len(ids))
	for i, id := range ids {
		out[i] = &r.nodes[id]
	}
	return out
}
