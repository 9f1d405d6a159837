package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/voteday"
)

// checkInInput is a check-in as a table types it.
type checkInInput struct {
	DocumentType   string `json:"document_type"`
	DocumentNumber string `json:"document_number"`
	BirthDate      string `json:"birth_date"`
	IdempotencyKey string `json:"idempotency_key"`
}

// Answer is the poll book's answer to a check-in, in the caller's
// language: the outcome, the sentence to show, why for outside_age, and
// the centre for already_voted.
type Answer struct {
	Outcome    pollbook.Outcome
	Message    string
	Reason     string
	Centre     string
	CentreName string
	Replayed   bool
	CheckIns   int64
}

// Accepted reports whether the voter may be handed a ballot.
func (a *Answer) Accepted() bool { return a.Outcome == pollbook.OutcomeAccepted }

// checkIn screens a check-in without the database (document, age, round),
// then records it through the store with the document's keyed hash. Bad
// input is an EInvalid error naming the field; every outcome, refusals
// included, is an Answer. The document is never logged or kept.
func (s *Server) checkIn(r *http.Request, t *tableRequest, in checkInInput) (*Answer, error) {
	lang := reqInfoOf(r).lang
	birth, err := time.Parse(time.DateOnly, strings.TrimSpace(in.BirthDate))
	if err != nil && strings.TrimSpace(in.BirthDate) != "" {
		return nil, comuna.FieldError("birth_date", "%s", translate(lang, "form.date"))
	}
	if today := s.now().UTC().Format(time.DateOnly); err == nil && birth.Format(time.DateOnly) > today {
		// A mistyped date, not a voter too young: the table corrects it.
		return nil, comuna.FieldError("birth_date", "birth date %s is after today (%s)", birth.Format(time.DateOnly), today)
	}
	c := pollbook.CheckIn{RoundID: t.Round.ID, Table: t.Table.Code, DocType: in.DocumentType,
		DocNumber: in.DocumentNumber, BirthDate: birth, IdempotencyKey: in.IdempotencyKey}
	doc, outcome, err := c.Screen(t.Round)
	if outcome == "" && err != nil {
		return nil, err
	}
	if outcome != "" {
		a := s.answer(lang, outcome)
		if outcome == pollbook.OutcomeOutsideAge {
			a.Reason = ageReason(lang, t.Round, birth)
		}
		return a, nil
	}
	if s.pollKey == (pollbook.Key{}) {
		return nil, comuna.Errorf(comuna.EUnavailable, "the poll-book key is not configured on this server")
	}
	if !t.Round.AcceptsDoc(string(doc.Type())) {
		return nil, comuna.FieldError("document_type", "this consultation does not accept document type %s (it accepts %s)",
			string(doc.Type()), strings.Join(strings.Split(docTypesOf(t.Round), ""), ", "))
	}
	ballots, err := s.circuitBallots(r.Context(), t.Round)
	if err != nil {
		return nil, err
	}
	if len(ballots[t.Table.Circuit]) == 0 {
		return nil, comuna.Errorf(comuna.EConflict, "%s", translate(lang, "checkin.noballot", t.Table.Circuit))
	}
	rk, err := s.roundKey(r.Context(), t.store, t.Round.ID)
	if err != nil {
		return nil, err
	}
	res, err := t.store.CheckIn(r.Context(), voteday.CheckIn{RoundID: t.Round.ID, Table: t.Table.Code,
		DocHash: rk.Hash(t.Round.ID, doc.Person(t.Round.SeparateVE)), IdempotencyKey: c.IdempotencyKey, UserID: reqInfoOf(r).user.ID})
	if err != nil {
		return nil, err
	}
	a := s.answer(lang, res.Outcome)
	a.Centre, a.CentreName, a.Replayed, a.CheckIns = res.Centre, res.CentreName, res.Replayed, res.CheckIns
	if a.Outcome == pollbook.OutcomeAlreadyVoted && a.Centre != "" {
		a.Reason = translate(lang, "checkin.where", a.CentreName, a.Centre)
	}
	return a, nil
}

func (s *Server) answer(lang string, o pollbook.Outcome) *Answer {
	return &Answer{Outcome: o, Message: translate(lang, "checkin.outcome."+string(o))}
}

// ageReason says why a voter is outside the round's ages.
func ageReason(lang string, round *comuna.Round, birth time.Time) string {
	age := pollbook.Age(birth, round.VoteDate)
	if age < round.MinAge {
		return translate(lang, "checkin.tooyoung", age, round.MinAge)
	}
	return translate(lang, "checkin.tooold", age, round.MinAge, round.MaxAge)
}

// reportWalkIns proposes voters admitted on paper, with the reason; they
// count once a second member of the table confirms them.
func (s *Server) reportWalkIns(r *http.Request, t *tableRequest, count int64, reason, key string) (*voteday.WalkInReport, error) {
	w := pollbook.WalkIns{RoundID: t.Round.ID, Table: t.Table.Code, Count: count, IdempotencyKey: key}
	if err := w.Validate(); err != nil {
		return nil, err
	}
	return t.store.ReportWalkIns(r.Context(), voteday.WalkIns{RoundID: w.RoundID, Table: w.Table, Count: w.Count,
		Reason: reason, IdempotencyKey: w.IdempotencyKey, UserID: reqInfoOf(r).user.ID})
}

// decideWalkIns confirms or refuses the {rid} walk-in report of a table,
// as someone other than its proposer.
func (s *Server) decideWalkIns(r *http.Request, t *tableRequest, confirm bool) (*voteday.WalkInReport, error) {
	id, err := pathID(r, "rid")
	if err != nil {
		return nil, err
	}
	return t.store.DecideWalkIns(r.Context(), voteday.WalkInDecision{RoundID: t.Round.ID, Table: t.Table.Code, ReportID: id,
		Confirm: confirm, UserID: reqInfoOf(r).user.ID})
}

// tablePage is the poll book of one table, on a phone or a laptop.
type tablePage struct {
	*Page
	Tab    *tableRequest
	State  *voteday.TableState
	Answer *Answer
	Form   *Form // the check-in form
	Walk   *Form // the walk-ins form
	Close  *Form // the close form
	Key    string
	// NoBallot is set when the table's circuit has no published ballot:
	// it does not vote in this round and check-ins are refused.
	NoBallot bool
	// Problem is a refusal to show at the top of the page, where the
	// member looks (a closed panel's error would go unseen).
	Problem string
}

// DocTypes are the document-type choices.
func (p *tablePage) DocTypes() []Option {
	var out []Option
	for _, t := range []string{"V", "E", "P"} {
		if p.Tab.Round.AcceptsDoc(t) {
			out = append(out, Option{t, p.T("checkin.doc." + t)})
		}
	}
	return out
}

// PendingWalkIns lists the walk-in reports waiting for a second person.
func (p *tablePage) PendingWalkIns() []*voteday.WalkInReport {
	var out []*voteday.WalkInReport
	for _, w := range p.State.WalkInReports {
		if w.Status == voteday.WalkInProposed {
			out = append(out, w)
		}
	}
	return out
}

// Voting reports whether the table takes check-ins now.
func (p *tablePage) Voting() bool {
	return p.Tab.Round.Phase == comuna.PhaseVoting && p.State != nil && !p.State.Closed
}

func (s *Server) tableView(r *http.Request, t *tableRequest) (*tablePage, error) {
	st, err := t.store.TableState(r.Context(), t.Round.ID, t.Table.Code)
	if err != nil {
		return nil, err
	}
	p := &tablePage{Page: s.page(r, "table.title", "rounds"), Tab: t, State: st, Key: newIdempotencyKey(),
		Form: newForm(r), Walk: newForm(r), Close: newForm(r)}
	p.Form.Values, p.Walk.Values, p.Close.Values = map[string][]string{}, map[string][]string{}, map[string][]string{}
	p.Form.Values.Set("document_type", "V")
	p.Title = t.Table.Name + " · " + t.Centre.Name
	if comuna.PhaseIndex(t.Round.Phase) >= comuna.PhaseIndex(comuna.PhaseBallots) {
		ballots, err := s.circuitBallots(r.Context(), t.Round)
		if err != nil {
			return nil, err
		}
		p.NoBallot = len(ballots[t.Table.Circuit]) == 0
	}
	return p, nil
}

// tablePageGet shows a table's state and its poll-book forms.
func (s *Server) tablePageGet(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadTable(r, false)
	if err != nil {
		return err
	}
	p, err := s.tableView(r, t)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "table", p)
}

// tableCheckIn answers a check-in with a big coloured result and a fresh
// form. A resubmitted form carries the same idempotency key, so it gets
// the same answer and counts once.
func (s *Server) tableCheckIn(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadTable(r, true)
	if err != nil {
		return err
	}
	f := newForm(r)
	in := checkInInput{DocumentType: f.str("document_type"), DocumentNumber: f.Values.Get("document_number"),
		BirthDate: f.str("birth_date"), IdempotencyKey: f.str("idempotency_key")}
	a, err := s.checkIn(r, t, in)
	status := http.StatusOK
	problem := ""
	if err != nil {
		switch {
		case comuna.ErrorCode(err) == comuna.EConflict:
			problem, status = comuna.ErrorMessage(err), http.StatusConflict
		case f.take(err, "document_type", "document_number", "birth_date"):
			status = http.StatusUnprocessableEntity
		default:
			return err
		}
	}
	p, verr := s.tableView(r, t)
	if verr != nil {
		return verr
	}
	p.Answer = a
	if status != http.StatusOK {
		p.Form, p.Key = f, in.IdempotencyKey
	}
	if problem != "" {
		p.Problem = problem
	}
	return s.render(w, r, status, "table", p)
}

// tableWalkIns records voters admitted on paper.
func (s *Server) tableWalkIns(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadTable(r, false)
	if err != nil {
		return err
	}
	f := newForm(r)
	n := f.int("count")
	if !f.HasErrors() {
		_, err = s.reportWalkIns(r, t, int64(n), f.Values.Get("reason"), f.str("idempotency_key"))
		if err == nil {
			return redirect(w, r, t.URL())
		}
		if !f.take(err, "count", "reason") {
			return err
		}
	}
	p, verr := s.tableView(r, t)
	if verr != nil {
		return verr
	}
	p.Walk, p.Key = f, f.str("idempotency_key")
	p.Problem = walkProblem(f)
	return s.render(w, r, http.StatusUnprocessableEntity, "table", p)
}

// tableClose ends check-ins at a table once the member confirms.
func (s *Server) tableClose(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadTable(r, false)
	if err != nil {
		return err
	}
	f := newForm(r)
	if f.bool("confirm") {
		if _, err := t.store.CloseTable(r.Context(), t.Round.ID, t.Table.Code, reqInfoOf(r).user.ID); err != nil {
			return err
		}
		return redirect(w, r, t.URL())
	}
	f.fail("confirm", translate(reqInfoOf(r).lang, "table.confirmneeded"))
	p, verr := s.tableView(r, t)
	if verr != nil {
		return verr
	}
	p.Close = f
	p.Problem = f.Errors["confirm"]
	return s.render(w, r, http.StatusUnprocessableEntity, "table", p)
}

// tableWalkInDecision confirms or refuses a walk-in report from the
// table's page.
func (s *Server) tableWalkInDecision(confirm bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		t, err := s.loadTable(r, false)
		if err != nil {
			return err
		}
		if _, err := s.decideWalkIns(r, t, confirm); err != nil {
			if comuna.ErrorCode(err) != comuna.EInvalid && comuna.ErrorCode(err) != comuna.EForbidden {
				return err
			}
			p, verr := s.tableView(r, t)
			if verr != nil {
				return verr
			}
			p.Walk.Error = comuna.ErrorMessage(err)
			p.Problem = p.Walk.Error
			return s.render(w, r, http.StatusUnprocessableEntity, "table", p)
		}
		return redirect(w, r, t.URL())
	}
}

// docTypesOf is the round's accepted document types.
func docTypesOf(r *comuna.Round) string {
	if r.DocTypes == "" {
		return comuna.DefaultDocTypes
	}
	return r.DocTypes
}

// walkProblem is the walk-ins form's error, for the top of the page.
func walkProblem(f *Form) string {
	if f.Error != "" {
		return f.Error
	}
	return f.Errors["count"]
}
