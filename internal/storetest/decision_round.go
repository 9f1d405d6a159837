package storetest

import (
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
)

// GreedyCosts are the project costs of GreedyRound by circuit, in ballot
// order. With CountedVotes and a budget of GreedyBudget per circuit:
//
//	CI1: votes 9, 9, 3 — greedy funds 1 and 2 (10,000 + 4,000), top-1 funds 1;
//	CI2: votes 3, 2 — number 1 costs more than the budget: greedy funds 2
//	     (5,000), top-1 funds 1;
//	CI3: votes 2, 5 — both fund 2 (9,000).
var GreedyCosts = map[string][]comuna.Cents{
	"CI1": {1_000_000, 400_000, 300_000},
	"CI2": {2_000_000, 500_000},
	"CI3": {700_000, 900_000},
}

// GreedyBudget is GreedyRound's budget per circuit: 15,000.
const GreedyBudget comuna.Cents = 1_500_000

// GreedyRound is CountedRound with the greedy rule and a budget per
// circuit, one winner per circuit and the ballot-number tie-break, and the
// costs of GreedyCosts: a round whose greedy outcome and top-k disagree,
// because the most voted project of CI2 costs more than the budget.
func GreedyRound(t testing.TB, s *sqlstore.DB) (*comuna.Round, *comuna.User) {
	t.Helper()
	r := NewRound("Consulta voraz")
	r.WinnersPerCircuit = 1
	r.TieBreak = comuna.TieBallotNumber
	r.Allocation = comuna.Allocation{Rule: comuna.AllocGreedy, Budget: GreedyBudget}
	return countRound(t, s, r, func(circuit string, i int) comuna.Cents { return GreedyCosts[circuit][i] })
}
