package web

import (
	"net/http"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/results"
)

// nodeJSON is a results node as the API shows it: results.Node's own
// JSON, with money as a decimal string and the winners' sentences in
// both languages.
type nodeJSON struct {
	*results.Node
	FundedAmount string        `json:"funded_amount"`
	Projects     []projectJSON `json:"projects,omitempty"`
	Winners      []winnerJSON  `json:"winners,omitempty"`
}

// projectJSON is a project of a circuit's ballot with its votes; money as
// a decimal string, like the rest of the API.
type projectJSON struct {
	results.ProjectResult
	Cost string `json:"cost"`
}

// winnerJSON is a project's rank in its circuit, funded or not.
type winnerJSON struct {
	Number      int    `json:"number"`
	ProposalID  int64  `json:"proposal_id"`
	Votes       int64  `json:"votes"`
	Rank        int    `json:"rank"`
	Won         bool   `json:"won"`
	TieBroken   bool   `json:"tie_broken"`
	Provisional bool   `json:"provisional"`
	English     string `json:"explanation_en"`
	Spanish     string `json:"explanation_es"`
}

func toNodeJSON(n *results.Node) nodeJSON {
	out := nodeJSON{Node: n, FundedAmount: n.FundedAmount.Plain()}
	for _, p := range n.Projects {
		out.Projects = append(out.Projects, projectJSON{ProjectResult: p, Cost: p.Cost.Plain()})
	}
	for _, w := range n.Winners {
		out.Winners = append(out.Winners, winnerJSON{Number: w.Number, ProposalID: w.ProposalID, Votes: w.Votes,
			Rank: w.Rank, Won: w.Won, TieBroken: w.TieBroken, Provisional: w.Provisional, English: w.English, Spanish: w.Spanish})
	}
	return out
}

func toNodesJSON(ns []*results.Node) []nodeJSON {
	out := make([]nodeJSON, 0, len(ns))
	for _, n := range ns {
		out = append(out, toNodeJSON(n))
	}
	return out
}

// apiResults is the national results with every state.
func (s *Server) apiResults(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	res, epoch, err := s.liveResults(r.Context(), round)
	if err != nil {
		return err
	}
	nation := res.Nation()
	s.writeJSON(w, http.StatusOK, map[string]any{"round_id": round.ID, "epoch": epoch,
		"nation": toNodeJSON(nation), "states": toNodesJSON(res.Children(nation)), "problems": len(res.Problems)})
	return nil
}

// apiResultsUnit is one unit's results with its ancestors and children.
func (s *Server) apiResultsUnit(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	res, epoch, err := s.liveResults(r.Context(), round)
	if err != nil {
		return err
	}
	n, err := resultsNode(r, res)
	if err != nil {
		return err
	}
	type ref struct {
		Level string `json:"level"`
		Code  string `json:"code"`
		Name  string `json:"name"`
	}
	anc := []ref{}
	for _, a := range res.Ancestors(n) {
		anc = append(anc, ref{Level: string(a.Level), Code: a.Code, Name: a.Name})
	}
	out := map[string]any{"round_id": round.ID, "epoch": epoch, "node": toNodeJSON(n),
		"ancestors": anc, "children": toNodesJSON(res.Children(n))}
	if n.Level == comuna.LevelCircuit {
		alloc, err := s.circuitAllocation(r.Context(), round, n)
		if comuna.ErrorCode(err) == comuna.EInvalid {
			out["allocation_error"] = err.Error()
		} else if err != nil {
			return err
		}
		out["allocation"] = toAllocResultJSON(alloc)
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}
