package storetest

import (
	"context"
	"reflect"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
)

// testRoundAllocation checks that a round's allocation settings are
// stored, changed while a draft and fixed afterwards.
func testRoundAllocation(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	Seed(t, s)
	r := NewRound("Presupuesto")
	r.VoteRule, r.BallotSize = comuna.RuleApproval, 300
	r.Allocation = comuna.Allocation{Rule: comuna.AllocMES, Completion: "add1", Budget: 100_000_00}
	if err := s.CreateRound(ctx, r); err != nil {
		t.Fatalf("CreateRound(mes add1, 300 projects) = %v", err)
	}
	got, err := s.Round(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := comuna.Allocation{Rule: comuna.AllocMES, Completion: "add1", Fill: "none", Budget: 100_000_00}
	if got.Allocation != want || got.BallotSize != 300 {
		t.Errorf("Round().Allocation = %+v, ballot size %d; want %+v, 300", got.Allocation, got.BallotSize, want)
	}
	got.Allocation = comuna.Allocation{Rule: comuna.AllocGreedy, Sat: "card", Budget: 5_00}
	if err := s.UpdateRound(ctx, got); err != nil {
		t.Fatalf("UpdateRound(greedy card) = %v", err)
	}
	if again, _ := s.Round(ctx, r.ID); again.Allocation != got.Allocation {
		t.Errorf("Round().Allocation after update = %+v, want %+v", again.Allocation, got.Allocation)
	}
	bad := *got
	bad.Allocation = comuna.Allocation{Rule: comuna.AllocMES}
	checkErr(t, "UpdateRound(mes without budget)", s.UpdateRound(ctx, &bad), comuna.EInvalid, "alloc_budget")
	MoveTo(t, s, got, comuna.PhaseProposals, 0)
	got.Allocation.Budget = 1
	checkErr(t, "UpdateRound(budget in proposals)", s.UpdateRound(ctx, got), comuna.EConflict, "")
}

// pbImport is a small participatory budget: one circuit, three projects,
// four voters.
func pbImport() *comuna.PBImport {
	r := NewRound("PB Assen")
	r.VoteRule, r.BallotSize = comuna.RuleApproval, 3
	r.TieBreak, r.TieBreakSeed = comuna.TieBallotNumber, ""
	r.Allocation = comuna.Allocation{Rule: comuna.AllocGreedy, Budget: 100_00}
	units := []comuna.Unit{
		{Level: comuna.LevelState, Code: "NL", Name: "Netherlands"},
		{Level: comuna.LevelMunicipality, Code: "NL-ASSEN", Parent: "NL", Name: "Assen"},
		{Level: comuna.LevelParish, Code: "NL-ASSEN-P", Parent: "NL-ASSEN", Name: "Assen"},
		{Level: comuna.LevelCommune, Code: "NL-ASSEN-C", Parent: "NL-ASSEN-P", Name: "Assen"},
		{Level: comuna.LevelCircuit, Code: "NL-ASSEN-2024", Parent: "NL-ASSEN-C", Name: "Assen 2024"},
		{Level: comuna.LevelCouncil, Code: "NL-ASSEN-2024-K", Parent: "NL-ASSEN-2024", Name: "Assen"},
	}
	var ps []*comuna.Proposal
	for _, p := range []struct {
		id, title string
		cost      comuna.Cents
	}{{"3", "PopUp Podium", 72_00}, {"9", "Jongerenplatform", 21_00}, {"13", "Samen koken", 10_00}} {
		ps = append(ps, &comuna.Proposal{Council: "NL-ASSEN-2024-K", Title: p.title, Category: "other", Cost: p.cost,
			ExternalID: p.id, Status: comuna.StatusAccepted,
			Minutes: comuna.Minutes{Date: r.VoteDate, Attendance: 1, QuorumMet: true, VotesFor: 1}})
	}
	return &comuna.PBImport{Units: units, Round: r, Proposals: ps,
		Ballots: map[string][]int{"NL-ASSEN-2024": {0, 1, 2}},
		Votes: map[string][]comuna.PBBallot{"NL-ASSEN-2024": {
			{Voter: "v1", Projects: []int{1, 2}}, {Voter: "v2", Projects: []int{3}},
			{Voter: "v3", Projects: []int{2, 1, 3}}, {Voter: "v4", Projects: []int{}},
		}}}
}

// testImportPB checks that a participatory budget is stored whole, in
// the results phase, and that a bad ballot stores nothing.
func testImportPB(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	Seed(t, s)
	bad := pbImport()
	bad.Votes["NL-ASSEN-2024"][2].Projects = []int{2, 4}
	checkErr(t, "ImportPB(ballot number 4 of 3)", s.ImportPB(ctx, bad, nil), comuna.EInvalid, "projects")
	if rs, _ := s.Rounds(ctx); len(rs) != 0 {
		t.Fatalf("after a failed import Rounds() = %d rounds, want none", len(rs))
	}
	if _, err := s.Unit(ctx, 0, comuna.LevelState, "NL"); comuna.ErrorCode(err) != comuna.ENotFound {
		t.Fatalf("after a failed import Unit(NL) = %v, want not found", err)
	}

	imp := pbImport()
	n := 0
	if err := s.ImportPB(ctx, imp, func(k int) { n = k }); err != nil {
		t.Fatalf("ImportPB() = %v", err)
	}
	if n != 4 {
		t.Errorf("ImportPB progress = %d, want 4 ballots", n)
	}
	r, err := s.Round(ctx, imp.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Phase != comuna.PhaseResults || r.Allocation.Budget != 100_00 || r.VoteRule != comuna.RuleApproval {
		t.Errorf("imported round = %+v, want approval in results with budget 100.00", r)
	}
	ts, err := s.Transitions(ctx, r.ID)
	if err != nil || len(ts) != comuna.PhaseIndex(comuna.PhaseResults) {
		t.Errorf("Transitions() = %d, %v; want %d moves", len(ts), err, comuna.PhaseIndex(comuna.PhaseResults))
	}
	b, err := s.Ballot(ctx, r.ID, "NL-ASSEN-2024")
	if err != nil {
		t.Fatal(err)
	}
	var ext []string
	for _, it := range b.Items {
		ext = append(ext, it.ExternalID)
	}
	if !b.Published || !reflect.DeepEqual(ext, []string{"3", "9", "13"}) {
		t.Errorf("Ballot() = published %v, external ids %q; want published 3 9 13", b.Published, ext)
	}
	got, err := s.PBBallots(ctx, r.ID, "NL-ASSEN-2024")
	if err != nil {
		t.Fatal(err)
	}
	if want := imp.Votes["NL-ASSEN-2024"]; !reflect.DeepEqual(got, want) {
		t.Errorf("PBBallots() = %+v\nwant %+v", got, want)
	}
	if cs, err := s.PBCircuits(ctx, r.ID); err != nil || !reflect.DeepEqual(cs, []string{"NL-ASSEN-2024"}) {
		t.Errorf("PBCircuits() = %q, %v", cs, err)
	}
	if none, err := s.PBBallots(ctx, r.ID, "CI1"); err != nil || len(none) != 0 {
		t.Errorf("PBBallots(CI1) = %v, %v; want none", none, err)
	}
}
