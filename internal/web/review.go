package web

import (
	"net/http"
	"strconv"

	"github.com/comuna/comuna/internal/comuna"
)

type reviewQueuePage struct {
	*Page
	Round     *comuna.Round
	Proposals []*comuna.Proposal
	Pager     *Pager
}

// reviewQueue lists a round's proposals awaiting review, each with its
// accept and reject buttons.
func (s *Server) reviewQueue(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	p := &reviewQueuePage{Page: s.page(r, "review.title", "review"), Round: round, Pager: newPager(r, 25)}
	ps, err := s.store.Proposals(r.Context(), comuna.ProposalFilter{RoundID: round.ID, Status: comuna.StatusSubmitted,
		Limit: p.Pager.Size + 1, Offset: p.Pager.Offset()})
	if err != nil {
		return err
	}
	p.Proposals = ps[:p.Pager.Done(r, len(ps))]
	return s.render(w, r, http.StatusOK, "review_queue", p)
}

// reviewLatest sends a reviewer to the queue of the newest round that
// takes reviews, or to the rounds list when none does.
func (s *Server) reviewLatest(w http.ResponseWriter, r *http.Request) error {
	rounds, err := s.store.Rounds(r.Context())
	if err != nil {
		return err
	}
	for _, rd := range rounds {
		if rd.Phase == comuna.PhaseProposals || rd.Phase == comuna.PhaseReview {
			return redirect(w, r, "/rounds/"+strconv.FormatInt(rd.ID, 10)+"/review")
		}
	}
	return redirect(w, r, "/rounds")
}

// reviewSubmit records a reviewer's decision with its reason; a missing
// reason shows the proposal again with the message by the field.
func (s *Server) reviewSubmit(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rv := comuna.Review{ProposalID: id, Reason: f.str("reason"), UserID: reqInfoOf(r).user.ID}
	switch f.str("decision") {
	case "accept":
		rv.Accept = true
	case "reject":
	default:
		f.fail("decision", translate(f.lang, "form.decision"))
	}
	status := http.StatusUnprocessableEntity
	if !f.HasErrors() {
		err = rv.Validate()
		if err == nil {
			_, err = s.store.ReviewProposal(r.Context(), rv)
		}
		switch {
		case err == nil:
			if back := f.str("back"); back != "" {
				return redirect(w, r, safeNext(back))
			}
			return redirect(w, r, "/proposals/"+strconv.FormatInt(id, 10))
		case comuna.ErrorCode(err) == comuna.EConflict:
			f.Error, status = errorText(f.lang, err), http.StatusConflict
		case !f.take(err, "reason", "decision"):
			return err
		}
	}
	p, err := s.proposalView(r, f)
	if err != nil {
		return err
	}
	return s.render(w, r, status, "proposal", p)
}
