package comuna

import "context"

// AllocRule names the rule that turns a circuit's votes into funded
// projects. The names are those of package pb.
type AllocRule string

// Allocation rules. AllocTopK funds the WinnersPerCircuit most voted
// projects (the consultations' rule); the others spend a budget per
// circuit on participatory-budgeting ballots.
const (
	AllocTopK     AllocRule = "topk"
	AllocGreedy   AllocRule = "greedy"
	AllocMES      AllocRule = "mes"
	AllocPhragmen AllocRule = "phragmen"
)

// Allocation is how a round decides which projects are funded. It is fixed
// with the round's other settings once the round leaves draft.
type Allocation struct {
	Rule AllocRule
	// Sat measures a voter's satisfaction: cost, card, points or borda;
	// "" is the vote rule's default (cost for approval, points for
	// cumulative, borda for ordinal ballots).
	Sat string
	// Completion completes an MES outcome: none, increase or add1.
	Completion string
	// Fill spends what MES leaves: none or greedy.
	Fill string
	// Budget is the money to spend per circuit; 0 means no budget, and
	// the top WinnersPerCircuit projects win.
	Budget Cents
}

// MaxBallotSize is the longest ballot a round may have: choose-one
// ballots are printed and numbered by hand, participatory budgets list
// every project of a city.
func MaxBallotSize(v VoteRule) int {
	if v == RuleChooseOne || v == "" {
		return 20
	}
	return 1000
}

// EffectiveRule is the allocation rule a round runs: its own, or when
// none is set (rounds from before allocation rules), top-k for
// choose-one consultations without a budget and greedy otherwise.
func (r *Round) EffectiveRule() AllocRule {
	if r.Allocation.Rule != "" {
		return r.Allocation.Rule
	}
	if (r.VoteRule == RuleChooseOne || r.VoteRule == "") && r.Allocation.Budget == 0 {
		return AllocTopK
	}
	return AllocGreedy
}

// allocDefaults fills the rule from the vote rule (EffectiveRule) and an
// MES rule's completion and fill.
func (r *Round) allocDefaults() {
	a := &r.Allocation
	a.Rule = r.EffectiveRule()
	if a.Rule != AllocMES {
		return
	}
	if a.Completion == "" {
		a.Completion = "none"
	}
	if a.Fill == "" {
		a.Fill = "none"
	}
}

// validateAllocation checks the allocation against the vote rule, naming
// the field at fault.
func (r *Round) validateAllocation() error {
	a := r.Allocation
	a.Rule = r.EffectiveRule()
	switch a.Rule {
	case AllocTopK:
		if r.VoteRule != RuleChooseOne && r.VoteRule != RuleApproval {
			return FieldError("alloc_rule", "top-k counts votes; it needs choose-one or approval ballots")
		}
	case AllocGreedy, AllocMES:
	case AllocPhragmen:
		if r.VoteRule != RuleChooseOne && r.VoteRule != RuleApproval {
			return FieldError("alloc_rule", "Phragmén needs choose-one or approval ballots")
		}
	default:
		return FieldError("alloc_rule", "unknown allocation rule %q (want topk, greedy, mes or phragmen)", a.Rule)
	}
	if a.Budget < 0 {
		return FieldError("alloc_budget", "the budget cannot be negative")
	}
	if a.Rule != AllocTopK && a.Budget == 0 {
		return FieldError("alloc_budget", "rule %s spends a budget; give the budget per circuit", a.Rule)
	}
	switch a.Sat {
	case "", "cost", "card":
	case "points":
		if r.VoteRule != RuleCumulative {
			return FieldError("alloc_sat", "points satisfaction needs cumulative ballots")
		}
	case "borda":
		if r.VoteRule != RuleOrdinal {
			return FieldError("alloc_sat", "Borda satisfaction needs ordinal ballots")
		}
	default:
		return FieldError("alloc_sat", "unknown satisfaction %q (want cost, card, points or borda)", a.Sat)
	}
	if a.Rule != AllocMES {
		if (a.Completion != "" && a.Completion != "none") || (a.Fill != "" && a.Fill != "none") {
			return FieldError("alloc_completion", "completion and fill apply to rule mes only")
		}
		return nil
	}
	switch a.Completion {
	case "", "none", "increase", "add1":
	default:
		return FieldError("alloc_completion", "unknown completion %q (want none, increase or add1)", a.Completion)
	}
	switch a.Fill {
	case "", "none", "greedy":
	default:
		return FieldError("alloc_fill", "unknown fill %q (want none or greedy)", a.Fill)
	}
	return nil
}

// PBBallot is one voter's ballot in a participatory-budgeting round: the
// ballot numbers chosen, in order (a ranking for ordinal ballots), and the
// points given to each for cumulative ballots.
type PBBallot struct {
	Voter    string // the voter's identifier in the source, e.g. a pabulib voter_id
	Projects []int
	Points   []int64 // nil unless the ballots carry points
}

// PBImport is a whole participatory budget loaded at once: the territory
// units it needs in the editable territory, a round, its projects (with
// their council), one published ballot per circuit listing the projects
// by index into Proposals, and the voters' ballots per circuit.
type PBImport struct {
	Units     []Unit
	Round     *Round
	Proposals []*Proposal
	// Ballots maps a circuit code to indices into Proposals, in ballot
	// order: item i is ballot number i+1.
	Ballots map[string][]int
	Votes   map[string][]PBBallot
	// UserID is who the import and the round's phase moves are recorded
	// as; 0 is the command line.
	UserID int64
}

// PBService stores participatory-budgeting rounds and their voters'
// ballots.
type PBService interface {
	// ImportPB stores a whole participatory budget in one transaction and
	// moves its round to the results phase; any error stores nothing. It
	// sets the round's and proposals' ids. progress, if not nil, is told
	// how many ballots are stored so far.
	ImportPB(ctx context.Context, imp *PBImport, progress func(n int)) error
	// PBBallots returns a circuit's stored ballots in their stored order;
	// none is not an error.
	PBBallots(ctx context.Context, roundID int64, circuit string) ([]PBBallot, error)
	// PBCircuits lists the circuits of a round that have stored ballots.
	PBCircuits(ctx context.Context, roundID int64) ([]string, error)
}
