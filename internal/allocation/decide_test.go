package allocation

import (
	"fmt"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

// TestDecideGreedyAgainstTopK decides one consultation circuit by top-k
// and by greedy with a budget: the most voted project costs more than the
// budget, so the rules disagree, and each funded project receives the
// round's amount under top-k and its cost under greedy.
func TestDecideGreedyAgainstTopK(t *testing.T) {
	ps := []Project{{Number: 1, Cost: 2_000_000}, {Number: 2, Cost: 500_000}, {Number: 3, Cost: 800_000}}
	votes := []int64{30, 20, 10}
	topk := Rules{RoundID: 1, VoteRule: comuna.RuleChooseOne, Winners: 2, Amount: 1_000_000, TieBreak: comuna.TieBallotNumber}
	greedy := topk
	greedy.Allocation = comuna.Allocation{Rule: comuna.AllocGreedy, Budget: 1_500_000}
	tests := []struct {
		name   string
		rules  Rules
		funded string
		amount comuna.Cents
		reason []string
	}{
		{"top-k", topk, "1:1000000 2:1000000", 2_000_000, []string{"selected", "selected", "too-few-votes"}},
		{"greedy", greedy, "2:500000 3:800000", 1_300_000, []string{"did-not-fit", "selected", "selected"}},
	}
	for _, tt := range tests {
		d, err := Decide(&Circuit{Rules: tt.rules, Code: "C", Projects: ps, Votes: votes, Blank: 3})
		if err != nil {
			t.Fatalf("%s: Decide() = %v", tt.name, err)
		}
		got := ""
		for i, f := range d.Funded {
			if f.Position != i+1 {
				t.Errorf("%s: funded %d at position %d", tt.name, f.Number, f.Position)
			}
			got += fmt.Sprintf(" %d:%d", f.Number, f.Amount)
		}
		if got != " "+tt.funded || d.Amount != tt.amount {
			t.Errorf("%s: funded%s, amount %d; want %s, %d", tt.name, got, d.Amount, tt.funded, tt.amount)
		}
		for i, e := range d.Projects {
			if e.Reason != tt.reason[i] || e.Selected != d.Won(e.Number) || (e.Amount != 0) != e.Selected {
				t.Errorf("%s: project %d: reason %q, selected %v, amount %d; want %q", tt.name, e.Number, e.Reason, e.Selected, e.Amount, tt.reason[i])
			}
		}
		if d.Voters != 63 {
			t.Errorf("%s: %d voters, want 63 (60 votes and 3 blank)", tt.name, d.Voters)
		}
	}
}

// TestRulesCheck checks that rules that cannot decide any circuit fail,
// naming the field.
func TestRulesCheck(t *testing.T) {
	ok := Rules{RoundID: 1, VoteRule: comuna.RuleChooseOne, Winners: 2, TieBreak: comuna.TieLottery, Seed: "s"}
	tests := []struct {
		name  string
		edit  func(*Rules)
		field string
	}{
		{"lottery without seed", func(r *Rules) { r.Seed = " " }, "tie_break_seed"},
		{"unknown tie-break", func(r *Rules) { r.TieBreak = "coin" }, "tie_break"},
		{"no winners", func(r *Rules) { r.Winners = 0 }, "winners"},
		{"greedy without budget", func(r *Rules) { r.Allocation.Rule = comuna.AllocGreedy }, "alloc_budget"},
		{"unknown rule", func(r *Rules) { r.Allocation.Rule = "dice" }, "alloc_rule"},
		{"negative budget", func(r *Rules) { r.Allocation.Budget = -1 }, "alloc_budget"},
	}
	if err := ok.Check(); err != nil {
		t.Fatalf("Check(%+v) = %v", ok, err)
	}
	for _, tt := range tests {
		r := ok
		tt.edit(&r)
		err := r.Check()
		var ce *comuna.Error
		if e, isErr := err.(*comuna.Error); isErr {
			ce = e
		}
		if ce == nil || ce.Code != comuna.EInvalid || ce.Field != tt.field {
			t.Errorf("%s: Check() = %v, want an %s error on %s", tt.name, err, comuna.EInvalid, tt.field)
		}
		if _, err := Decide(&Circuit{Rules: r, Code: "C", Projects: []Project{{Number: 1}}, Votes: []int64{1}}); err == nil {
			t.Errorf("%s: Decide() = nil error", tt.name)
		}
	}
}

// TestDecideTopK is the consultations' rule case by case: round 12,
// circuit CC-0001 and seed "semilla-2025", where the lottery orders ballot
// numbers 4, 3, 1, 5, 2, 6, 7 (tally's TestLotteryOrder). want lists the
// funded numbers in order.
func TestDecideTopK(t *testing.T) {
	tests := []struct {
		name  string
		votes []int64 // by ballot number, from 1
		cost  map[int]comuna.Cents
		seats int
		tb    comuna.TieBreak
		want  string
	}{
		{"no ties", []int64{412, 120, 398, 10}, nil, 2, comuna.TieLottery, "1 3"},
		{"one winner, the 2024 rule", []int64{412, 411}, nil, 1, comuna.TieLottery, "1"},
		{"lottery decides the last seat", []int64{500, 300, 100, 0, 300}, nil, 2, comuna.TieLottery, "1 5"},
		{"ballot number decides the last seat", []int64{500, 300, 100, 0, 300}, nil, 2, comuna.TieBallotNumber, "1 2"},
		{"the cheaper project wins a tie", []int64{500, 300, 0, 0, 300}, map[int]comuna.Cents{5: 500_000}, 2, comuna.TieLowerCost, "1 5"},
		{"equal cost falls back to the lottery", []int64{500, 300, 0, 0, 300}, nil, 2, comuna.TieLowerCost, "1 5"},
		{"lower cost beats the lottery's preference", []int64{500, 300, 0, 0, 300}, map[int]comuna.Cents{2: 1}, 2, comuna.TieLowerCost, "1 2"},
		{"a tie inside the funded places", []int64{300, 100, 300}, nil, 2, comuna.TieLottery, "3 1"},
		{"three-way tie for two seats", []int64{50, 1, 50, 50}, nil, 2, comuna.TieLottery, "4 3"},
		{"a project needs a vote to win", []int64{10, 0, 0}, nil, 2, comuna.TieLottery, "1"},
		{"more seats than projects", []int64{3, 7}, nil, 3, comuna.TieBallotNumber, "2 1"},
		{"no votes at all", []int64{0, 0}, nil, 2, comuna.TieLottery, ""},
	}
	for _, tt := range tests {
		c := &Circuit{Rules: Rules{RoundID: 12, VoteRule: comuna.RuleChooseOne, Winners: tt.seats, Amount: 1_000_000, TieBreak: tt.tb, Seed: "semilla-2025"},
			Code: "CC-0001", Votes: tt.votes}
		for i := range tt.votes {
			cost := comuna.Cents(1_000_000)
			if x, ok := tt.cost[i+1]; ok {
				cost = x
			}
			c.Projects = append(c.Projects, Project{Number: i + 1, ProposalID: int64(101 + i), Cost: cost})
		}
		d, err := Decide(c)
		if err != nil {
			t.Errorf("%s: Decide() = %v", tt.name, err)
			continue
		}
		var got []string
		for _, f := range d.Funded {
			got = append(got, fmt.Sprint(f.Number))
		}
		if s := strings.Join(got, " "); s != tt.want {
			t.Errorf("%s: funded %q, want %q", tt.name, s, tt.want)
		}
		if d.Amount != comuna.Cents(len(d.Funded))*1_000_000 {
			t.Errorf("%s: amount %d for %d funded, want the round's amount each", tt.name, d.Amount, len(d.Funded))
		}
	}
}
