package web

import (
	"net/http"

	"github.com/comuna/comuna/internal/comuna"
)

func (s *Server) apiTerritorySummary(w http.ResponseWriter, r *http.Request) error {
	v, err := queryInt(r, "version", 0)
	if err != nil {
		return err
	}
	sum, err := s.store.TerritorySummary(r.Context(), v)
	if err != nil {
		return err
	}
	counts := map[string]int64{}
	for _, l := range comuna.Levels {
		counts[string(l)] = sum.Counts[l]
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"version": v, "counts": counts, "census": sum.Census})
	return nil
}

// apiUnits lists units: ?level=, ?parent=, ?circuit= (tables serving it),
// ?q= (search), ?version=, ?limit=, ?offset=.
func (s *Server) apiUnits(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v, err := queryInt(r, "version", 0)
	if err != nil {
		return err
	}
	limit, offset, err := limits(r)
	if err != nil {
		return err
	}
	f := comuna.UnitFilter{Version: v, Level: comuna.Level(q.Get("level")), Parent: q.Get("parent"),
		Circuit: q.Get("circuit"), Query: q.Get("q"), Limit: limit, Offset: offset}
	if f.Level != "" && !comuna.ValidLevel(f.Level) {
		return comuna.FieldError("level", "unknown level %q", f.Level)
	}
	if f.Parent != "" && f.Level == "" {
		return comuna.FieldError("level", "give the level of the children wanted with parent")
	}
	units, err := s.store.Units(r.Context(), f)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"units": toUnitsJSON(units), "limit": limit, "offset": offset})
	return nil
}

// apiUnit returns a unit with its ancestors and the counts below it.
func (s *Server) apiUnit(w http.ResponseWriter, r *http.Request) error {
	v, err := queryInt(r, "version", 0)
	if err != nil {
		return err
	}
	level, code := comuna.Level(r.PathValue("level")), r.PathValue("code")
	if !comuna.ValidLevel(level) {
		return comuna.Errorf(comuna.ENotFound, "no level %q", level)
	}
	path, err := s.store.Unit(r.Context(), v, level, code)
	if err != nil {
		return err
	}
	stats, err := s.store.UnitStats(r.Context(), v, level, code)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"unit": toUnitJSON(path.Unit),
		"ancestors": toUnitsJSON(path.Ancestors), "stats": toStatsJSON(stats)})
	return nil
}

// apiCircuit returns a circuit of a round with its councils, proposals
// and current ballot.
func (s *Server) apiCircuit(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCircuit(r)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, map[string]any{
		"round_id":  c.Round.ID,
		"circuit":   toUnitJSON(c.Path.Unit),
		"ancestors": toUnitsJSON(c.Path.Ancestors),
		"stats":     toStatsJSON(c.Stats),
		"councils":  toUnitsJSON(c.Councils),
		"proposals": toProposalsJSON(c.Proposals),
		"ballot":    toBallotJSON(c.Ballot),
	})
	return nil
}
