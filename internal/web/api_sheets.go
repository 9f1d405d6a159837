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

// correctionJSON is a proposed correction: public, like the sheets.
type correctionJSON struct {
	ID             int64     `json:"id"`
	Table          string    `json:"table"`
	BaseVersion    int       `json:"base_version"`
	Sheet          sheetJSON `json:"sheet"`
	Reason         string    `json:"reason"`
	Status         string    `json:"status"`
	ProposedBy     string    `json:"proposed_by"`
	Proposed       string    `json:"proposed"`
	DecidedBy      string    `json:"decided_by,omitempty"`
	Decided        string    `json:"decided,omitempty"`
	DecisionReason string    `json:"decision_reason,omitempty"`
	Version        int       `json:"version,omitempty"`
	ReopeningID    int64     `json:"reopening_id,omitempty"`
}

func toCorrectionJSON(p *voteday.CorrectionProposal) correctionJSON {
	return correctionJSON{ID: p.ID, Table: p.Table, BaseVersion: p.BaseVersion, Sheet: toSheetJSON(p.Sheet), Reason: p.Reason,
		Status: string(p.Status), ProposedBy: p.Proposer, Proposed: moment(p.Proposed), DecidedBy: p.Decider,
		Decided: moment(p.Decided), DecisionReason: p.DecisionReason, Version: p.Version, ReopeningID: p.ReopeningID}
}

// apiCorrection proposes a new version of an accepted sheet: 202 and the
// proposal, which changes nothing until another person confirms it.
func (s *Server) apiCorrection(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadSheetContext(r)
	if err != nil {
		return err
	}
	var in correctionInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.proposeCorrection(r, c, in.sheet(), in.Reason, idempotencyKey(r, in.IdempotencyKey))
	if s.writeReconcileErrors(w, err) {
		return nil
	}
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusAccepted, toCorrectionJSON(p))
	return nil
}

// apiCorrectionDecision confirms a proposal (the body is the sheet as the
// confirmer reads it: 201 with the proposal and the new version) or
// refuses it (body {"reason"}).
func (s *Server) apiCorrectionDecision(confirm bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.loadSheetContext(r)
		if err != nil {
			return err
		}
		var in correctionInput
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		p, v, err := s.decideCorrection(r, c, confirm, in.sheet(), in.Reason)
		if s.writeReconcileErrors(w, err) {
			return nil
		}
		if err != nil {
			return err
		}
		out := struct {
			Correction correctionJSON `json:"correction"`
			Sheet      *versionJSON   `json:"sheet"`
		}{Correction: toCorrectionJSON(p)}
		status := http.StatusOK
		if v != nil {
			vj := toVersionJSON(v)
			out.Sheet, status = &vj, http.StatusCreated
		}
		s.writeJSON(w, status, out)
		return nil
	}
}

// apiCorrections lists a table's proposed corrections, newest first.
func (s *Server) apiCorrections(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadTablePublic(r, false)
	if err != nil {
		return err
	}
	ps, err := t.store.Corrections(r.Context(), t.Round.ID, t.Table.Code)
	if err != nil {
		return err
	}
	out := make([]correctionJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, toCorrectionJSON(p))
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"corrections": out})
	return nil
}

// reopeningJSON is an administrator's reopening of a final circuit.
type reopeningJSON struct {
	ID           int64  `json:"id"`
	Circuit      string `json:"circuit"`
	Reason       string `json:"reason"`
	OpenedBy     string `json:"opened_by"`
	Opened       string `json:"opened"`
	CorrectionID int64  `json:"correction_id,omitempty"`
}

func toReopeningJSON(o *voteday.Reopening) reopeningJSON {
	return reopeningJSON{ID: o.ID, Circuit: o.Circuit, Reason: o.Reason, OpenedBy: o.Opener, Opened: moment(o.Opened), CorrectionID: o.CorrectionID}
}

// reopen reopens the {code} circuit of the {id} round for one correction.
func (s *Server) reopen(r *http.Request, reason string) (*voteday.Reopening, error) {
	st, err := s.vdStore()
	if err != nil {
		return nil, err
	}
	round, err := s.loadRound(r)
	if err != nil {
		return nil, err
	}
	return st.ReopenCircuit(r.Context(), round.ID, r.PathValue("code"), reason, reqInfoOf(r).user.ID)
}

// apiReopen: {"reason"} → 201 and the reopening.
func (s *Server) apiReopen(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	o, err := s.reopen(r, in.Reason)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusCreated, toReopeningJSON(o))
	return nil
}

// apiReopenings lists a round's reopenings, newest first.
func (s *Server) apiReopenings(w http.ResponseWriter, r *http.Request) error {
	st, err := s.vdStore()
	if err != nil {
		return err
	}
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	os, err := st.Reopenings(r.Context(), round.ID)
	if err != nil {
		return err
	}
	out := make([]reopeningJSON, 0, len(os))
	for _, o := range os {
		out = append(out, toReopeningJSON(o))
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"reopenings": out})
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
