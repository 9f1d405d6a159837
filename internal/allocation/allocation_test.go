package allocation

import (
	"bytes"
	"cmp"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pb"
	"github.com/comuna/comuna/internal/tally"
)

// referenceTopK is the consultations' rule written out plainly, as
// tally.Winners had it before allocation.Decide replaced it: projects by
// votes, most first, equal votes by the tie-break (lottery draw; cost,
// then lottery draw; ballot number), the first Winners funded, never a
// project without votes.
func referenceTopK(r Rules, circuit string, ps []Project, votes []int64) []int {
	type entry struct {
		p     Project
		votes int64
		draw  [32]byte
	}
	es := make([]entry, len(ps))
	for i, p := range ps {
		es[i] = entry{p: p, votes: votes[p.Number-1]}
		if r.TieBreak != comuna.TieBallotNumber {
			es[i].draw = tally.LotteryRank(r.Seed, r.RoundID, circuit, p.Number)
		}
	}
	slices.SortFunc(es, func(a, b entry) int {
		if a.votes != b.votes {
			return cmp.Compare(b.votes, a.votes)
		}
		if r.TieBreak == comuna.TieLowerCost && a.p.Cost != b.p.Cost {
			return cmp.Compare(a.p.Cost, b.p.Cost)
		}
		return cmp.Or(bytes.Compare(a.draw[:], b.draw[:]), cmp.Compare(a.p.Number, b.p.Number))
	})
	var out []int
	for i, e := range es {
		if i < r.Winners && e.votes > 0 {
			out = append(out, e.p.Number)
		}
	}
	return out
}

// TestTopKAgreesWithReference checks on many random tallies, full of
// ties, that the decision's top-k funds the same projects in the same
// order as the consultations' rule written out plainly, under every
// tie-break.
func TestTopKAgreesWithReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ties := []comuna.TieBreak{comuna.TieLottery, comuna.TieLowerCost, comuna.TieBallotNumber}
	for trial := range 3000 {
		n := 1 + rng.IntN(9)
		r := &comuna.Round{ID: int64(1 + rng.IntN(50)), WinnersPerCircuit: 1 + rng.IntN(n), TieBreak: ties[trial%3],
			TieBreakSeed: "seed", VoteRule: comuna.RuleChooseOne}
		c := &Circuit{Rules: RulesOf(r), Code: "CC-" + string(rune('A'+rng.IntN(26))), Votes: make([]int64, n), Blank: rng.Int64N(3)}
		for i := range n {
			p := Project{Number: i + 1, ProposalID: int64(100 + i), Cost: comuna.Cents(1 + rng.IntN(3))}
			c.Projects = append(c.Projects, p)
			c.Votes[i] = rng.Int64N(4)
		}
		// Ballots list projects in any order.
		rng.Shuffle(n, func(i, j int) { c.Projects[i], c.Projects[j] = c.Projects[j], c.Projects[i] })
		want := referenceTopK(c.Rules, c.Code, c.Projects, c.Votes)
		res, err := Decide(c)
		if err != nil {
			t.Fatalf("trial %d: Decide() = %v", trial, err)
		}
		var got []int
		for _, p := range res.Funded {
			got = append(got, p.Number)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("trial %d (%s, k=%d, votes %v, costs %+v): Decide funded %v, the reference %v",
				trial, r.TieBreak, r.WinnersPerCircuit, c.Votes, c.Projects, got, want)
		}
		if res.Options.Rule != pb.RuleTopK || res.Budget != 0 {
			t.Fatalf("trial %d: rule %q budget %v, want topk without budget", trial, res.Options.Rule, res.Budget)
		}
	}
}

func TestAllocateBallots(t *testing.T) {
	ps := []Project{{Number: 1, Cost: 60_00}, {Number: 2, Cost: 50_00}, {Number: 3, Cost: 40_00}}
	ballots := []comuna.PBBallot{
		{Voter: "a", Projects: []int{1}}, {Voter: "b", Projects: []int{1}}, {Voter: "c", Projects: []int{1, 2}},
		{Voter: "d", Projects: []int{2, 3}}, {Voter: "e", Projects: []int{3}},
	}
	tests := []struct {
		name  string
		alloc comuna.Allocation
		want  []int
	}{
		// Approvals: 1→3, 2→2, 3→2; cost satisfaction 180, 100, 80.
		{"greedy cost", comuna.Allocation{Rule: comuna.AllocGreedy, Budget: 100_00}, []int{1, 3}},
		{"greedy card", comuna.Allocation{Rule: comuna.AllocGreedy, Sat: "card", Budget: 100_00}, []int{1, 3}},
		{"greedy smaller budget", comuna.Allocation{Rule: comuna.AllocGreedy, Budget: 95_00}, []int{1}},
		// MES: 20 each; 1 costs its three supporters 20 each, 3 its two.
		{"mes", comuna.Allocation{Rule: comuna.AllocMES, Completion: "none", Fill: "none", Budget: 100_00}, []int{1, 3}},
		{"mes smaller budget", comuna.Allocation{Rule: comuna.AllocMES, Completion: "none", Fill: "none", Budget: 75_00}, nil}, // 15 each: nobody's supporters can pay
		{"mes then greedy", comuna.Allocation{Rule: comuna.AllocMES, Completion: "none", Fill: "greedy", Budget: 100_00}, []int{1, 3}},
		{"phragmen", comuna.Allocation{Rule: comuna.AllocPhragmen, Budget: 100_00}, []int{1, 3}},
		{"top-k ignores costs", comuna.Allocation{Rule: comuna.AllocTopK}, []int{1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &comuna.Round{ID: 1, VoteRule: comuna.RuleApproval, WinnersPerCircuit: 2, TieBreak: comuna.TieBallotNumber, Allocation: tt.alloc}
			res, err := Decide(&Circuit{Rules: RulesOf(r), Code: "C", Projects: ps, Ballots: ballots})
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, p := range res.Funded {
				got = append(got, p.Number)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Decide(%+v) funded %v, want %v", tt.alloc, got, tt.want)
			}
			if res.Voters != 5 || len(res.Projects) != 3 || res.Projects[0].Text == "" {
				t.Errorf("Decide(%+v) = %d voters, %d explained projects (first %q)", tt.alloc, res.Voters, len(res.Projects), res.Projects[0].Text)
			}
		})
	}
}

func TestElectionAggregatesBallots(t *testing.T) {
	r := &comuna.Round{VoteRule: comuna.RuleCumulative, Allocation: comuna.Allocation{Budget: 10_00}}
	c := &Circuit{Rules: RulesOf(r), Code: "C", Projects: []Project{{Number: 2, Cost: 5_00}, {Number: 1, Cost: 7_50}}, Ballots: []comuna.PBBallot{
		{Voter: "a", Projects: []int{1, 2}, Points: []int64{3, 1}},
		{Voter: "b", Projects: []int{1, 2}, Points: []int64{3, 1}},
		{Voter: "c", Projects: []int{1, 2}, Points: []int64{2, 2}},
	}}
	inst, prof, err := Election(c)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := inst.Budget.RatString(), "10"; got != want {
		t.Errorf("budget = %s, want %s", got, want)
	}
	if got, want := inst.Projects[1].Cost.RatString(), "15/2"; got != want {
		t.Errorf("cost of number 1 = %s, want %s", got, want)
	}
	want := []pb.Ballot{{Projects: []int{1, 0}, Points: []int64{3, 1}, Count: 2}, {Projects: []int{1, 0}, Points: []int64{2, 2}, Count: 1}}
	if prof.Kind != pb.Cumulative || !reflect.DeepEqual(prof.Ballots, want) {
		t.Errorf("profile = %v %+v, want cumulative %+v", prof.Kind, prof.Ballots, want)
	}
	c.Ballots = append(c.Ballots, comuna.PBBallot{Voter: "d", Projects: []int{3}, Points: []int64{1}})
	if _, _, err := Election(c); err == nil {
		t.Errorf("Election(ballot number 3 of 2) = nil error")
	}
}
