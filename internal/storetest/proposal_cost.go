package storetest

import (
	"context"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
)

// testCostAboveAmount checks the round's setting on costs above its
// amount per project: stored with the round, and, when set, a proposal
// costing more is refused on its cost, while one costing the amount
// exactly is taken. Without it the higher cost is taken.
func testCostAboveAmount(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	Seed(t, s)
	capped := NewRound("Consulta con tope")
	capped.CapCost = true
	open := NewRound("Consulta sin tope")
	for _, r := range []*comuna.Round{capped, open} {
		if err := s.CreateRound(ctx, r); err != nil {
			t.Fatal(err)
		}
		MoveTo(t, s, r, comuna.PhaseProposals, 0)
		got, err := s.Round(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.CapCost != r.CapCost {
			t.Errorf("Round(%d).CapCost = %v, want %v", r.ID, got.CapCost, r.CapCost)
		}
	}
	above := NewProposal(capped.ID, "K1", "Muro más caro")
	above.Cost = capped.AmountPerProject + 1
	checkErr(t, "SubmitProposal(above the capped amount)", s.SubmitProposal(ctx, above), comuna.EInvalid, "cost")
	exact := NewProposal(capped.ID, "K1", "Muro justo")
	exact.Cost = capped.AmountPerProject
	checkErr(t, "SubmitProposal(the capped amount)", s.SubmitProposal(ctx, exact), "", "")
	free := NewProposal(open.ID, "K1", "Muro más caro")
	free.Cost = open.AmountPerProject * 3
	checkErr(t, "SubmitProposal(above an uncapped amount)", s.SubmitProposal(ctx, free), "", "")
}
