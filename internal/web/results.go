package web

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/results"
)

// pollBookRefresh is how often results pick up new poll-book counts
// (check-ins, tables closed) when no sheet has changed.
const pollBookRefresh = 5 * time.Second

// resultsEntry is a round's live results: the index, built once since the
// territory is frozen, the circuits' ballots, frozen once voting starts,
// and the last computation with the epoch it reflects.
type resultsEntry struct {
	mu       sync.Mutex
	idx      *results.Index
	ballots  map[string][]comuna.BallotItem
	pbVotes  map[string][]comuna.PBBallot // a participatory budget's stored ballots
	frozen   bool                         // ballots are loaded for good
	epoch    int64
	computed time.Time
	res      *results.Results
}

// liveResults returns the round's results, computing them again when an
// accepted sheet changed them (ResultsEpoch moved) or when the poll-book
// counts are older than pollBookRefresh.
func (s *Server) liveResults(ctx context.Context, round *comuna.Round) (*results.Results, int64, error) {
	st, err := s.vdStore()
	if err != nil {
		return nil, 0, err
	}
	c := s.vd
	c.mu.Lock()
	e := c.results[round.ID]
	if e == nil {
		e = &resultsEntry{}
		c.results[round.ID] = e
	}
	c.mu.Unlock()

	epoch, err := st.ResultsEpoch(ctx, round.ID)
	if err != nil {
		return nil, 0, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.res != nil && e.epoch == epoch && time.Since(e.computed) < pollBookRefresh {
		return e.res, e.epoch, nil
	}
	if e.idx == nil {
		t, err := s.territoryOf(ctx, round)
		if err != nil {
			return nil, 0, err
		}
		if e.idx, err = results.NewIndex(t.Units); err != nil {
			return nil, 0, err
		}
	}
	if !e.frozen {
		if e.ballots, err = s.roundBallots(ctx, round); err != nil {
			return nil, 0, err
		}
		if e.pbVotes, err = s.roundPBVotes(ctx, round); err != nil {
			return nil, 0, err
		}
		e.frozen = comuna.PhaseIndex(round.Phase) >= comuna.PhaseIndex(comuna.PhaseVoting)
	}
	versions, epoch, err := st.CurrentSheets(ctx, round.ID)
	if err != nil {
		return nil, 0, err
	}
	counts, err := st.PollBookCounts(ctx, round.ID)
	if err != nil {
		return nil, 0, err
	}
	res, err := results.Compute(e.idx, round, e.ballots, results.Sheets(versions), counts, e.pbVotes)
	if err != nil {
		return nil, 0, err
	}
	e.res, e.epoch, e.computed = res, epoch, time.Now()
	return res, epoch, nil
}

// roundBallots reads the latest published ballot of every circuit of the
// round, a few circuits at a time.
func (s *Server) roundBallots(ctx context.Context, round *comuna.Round) (map[string][]comuna.BallotItem, error) {
	t, err := s.territoryOf(ctx, round)
	if err != nil {
		return nil, err
	}
	circuits := make(chan string)
	out := make(map[string][]comuna.BallotItem)
	var mu sync.Mutex
	var first error
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for code := range circuits {
				bs, err := s.store.BallotVersions(ctx, round.ID, code)
				mu.Lock()
				if err != nil && first == nil {
					first = err
				}
				for _, b := range bs {
					if b.Published {
						out[code] = b.Items
						break
					}
				}
				mu.Unlock()
			}
		}()
	}
	for code := range t.byLevel[comuna.LevelCircuit] {
		circuits <- code
	}
	close(circuits)
	wg.Wait()
	return out, first
}

// roundPBVotes reads the stored ballots of a participatory budget's
// circuits; none for a consultation.
func (s *Server) roundPBVotes(ctx context.Context, round *comuna.Round) (map[string][]comuna.PBBallot, error) {
	codes, err := s.store.PBCircuits(ctx, round.ID)
	if err != nil || len(codes) == 0 {
		return nil, err
	}
	out := make(map[string][]comuna.PBBallot, len(codes))
	for _, code := range codes {
		if out[code], err = s.store.PBBallots(ctx, round.ID, code); err != nil {
			return nil, err
		}
	}
	return out, nil
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
