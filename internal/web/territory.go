package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/comuna/comuna/internal/comuna"
)

// childLevels lists the levels shown under a unit of each level.
var childLevels = map[comuna.Level][]comuna.Level{
	comuna.LevelState:        {comuna.LevelMunicipality},
	comuna.LevelMunicipality: {comuna.LevelParish},
	comuna.LevelParish:       {comuna.LevelCommune, comuna.LevelCentre},
	comuna.LevelCommune:      {comuna.LevelCircuit},
	comuna.LevelCircuit:      {comuna.LevelCouncil, comuna.LevelTable},
	comuna.LevelCentre:       {comuna.LevelTable},
}

// territoryScope is the territory version a page shows: the editable one,
// or the frozen copy of a round given as ?round=.
type territoryScope struct {
	Version int64
	Round   *comuna.Round
}

func (s *Server) territoryScope(r *http.Request) (territoryScope, error) {
	q := r.URL.Query()
	var ts territoryScope
	if v := q.Get("round"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return ts, comuna.FieldError("round", "round must be a number")
		}
		ts.Round, err = s.store.Round(r.Context(), id)
		if err != nil {
			return ts, err
		}
		ts.Version = ts.Round.TerritoryVersion
	} else if v := q.Get("version"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 0 {
			return ts, comuna.FieldError("version", "version must be a number")
		}
		ts.Version = id
	}
	return ts, nil
}

// UnitURL links to a unit's page in the same territory version; a circuit
// seen through a round links to the round's circuit page.
func (ts territoryScope) UnitURL(u comuna.Unit) string {
	path := "/territory/" + string(u.Level) + "/" + url.PathEscape(u.Code)
	switch {
	case ts.Round != nil && u.Level == comuna.LevelCircuit:
		return "/rounds/" + strconv.FormatInt(ts.Round.ID, 10) + "/circuits/" + url.PathEscape(u.Code)
	case ts.Round != nil:
		return path + "?round=" + strconv.FormatInt(ts.Round.ID, 10)
	case ts.Version != 0:
		return path + "?version=" + strconv.FormatInt(ts.Version, 10)
	}
	return path
}

// Query is the scope as query parameters, for forms and links.
func (ts territoryScope) Query() string {
	switch {
	case ts.Round != nil:
		return "round=" + strconv.FormatInt(ts.Round.ID, 10)
	case ts.Version != 0:
		return "version=" + strconv.FormatInt(ts.Version, 10)
	}
	return ""
}

type territoryIndexPage struct {
	*Page
	territoryScope
	Query   string
	Level   string
	Levels  []Option
	Units   []comuna.Unit
	Pager   *Pager
	Summary *comuna.Summary
}

// territoryIndex lists the states, or the units matching a search.
func (s *Server) territoryIndex(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.territoryScope(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := &territoryIndexPage{Page: s.page(r, "territory.title", "territory"), territoryScope: ts,
		Query: q.Get("q"), Level: q.Get("level"), Pager: newPager(r, 50)}
	for _, l := range comuna.Levels {
		p.Levels = append(p.Levels, Option{string(l), p.L("level", l)})
	}
	f := comuna.UnitFilter{Version: ts.Version, Query: p.Query, Level: comuna.Level(p.Level),
		Limit: p.Pager.Size + 1, Offset: p.Pager.Offset()}
	if f.Level != "" && !comuna.ValidLevel(f.Level) {
		return comuna.FieldError("level", "unknown level %q", f.Level)
	}
	if p.Query == "" && f.Level == "" {
		f.Level = comuna.LevelState
	}
	units, err := s.store.Units(r.Context(), f)
	if err != nil {
		return err
	}
	p.Units = units[:p.Pager.Done(r, len(units))]
	if p.Summary, err = s.store.TerritorySummary(r.Context(), ts.Version); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "territory", p)
}

// ChildGroup is one list of units under a unit, with its own pages.
type ChildGroup struct {
	Level comuna.Level
	Units []comuna.Unit
	Pager *Pager
}

type unitPage struct {
	*Page
	territoryScope
	Path   *comuna.Path
	Stats  *comuna.UnitStats
	Groups []ChildGroup
}

// territoryUnit shows one unit: its ancestors, the counts below it, and
// its children by level.
func (s *Server) territoryUnit(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.territoryScope(r)
	if err != nil {
		return err
	}
	level, code := comuna.Level(r.PathValue("level")), r.PathValue("code")
	if !comuna.ValidLevel(level) {
		return comuna.Errorf(comuna.ENotFound, "no level %q", level)
	}
	ctx := r.Context()
	path, err := s.store.Unit(ctx, ts.Version, level, code)
	if err != nil {
		return err
	}
	stats, err := s.store.UnitStats(ctx, ts.Version, level, code)
	if err != nil {
		return err
	}
	p := &unitPage{Page: s.page(r, "territory.title", "territory"), territoryScope: ts, Path: path, Stats: stats}
	p.Title = path.Unit.Name
	for _, cl := range childLevels[level] {
		g := ChildGroup{Level: cl, Pager: newPagerParam(r, 50, "page_"+string(cl))}
		f := comuna.UnitFilter{Version: ts.Version, Level: cl, Parent: code, Limit: g.Pager.Size + 1, Offset: g.Pager.Offset()}
		if level == comuna.LevelCircuit && cl == comuna.LevelTable {
			f.Parent, f.Circuit = "", code
		}
		units, err := s.store.Units(ctx, f)
		if err != nil {
			return err
		}
		g.Units = units[:g.Pager.Done(r, len(units))]
		p.Groups = append(p.Groups, g)
	}
	return s.render(w, r, http.StatusOK, "unit", p)
}
