package web

import (
	"net/http"

	"github.com/comuna/comuna/internal/comuna"
)

// circuitView is a circuit of a round with everything its pages show.
type circuitView struct {
	Round     *comuna.Round
	Path      *comuna.Path
	Stats     *comuna.UnitStats
	Councils  []comuna.Unit
	Proposals []*comuna.Proposal
	Ballot    *comuna.Ballot   // the latest version, nil if none
	Versions  []*comuna.Ballot // every version, newest first
	names     map[string]string
}

// CouncilName returns the name of a council of the circuit, or its code.
func (c *circuitView) CouncilName(code string) string {
	if n, ok := c.names[code]; ok {
		return n
	}
	return code
}

// Code is the circuit's code.
func (c *circuitView) Code() string { return c.Path.Unit.Code }

// loadCircuit reads the {id} round and its {code} circuit with councils,
// proposals and ballot versions.
func (s *Server) loadCircuit(r *http.Request) (*circuitView, error) {
	round, err := s.loadRound(r)
	if err != nil {
		return nil, err
	}
	return s.circuit(r, round, r.PathValue("code"))
}

func (s *Server) circuit(r *http.Request, round *comuna.Round, code string) (*circuitView, error) {
	ctx := r.Context()
	path, err := s.store.Unit(ctx, round.TerritoryVersion, comuna.LevelCircuit, code)
	if err != nil {
		return nil, err
	}
	c := &circuitView{Round: round, Path: path, names: map[string]string{}}
	if c.Stats, err = s.store.UnitStats(ctx, round.TerritoryVersion, comuna.LevelCircuit, code); err != nil {
		return nil, err
	}
	c.Councils, err = s.store.Units(ctx, comuna.UnitFilter{Version: round.TerritoryVersion, Level: comuna.LevelCouncil, Parent: code, Limit: 1000})
	if err != nil {
		return nil, err
	}
	for _, u := range c.Councils {
		c.names[u.Code] = u.Name
	}
	c.Proposals, err = s.store.Proposals(ctx, comuna.ProposalFilter{RoundID: round.ID, Circuit: code, Limit: 1000})
	if err != nil {
		return nil, err
	}
	if c.Versions, err = s.store.BallotVersions(ctx, round.ID, code); err != nil {
		return nil, err
	}
	if len(c.Versions) > 0 {
		c.Ballot = c.Versions[0]
	}
	return c, nil
}

type circuitPage struct {
	*Page
	*circuitView
}

// CanPropose reports whether the caller may submit a proposal for some
// council of the circuit.
func (p *circuitPage) CanPropose() bool {
	for _, c := range p.Councils {
		if can(p.r, comuna.ActionSubmitProposal, comuna.Target{Council: c.Code, Circuit: p.Code()}) {
			return true
		}
	}
	return false
}

// circuitPage shows a circuit in a round: its councils, the proposals and
// their review, the current ballot and its older versions.
func (s *Server) circuitPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCircuit(r)
	if err != nil {
		return err
	}
	p := &circuitPage{Page: s.page(r, "circuit.title", "rounds"), circuitView: c}
	p.Title = c.Path.Unit.Name
	return s.render(w, r, http.StatusOK, "circuit", p)
}

type printPage struct {
	*Page
	*circuitView
	Print *comuna.Ballot
	Draft bool
}

// ballotPrint is the printable ballot: the latest published version, or
// the latest draft marked as such.
func (s *Server) ballotPrint(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCircuit(r)
	if err != nil {
		return err
	}
	p := &printPage{Page: s.page(r, "print.title", ""), circuitView: c}
	for _, b := range c.Versions {
		if b.Published {
			p.Print = b
			break
		}
	}
	if p.Print == nil && c.Ballot != nil {
		p.Print, p.Draft = c.Ballot, true
	}
	if p.Print == nil {
		return comuna.Errorf(comuna.ENotFound, "circuit %s has no ballot yet in this round", c.Code())
	}
	p.Title = c.Round.Name + " — " + c.Path.Unit.Name
	return s.render(w, r, http.StatusOK, "ballot_print", p)
}
