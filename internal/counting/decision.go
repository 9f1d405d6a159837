package counting

import (
	"context"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/results"
)

// CircuitDecision returns a circuit's node of the round's live results,
// whose Decision is what the circuit funds under the round's logged rules
// (allocation.Decide, which results.Compute calls for every circuit; nil
// while the circuit has no ballot or no counted vote) and whose
// Provisional says whether every table has reported. ENotFound if the
// round's territory has no such circuit.
func (s *Service) CircuitDecision(ctx context.Context, round *comuna.Round, circuit string) (*results.Node, error) {
	res, _, err := s.LiveResults(ctx, round)
	if err != nil {
		return nil, err
	}
	n, ok := res.Node(comuna.LevelCircuit, circuit)
	if !ok {
		return nil, comuna.Errorf(comuna.ENotFound, "no circuit %q in this consultation", circuit)
	}
	return n, nil
}
