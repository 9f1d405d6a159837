package web

import (
	"context"

	"github.com/comuna/comuna/internal/allocation"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pabulib"
	"github.com/comuna/comuna/internal/pb"
	"github.com/comuna/comuna/internal/results"
)

// circuitAllocation runs the round's allocation rule on a circuit: on its
// stored participatory-budget ballots if it has any, else on its tally
// sheets' votes. It returns nil when the circuit has no ballot or no vote
// yet. An input the rule cannot run on is an EInvalid error.
func (s *Server) circuitAllocation(ctx context.Context, round *comuna.Round, n *results.Node) (*allocation.Result, error) {
	if n.Level != comuna.LevelCircuit {
		return nil, nil
	}
	b, err := s.store.Ballot(ctx, round.ID, n.Code)
	if comuna.ErrorCode(err) == comuna.ENotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	c := &allocation.Circuit{Round: round, Code: n.Code}
	for _, it := range b.Items {
		c.Projects = append(c.Projects, allocation.Project{Number: it.Number, ProposalID: it.ProposalID,
			ExternalID: it.ExternalID, Title: it.Title, Cost: it.Cost})
	}
	if c.Ballots, err = s.store.PBBallots(ctx, round.ID, n.Code); err != nil {
		return nil, err
	}
	if len(c.Ballots) == 0 {
		if n.TablesReported == 0 {
			return nil, nil
		}
		c.Ballots = nil
		c.Votes, c.Blank = make([]int64, len(b.Items)), n.Blank
		for _, p := range n.Projects {
			if p.Number >= 1 && p.Number <= len(c.Votes) {
				c.Votes[p.Number-1] = p.Votes
			}
		}
	}
	res, err := allocation.Allocate(c)
	if err != nil {
		return nil, comuna.Errorf(comuna.EInvalid, "%v", err)
	}
	return res, nil
}

// allocProjectJSON is a project of a circuit's allocation with the
// engine's explanation.
type allocProjectJSON struct {
	Number     int    `json:"number"`
	ProposalID int64  `json:"proposal_id"`
	ExternalID string `json:"external_id,omitempty"`
	Title      string `json:"title"`
	pb.Explanation
}

// allocResultJSON is a circuit's allocation in the API: the rule and its
// settings, the budget and total cost as decimals of the currency unit,
// the selected projects in selection order and every project's
// explanation in ballot order.
type allocResultJSON struct {
	Rule         string             `json:"rule"`
	Sat          string             `json:"sat,omitempty"`
	Completion   string             `json:"completion,omitempty"`
	Fill         string             `json:"fill,omitempty"`
	Budget       string             `json:"budget,omitempty"`
	Voters       int64              `json:"voters"`
	Selected     []allocProjectJSON `json:"selected"`
	Cost         string             `json:"cost"`
	Explanations []allocProjectJSON `json:"explanations"`
}

func toAllocResultJSON(r *allocation.Result) *allocResultJSON {
	if r == nil {
		return nil
	}
	out := &allocResultJSON{Rule: string(r.Options.Rule), Sat: string(r.Options.Sat), Completion: string(r.Options.Completion),
		Fill: string(r.Options.Fill), Voters: r.Voters, Cost: pabulib.FormatDecimal(r.Outcome.Cost),
		Selected: []allocProjectJSON{}, Explanations: []allocProjectJSON{}}
	if r.Budget != nil {
		out.Budget = pabulib.FormatDecimal(r.Budget)
	}
	byNumber := map[int]allocProjectJSON{}
	for _, p := range r.Projects {
		j := allocProjectJSON{Number: p.Number, ProposalID: p.ProposalID, ExternalID: p.ExternalID, Title: p.Title, Explanation: p.Explanation}
		byNumber[p.Number] = j
		out.Explanations = append(out.Explanations, j)
	}
	for _, p := range r.Selected {
		out.Selected = append(out.Selected, byNumber[p.Number])
	}
	return out
}
