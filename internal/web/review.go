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

// reviewItem is one proposal card of a review queue.
type reviewItem struct {
	Page  *Page
	Round *comuna.Round
	P     *comuna.Proposal
	Back  string
}

// reviewRound is one round's part of the review queue of every round.
type reviewRound struct {
	Round     *comuna.Round
	Pending   int
	Proposals []*comuna.Proposal // the first reviewAllPerRound
}

type reviewAllPage struct {
	*Page
	Rounds []reviewRound
}

// reviewAllPerRound is how many proposals of each round /review shows;
// the round's own queue pages through the rest.
const reviewAllPerRound = 20

// reviewAll is the reviewer's queue across every round that takes
// reviews: each round's pending count and its first proposals.
func (s *Server) reviewAll(w http.ResponseWriter, r *http.Request) error {
	rounds, err := s.store.Rounds(r.Context())
	if err != nil {
		return err
	}
	p := &reviewAllPage{Page: s.page(r, "review.title", "review")}
	for _, rd := range rounds {
		if rd.Phase != comuna.PhaseProposals && rd.Phase != comuna.PhaseReview {
			continue
		}
		ps, err := s.store.Proposals(r.Context(), comuna.ProposalFilter{RoundID: rd.ID, Status: comuna.StatusSubmitted})
		if err != nil {
			return err
		}
		if len(ps) == 0 {
			continue
		}
		rr := reviewRound{Round: rd, Pending: len(ps), Proposals: ps}
		if len(ps) > reviewAllPerRound {
			rr.Proposals = ps[:reviewAllPerRound]
		}
		p.Rounds = append(p.Rounds, rr)
	}
	return s.render(w, r, http.StatusOK, "review_all", p)
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
