package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

// queryInt reads an optional integer query parameter.
func queryInt(r *http.Request, name string, def int64) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, comuna.FieldError(name, "%s must be a whole number, not %q", name, v)
	}
	return n, nil
}

// limits reads ?limit= (1–500, default 100) and ?offset=.
func limits(r *http.Request) (limit, offset int, err error) {
	l, err := queryInt(r, "limit", 100)
	if err != nil {
		return 0, 0, err
	}
	if l < 1 || l > 500 {
		return 0, 0, comuna.FieldError("limit", "limit must be between 1 and 500")
	}
	o, err := queryInt(r, "offset", 0)
	if err != nil {
		return 0, 0, err
	}
	return int(l), int(o), nil
}

func (s *Server) apiRounds(w http.ResponseWriter, r *http.Request) error {
	rounds, err := s.store.Rounds(r.Context())
	if err != nil {
		return err
	}
	out := make([]roundJSON, 0, len(rounds))
	for _, rd := range rounds {
		out = append(out, toRoundJSON(rd))
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"rounds": out})
	return nil
}

func (s *Server) apiRound(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, toRoundJSON(round))
	return nil
}

func (s *Server) apiRoundCreate(w http.ResponseWriter, r *http.Request) error {
	var in roundInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	vote, err := parseDate("vote_date", in.VoteDate)
	if err != nil {
		return err
	}
	amount, err := parseMoney("amount_per_project", in.AmountPerProject)
	if err != nil {
		return err
	}
	round := &comuna.Round{Name: strings.TrimSpace(in.Name), VoteDate: vote, MinAge: in.MinAge, MaxAge: in.MaxAge,
		BallotSize: in.BallotSize, WinnersPerCircuit: in.WinnersPerCircuit, AmountPerProject: amount,
		CapCost: in.CapCost, DocTypes: strings.Join(in.DocTypes, ""), SeparateVE: in.SeparateVE, Currency: in.Currency, ExchangeRate: in.ExchangeRate, TieBreak: comuna.TieBreak(in.TieBreak),
		TieBreakSeed: in.TieBreakSeed, VoteRule: comuna.VoteRule(in.VoteRule), WalkInShare: in.WalkInShare,
		CreatedBy: reqInfoOf(r).user.ID}
	if in.Allocation != nil {
		if round.Allocation, err = in.Allocation.allocation(); err != nil {
			return err
		}
	}
	round.Defaults()
	if err := s.checkVoteDate("en", round.VoteDate); err != nil {
		return err
	}
	if err := round.Validate(); err != nil {
		return err
	}
	if err := s.store.CreateRound(r.Context(), round); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/rounds/"+strconv.FormatInt(round.ID, 10))
	s.writeJSON(w, http.StatusCreated, toRoundJSON(round))
	return nil
}

func (s *Server) apiTransitions(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	trs, err := s.store.Transitions(r.Context(), round.ID)
	if err != nil {
		return err
	}
	out := make([]transitionJSON, 0, len(trs))
	for _, t := range trs {
		out = append(out, transitionJSON{From: string(t.From), To: string(t.To), UserID: t.UserID, User: t.User, At: moment(t.At)})
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"transitions": out})
	return nil
}

// apiTransition moves a round to the phase given as {"to": …}; "from",
// if given, must be the round's phase (a guard against double moves).
func (s *Server) apiTransition(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	var in transitionInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.To == "" {
		return comuna.FieldError("to", "name the phase to move to")
	}
	from := comuna.Phase(in.From)
	if from == "" {
		from = round.Phase
	}
	if comuna.Phase(in.To) == comuna.PhaseVoting && from == round.Phase && comuna.NextPhase(from) == comuna.PhaseVoting {
		if err := s.checkVotingReady(r.Context(), round, in.ExcludeCircuits, "en"); err != nil {
			if comuna.ErrorField(err) == "exclude" {
				return comuna.FieldError("exclude_circuits", "%s", comuna.ErrorMessage(err))
			}
			return err
		}
	}
	round, err = s.store.TransitionRound(r.Context(), round.ID, from, comuna.Phase(in.To), reqInfoOf(r).user.ID)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, toRoundJSON(round))
	return nil
}
