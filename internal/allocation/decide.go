package allocation

import (
	"fmt"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pb"
)

// Decision is what a circuit funds, and why.
type Decision struct {
	// Rule is the allocation rule that decided, and Options the engine's
	// settings of it.
	Rule    comuna.AllocRule
	Options pb.Options
	// TieBreak is the round's announced tie-break, which ordered equals.
	TieBreak comuna.TieBreak
	// Budget is the money the rule could spend; 0 for top-k without a
	// budget.
	Budget comuna.Cents
	Voters int64
	// Funded lists the funded projects in the order the rule chose them.
	Funded []Funded
	// Cost is what the funded projects cost, Amount what they receive.
	Cost, Amount comuna.Cents
	// Projects lists every project of the ballot in ballot order with the
	// engine's explanation of its outcome.
	Projects []Explained
}

// Funded is a funded project: its place in the order of selection, from 1,
// and the money it receives.
type Funded struct {
	Project
	Position int
	Amount   comuna.Cents
}

// Explained is a project with the engine's explanation of its outcome, as
// data: a page renders it in its own language.
type Explained struct {
	Project
	pb.Explanation
	// Amount is what the project receives, 0 if it is not funded.
	Amount comuna.Cents
}

// Decide decides what a circuit funds by its round's rules and announced
// tie-break. Under top-k each of the Winners most voted projects receives
// the round's Amount, and a project without votes is never funded; under a
// rule that spends a budget each funded project receives its cost.
//
// Errors are EInvalid: rules Check rejects, a ballot that repeats a number,
// a vote for a number not on the ballot, input the engine cannot run on.
func Decide(c *Circuit) (*Decision, error) {
	if err := c.Rules.Check(); err != nil {
		return nil, err
	}
	inst, prof, err := Election(c)
	if err != nil {
		return nil, comuna.Errorf(comuna.EInvalid, "%v", err)
	}
	opts := Options(c.Rules)
	opts.TieBreak = TieBreak(c.Rules, c.Code, tieCandidates(c, opts.Rule))
	out, err := pb.Allocate(inst, prof, opts)
	if err != nil {
		return nil, comuna.Errorf(comuna.EInvalid, "allocation: circuit %s: %v", c.Code, err)
	}
	d := &Decision{Rule: c.Rules.Rule(), Options: opts, TieBreak: c.Rules.TieBreak, Budget: c.Rules.Allocation.Budget, Voters: prof.Voters()}
	d.Options.TieBreak = nil
	topk := opts.Rule == pb.RuleTopK
	if topk {
		dropUnsupported(inst, out)
	}
	amount := func(p Project) comuna.Cents {
		if topk {
			return c.Rules.Amount
		}
		return p.Cost
	}
	byID := make(map[string]Project, len(c.Projects))
	for _, p := range c.Projects {
		byID[ID(p.Number)] = p
	}
	d.Funded = make([]Funded, 0, len(out.Selected))
	for i, id := range out.Selected {
		p, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("allocation: circuit %s: the engine funded unknown project %q", c.Code, id)
		}
		f := Funded{Project: p, Position: i + 1, Amount: amount(p)}
		d.Funded = append(d.Funded, f)
		d.Cost += p.Cost
		d.Amount += f.Amount
	}
	d.Projects = make([]Explained, len(c.Projects))
	for i, p := range c.Projects {
		e := Explained{Project: p, Explanation: out.Explanations[ID(p.Number)]}
		if e.Selected {
			e.Amount = amount(p)
		}
		d.Projects[i] = e
	}
	return d, nil
}

// tieCandidates returns the projects the tie-break must order. Top-k on a
// consultation's counts compares projects only by votes, so only projects
// with as many votes as another can tie; skipping the others' lottery
// draws keeps national results fast. Any other rule may tie any two.
func tieCandidates(c *Circuit, rule pb.Rule) []Project {
	if rule != pb.RuleTopK || c.Ballots != nil {
		return c.Projects
	}
	votes := func(p Project) int64 {
		if p.Number >= 1 && p.Number <= len(c.Votes) {
			return c.Votes[p.Number-1]
		}
		return 0
	}
	var out []Project
	for i, p := range c.Projects {
		for j, q := range c.Projects {
			if i != j && votes(p) == votes(q) {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// Won reports whether the decision funds the project of a ballot number.
func (d *Decision) Won(number int) bool {
	for _, f := range d.Funded {
		if f.Number == number {
			return true
		}
	}
	return false
}
