package web

import (
	"net/http"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

// sheetContext is what entering a table's sheet is checked against: the
// circuit's published ballot and the table's poll-book counts.
type sheetContext struct {
	*tableRequest
	State  *voteday.TableState
	Ballot *comuna.Ballot
}

// publishedBallot returns the latest published version of a circuit's
// ballot; EConflict if none was published.
func (s *Server) publishedBallot(r *http.Request, roundID int64, circuit string) (*comuna.Ballot, error) {
	bs, err := s.store.BallotVersions(r.Context(), roundID, circuit)
	if err != nil {
		return nil, err
	}
	for _, b := range bs {
		if b.Published {
			return b, nil
		}
	}
	return nil, comuna.Errorf(comuna.EConflict, "circuit %s has no published ballot", circuit)
}

// loadSheetContext authorizes the route's scoped action on the {code}
// table and reads its state and ballot.
func (s *Server) loadSheetContext(r *http.Request) (*sheetContext, error) {
	t, err := s.loadTable(r, false)
	if err != nil {
		return nil, err
	}
	st, err := t.store.TableState(r.Context(), t.Round.ID, t.Table.Code)
	if err != nil {
		return nil, err
	}
	b, err := s.publishedBallot(r, t.Round.ID, t.Table.Circuit)
	if err != nil {
		return nil, err
	}
	return &sheetContext{tableRequest: t, State: st, Ballot: b}, nil
}

// prepare fills the sheet's identity from the path, refusing a body that
// names another table, normalises it and reconciles it against the ballot
// and the poll book.
func (c *sheetContext) prepare(sh *tally.Sheet, key string) error {
	switch {
	case sh.RoundID != 0 && sh.RoundID != c.Round.ID:
		return comuna.FieldError("round_id", "the sheet names round %d, not %d", sh.RoundID, c.Round.ID)
	case sh.Table != "" && sh.Table != c.Table.Code:
		return comuna.FieldError("table", "the sheet names table %q, not %q", sh.Table, c.Table.Code)
	case sh.Circuit != "" && sh.Circuit != c.Table.Circuit:
		return comuna.FieldError("circuit", "table %s serves circuit %s, not %s", c.Table.Code, c.Table.Circuit, sh.Circuit)
	}
	sh.RoundID, sh.Table, sh.Circuit = c.Round.ID, c.Table.Code, c.Table.Circuit
	sh.Normalize()
	if errs := tally.Reconcile(*sh, len(c.Ballot.Items), c.State.CheckIns, c.State.WalkIns); len(errs) > 0 {
		return &voteday.ReconcileError{Errors: errs}
	}
	return pollbook.ValidIdempotencyKey(key)
}

// submitEntry reconciles one person's entry and hands it to the store.
func (s *Server) submitEntry(r *http.Request, c *sheetContext, sh tally.Sheet, key string) (*voteday.EntryResult, error) {
	if err := c.prepare(&sh, key); err != nil {
		return nil, err
	}
	return c.store.SubmitEntry(r.Context(), voteday.Entry{Sheet: sh, IdempotencyKey: key, UserID: reqInfoOf(r).user.ID})
}

// proposeCorrection reconciles a new version of an accepted sheet and
// stores it as a proposal by the caller; it takes effect once another
// person confirms the same values.
func (s *Server) proposeCorrection(r *http.Request, c *sheetContext, sh tally.Sheet, reason, key string) (*voteday.CorrectionProposal, error) {
	if _, err := voteday.CleanReason("reason", reason); err != nil {
		return nil, err
	}
	if err := c.prepare(&sh, key); err != nil {
		return nil, err
	}
	return c.store.ProposeCorrection(r.Context(), voteday.Correction{Sheet: sh, Reason: reason, IdempotencyKey: key,
		UserID: reqInfoOf(r).user.ID})
}

// decideCorrection confirms the {cid} proposal with the values the caller
// read on the paper sheet, or refuses it with a reason.
func (s *Server) decideCorrection(r *http.Request, c *sheetContext, confirm bool, sh tally.Sheet, reason string) (
	*voteday.CorrectionProposal, *voteday.SheetVersion, error) {
	id, err := pathID(r, "cid")
	if err != nil {
		return nil, nil, err
	}
	if confirm {
		sh.RoundID, sh.Table, sh.Circuit = c.Round.ID, c.Table.Code, c.Table.Circuit
	}
	return c.store.DecideCorrection(r.Context(), voteday.CorrectionDecision{RoundID: c.Round.ID, Table: c.Table.Code, ProposalID: id,
		Confirm: confirm, Sheet: sh, Reason: reason, UserID: reqInfoOf(r).user.ID})
}

// formField names the input a Reconcile field is shown next to.
func formField(field string) string {
	if name, _, ok := strings.Cut(field, "."); ok && (name == "members" || name == "witnesses") {
		return name
	}
	return field
}

// DiffRow is one line of two entries side by side.
type DiffRow struct {
	Field   string
	Label   string
	This    string
	Other   string
	Differs bool
}

// sideBySide lays out two entries of a sheet field by field, marking the
// fields Compare found different.
func sideBySide(lang string, items []comuna.BallotItem, this, other tally.Sheet, diffs []tally.Difference) []DiffRow {
	differs := map[string]bool{}
	for _, d := range diffs {
		differs[d.Field] = true
	}
	var rows []DiffRow
	for _, f := range sheetFields(lang, items) {
		a, b := sheetValue(this, f.Field), sheetValue(other, f.Field)
		rows = append(rows, DiffRow{Field: f.Field, Label: f.Label, This: a, Other: b, Differs: differs[f.Field]})
	}
	return rows
}

// sheetFields lists a sheet's fields in paper order with their labels.
func sheetFields(lang string, items []comuna.BallotItem) []DiffRow {
	rows := []DiffRow{{Field: "received"}, {Field: "cast"}}
	for _, it := range items {
		rows = append(rows, DiffRow{Field: voteField(it.Number), Label: itoa(it.Number) + ". " + it.Title})
	}
	rows = append(rows, DiffRow{Field: "blank"}, DiffRow{Field: "null"}, DiffRow{Field: "unused"},
		DiffRow{Field: "members"}, DiffRow{Field: "witnesses"}, DiffRow{Field: "photo_sha256"})
	for i := range rows {
		if rows[i].Label == "" {
			rows[i].Label = translate(lang, "sheet."+rows[i].Field)
		}
	}
	return rows
}

func voteField(n int) string { return "votes." + itoa(n) }

// sheetValue returns a field of a sheet as text.
func sheetValue(s tally.Sheet, field string) string {
	num := func(n int64) string { return formatInt("en", n) }
	switch field {
	case "received":
		return num(s.Received)
	case "cast":
		return num(s.Cast)
	case "blank":
		return num(s.Blank)
	case "null":
		return num(s.Null)
	case "unused":
		return num(s.Unused)
	case "members":
		return strings.Join(s.Members, "; ")
	case "witnesses":
		return strings.Join(s.Witnesses, "; ")
	case "photo_sha256":
		return s.PhotoSHA256
	}
	if n, ok := strings.CutPrefix(field, "votes."); ok {
		for i := range s.Votes {
			if itoa(i+1) == n {
				return num(s.Votes[i])
			}
		}
	}
	return ""
}

// fieldErrors groups reconciliation errors by form field.
func fieldErrors(lang string, errs []*comuna.Error) map[string]string {
	out := map[string]string{}
	for _, e := range errs {
		f := formField(e.Field)
		if out[f] != "" {
			out[f] += " "
		}
		out[f] += sentence(messageText(lang, e))
	}
	return out
}
