package web

import (
	"net/http"
	"strconv"

	"github.com/comuna/comuna/internal/comuna"
)

type proposalListPage struct {
	*Page
	Round     *comuna.Round
	Proposals []*comuna.Proposal
	Status    string
	Circuit   string
	Statuses  []Option
	Pager     *Pager
}

// proposalList lists a round's proposals, filtered by status and circuit.
func (s *Server) proposalList(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := &proposalListPage{Page: s.page(r, "proposals.title", "rounds"), Round: round,
		Status: q.Get("status"), Circuit: q.Get("circuit"), Pager: newPager(r, 50)}
	for _, st := range []comuna.Status{comuna.StatusSubmitted, comuna.StatusAccepted, comuna.StatusRejected} {
		p.Statuses = append(p.Statuses, Option{string(st), p.L("status", st)})
	}
	ps, err := s.store.Proposals(r.Context(), comuna.ProposalFilter{RoundID: round.ID, Status: comuna.Status(p.Status),
		Circuit: p.Circuit, Limit: p.Pager.Size + 1, Offset: p.Pager.Offset()})
	if err != nil {
		return err
	}
	p.Proposals = ps[:p.Pager.Done(r, len(ps))]
	return s.render(w, r, http.StatusOK, "proposals", p)
}

// proposalFields are the proposal form's inputs, named as the domain
// names its fields.
var proposalFields = []string{"council", "title", "description", "category", "cost", "location",
	"assembly_date", "attendance", "quorum_met", "votes_for", "votes_against", "votes_abstain"}

type proposalFormPage struct {
	*Page
	Round      *comuna.Round
	Circuit    string
	Councils   []Option
	Categories []Option
	Form       *Form
}

// CostField is the cost input, with the round's amount per project and
// whether a higher cost is taken as its help.
func (p *proposalFormPage) CostField() Field {
	fl := p.Form.Req("cost", "text", "proposal.costin")
	if p.Round.AmountPerProject > 0 {
		key := "proposal.cost.help"
		if p.Round.CapCost {
			key = "proposal.cost.help.capped"
		}
		fl.Help = p.T(key, p.Money(p.Round.AmountPerProject, p.Round.Currency))
	}
	return fl
}

// CostConfirm reports whether the form asks to confirm a cost above the
// amount per project.
func (p *proposalFormPage) CostConfirm() bool { return p.Form.Values.Get("cost_above_confirm") != "" }

// proposalTarget finds the circuit a proposal form is for: ?circuit=, or
// the caller's own circuit or council.
func (s *Server) proposalCircuit(r *http.Request, round *comuna.Round, f *Form) (string, error) {
	if c := f.str("circuit"); c != "" {
		return c, nil
	}
	if c := r.URL.Query().Get("circuit"); c != "" {
		return c, nil
	}
	u := reqInfoOf(r).user
	switch u.Role {
	case comuna.RoleCoordinator:
		return u.Scope, nil
	case comuna.RoleSpokesperson:
		path, err := s.store.Unit(r.Context(), round.TerritoryVersion, comuna.LevelCouncil, u.Scope)
		if err != nil {
			return "", err
		}
		return path.Unit.Parent, nil
	}
	return "", nil
}

// proposalFormPage builds the form for a circuit, listing only the
// councils the caller may submit for; none is a refusal.
func (s *Server) proposalFormPage(r *http.Request, round *comuna.Round, f *Form) (*proposalFormPage, error) {
	circuit, err := s.proposalCircuit(r, round, f)
	if err != nil {
		return nil, err
	}
	p := &proposalFormPage{Page: s.page(r, "proposalform.title", "rounds"), Round: round, Circuit: circuit, Form: f}
	for _, c := range comuna.Categories {
		p.Categories = append(p.Categories, Option{c, p.L("category", c)})
	}
	if circuit == "" {
		return p, nil
	}
	councils, err := s.store.Units(r.Context(), comuna.UnitFilter{Version: round.TerritoryVersion, Level: comuna.LevelCouncil, Parent: circuit, Limit: 1000})
	if err != nil {
		return nil, err
	}
	for _, c := range councils {
		if s.authorize(r, comuna.Target{Council: c.Code, Circuit: circuit}) == nil {
			p.Councils = append(p.Councils, Option{c.Code, c.Name + " (" + c.Code + ")"})
		}
	}
	if len(p.Councils) == 0 {
		if err := s.authorize(r, comuna.Target{Circuit: circuit}); err != nil {
			return nil, err
		}
		if _, err := s.store.Unit(r.Context(), round.TerritoryVersion, comuna.LevelCircuit, circuit); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (s *Server) proposalForm(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	f := newForm(r)
	f.Values.Set("quorum_met", "on")
	p, err := s.proposalFormPage(r, round, f)
	if err != nil {
		return err
	}
	if len(p.Councils) == 1 {
		f.Values.Set("council", p.Councils[0].Value)
	}
	return s.render(w, r, http.StatusOK, "proposal_form", p)
}

// proposalCreate stores a council's proposal with its assembly minutes,
// after checking the caller may speak for that council.
func (s *Server) proposalCreate(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	f := newForm(r)
	p := &comuna.Proposal{
		RoundID:     round.ID,
		Council:     f.str("council"),
		Title:       f.str("title"),
		Description: f.str("description"),
		Category:    f.str("category"),
		Cost:        f.cents("cost", "proposal.cost"),
		Location:    f.str("location"),
		Minutes: comuna.Minutes{
			Date:       f.date("assembly_date"),
			Attendance: f.int("attendance"),
			QuorumMet:  f.bool("quorum_met"),
			VotesFor:   f.int("votes_for"),
			Against:    f.int("votes_against"),
			Abstain:    f.int("votes_abstain"),
		},
		SubmittedBy: reqInfoOf(r).user.ID,
	}
	status, err := s.submitProposal(r, round, p, f)
	if err != nil {
		return err
	}
	if f.HasErrors() {
		page, err := s.proposalFormPage(r, round, f)
		if err != nil {
			return err
		}
		return s.render(w, r, status, "proposal_form", page)
	}
	return redirect(w, r, "/proposals/"+strconv.FormatInt(p.ID, 10))
}

// submitProposal authorizes and stores p. Errors a person can fix land on
// the form (with the status to answer); others are returned.
func (s *Server) submitProposal(r *http.Request, round *comuna.Round, p *comuna.Proposal, f *Form) (int, error) {
	if p.Council == "" {
		f.fail("council", translate(f.lang, "form.council"))
		return http.StatusUnprocessableEntity, nil
	}
	if err := s.checkAssemblyDate(f.lang, p.Minutes.Date); err != nil {
		f.take(err, "assembly_date")
		return http.StatusUnprocessableEntity, nil
	}
	path, err := s.store.Unit(r.Context(), round.TerritoryVersion, comuna.LevelCouncil, p.Council)
	if comuna.ErrorCode(err) == comuna.ENotFound {
		f.fail("council", translate(f.lang, "form.council.unknown", p.Council))
		return http.StatusUnprocessableEntity, nil
	} else if err != nil {
		return 0, err
	}
	p.Circuit = path.Unit.Parent
	if err := s.authorize(r, comuna.Target{Council: p.Council, Circuit: p.Circuit}); err != nil {
		return 0, err
	}
	if f.HasErrors() {
		return http.StatusUnprocessableEntity, nil
	}
	// A cost above the amount per project is either refused (the round
	// caps it; the store decides) or taken once the council confirms it.
	if !round.CapCost && round.CostAbove(p.Cost) && !f.bool("cost_above_ok") {
		f.fail("cost", translate(f.lang, "proposal.cost.above", formatMoney(f.lang, p.Cost, round.Currency),
			formatMoney(f.lang, round.AmountPerProject, round.Currency)))
		f.Values.Set("cost_above_confirm", "1")
		return http.StatusUnprocessableEntity, nil
	}
	err = p.Validate()
	if err == nil {
		err = s.store.SubmitProposal(r.Context(), p)
	}
	if err == nil {
		return http.StatusSeeOther, nil
	}
	if comuna.ErrorCode(err) == comuna.EConflict {
		f.Error = errorText(f.lang, err)
		return http.StatusConflict, nil
	}
	if !f.take(err, proposalFields...) {
		return 0, err
	}
	return http.StatusUnprocessableEntity, nil
}

type proposalPage struct {
	*Page
	Round       *comuna.Round
	Proposal    *comuna.Proposal
	CouncilName string
	CircuitName string
	Form        *Form
}

func (s *Server) proposalView(r *http.Request, f *Form) (*proposalPage, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	pr, err := s.store.Proposal(ctx, id)
	if err != nil {
		return nil, err
	}
	round, err := s.store.Round(ctx, pr.RoundID)
	if err != nil {
		return nil, err
	}
	p := &proposalPage{Page: s.page(r, "proposal.title", "rounds"), Round: round, Proposal: pr, Form: f,
		CouncilName: pr.Council, CircuitName: pr.Circuit}
	p.Title = pr.Title
	if path, err := s.store.Unit(ctx, round.TerritoryVersion, comuna.LevelCouncil, pr.Council); err == nil {
		p.CouncilName = path.Unit.Name
		for _, a := range path.Ancestors {
			if a.Level == comuna.LevelCircuit {
				p.CircuitName = a.Name
			}
		}
	}
	return p, nil
}

// proposalPage shows a proposal, its minutes and review, and the review
// form to reviewers.
func (s *Server) proposalPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.proposalView(r, newForm(r))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "proposal", p)
}
