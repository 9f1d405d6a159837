package web

import (
	"context"
	"net/http"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/results"
)

// liveResults returns the round's live results and the epoch they
// reflect (counting.Service.LiveResults).
func (s *Server) liveResults(ctx context.Context, round *comuna.Round) (*results.Results, int64, error) {
	return s.counting.LiveResults(ctx, round)
}

// resultLevels are the levels that have a results page below the nation.
var resultLevels = map[comuna.Level]bool{
	comuna.LevelState: true, comuna.LevelMunicipality: true, comuna.LevelParish: true,
	comuna.LevelCommune: true, comuna.LevelCircuit: true,
}

// resultsNode reads the {level}/{code} node of the round's results.
func resultsNode(r *http.Request, res *results.Results) (*results.Node, error) {
	level := comuna.Level(r.PathValue("level"))
	if !resultLevels[level] {
		return nil, comuna.Errorf(comuna.ENotFound, "no results level %q (want state, municipality, parish, commune or circuit)", level)
	}
	n, ok := res.Node(level, r.PathValue("code"))
	if !ok {
		return nil, comuna.Errorf(comuna.ENotFound, "no %s %q in this consultation", level, r.PathValue("code"))
	}
	return n, nil
}
