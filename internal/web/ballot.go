package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"github.com/comuna/comuna/internal/comuna"
)

// BallotChoice is an accepted proposal on the ballot form with the
// position the coordinator gave it.
type BallotChoice struct {
	Proposal *comuna.Proposal
	Position string
}

type ballotFormPage struct {
	*Page
	*circuitView
	Choices []BallotChoice
	Form    *Form
}

func circuitURL(c *circuitView) string {
	return "/rounds/" + strconv.FormatInt(c.Round.ID, 10) + "/circuits/" + url.PathEscape(c.Code())
}

// loadBallotCircuit reads the circuit of a ballot route and checks that
// the caller may edit its ballot.
func (s *Server) loadBallotCircuit(r *http.Request) (*circuitView, error) {
	round, err := s.loadRound(r)
	if err != nil {
		return nil, err
	}
	code := r.PathValue("code")
	if err := s.authorize(r, comuna.Target{Circuit: code}); err != nil {
		return nil, err
	}
	return s.circuit(r, round, code)
}

func (s *Server) ballotFormPage(r *http.Request, c *circuitView, f *Form) *ballotFormPage {
	p := &ballotFormPage{Page: s.page(r, "ballotform.title", "rounds"), circuitView: c, Form: f}
	pos := map[int64]int{}
	if c.Ballot != nil {
		for _, it := range c.Ballot.Items {
			pos[it.ProposalID] = it.Number
		}
	}
	for _, pr := range c.Proposals {
		if pr.Status != comuna.StatusAccepted {
			continue
		}
		ch := BallotChoice{Proposal: pr}
		if r.Method == http.MethodPost {
			ch.Position = f.Values.Get(posField(pr.ID))
		} else if n, ok := pos[pr.ID]; ok {
			ch.Position = strconv.Itoa(n)
		}
		p.Choices = append(p.Choices, ch)
	}
	return p
}

func posField(id int64) string { return "pos_" + strconv.FormatInt(id, 10) }

// ballotForm lets a coordinator number the circuit's accepted projects.
func (s *Server) ballotForm(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadBallotCircuit(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "ballot_form", s.ballotFormPage(r, c, newForm(r)))
}

// ballotSave stores a new version of the circuit's ballot: the projects
// given a position, in that order. Replacing a published ballot needs a
// reason.
func (s *Server) ballotSave(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadBallotCircuit(r)
	if err != nil {
		return err
	}
	f := newForm(r)
	d := comuna.BallotDraft{RoundID: c.Round.ID, Circuit: c.Code(), Reason: f.str("reason"),
		Publish: f.bool("publish"), UserID: reqInfoOf(r).user.ID}
	type pick struct {
		pos int
		id  int64
	}
	var picks []pick
	taken := map[int]bool{}
	for _, pr := range c.Proposals {
		v := f.str(posField(pr.ID))
		if v == "" || pr.Status != comuna.StatusAccepted {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			f.fail("proposals", translate(f.lang, "ballotform.badpos", pr.Title))
			continue
		}
		if taken[n] {
			f.fail("proposals", translate(f.lang, "ballotform.duppos", n))
		}
		taken[n] = true
		picks = append(picks, pick{n, pr.ID})
	}
	sort.Slice(picks, func(i, j int) bool { return picks[i].pos < picks[j].pos })
	for _, p := range picks {
		d.Proposals = append(d.Proposals, p.id)
	}
	status := http.StatusUnprocessableEntity
	if !f.HasErrors() {
		err := d.Validate(c.Round.BallotSize)
		if err == nil && comuna.NeedsReason(c.Ballot, d.Reason) {
			err = comuna.FieldError("reason", "%s", translate(f.lang, "ballotform.reasonneeded"))
		}
		if err == nil {
			_, err = s.store.SaveBallot(r.Context(), d)
		}
		switch {
		case err == nil:
			return redirect(w, r, circuitURL(c))
		case comuna.ErrorCode(err) == comuna.EConflict:
			f.Error, status = errorText(f.lang, err), http.StatusConflict
		case !f.take(err, "proposals", "reason"):
			return err
		}
	}
	return s.render(w, r, status, "ballot_form", s.ballotFormPage(r, c, f))
}

// ballotPublish freezes the circuit's latest ballot version.
func (s *Server) ballotPublish(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadBallotCircuit(r)
	if err != nil {
		return err
	}
	if _, err := s.store.PublishBallot(r.Context(), c.Round.ID, c.Code(), reqInfoOf(r).user.ID); err != nil {
		return err
	}
	return redirect(w, r, circuitURL(c))
}
