package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/audit"
	"github.com/comuna/comuna/internal/comuna"
)

// recountRequest is a hand recount of the {code} table for the {aid}
// audit, after checking that the caller may enter the table's counts.
type recountRequest struct {
	Round  *comuna.Round
	Audit  *audit.Audit
	Table  comuna.Unit
	Ballot *comuna.Ballot
	store  audit.Store
}

// loadRecount authorizes entering the {code} table's counts, then reads
// the audit, the table and its circuit's published ballot.
func (s *Server) loadRecount(r *http.Request) (*recountRequest, error) {
	code := r.PathValue("code")
	if err := s.authorize(r, comuna.Target{Table: code, Audit: r.PathValue("aid")}); err != nil {
		return nil, err
	}
	round, a, as, err := s.loadAudit(r)
	if err != nil {
		return nil, err
	}
	table, _, err := s.tableOf(r.Context(), round, code)
	if err != nil {
		return nil, err
	}
	b, err := s.publishedBallot(r, round.ID, table.Circuit)
	if err != nil {
		return nil, err
	}
	return &recountRequest{Round: round, Audit: a, Table: table, Ballot: b, store: as}, nil
}

// save stores one auditor's entry of a recount after checking it has one
// count per ballot number; the recount is accepted when another auditor's
// entry agrees.
func (q *recountRequest) save(r *http.Request, counts []int64, ballots int64) (*audit.EntryResult, error) {
	if len(counts) != len(q.Ballot.Items) {
		return nil, comuna.FieldError("counts", "the ballot has %d projects; give a count for each, zero included (got %d)", len(q.Ballot.Items), len(counts))
	}
	return q.store.EnterHandCount(r.Context(), &audit.HandCount{AuditID: q.Audit.ID,
		Recount: audit.Recount{Table: q.Table.Code, Counts: counts, Ballots: ballots}, EnteredBy: reqInfoOf(r).user.ID})
}

// recountPage is the form for a table's hand recount. It does not show
// the reported counts, so that the recount is blind.
type recountPage struct {
	*Page
	*recountRequest
	Form   *Form
	Result *audit.EntryResult // after an entry that did not settle the recount
}

// Field returns the input of a ballot number's count.
func (p *recountPage) Field(number int) Field {
	name := "votes." + strconv.Itoa(number)
	return Field{Name: name, Type: "number", Label: p.T("audit.votesfor", number), Value: p.Form.Values.Get(name),
		Error: p.Form.Errors[name], Required: true}
}

// URL is where the form posts.
func (p *recountPage) URL() string {
	return auditURL(p.Round.ID, p.Audit.ID) + "/tables/" + p.Table.Code
}

// recountForm shows the hand-recount form of a table.
func (s *Server) recountForm(w http.ResponseWriter, r *http.Request) error {
	q, err := s.loadRecount(r)
	if err != nil {
		return err
	}
	p := &recountPage{Page: s.page(r, "audit.recount", "rounds"), recountRequest: q, Form: newForm(r)}
	return s.render(w, r, http.StatusOK, "audit_recount", p)
}

// recountSave stores a table's hand recount from the form and returns to
// the audit's page.
func (s *Server) recountSave(w http.ResponseWriter, r *http.Request) error {
	q, err := s.loadRecount(r)
	if err != nil {
		return err
	}
	f := newForm(r)
	counts := make([]int64, len(q.Ballot.Items))
	for i, it := range q.Ballot.Items {
		name := "votes." + strconv.Itoa(it.Number)
		if f.str(name) == "" {
			f.fail(name, translate(f.lang, "form.required"))
		}
		counts[i] = int64(f.int(name))
	}
	ballots := int64(f.int("ballots"))
	var res *audit.EntryResult
	if !f.HasErrors() {
		if res, err = q.save(r, counts, ballots); err != nil && !f.take(err, "ballots") {
			return err
		}
	}
	if f.HasErrors() {
		p := &recountPage{Page: s.page(r, "audit.recount", "rounds"), recountRequest: q, Form: f}
		return s.render(w, r, http.StatusUnprocessableEntity, "audit_recount", p)
	}
	if res.Status == audit.EntryAccepted {
		return redirect(w, r, auditURL(q.Round.ID, q.Audit.ID))
	}
	// Waiting or differing: say so, naming only the fields that differ.
	p := &recountPage{Page: s.page(r, "audit.recount", "rounds"), recountRequest: q, Form: newForm(r), Result: res}
	p.Form.Values = map[string][]string{}
	return s.render(w, r, http.StatusOK, "audit_recount", p)
}

// apiRecount stores a table's hand recount: {"counts":[…],"ballots":n}.
// recountJSON answers a recount entry: waiting for the board's second
// entry, differing in the fields named (never their values), or accepted
// with the audit as it now stands.
type recountJSON struct {
	Status      string     `json:"status"`
	Message     string     `json:"message"`
	Differences []string   `json:"differences"`
	Audit       *auditJSON `json:"audit,omitempty"`
}

func (s *Server) apiRecount(w http.ResponseWriter, r *http.Request) error {
	q, err := s.loadRecount(r)
	if err != nil {
		return err
	}
	var body struct {
		Counts  []int64 `json:"counts"`
		Ballots int64   `json:"ballots"`
	}
	if err := decodeJSON(r, &body); err != nil {
		return err
	}
	res, err := q.save(r, body.Counts, body.Ballots)
	if err != nil {
		return err
	}
	out := recountJSON{Status: string(res.Status), Differences: append([]string{}, res.Differences...)}
	lang := reqInfoOf(r).lang
	switch res.Status {
	case audit.EntryWaiting:
		out.Message = translate(lang, "recount.waiting")
	case audit.EntryMismatch:
		out.Message = translate(lang, "recount.mismatch", strings.Join(res.Differences, ", "))
	default:
		ac, err := s.auditReport(r)
		if err != nil {
			return err
		}
		aj := toAuditJSON(ac)
		out.Audit, out.Message = &aj, translate(lang, "recount.accepted")
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}
