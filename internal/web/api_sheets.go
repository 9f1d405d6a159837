package web

import (
	"net/http"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

// sheetJSON is a tally sheet's public content: what was written on the
// paper sheet, without who entered it or idempotency keys.
type sheetJSON struct {
	RoundID     int64    `json:"round_id"`
	Table       string   `json:"table"`
	Circuit     string   `json:"circuit"`
	Received    int64    `json:"received"`
	Cast        int64    `json:"cast"`
	Votes       []int64  `json:"votes"`
	Blank       int64    `json:"blank"`
	Null        int64    `json:"null"`
	Unused      int64    `json:"unused"`
	Members     []string `json:"members"`
	Witnesses   []string `json:"witnesses"`
	PhotoSHA256 string   `json:"photo_sha256"`
}

func toSheetJSON(s tally.Sheet) sheetJSON {
	out := sheetJSON{RoundID: s.RoundID, Table: s.Table, Circuit: s.Circuit, Received: s.Received, Cast: s.Cast,
		Votes: s.Votes, Blank: s.Blank, Null: s.Null, Unused: s.Unused, Members: s.Members, Witnesses: s.Witnesses,
		PhotoSHA256: s.PhotoSHA256}
	if out.Votes == nil {
		out.Votes = []int64{}
	}
	if out.Members == nil {
		out.Members = []string{}
	}
	if out.Witnesses == nil {
		out.Witnesses = []string{}
	}
	return out
}

// versionJSON is one accepted version of a table's sheet.
type versionJSON struct {
	ID       int64     `json:"id"`
	Version  int       `json:"version"`
	Sheet    sheetJSON `json:"sheet"`
	Reason   string    `json:"reason,omitempty"`
	Signer   string    `json:"signer,omitempty"`
	Accepted string    `json:"accepted"`
}

func toVersionJSON(v *voteday.SheetVersion) versionJSON {
	return versionJSON{ID: v.ID, Version: v.Version, Sheet: toSheetJSON(v.Sheet), Reason: v.Reason,
		Signer: v.Signer, Accepted: moment(v.Accepted)}
}

// entryInput is a sheet as the API takes it: tally.Sheet's JSON keys
// (round_id, table and circuit may be left out; they come from the path)
// and the idempotency key; corrections add a reason.
type entryInput struct {
	sheetJSON
	IdempotencyKey string `json:"idempotency_key"`
}

type correctionInput struct {
	sheetJSON
	Reason         string `json:"reason"`
	IdempotencyKey string `json:"idempotency_key"`
}

func (in sheetJSON) sheet() tally.Sheet {
	return tally.Sheet{RoundID: in.RoundID, Table: in.Table, Circuit: in.Circuit, Received: in.Received, Cast: in.Cast,
		Votes: in.Votes, Blank: in.Blank, Null: in.Null, Unused: in.Unused, Members: in.Members,
		Witnesses: in.Witnesses, PhotoSHA256: in.PhotoSHA256}
}

// differenceJSON is a field on which two entries differ. Double entry is
// blind: only the field is named, never either value.
type differenceJSON struct {
	Field string `json:"field"`
}

// entryJSON answers an entry: where the double entry stands, and the
// sentence saying what is awaited.
type entryJSON struct {
	Status      string           `json:"status"`
	Message     string           `json:"message"`
	Differences []differenceJSON `json:"differences"`
	Sheet       *versionJSON     `json:"sheet"`
	Replayed    bool             `json:"replayed"`
}

// entryMessage says, after one's own entry, what is awaited: a second
// entry, a fresh entry because the entries differ (naming the fields),
// or nothing because the sheet is accepted.
func entryMessage(lang string, res *voteday.EntryResult) string {
	switch res.Status {
	case voteday.EntryWaiting:
		return translate(lang, "sheet.waitingmsg")
	case voteday.EntryMismatch:
		return translate(lang, "sheet.mismatchmsg", strings.Join(res.Differences, ", "))
	}
	return translate(lang, "sheet.acceptedmsg")
}

// writeReconcileErrors answers a sheet that does not reconcile: 422 with
// the usual error shape for the first problem and every problem listed.
func (s *Server) writeReconcileErrors(w http.ResponseWriter, err error) bool {
	re := voteday.ReconcileErrors(err)
	if re == nil {
		return false
	}
	body := struct {
		Error  errorJSON   `json:"error"`
		Errors []errorJSON `json:"errors"`
	}{Error: errorJSON{Code: re[0].Code, Message: comuna.ErrorMessage(err), Field: re[0].Field}}
	for _, e := range re {
		body.Errors = append(body.Errors, errorJSON{Code: e.Code, Message: e.Message, Field: e.Field})
	}
	s.writeJSON(w, http.StatusUnprocessableEntity, body)
	return true
}

// apiEntry takes one person's entry of a closed table's sheet.
func (s *Server) apiEntry(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadSheetContext(r)
	if err != nil {
		return err
	}
	var in entryInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	res, err := s.submitEntry(r, c, in.sheet(), idempotencyKey(r, in.IdempotencyKey))
	if s.writeReconcileErrors(w, err) {
		return nil
	}
	if err != nil {
		return err
	}
	out := entryJSON{Status: string(res.Status), Message: entryMessage(reqInfoOf(r).lang, res),
		Differences: []differenceJSON{}, Replayed: res.Replayed}
	for _, d := range res.Differences {
		out.Differences = append(out.Differences, differenceJSON{Field: d})
	}
	if res.Sheet != nil {
		v := toVersionJSON(res.Sheet)
		out.Sheet = &v
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}

// apiCorrection stores a new version of an accepted sheet.
func (s *Server) apiCorrection(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadSheetContext(r)
	if err != nil {
		return err
	}
	var in correctionInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := s.correctSheet(r, c, in.sheet(), in.Reason, idempotencyKey(r, in.IdempotencyKey))
	if s.writeReconcileErrors(w, err) {
		return nil
	}
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusCreated, toVersionJSON(v))
	return nil
}

// apiSheetVersions lists a table's accepted versions, newest first.
func (s *Server) apiSheetVersions(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadTablePublic(r, false)
	if err != nil {
		return err
	}
	vs, err := t.store.SheetVersions(r.Context(), t.Round.ID, t.Table.Code)
	if err != nil {
		return err
	}
	out := make([]versionJSON, 0, len(vs))
	for _, v := range vs {
		out = append(out, toVersionJSON(v))
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"versions": out})
	return nil
}
