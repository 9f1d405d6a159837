package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

// maxPhoto bounds the photo of a signed sheet; only its hash is kept.
const maxPhoto = 16 << 20

// sheetPage is a table's tally sheet: the entry form, the outcome of an
// entry, the accepted sheet with its correction form, and its versions.
type sheetPage struct {
	*Page
	C        *sheetContext
	Form     *Form // the entry form
	Fix      *Form // the correction form
	Key      string
	Result   *voteday.EntryResult
	Current  []DiffRow // the accepted sheet
	Versions []*voteday.SheetVersion
	// Corrections are the table's proposals, newest first; Proposal the
	// one awaiting a second person, with its Confirm and Refuse forms.
	Corrections []*voteday.CorrectionProposal
	Proposal    *voteday.CorrectionProposal
	Confirm     *Form
	Refuse      *Form
	// Reopened is set while the circuit has a reopening no correction used.
	Reopened     bool
	ProposalRows []DiffRow // the pending proposal's values
	// OverCensus is set when the circuit's check-ins and walk-ins pass
	// its census 15+: Admitted of Census.
	OverCensus       bool
	Admitted, Census int64
}

// CanEnter reports whether an entry may be made now.
func (p *sheetPage) CanEnter() bool {
	ph := p.C.Round.Phase
	return p.C.State.Sheet == nil && p.C.State.Closed && (ph == comuna.PhaseVoting || ph == comuna.PhaseCounting)
}

// CanCorrect reports whether a correction of the accepted sheet may be
// proposed or decided now.
func (p *sheetPage) CanCorrect() bool {
	ph := p.C.Round.Phase
	return p.C.State.Sheet != nil && (ph == comuna.PhaseCounting || ph == comuna.PhaseResults)
}

// CanPropose reports whether a new correction may be proposed now: none
// is pending, and in results the circuit was reopened.
func (p *sheetPage) CanPropose() bool {
	return p.CanCorrect() && p.Proposal == nil && (p.C.Round.Phase != comuna.PhaseResults || p.Reopened)
}

// NeedsReopening reports whether the round is in results and the circuit
// must be reopened before a correction.
func (p *sheetPage) NeedsReopening() bool {
	return p.CanCorrect() && p.Proposal == nil && p.C.Round.Phase == comuna.PhaseResults && !p.Reopened
}

// MineProposal reports whether the caller proposed the pending correction.
func (p *sheetPage) MineProposal() bool {
	return p.Proposal != nil && p.User != nil && p.Proposal.ProposedBy == p.User.ID
}

// Pending reports whether someone's entry waits for a second person's.
func (p *sheetPage) Pending() bool { return p.C.State.Sheet == nil && len(p.C.State.Entries) > 0 }

// Differing returns the labels of the fields on which the latest entries
// of two people differ: those of this entry's answer, or else those the
// table's state names. Never the values: double entry is blind.
func (p *sheetPage) Differing() []string {
	fields := p.C.State.EntriesDiffer
	if p.Result != nil {
		fields = p.Result.Differences
	}
	if p.C.State.Sheet != nil {
		return nil
	}
	labels := map[string]string{}
	for _, row := range sheetFields(p.Lang, p.C.Ballot.Items) {
		labels[row.Field] = row.Label
	}
	var out []string
	for _, f := range fields {
		if l, ok := labels[f]; ok {
			out = append(out, l)
		} else {
			out = append(out, f)
		}
	}
	return out
}

// MinePending reports whether the caller's own entry is the one waiting.
func (p *sheetPage) MinePending() bool {
	for _, e := range p.C.State.Entries {
		if p.User != nil && e.UserID == p.User.ID {
			return true
		}
	}
	return false
}

// Fields returns the sheet's inputs in paper order, from form f.
func (p *sheetPage) Fields(f *Form) []Field {
	var out []Field
	for _, row := range sheetFields(p.Lang, p.C.Ballot.Items) {
		if row.Field == "photo_sha256" {
			continue
		}
		typ := "number"
		if row.Field == "members" || row.Field == "witnesses" {
			typ = "textarea"
		}
		fl := f.Input(row.Field, typ, "")
		fl.Label, fl.Required = row.Label, row.Field != "witnesses"
		if typ == "textarea" {
			fl.Help = p.T("sheet.oneperline")
		}
		out = append(out, fl)
	}
	return out
}

// sheetForm fills a form from a sheet, for correcting it.
func sheetForm(r *http.Request, items []comuna.BallotItem, s tally.Sheet) *Form {
	f := newForm(r)
	f.Values = map[string][]string{}
	for _, row := range sheetFields("en", items) {
		f.Values.Set(row.Field, strings.ReplaceAll(sheetValue(s, row.Field), ",", ""))
	}
	f.Values.Set("members", strings.Join(s.Members, "\n"))
	f.Values.Set("witnesses", strings.Join(s.Witnesses, "\n"))
	return f
}

// readSheet reads a sheet from a submitted form; a photo file, if sent,
// is hashed and dropped.
func readSheet(r *http.Request, f *Form, items []comuna.BallotItem) tally.Sheet {
	count := func(name string) int64 {
		v := f.str(name)
		if v == "" {
			f.fail(name, translate(f.lang, "sheet.required"))
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			f.fail(name, translate(f.lang, "form.whole"))
		}
		return n
	}
	s := tally.Sheet{Received: count("received"), Cast: count("cast")}
	for _, it := range items {
		s.Votes = append(s.Votes, count(voteField(it.Number)))
	}
	s.Blank, s.Null, s.Unused = count("blank"), count("null"), count("unused")
	s.Members, s.Witnesses = lines(f.Values.Get("members")), lines(f.Values.Get("witnesses"))
	s.PhotoSHA256 = f.str("photo_sha256")
	if file, _, err := r.FormFile("photo"); err == nil {
		defer file.Close()
		h := sha256.New()
		if _, err := io.Copy(h, io.LimitReader(file, maxPhoto)); err == nil {
			s.PhotoSHA256 = hex.EncodeToString(h.Sum(nil))
		}
	}
	return s
}

// lines splits a textarea into its non-blank lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (s *Server) sheetView(r *http.Request, c *sheetContext) (*sheetPage, error) {
	vs, err := c.store.SheetVersions(r.Context(), c.Round.ID, c.Table.Code)
	if err != nil {
		return nil, err
	}
	p := &sheetPage{Page: s.page(r, "sheet.title", "rounds"), C: c, Key: newIdempotencyKey(), Versions: vs}
	if p.Admitted, p.Census, err = s.circuitAdmissions(r.Context(), c.Round, c.Table.Circuit); err != nil {
		return nil, err
	}
	p.OverCensus = comuna.OverCensus(p.Admitted, p.Census)
	if p.Corrections, err = c.store.Corrections(r.Context(), c.Round.ID, c.Table.Code); err != nil {
		return nil, err
	}
	for _, x := range p.Corrections {
		if x.Status == voteday.CorrectionProposed {
			p.Proposal = x
			break
		}
	}
	p.Refuse = newForm(r)
	p.Refuse.Values = map[string][]string{}
	if p.Proposal != nil {
		p.Confirm = sheetForm(r, c.Ballot.Items, p.Proposal.Sheet)
		p.ProposalRows = sideBySide(p.Lang, c.Ballot.Items, p.Proposal.Sheet, tally.Sheet{}, nil)
	}
	if c.Round.Phase == comuna.PhaseResults {
		os, err := c.store.Reopenings(r.Context(), c.Round.ID)
		if err != nil {
			return nil, err
		}
		for _, o := range os {
			p.Reopened = p.Reopened || (o.Circuit == c.Table.Circuit && o.CorrectionID == 0)
		}
	}
	p.Title = p.T("sheet.title") + " · " + c.Table.Name
	p.Form = newForm(r)
	p.Form.Values = map[string][]string{}
	if c.State.Sheet != nil {
		p.Fix = sheetForm(r, c.Ballot.Items, c.State.Sheet.Sheet)
		p.Current = sideBySide(p.Lang, c.Ballot.Items, c.State.Sheet.Sheet, tally.Sheet{}, nil)
	}
	return p, nil
}

// sheetPageGet shows a table's tally sheet.
func (s *Server) sheetPageGet(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadSheetContext(r)
	if err != nil {
		return err
	}
	p, err := s.sheetView(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "sheet", p)
}

// takeSheetError puts a sheet's reconciliation or field errors on the
// form; it reports false for errors the form cannot show.
func takeSheetError(f *Form, err error) bool {
	if re := voteday.ReconcileErrors(err); re != nil {
		for k, v := range fieldErrors(f.lang, re) {
			f.fail(k, v)
		}
		return true
	}
	var e *comuna.Error
	if comuna.ErrorCode(err) == comuna.EInvalid && asErr(err, &e) && e.Field != "" {
		f.fail(formField(e.Field), messageText(f.lang, e))
		return true
	}
	return f.take(err)
}

// sheetEntry takes one person's entry of the sheet: 422 with every
// problem next to its field, or the double entry's state.
func (s *Server) sheetEntry(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadSheetContext(r)
	if err != nil {
		return err
	}
	f := newForm(r)
	sh := readSheet(r, f, c.Ballot.Items)
	key := f.str("idempotency_key")
	var res *voteday.EntryResult
	if !f.HasErrors() {
		if res, err = s.submitEntry(r, c, sh, key); err != nil && !takeSheetError(f, err) {
			return err
		}
	}
	if f.HasErrors() {
		p, verr := s.sheetView(r, c)
		if verr != nil {
			return verr
		}
		p.Form, p.Key = f, key
		return s.render(w, r, http.StatusUnprocessableEntity, "sheet", p)
	}
	if c.State, err = c.store.TableState(r.Context(), c.Round.ID, c.Table.Code); err != nil {
		return err
	}
	p, err := s.sheetView(r, c)
	if err != nil {
		return err
	}
	p.Result = res
	if res.Status == voteday.EntryMismatch {
		// The caller's own values stay in the form, the differing fields
		// marked; the other entry's values are never shown.
		p.Form, p.Key = f, newIdempotencyKey()
		for _, d := range res.Differences {
			p.Form.fail(formField(d), translate(p.Lang, "sheet.differsfield"))
		}
	}
	return s.render(w, r, http.StatusOK, "sheet", p)
}

// sheetCorrection proposes a new version of an accepted sheet with its
// reason; it counts once another person confirms it.
func (s *Server) sheetCorrection(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadSheetContext(r)
	if err != nil {
		return err
	}
	f := newForm(r)
	sh := readSheet(r, f, c.Ballot.Items)
	key := f.str("idempotency_key")
	if !f.HasErrors() {
		_, err = s.proposeCorrection(r, c, sh, f.Values.Get("reason"), key)
		if err == nil {
			return redirect(w, r, tableURL(c.Round.ID, c.Table.Code)+"/sheet")
		}
		if !takeSheetError(f, err) {
			return err
		}
	}
	p, verr := s.sheetView(r, c)
	if verr != nil {
		return verr
	}
	p.Fix, p.Key = f, key
	return s.render(w, r, http.StatusUnprocessableEntity, "sheet", p)
}

// sheetCorrectionDecision confirms the pending proposal with the values
// the caller read on paper, or refuses it with a reason.
func (s *Server) sheetCorrectionDecision(confirm bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.loadSheetContext(r)
		if err != nil {
			return err
		}
		f := newForm(r)
		var sh tally.Sheet
		if confirm {
			sh = readSheet(r, f, c.Ballot.Items)
		}
		if !f.HasErrors() {
			_, _, err = s.decideCorrection(r, c, confirm, sh, f.Values.Get("reason"))
			if err == nil {
				return redirect(w, r, tableURL(c.Round.ID, c.Table.Code)+"/sheet")
			}
			if comuna.ErrorCode(err) == comuna.EForbidden {
				f.Error = comuna.ErrorMessage(err)
			} else if !takeSheetError(f, err) {
				return err
			}
		}
		p, verr := s.sheetView(r, c)
		if verr != nil {
			return verr
		}
		if confirm {
			p.Confirm = f
		} else {
			p.Refuse = f
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "sheet", p)
	}
}

// circuitReopen reopens a final circuit for one correction, from a
// table's sheet page (the form names the table to return to).
func (s *Server) circuitReopen(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r)
	back := "/rounds/" + r.PathValue("id") + "/results/circuit/" + url.PathEscape(r.PathValue("code"))
	if t := f.str("table"); t != "" {
		back = "/rounds/" + r.PathValue("id") + "/tables/" + url.PathEscape(t) + "/sheet"
	}
	if _, err := s.reopen(r, f.Values.Get("reason")); err != nil {
		return err
	}
	return redirect(w, r, back)
}

// circuitAdmissions returns the voters a circuit's tables admitted
// (check-ins and confirmed walk-ins) and the circuit's census 15+.
func (s *Server) circuitAdmissions(ctx context.Context, round *comuna.Round, circuit string) (admitted, census int64, err error) {
	t, err := s.territoryOf(ctx, round)
	if err != nil {
		return 0, 0, err
	}
	for _, u := range t.byLevel[comuna.LevelCouncil] {
		if u.Parent == circuit {
			census += u.Census
		}
	}
	counts, err := s.voteday.PollBookCounts(ctx, round.ID)
	if err != nil {
		return 0, 0, err
	}
	for code, c := range counts {
		if u, ok := t.unit(comuna.LevelTable, code); ok && u.Circuit == circuit {
			admitted += c.CheckIns + c.WalkIns
		}
	}
	return admitted, census, nil
}
