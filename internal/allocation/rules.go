package allocation

import (
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

// Rules are a round's settings that decide what each of its circuits
// funds, exactly those the round's record in the transparency log carries
// (record.Round), so that a verifier and the server decide alike.
type Rules struct {
	RoundID  int64
	VoteRule comuna.VoteRule
	// Allocation is the rule and its settings; an empty Rule is the vote
	// rule's default (comuna.Round.EffectiveRule).
	Allocation comuna.Allocation
	Winners    int          // projects funded per circuit under top-k
	Amount     comuna.Cents // what each top-k winner receives
	TieBreak   comuna.TieBreak
	Seed       string // the tie-break's seed, published before the vote
}

// RulesOf returns the rules of a round.
func RulesOf(r *comuna.Round) Rules {
	return Rules{RoundID: r.ID, VoteRule: r.VoteRule, Allocation: r.Allocation, Winners: r.WinnersPerCircuit,
		Amount: r.AmountPerProject, TieBreak: r.TieBreak, Seed: r.TieBreakSeed}
}

// Rule is the allocation rule the rules run.
func (r Rules) Rule() comuna.AllocRule {
	rd := comuna.Round{VoteRule: r.VoteRule, Allocation: r.Allocation}
	return rd.EffectiveRule()
}

// Check reports whether the rules can decide a circuit at all: a known
// tie-break with its seed, a known rule, a budget for the rules that spend
// one and at least one winner for top-k. Errors are EInvalid and name the
// field at fault. Decide checks the rest on each circuit.
func (r Rules) Check() error {
	switch r.TieBreak {
	case comuna.TieLottery, comuna.TieLowerCost:
		if strings.TrimSpace(r.Seed) == "" {
			return comuna.FieldError("tie_break_seed", "a lottery tie-break needs its seed")
		}
	case comuna.TieBallotNumber:
	default:
		return comuna.FieldError("tie_break", "unknown tie-break %q", r.TieBreak)
	}
	if r.Allocation.Budget < 0 {
		return comuna.FieldError("alloc_budget", "the budget cannot be negative")
	}
	switch rule := r.Rule(); rule {
	case comuna.AllocTopK:
		if r.Winners < 1 {
			return comuna.FieldError("winners", "top-k needs at least one winner per circuit, not %d", r.Winners)
		}
	case comuna.AllocGreedy, comuna.AllocMES, comuna.AllocPhragmen:
		if r.Allocation.Budget == 0 {
			return comuna.FieldError("alloc_budget", "rule %s spends a budget; give the budget per circuit", rule)
		}
	default:
		return comuna.FieldError("alloc_rule", "unknown allocation rule %q", rule)
	}
	return nil
}
