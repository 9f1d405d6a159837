package web

import (
	"net/http"

	"github.com/comuna/comuna/internal/comuna"
)

func (s *Server) apiBallot(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	b, err := s.store.Ballot(r.Context(), round.ID, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, toBallotJSON(b))
	return nil
}

func (s *Server) apiBallotVersions(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	bs, err := s.store.BallotVersions(r.Context(), round.ID, r.PathValue("code"))
	if err != nil {
		return err
	}
	out := make([]*ballotJSON, 0, len(bs))
	for _, b := range bs {
		out = append(out, toBallotJSON(b))
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"versions": out})
	return nil
}

// apiBallotSave stores a new ballot version: {"proposals": [ids in
// order], "reason": …, "publish": false}.
func (s *Server) apiBallotSave(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadBallotCircuit(r)
	if err != nil {
		return err
	}
	var in ballotInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d := comuna.BallotDraft{RoundID: c.Round.ID, Circuit: c.Code(), Proposals: in.Proposals, Reason: in.Reason,
		Publish: in.Publish, UserID: reqInfoOf(r).user.ID}
	if err := d.Validate(c.Round.BallotSize); err != nil {
		return err
	}
	if comuna.NeedsReason(c.Ballot, d.Reason) {
		return comuna.FieldError("reason", "the ballot is published: give the reason for the new version")
	}
	b, err := s.store.SaveBallot(r.Context(), d)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusCreated, toBallotJSON(b))
	return nil
}

func (s *Server) apiBallotPublish(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadBallotCircuit(r)
	if err != nil {
		return err
	}
	b, err := s.store.PublishBallot(r.Context(), c.Round.ID, c.Code(), reqInfoOf(r).user.ID)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, toBallotJSON(b))
	return nil
}
