package federation

import (
	"slices"

	"github.com/comuna/comuna/internal/assemblies/stv"
	"github.com/comuna/comuna/internal/comuna"
)

// Candidate stands in an election: self-nominated (ProposedBy 0) or
// proposed by a member organisation.
type Candidate struct {
	Name       string `json:"name"`
	Group      string `json:"group,omitempty"` // for the gender balance
	ProposedBy int    `json:"proposed_by,omitempty"`
}

// Election statuses.
const (
	ElectionSetup  = "setup"
	ElectionOpen   = "open"
	ElectionClosed = "closed"
)

// Election is an election of a board, spokespeople or delegates by a
// congress.
type Election struct {
	ID         int         `json:"id"`
	Congress   int         `json:"congress"`
	Title      string      `json:"title"`
	Seats      int         `json:"seats"`
	Rule       stv.Rule    `json:"rule"`
	MinPercent int         `json:"min_percent,omitempty"` // gender balance: at least this share per group
	Alternates int         `json:"alternates,omitempty"`
	Seed       string      `json:"seed,omitempty"` // the announced public seed of the tie-break lottery
	Candidates []Candidate `json:"candidates"`
	Status     string      `json:"status"`
	// At the close: how many delegates took part, their ballots (in a
	// canonical order, without any identity) and the result.
	Participants int         `json:"participants,omitempty"`
	Ballots      [][]int     `json:"ballots,omitempty"`
	Result       *stv.Report `json:"result,omitempty"`
}

// CheckBallot checks one ballot: candidates by number (from 0), each at
// most once; under plurality at most one mark per seat.
func (e *Election) CheckBallot(ranking []int) error {
	seen := make([]bool, len(e.Candidates))
	for _, c := range ranking {
		if c < 0 || c >= len(e.Candidates) {
			return comuna.FieldError("ranking", "there is no candidate %d", c+1)
		}
		if seen[c] {
			return comuna.FieldError("ranking", "the ballot ranks %s twice", e.Candidates[c].Name)
		}
		seen[c] = true
	}
	if e.Rule == stv.Plurality && len(ranking) > e.Seats {
		return comuna.FieldError("ranking", "%d marks for %d seats", len(ranking), e.Seats)
	}
	return nil
}

// Count counts ballots under the election's rule, balance, alternates and
// lottery. The verifier calls it on the ballots of the log.
func (e *Election) Count(ballots [][]int) (*stv.Report, error) {
	for _, b := range ballots {
		if err := e.CheckBallot(b); err != nil {
			return nil, err
		}
	}
	se := &stv.Election{Seats: e.Seats, Alternates: e.Alternates}
	for _, c := range e.Candidates {
		se.Names = append(se.Names, c.Name)
	}
	if e.Seats > len(e.Candidates) {
		se.Seats = len(e.Candidates)
	}
	if e.MinPercent > 0 {
		se.Balance = &stv.Balance{MinPercent: e.MinPercent}
		for _, c := range e.Candidates {
			se.Balance.Groups = append(se.Balance.Groups, c.Group)
		}
	}
	if e.Seed != "" {
		se.TieOrder = stv.LotOrder(e.Seed, len(e.Candidates))
	}
	for _, b := range ballots {
		se.Ballots = append(se.Ballots, stv.Ballot{Weight: 1, Ranking: b})
	}
	res, err := stv.Count(se, e.Rule)
	if err != nil {
		return nil, err
	}
	rep := res.Report(se.Names)
	return &rep, nil
}

// SortBallots puts ballots in the canonical order the log records them in,
// which says nothing of the order they were cast in.
func SortBallots(ballots [][]int) {
	slices.SortFunc(ballots, slices.Compare)
}
