package comuna

import "testing"

func TestRoundAllocation(t *testing.T) {
	pb := func(r *Round) { r.VoteRule, r.Allocation = RuleApproval, Allocation{Rule: AllocMES, Budget: 100000_00} }
	tests := []struct {
		name     string
		edit     func(*Round)
		field    string    // "" means valid
		wantRule AllocRule // after Defaults, when valid
	}{
		{"choose-one defaults to top-k", func(*Round) {}, "", AllocTopK},
		{"choose-one with a budget defaults to greedy", func(r *Round) { r.Allocation.Budget = 500 }, "", AllocGreedy},
		{"approval defaults to greedy, needs a budget", func(r *Round) { r.VoteRule = RuleApproval }, "alloc_budget", ""},
		{"approval greedy with a budget", func(r *Round) { r.VoteRule, r.Allocation.Budget = RuleApproval, 1 }, "", AllocGreedy},
		{"mes add1", func(r *Round) { pb(r); r.Allocation.Completion = "add1"; r.Allocation.Fill = "greedy" }, "", AllocMES},
		{"mes bad completion", func(r *Round) { pb(r); r.Allocation.Completion = "more" }, "alloc_completion", ""},
		{"mes bad fill", func(r *Round) { pb(r); r.Allocation.Fill = "all" }, "alloc_fill", ""},
		{"completion without mes", func(r *Round) { r.Allocation.Completion = "add1" }, "alloc_completion", ""},
		{"unknown rule", func(r *Round) { r.Allocation.Rule = "dhondt" }, "alloc_rule", ""},
		{"negative budget", func(r *Round) { r.Allocation.Budget = -1 }, "alloc_budget", ""},
		{"phragmen on rankings", func(r *Round) { pb(r); r.VoteRule, r.Allocation.Rule = RuleOrdinal, AllocPhragmen }, "alloc_rule", ""},
		{"top-k on points", func(r *Round) { r.VoteRule, r.Allocation.Rule = RuleCumulative, AllocTopK }, "alloc_rule", ""},
		{"borda needs rankings", func(r *Round) { pb(r); r.Allocation.Sat = "borda" }, "alloc_sat", ""},
		{"borda on rankings", func(r *Round) { pb(r); r.VoteRule, r.Allocation.Sat = RuleOrdinal, "borda" }, "", AllocMES},
		{"points need cumulative", func(r *Round) { pb(r); r.Allocation.Sat = "points" }, "alloc_sat", ""},
		{"unknown sat", func(r *Round) { pb(r); r.Allocation.Sat = "joy" }, "alloc_sat", ""},
		{"long PB ballot", func(r *Round) { pb(r); r.BallotSize = 1000 }, "", AllocMES},
		{"too long PB ballot", func(r *Round) { pb(r); r.BallotSize = 1001 }, "ballot_size", ""},
		{"choose-one ballot stays short", func(r *Round) { r.BallotSize = 21 }, "ballot_size", ""},
	}
	for _, tt := range tests {
		r := Round{Name: "Consulta", VoteDate: validRound().VoteDate, TieBreakSeed: "seed"}
		tt.edit(&r)
		r.Defaults()
		err := r.Validate()
		if got := ErrorField(err); got != tt.field || (tt.field == "") != (err == nil) {
			t.Errorf("%s: Validate() = %v (field %q), want field %q", tt.name, err, got, tt.field)
			continue
		}
		if err == nil && r.Allocation.Rule != tt.wantRule {
			t.Errorf("%s: rule after Defaults = %q, want %q", tt.name, r.Allocation.Rule, tt.wantRule)
		}
	}
}
