package web

import (
	"context"
	"net/http"
	"sort"

	"github.com/comuna/comuna/internal/comuna"
)

// roundTableJSON is one table of a round's territory, with what a client
// needs to play its vote day: where it is and how long its ballot is.
type roundTableJSON struct {
	Table      string `json:"table"`
	Centre     string `json:"centre"`
	Circuit    string `json:"circuit"`
	BallotSize int    `json:"ballot_size"`
}

// apiRoundTables lists every table of the round's frozen territory, by
// code, with its centre, circuit and the size of the circuit's latest
// published ballot (0 if none).
func (s *Server) apiRoundTables(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	t, err := s.territoryOf(r.Context(), round)
	if err != nil {
		return err
	}
	ballots, err := s.circuitBallots(r.Context(), round)
	if err != nil {
		return err
	}
	tables := t.byLevel[comuna.LevelTable]
	out := make([]roundTableJSON, 0, len(tables))
	for _, u := range tables {
		out = append(out, roundTableJSON{Table: u.Code, Centre: u.Parent, Circuit: u.Circuit, BallotSize: len(ballots[u.Circuit])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Table < out[j].Table })
	s.writeJSON(w, http.StatusOK, struct {
		RoundID int64            `json:"round_id"`
		Tables  []roundTableJSON `json:"tables"`
	}{round.ID, out})
	return nil
}

// circuitBallots returns the latest published ballot of every circuit of
// the round, sharing the live results' copy (loaded once voting starts).
func (s *Server) circuitBallots(ctx context.Context, round *comuna.Round) (map[string][]comuna.BallotItem, error) {
	return s.counting.Ballots(ctx, round)
}
