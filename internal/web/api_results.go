package web

import (
	"net/http"

	"github.com/comuna/comuna/internal/results"
)

// nodeJSON is a results node as the API shows it: results.Node's own
// JSON, with money as a decimal string and, for a circuit, its decision.
type nodeJSON struct {
	*results.Node
	FundedAmount string        `json:"funded_amount"`
	Projects     []projectJSON `json:"projects,omitempty"`
	Decision     *decisionJSON `json:"decision,omitempty"`
}

// projectJSON is a project of a circuit's ballot with its votes; money as
// a decimal string, like the rest of the API.
type projectJSON struct {
	results.ProjectResult
	Cost   string `json:"cost"`
	Amount string `json:"amount,omitempty"` // what it receives, if funded
}

func toNodeJSON(n *results.Node, currency string) nodeJSON {
	out := nodeJSON{Node: n, FundedAmount: n.FundedAmount.Plain(), Decision: toDecisionJSON(n, currency)}
	for _, p := range n.Projects {
		j := projectJSON{ProjectResult: p, Cost: p.Cost.Plain()}
		if p.Won {
			j.Amount = p.Amount.Plain()
		}
		out.Projects = append(out.Projects, j)
	}
	return out
}

func toNodesJSON(ns []*results.Node, currency string) []nodeJSON {
	out := make([]nodeJSON, 0, len(ns))
	for _, n := range ns {
		out = append(out, toNodeJSON(n, currency))
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
		"nation": toNodeJSON(nation, round.Currency), "states": toNodesJSON(res.Children(nation), round.Currency), "problems": len(res.Problems)})
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
	out := map[string]any{"round_id": round.ID, "epoch": epoch, "node": toNodeJSON(n, round.Currency),
		"ancestors": anc, "children": toNodesJSON(res.Children(n), round.Currency)}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}
