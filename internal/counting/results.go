package counting

import (
	"context"
	"sync"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/results"
)

// PollBookRefresh is how often results pick up new poll-book counts
// (check-ins, tables closed) when no sheet has changed.
const PollBookRefresh = 5 * time.Second

// resultsEntry is a round's live results: the index, built once since the
// territory is frozen, the circuits' ballots, frozen once voting starts,
// and the last computation with the epoch it reflects.
type resultsEntry struct {
	mu       sync.Mutex
	idx      *results.Index
	circuits []string
	ballots  map[string][]comuna.BallotItem
	pbVotes  map[string][]comuna.PBBallot // a participatory budget's stored ballots
	frozen   bool                         // ballots are loaded for good
	epoch    int64
	computed time.Time
	res      *results.Results
}

// entry returns the round's cache entry, making it on first use.
func (s *Service) entry(roundID int64) *resultsEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.results[roundID]
	if e == nil {
		e = &resultsEntry{}
		s.results[roundID] = e
	}
	return e
}

// LiveResults returns the round's results at every level and the epoch
// they reflect (the highest accepted sheet version). The sheets and the
// poll-book counters they are computed from are read in one snapshot;
// they are read again only when an accepted sheet changed them (a cheap
// probe of the epoch) or when the counters are older than
// PollBookRefresh.
func (s *Service) LiveResults(ctx context.Context, round *comuna.Round) (*results.Results, int64, error) {
	e := s.entry(round.ID)
	epoch, err := s.db.ResultsEpoch(ctx, round.ID)
	if err != nil {
		return nil, 0, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.res != nil && e.epoch == epoch && time.Since(e.computed) < PollBookRefresh {
		return e.res, e.epoch, nil
	}
	if err := s.load(ctx, e, round); err != nil {
		return nil, 0, err
	}
	c, err := s.db.LiveCounts(ctx, round.ID)
	if err != nil {
		return nil, 0, err
	}
	res, err := results.Compute(e.idx, round, e.ballots, results.Sheets(c.Sheets), c.PollBook, e.pbVotes)
	if err != nil {
		return nil, 0, err
	}
	e.res, e.epoch, e.computed = res, c.Epoch, time.Now()
	return res, c.Epoch, nil
}

// Ballots returns the latest published ballot of every circuit of the
// round, sharing the live results' copy (loaded once voting starts).
func (s *Service) Ballots(ctx context.Context, round *comuna.Round) (map[string][]comuna.BallotItem, error) {
	e := s.entry(round.ID)
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := s.load(ctx, e, round); err != nil {
		return nil, err
	}
	return e.ballots, nil
}

// load fills the entry's index (once) and the circuits' ballots and a
// participatory budget's stored votes (until the round is voting, when
// they can no longer change). The caller holds e.mu.
func (s *Service) load(ctx context.Context, e *resultsEntry, round *comuna.Round) error {
	if e.idx == nil {
		var units []comuna.Unit
		var circuits []string
		err := s.db.EachUnit(ctx, round.TerritoryVersion, func(u comuna.Unit) error {
			units = append(units, u)
			if u.Level == comuna.LevelCircuit {
				circuits = append(circuits, u.Code)
			}
			return nil
		})
		if err != nil {
			return err
		}
		idx, err := results.NewIndex(units)
		if err != nil {
			return err
		}
		e.idx, e.circuits = idx, circuits
	}
	if !e.frozen {
		b, err := s.roundBallots(ctx, round.ID, e.circuits)
		if err != nil {
			return err
		}
		if e.pbVotes, err = s.roundPBVotes(ctx, round.ID); err != nil {
			return err
		}
		e.ballots = b
		e.frozen = comuna.PhaseIndex(round.Phase) >= comuna.PhaseIndex(comuna.PhaseVoting)
	}
	return nil
}

// roundBallots reads the latest published ballot of each circuit, a few
// circuits at a time.
func (s *Service) roundBallots(ctx context.Context, roundID int64, codes []string) (map[string][]comuna.BallotItem, error) {
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
				bs, err := s.db.BallotVersions(ctx, roundID, code)
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
	for _, code := range codes {
		circuits <- code
	}
	close(circuits)
	wg.Wait()
	return out, first
}

// roundPBVotes reads the stored ballots of a participatory budget's
// circuits; none for a consultation.
func (s *Service) roundPBVotes(ctx context.Context, roundID int64) (map[string][]comuna.PBBallot, error) {
	codes, err := s.db.PBCircuits(ctx, roundID)
	if err != nil || len(codes) == 0 {
		return nil, err
	}
	out := make(map[string][]comuna.PBBallot, len(codes))
	for _, code := range codes {
		if out[code], err = s.db.PBBallots(ctx, roundID, code); err != nil {
			return nil, err
		}
	}
	return out, nil
}
