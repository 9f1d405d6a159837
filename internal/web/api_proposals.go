package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

// apiProposals lists a round's proposals: ?circuit=, ?council=,
// ?status=, ?limit=, ?offset=.
func (s *Server) apiProposals(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	limit, offset, err := limits(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	st := comuna.Status(q.Get("status"))
	switch st {
	case "", comuna.StatusSubmitted, comuna.StatusAccepted, comuna.StatusRejected:
	default:
		return comuna.FieldError("status", "unknown status %q", st)
	}
	ps, err := s.store.Proposals(r.Context(), comuna.ProposalFilter{RoundID: round.ID, Circuit: q.Get("circuit"),
		Council: q.Get("council"), Status: st, Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"proposals": toProposalsJSON(ps), "limit": limit, "offset": offset})
	return nil
}

func (s *Server) apiProposal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.store.Proposal(r.Context(), id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, toProposalJSON(p))
	return nil
}

// apiProposalCreate submits a proposal for a council the caller speaks for.
func (s *Server) apiProposalCreate(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	var in proposalInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Council == "" {
		return comuna.FieldError("council", "name the nominating council")
	}
	path, err := s.store.Unit(r.Context(), round.TerritoryVersion, comuna.LevelCouncil, in.Council)
	if comuna.ErrorCode(err) == comuna.ENotFound {
		return comuna.FieldError("council", "no council %q in this round's territory", in.Council)
	} else if err != nil {
		return err
	}
	if err := s.authorize(r, comuna.Target{Council: in.Council, Circuit: path.Unit.Parent}); err != nil {
		return err
	}
	day, err := parseDate("assembly_date", in.AssemblyDate)
	if err != nil {
		return err
	}
	cost, err := parseMoney("cost", in.Cost)
	if err != nil {
		return err
	}
	p := &comuna.Proposal{RoundID: round.ID, Council: in.Council, Circuit: path.Unit.Parent,
		Title: strings.TrimSpace(in.Title), Description: strings.TrimSpace(in.Description), Category: in.Category,
		Cost: cost, Location: strings.TrimSpace(in.Location),
		Minutes: comuna.Minutes{Date: day, Attendance: in.Attendance, QuorumMet: in.QuorumMet,
			VotesFor: in.VotesFor, Against: in.VotesAgainst, Abstain: in.VotesAbstain},
		SubmittedBy: reqInfoOf(r).user.ID}
	if err := s.checkAssemblyDate("en", p.Minutes.Date); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if err := s.store.SubmitProposal(r.Context(), p); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/proposals/"+strconv.FormatInt(p.ID, 10))
	s.writeJSON(w, http.StatusCreated, toProposalJSON(p))
	return nil
}

// apiReview accepts or rejects a proposal: {"accept": true, "reason": …}.
func (s *Server) apiReview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in reviewInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Accept == nil {
		return comuna.FieldError("accept", "say whether the proposal is accepted (true) or rejected (false)")
	}
	rv := comuna.Review{ProposalID: id, Accept: *in.Accept, Reason: strings.TrimSpace(in.Reason), UserID: reqInfoOf(r).user.ID}
	if err := rv.Validate(); err != nil {
		return err
	}
	p, err := s.store.ReviewProposal(r.Context(), rv)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, toProposalJSON(p))
	return nil
}
