package pb_test

import (
	"math/big"
	"slices"
	"testing"

	"github.com/comuna/comuna/internal/pb"
)

// instance builds an instance from ids and integer costs.
func instance(budget int64, ids []string, costs []int64) *pb.Instance {
	inst := &pb.Instance{Budget: big.NewRat(budget, 1)}
	for i, id := range ids {
		inst.Projects = append(inst.Projects, pb.Project{ID: id, Cost: big.NewRat(costs[i], 1)})
	}
	return inst
}

// approvalProfile builds ballots from lists of project indices, each cast
// count times.
func approvalProfile(ballots ...[]int) *pb.Profile {
	prof := &pb.Profile{Kind: pb.Approval}
	for _, b := range ballots {
		prof.Ballots = append(prof.Ballots, pb.Ballot{Projects: b, Count: 1})
	}
	return prof
}

func TestRulesByHand(t *testing.T) {
	abc := []string{"a", "b", "c"}
	tests := []struct {
		name string
		inst *pb.Instance
		prof *pb.Profile
		opts pb.Options
		want []string
	}{
		// a: 3 approvals, b: 2, c: 1. Budget 5: a (3) fits, b (3) does not,
		// c (2) does: greedy skips b and keeps walking.
		{"greedy skips what does not fit", instance(5, abc, []int64{3, 3, 2}),
			approvalProfile([]int{0, 1}, []int{0, 1}, []int{0, 2}), pb.Options{Rule: pb.RuleGreedy}, []string{"a", "c"}},
		// Card satisfaction ranks by approvals per unit cost: c 1/1 beats a
		// 3/6; a no longer fits, unsupported b (5) still does.
		{"greedy card", instance(6, abc, []int64{6, 5, 1}),
			approvalProfile([]int{0}, []int{0}, []int{0, 2}), pb.Options{Rule: pb.RuleGreedy, Sat: pb.SatCard}, []string{"c", "b"}},
		// Tie on votes: the id as a string decides, so "11" beats "2".
		{"greedy tie by string id", instance(1, []string{"2", "11"}, []int64{1, 1}),
			approvalProfile([]int{0, 1}), pb.Options{Rule: pb.RuleGreedy}, []string{"11"}},
		// The same tie with a lottery order that puts "2" first.
		{"greedy tie by lottery", instance(1, []string{"2", "11"}, []int64{1, 1}),
			approvalProfile([]int{0, 1}), pb.Options{Rule: pb.RuleGreedy, TieBreak: pb.TieBreak{"2", "11"}}, []string{"2"}},
		// Unsupported projects still fill leftover budget in greedy.
		{"greedy takes unsupported projects that fit", instance(4, abc, []int64{2, 1, 5}),
			approvalProfile([]int{0}), pb.Options{Rule: pb.RuleGreedy}, []string{"a", "b"}},
		// MES, 4 voters, budget 8: 2 each. a (cost 4) is approved by voters
		// 1-2, b (cost 4) by voters 3-4, c (cost 2) by all four. Per unit of
		// satisfaction c costs 1/4 of its price to each, a and b 1/2: c first,
		// 0.5 each. Then a's two supporters hold 3 < 4: dropped, b too.
		{"mes cost", instance(8, abc, []int64{4, 4, 2}),
			approvalProfile([]int{0, 2}, []int{0, 2}, []int{1, 2}, []int{1, 2}), pb.Options{Rule: pb.RuleMES}, []string{"c"}},
		// add1 gives each voter 3: after c voters hold 2.5 and a, then b (tie
		// by id) become affordable: cost 10 > 8 overspends, so the outcome of
		// the step before, {c}, stays. With a budget of 10 that outcome (at
		// share 2.5) is exhaustive.
		{"mes add1 stops before overspending", instance(8, abc, []int64{4, 4, 2}),
			approvalProfile([]int{0, 2}, []int{0, 2}, []int{1, 2}, []int{1, 2}), pb.Options{Rule: pb.RuleMES, Completion: pb.CompletionAdd1}, []string{"c"}},
		{"mes add1 exhaustive", instance(10, abc, []int64{4, 4, 2}),
			approvalProfile([]int{0, 2}, []int{0, 2}, []int{1, 2}, []int{1, 2}), pb.Options{Rule: pb.RuleMES, Completion: pb.CompletionAdd1}, []string{"c", "a", "b"}},
		// The greedy fill spends what MES leaves: after {c}, 6 is left; a fits.
		{"mes fill greedy", instance(8, abc, []int64{4, 4, 2}),
			approvalProfile([]int{0, 2}, []int{0, 2}, []int{1, 2}, []int{1, 2}), pb.Options{Rule: pb.RuleMES, Fill: pb.FillGreedy}, []string{"c", "a"}},
		// MES tie between a and b at the same price: id order.
		{"mes tie by id", instance(4, []string{"b", "a"}, []int64{2, 2}),
			approvalProfile([]int{0}, []int{1}), pb.Options{Rule: pb.RuleMES}, []string{"a", "b"}},
		// Phragmén: a (cost 2, 2 voters) load 1; b (cost 1, 1 voter) load 1;
		// tie by id: a, then b at load 1; c (cost 2, voter 1 also loaded 1)
		// would make (1+2)/1 = 3 but exceeds budget 3 → stop.
		{"phragmen stops at the first project that does not fit", instance(3, abc, []int64{2, 1, 2}),
			approvalProfile([]int{0, 2}, []int{0}, []int{1}), pb.Options{Rule: pb.RulePhragmen}, []string{"a", "b"}},
		// Top-k: each voter picks one; k=2, ties by id.
		{"topk", instance(0, []string{"x", "y", "z"}, []int64{5, 5, 5}),
			approvalProfile([]int{2}, []int{2}, []int{1}, []int{0}), pb.Options{Rule: pb.RuleTopK, K: 2}, []string{"z", "x"}},
	}
	for _, tt := range tests {
		out, err := pb.Allocate(tt.inst, tt.prof, tt.opts)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := out.Selected; !slices.Equal(got, tt.want) {
			t.Errorf("%s: Allocate = %v, want %v", tt.name, got, tt.want)
		}
		if len(out.Explanations) != len(tt.inst.Projects) {
			t.Errorf("%s: %d explanations for %d projects", tt.name, len(out.Explanations), len(tt.inst.Projects))
		}
	}
}

func TestBordaAndPoints(t *testing.T) {
	inst := instance(3, []string{"a", "b", "c"}, []int64{1, 1, 1})
	ord := &pb.Profile{Kind: pb.Ordinal, Ballots: []pb.Ballot{
		{Projects: []int{2, 0, 1}}, {Projects: []int{2, 1, 0}}, {Projects: []int{0, 2, 1}},
	}}
	// Borda = length − position − 1: c 2+2+1 = 5, a 1+0+2 = 3, b 0+1+0 = 1.
	out, err := pb.Allocate(inst, ord, pb.Options{Rule: pb.RuleGreedy})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := out.Selected, []string{"c", "a", "b"}; !slices.Equal(got, want) {
		t.Errorf("greedy borda = %v, want %v", got, want)
	}
	if got, want := out.Explanations["b"].Score, "1"; got != want {
		t.Errorf("borda score of b = %s, want %s", got, want)
	}
	cum := &pb.Profile{Kind: pb.Cumulative, Ballots: []pb.Ballot{
		{Projects: []int{0, 1}, Points: []int64{1, 2}}, {Projects: []int{1}, Points: []int64{3}},
	}}
	inst.Budget = big.NewRat(1, 1)
	out, err = pb.Allocate(inst, cum, pb.Options{Rule: pb.RuleMES})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := out.Selected, []string{"b"}; !slices.Equal(got, want) {
		t.Errorf("mes points = %v, want %v", got, want)
	}
}

func TestChooseOneAggregated(t *testing.T) {
	// 21 million voters as three weighted ballots plus blanks.
	inst := instance(10, []string{"p1", "p2", "p3"}, []int64{5, 5, 5})
	prof, err := pb.ChooseOne(inst, []int64{9_000_000, 7_000_000, 4_000_000}, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := prof.Voters(), int64(21_000_000); got != want {
		t.Errorf("Voters() = %d, want %d", got, want)
	}
	out, err := pb.Allocate(inst, prof, pb.Options{Rule: pb.RuleTopK, K: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := out.Selected, []string{"p1", "p2"}; !slices.Equal(got, want) {
		t.Errorf("topk = %v, want %v", got, want)
	}
	if got, want := out.Explanations["p3"].Margin, int64(3_000_000); got != want {
		t.Errorf("p3 margin = %d, want %d", got, want)
	}
	// MES with the same weights: each voter holds 10/21M; p1's 9M supporters
	// hold 90/21 ≈ 4.29 < 5, so nothing is affordable.
	out, err = pb.Allocate(inst, prof, pb.Options{Rule: pb.RuleMES})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Selected) != 0 {
		t.Errorf("mes = %v, want nothing", out.Selected)
	}
	if got, want := out.Explanations["p1"].Reason, "outbid"; got != want {
		t.Errorf("p1 reason = %q, want %q", got, want)
	}
}

func TestInvalid(t *testing.T) {
	inst := instance(10, []string{"a", "a"}, []int64{1, 1})
	if _, err := pb.Allocate(inst, approvalProfile(), pb.Options{Rule: pb.RuleGreedy}); err == nil {
		t.Errorf("duplicate ids: no error")
	}
	inst = instance(10, []string{"a"}, []int64{1})
	if _, err := pb.Allocate(inst, approvalProfile([]int{3}), pb.Options{Rule: pb.RuleGreedy}); err == nil {
		t.Errorf("ballot out of range: no error")
	}
	if _, err := pb.Allocate(inst, approvalProfile([]int{0}), pb.Options{Rule: pb.RuleTopK}); err == nil {
		t.Errorf("topk without k: no error")
	}
}
