package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

type roundsPage struct {
	*Page
	Rounds []*comuna.Round
}

func (s *Server) roundList(w http.ResponseWriter, r *http.Request) error {
	rounds, err := s.store.Rounds(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "rounds", &roundsPage{Page: s.page(r, "rounds.title", "rounds"), Rounds: rounds})
}

// Step is one phase in a round's stepper.
type Step struct {
	Phase   comuna.Phase
	Done    bool
	Current bool
}

type roundPage struct {
	*Page
	Round       *comuna.Round
	Steps       []Step
	Next        comuna.Phase
	Transitions []comuna.Transition
	Summary     *comuna.Summary
	Circuits    []comuna.Unit
	Query       string
	Pager       *Pager
	Error       string
	VoteDay     *roundVoteDay
	LogKeys     []string // verifier keys of the transparency log
	// Confirm is the move the administrator asked for, shown with what
	// it does and freezes before it is made; Ready is the readiness
	// check before voting opens.
	Confirm *phaseMove
	Ready   *readiness
}

// loadRound reads the {id} round of the request.
func (s *Server) loadRound(r *http.Request) (*comuna.Round, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.store.Round(r.Context(), id)
}

// roundPage shows a round's settings, its phases and history, the
// circuits of its territory, and the admin's button to move it on.
func (s *Server) roundPage(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	p, err := s.roundView(r, round)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "round", p)
}

func (s *Server) roundView(r *http.Request, round *comuna.Round) (*roundPage, error) {
	ctx := r.Context()
	trs, err := s.store.Transitions(ctx, round.ID)
	if err != nil {
		return nil, err
	}
	sum, err := s.store.TerritorySummary(ctx, round.TerritoryVersion)
	if err != nil {
		return nil, err
	}
	p := &roundPage{Page: s.page(r, "round.title", "rounds"), Round: round, Transitions: trs, Summary: sum,
		Next: comuna.NextPhase(round.Phase), Query: r.URL.Query().Get("q"), Pager: newPager(r, 50)}
	p.Title = round.Name
	cur := comuna.PhaseIndex(round.Phase)
	for i, ph := range comuna.Phases {
		p.Steps = append(p.Steps, Step{Phase: ph, Done: i < cur, Current: i == cur})
	}
	circuits, err := s.store.Units(ctx, comuna.UnitFilter{Version: round.TerritoryVersion, Level: comuna.LevelCircuit,
		Query: p.Query, Limit: p.Pager.Size + 1, Offset: p.Pager.Offset()})
	if err != nil {
		return nil, err
	}
	p.Circuits = circuits[:p.Pager.Done(r, len(circuits))]
	p.LogKeys = s.roundLogKeys(r)
	if p.VoteDay, err = s.roundVoteDayView(r, round, sum); err != nil {
		return nil, err
	}
	if p.Next == comuna.PhaseVoting && p.Can("manage-rounds", "", "", "") {
		if p.Ready, err = s.roundReadiness(ctx, round); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// roundTransition moves a round to the next phase (the form names it, so
// a stale page cannot skip one). The first press shows what the move does
// and freezes, with the readiness check before voting; only the
// confirmed form (confirm=yes) moves the round.
func (s *Server) roundTransition(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	from, to := comuna.Phase(r.PostFormValue("from")), comuna.Phase(r.PostFormValue("to"))
	if from == "" {
		from = round.Phase
	}
	fail := func(err error) error {
		p, verr := s.roundView(r, round)
		if verr != nil {
			return verr
		}
		p.Error = errorText(p.Lang, err)
		if to != "" {
			p.Confirm = p.phaseMove(to)
		}
		return s.render(w, r, httpStatus(err), "round", p)
	}
	if !confirmRequested(r) {
		if from != round.Phase || to != comuna.NextPhase(round.Phase) {
			to = ""
			return fail(comuna.Errorf(comuna.EConflict, "%s", translate(reqInfoOf(r).lang, "move.stale")))
		}
		p, err := s.roundView(r, round)
		if err != nil {
			return err
		}
		p.Confirm = p.phaseMove(to)
		return s.render(w, r, http.StatusOK, "round", p)
	}
	if to == comuna.PhaseVoting && from == round.Phase && comuna.NextPhase(from) == comuna.PhaseVoting {
		var exclude []string
		if r.PostFormValue("exclude_ok") != "" {
			exclude = strings.Fields(r.PostFormValue("exclude"))
		}
		if err := s.checkVotingReady(r.Context(), round, exclude, reqInfoOf(r).lang); err != nil {
			if code := comuna.ErrorCode(err); code != comuna.EConflict && code != comuna.EInvalid {
				return err
			}
			return fail(err)
		}
	}
	if _, err := s.store.TransitionRound(r.Context(), round.ID, from, to, reqInfoOf(r).user.ID); err != nil {
		if code := comuna.ErrorCode(err); code != comuna.EConflict && code != comuna.EInvalid {
			return err
		}
		return fail(err)
	}
	return redirect(w, r, "/rounds/"+strconv.FormatInt(round.ID, 10))
}

// Count returns the number of units of a level in the round's territory.
func (p *roundPage) Count(l comuna.Level) int64 {
	if p.Summary == nil {
		return 0
	}
	return p.Summary.Counts[l]
}
