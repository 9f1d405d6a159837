package pb

import (
	"fmt"
	"math/big"
	"sort"
)

// Rule names an allocation rule.
type Rule string

// The rules Allocate runs.
const (
	RuleGreedy   Rule = "greedy"   // greedy utilitarian welfare
	RuleMES      Rule = "mes"      // the Method of Equal Shares
	RulePhragmen Rule = "phragmen" // sequential Phragmén (approval ballots)
	RuleTopK     Rule = "topk"     // the K most supported projects win
)

// Sat names how a voter's satisfaction with a project is measured.
type Sat string

// The satisfaction measures. SatCost counts a supported project's cost,
// SatCard counts 1, SatPoints the points the voter gave it and SatBorda its
// Borda score (ballot length − position − 1).
const (
	SatCost   Sat = "cost"
	SatCard   Sat = "card"
	SatPoints Sat = "points"
	SatBorda  Sat = "borda"
)

// Completion names how an MES outcome that leaves money unspent is completed.
type Completion string

// The MES completions, as pabutools defines them: CompletionIncrease reruns
// MES with the budget raised in steps of 1% (exhaustion_by_budget_increase);
// CompletionAdd1 adds one currency unit to every voter's budget per step
// (voter_budget_increment=1).
const (
	CompletionNone     Completion = "none"
	CompletionIncrease Completion = "increase"
	CompletionAdd1     Completion = "add1"
)

// Fill names what spends the money left after a rule.
type Fill string

// FillGreedy completes the outcome with greedy utilitarian welfare under
// cost satisfaction (pabutools' rule combination MES → greedy).
const (
	FillNone   Fill = "none"
	FillGreedy Fill = "greedy"
)

// TieBreak orders projects for breaking ties: a project listed earlier wins.
// Projects not listed come after the listed ones, by id compared as strings.
// The zero value is pabutools' default, the id as a string ("11" before "2");
// a round can pass a published lottery permutation instead.
type TieBreak []string

// ranks returns rank[i] for each project of inst: lower wins.
func (tb TieBreak) ranks(inst *Instance) []int {
	pos := make(map[string]int, len(tb))
	for i, id := range tb {
		if _, ok := pos[id]; !ok {
			pos[id] = i
		}
	}
	idx := make([]int, len(inst.Projects))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		pa, oka := pos[inst.Projects[idx[a]].ID]
		pb, okb := pos[inst.Projects[idx[b]].ID]
		switch {
		case oka && okb:
			return pa < pb
		case oka != okb:
			return oka
		}
		return inst.Projects[idx[a]].ID < inst.Projects[idx[b]].ID
	})
	rank := make([]int, len(idx))
	for r, i := range idx {
		rank[i] = r
	}
	return rank
}

// Options selects a rule and its parameters for Allocate.
type Options struct {
	Rule       Rule
	Sat        Sat // empty: DefaultSat of the profile
	Completion Completion
	Fill       Fill
	K          int // number of winners for RuleTopK
	TieBreak   TieBreak
}

// DefaultSat is the satisfaction measure a profile's ballots suggest: cost
// for approval ballots, points for cumulative and scoring ballots, Borda for
// rankings.
func DefaultSat(kind BallotKind) Sat {
	switch kind {
	case Cumulative, Scoring:
		return SatPoints
	case Ordinal:
		return SatBorda
	}
	return SatCost
}

// Outcome is the result of a rule.
type Outcome struct {
	Rule Rule
	// Selected lists the funded project ids in the order the rule chose them.
	Selected []string
	// Cost is the total cost of the selected projects.
	Cost *big.Rat
	// Explanations says for every project why it won or lost.
	Explanations map[string]Explanation
	// Share is, for MES, each voter's starting budget in the run returned
	// (budget ÷ voters, or more after a completion); nil for other rules.
	Share *big.Rat
}

// Allocate runs the rule opts names on an instance and profile.
func Allocate(inst *Instance, prof *Profile, opts Options) (*Outcome, error) {
	if err := Validate(inst, prof); err != nil {
		return nil, err
	}
	sat := opts.Sat
	if sat == "" {
		sat = DefaultSat(prof.Kind)
	}
	if opts.Completion == "" {
		opts.Completion = CompletionNone
	}
	if opts.Fill == "" {
		opts.Fill = FillNone
	}
	if opts.Rule != RuleMES && (opts.Completion != CompletionNone || opts.Fill != FillNone) {
		return nil, fmt.Errorf("%w: completion and fill apply to rule mes only", ErrInvalid)
	}
	switch opts.Rule {
	case RuleGreedy, "":
		return Greedy(inst, prof, sat, opts.TieBreak)
	case RuleMES:
		return EqualShares(inst, prof, MESOptions{Sat: sat, Completion: opts.Completion, Fill: opts.Fill, TieBreak: opts.TieBreak})
	case RulePhragmen:
		return Phragmen(inst, prof, opts.TieBreak)
	case RuleTopK:
		return TopK(inst, prof, opts.K, opts.TieBreak)
	}
	return nil, fmt.Errorf("%w: unknown rule %q", ErrInvalid, opts.Rule)
}
