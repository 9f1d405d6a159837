package web

import (
	"net/http"

	"github.com/comuna/comuna/internal/comuna"
)

type homePage struct {
	*Page
	Rounds  []*comuna.Round
	Summary *comuna.Summary
	Levels  []comuna.Level
}

// home shows the rounds with their phase and the national figures of the
// current territory.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	rounds, err := s.store.Rounds(r.Context())
	if err != nil {
		return err
	}
	sum, err := s.store.TerritorySummary(r.Context(), 0)
	if err != nil {
		return err
	}
	p := &homePage{Page: s.page(r, "home.title", "home"), Rounds: rounds, Summary: sum,
		Levels: []comuna.Level{comuna.LevelState, comuna.LevelMunicipality, comuna.LevelParish, comuna.LevelCommune,
			comuna.LevelCircuit, comuna.LevelCouncil, comuna.LevelCentre, comuna.LevelTable}}
	return s.render(w, r, http.StatusOK, "home", p)
}

// Count returns the number of units of a level in the summary.
func (p *homePage) Count(l comuna.Level) int64 {
	if p.Summary == nil {
		return 0
	}
	return p.Summary.Counts[l]
}
