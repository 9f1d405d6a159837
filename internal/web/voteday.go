package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/voteday"
)

// votedayCache keeps what vote day reads on every request and that does
// not change under it: each round's frozen territory, and rounds for a
// moment (the store enforces phase rules itself, so a round a second old
// is good enough to screen a check-in).
type votedayCache struct {
	mu          sync.Mutex
	territories map[int64]*roundTerritory // by territory version
	rounds      map[int64]cachedRound
}

type cachedRound struct {
	round *comuna.Round
	at    time.Time
}

// roundTTL is how long a cached round screens check-ins.
const roundTTL = time.Second

func newVotedayCache() *votedayCache {
	return &votedayCache{territories: map[int64]*roundTerritory{}, rounds: map[int64]cachedRound{}}
}

// roundTerritory is a frozen territory version held in memory: every unit,
// and the tables and centres by code for the poll book.
type roundTerritory struct {
	Units   []comuna.Unit
	byLevel map[comuna.Level]map[string]comuna.Unit
}

// unit returns a unit of the territory by level and code.
func (t *roundTerritory) unit(l comuna.Level, code string) (comuna.Unit, bool) {
	u, ok := t.byLevel[l][code]
	return u, ok
}

// vdStore returns the vote-day store, or EUnavailable when the server was
// started without one.
func (s *Server) vdStore() (voteday.Store, error) {
	if s.voteday == nil {
		return nil, comuna.Errorf(comuna.EUnavailable, "vote-day storage is not configured on this server")
	}
	return s.voteday, nil
}

// territoryOf returns the round's frozen territory, loading it once.
func (s *Server) territoryOf(ctx context.Context, round *comuna.Round) (*roundTerritory, error) {
	c := s.vd
	c.mu.Lock()
	t, ok := c.territories[round.TerritoryVersion]
	c.mu.Unlock()
	if ok {
		return t, nil
	}
	t = &roundTerritory{byLevel: map[comuna.Level]map[string]comuna.Unit{}}
	err := s.store.EachUnit(ctx, round.TerritoryVersion, func(u comuna.Unit) error {
		t.Units = append(t.Units, u)
		m := t.byLevel[u.Level]
		if m == nil {
			m = map[string]comuna.Unit{}
			t.byLevel[u.Level] = m
		}
		m[u.Code] = u
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if prev, ok := c.territories[round.TerritoryVersion]; ok {
		t = prev
	} else {
		c.territories[round.TerritoryVersion] = t
	}
	c.mu.Unlock()
	return t, nil
}

// tableOf returns a table of the round with its centre; ENotFound if the
// round's territory has no such table.
func (s *Server) tableOf(ctx context.Context, round *comuna.Round, code string) (table, centre comuna.Unit, err error) {
	t, err := s.territoryOf(ctx, round)
	if err != nil {
		return table, centre, err
	}
	table, ok := t.unit(comuna.LevelTable, code)
	if !ok {
		return table, centre, comuna.Errorf(comuna.ENotFound, "no table %q in this consultation", code)
	}
	centre, _ = t.unit(comuna.LevelCentre, table.Parent)
	return table, centre, nil
}

// recentRound returns the {id} round of the request, as read at most
// roundTTL ago.
func (s *Server) recentRound(r *http.Request) (*comuna.Round, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	now := time.Now()
	c := s.vd
	c.mu.Lock()
	cr, ok := c.rounds[id]
	c.mu.Unlock()
	if ok && now.Sub(cr.at) < roundTTL {
		return cr.round, nil
	}
	round, err := s.store.Round(r.Context(), id)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.rounds[id] = cachedRound{round: round, at: now}
	c.mu.Unlock()
	return round, nil
}

// tableRequest is a vote-day request on one table: the round, the table
// and its centre, after checking that the caller may act on the table.
type tableRequest struct {
	Round  *comuna.Round
	Table  comuna.Unit
	Centre comuna.Unit
	store  voteday.Store
}

// loadTable authorizes the route's scoped action on the {code} table and
// reads the {id} round and the table. With recent, the round may come
// from the short cache (for check-ins).
func (s *Server) loadTable(r *http.Request, recent bool) (*tableRequest, error) {
	t, err := s.loadTablePublic(r, recent)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, comuna.Target{Table: t.Table.Code, Circuit: t.Table.Circuit}); err != nil {
		return nil, err
	}
	return t, nil
}

// loadTablePublic is loadTable for public pages: no authorization.
func (s *Server) loadTablePublic(r *http.Request, recent bool) (*tableRequest, error) {
	st, err := s.vdStore()
	if err != nil {
		return nil, err
	}
	var round *comuna.Round
	if recent {
		round, err = s.recentRound(r)
	} else {
		round, err = s.loadRound(r)
	}
	if err != nil {
		return nil, err
	}
	table, centre, err := s.tableOf(r.Context(), round, r.PathValue("code"))
	if err != nil {
		return nil, err
	}
	return &tableRequest{Round: round, Table: table, Centre: centre, store: st}, nil
}

// URL is the table's poll-book page.
func (t *tableRequest) URL() string { return tableURL(t.Round.ID, t.Table.Code) }

func tableURL(roundID int64, table string) string {
	return "/rounds/" + strconv.FormatInt(roundID, 10) + "/tables/" + url.PathEscape(table)
}

// newIdempotencyKey returns a fresh random key for a form, so that
// submitting the same form twice counts once.
func newIdempotencyKey() string {
	tok, _ := auth.NewToken()
	return tok
}

// idempotencyKey returns the key of a request: the body's, or else the
// Idempotency-Key header.
func idempotencyKey(r *http.Request, fromBody string) string {
	if fromBody != "" {
		return fromBody
	}
	return r.Header.Get("Idempotency-Key")
}
