package web

import (
	"net/http"

	"github.com/comuna/comuna/internal/voteday"
)

// checkInJSON is the poll book's answer to a check-in. Every outcome,
// refusals included, is a 200 answer.
type checkInJSON struct {
	Outcome    string `json:"outcome"`
	Message    string `json:"message"`
	Reason     string `json:"reason,omitempty"`
	Centre     string `json:"centre,omitempty"`
	CentreName string `json:"centre_name,omitempty"`
	Replayed   bool   `json:"replayed"`
	CheckIns   int64  `json:"check_ins"`
}

// tableJSON is a table's vote-day state.
type tableJSON struct {
	RoundID        int64        `json:"round_id"`
	Table          string       `json:"table"`
	TableName      string       `json:"table_name"`
	Centre         string       `json:"centre"`
	CentreName     string       `json:"centre_name"`
	Circuit        string       `json:"circuit"`
	Closed         bool         `json:"closed"`
	ClosedAt       string       `json:"closed_at,omitempty"`
	ClosedByPhase  bool         `json:"closed_by_phase"`
	CheckIns       int64        `json:"check_ins"`
	WalkIns        int64        `json:"walk_ins"`
	WalkInCap      int64        `json:"walk_in_cap"`
	WalkInReports  []walkInJSON `json:"walk_in_reports"`
	PendingEntries int          `json:"pending_entries"`
	EntriesDiffer  []string     `json:"entries_differ"`
	Sheet          *versionJSON `json:"sheet"`
}

// walkInJSON is one walk-in report: who proposed it and why, and who
// confirmed or refused it.
type walkInJSON struct {
	ID         int64  `json:"id"`
	Count      int64  `json:"count"`
	Reason     string `json:"reason"`
	Status     string `json:"status"`
	ProposedBy string `json:"proposed_by"`
	Proposed   string `json:"proposed"`
	DecidedBy  string `json:"decided_by,omitempty"`
	Decided    string `json:"decided,omitempty"`
}

func toWalkInJSON(w *voteday.WalkInReport) walkInJSON {
	return walkInJSON{ID: w.ID, Count: w.Count, Reason: w.Reason, Status: string(w.Status), ProposedBy: w.Proposer,
		Proposed: moment(w.Proposed), DecidedBy: w.Decider, Decided: moment(w.Decided)}
}

func toTableJSON(st *voteday.TableState) tableJSON {
	out := tableJSON{RoundID: st.RoundID, Table: st.Table, TableName: st.TableName, Centre: st.Centre,
		CentreName: st.CentreName, Circuit: st.Circuit, Closed: st.Closed, ClosedAt: moment(st.ClosedAt),
		ClosedByPhase: st.ClosedByPhase, CheckIns: st.CheckIns, WalkIns: st.WalkIns, WalkInCap: st.WalkInCap,
		WalkInReports: []walkInJSON{}, PendingEntries: len(st.Entries), EntriesDiffer: []string{}}
	for _, w := range st.WalkInReports {
		out.WalkInReports = append(out.WalkInReports, toWalkInJSON(w))
	}
	out.EntriesDiffer = append(out.EntriesDiffer, st.EntriesDiffer...)
	if st.Sheet != nil {
		v := toVersionJSON(st.Sheet)
		out.Sheet = &v
	}
	return out
}

// apiCheckIn: {"document_type","document_number","birth_date",
// "idempotency_key"} → the answer. The key may come as the
// Idempotency-Key header instead.
func (s *Server) apiCheckIn(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadTable(r, true)
	if err != nil {
		return err
	}
	var in checkInInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	in.IdempotencyKey = idempotencyKey(r, in.IdempotencyKey)
	a, err := s.checkIn(r, t, in)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, checkInJSON{Outcome: string(a.Outcome), Message: a.Message, Reason: a.Reason,
		Centre: a.Centre, CentreName: a.CentreName, Replayed: a.Replayed, CheckIns: a.CheckIns})
	return nil
}

// apiWalkIns: {"count","reason","idempotency_key"} → 202 and the
// proposed report, which counts once another person confirms it.
func (s *Server) apiWalkIns(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadTable(r, false)
	if err != nil {
		return err
	}
	var in struct {
		Count          int64  `json:"count"`
		Reason         string `json:"reason"`
		IdempotencyKey string `json:"idempotency_key"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rep, err := s.reportWalkIns(r, t, in.Count, in.Reason, idempotencyKey(r, in.IdempotencyKey))
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusAccepted, toWalkInJSON(rep))
	return nil
}

// apiWalkInDecision: {} → the confirmed or refused report.
func (s *Server) apiWalkInDecision(confirm bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		t, err := s.loadTable(r, false)
		if err != nil {
			return err
		}
		if r.ContentLength != 0 {
			var in struct{}
			if err := decodeJSON(r, &in); err != nil {
				return err
			}
		}
		rep, err := s.decideWalkIns(r, t, confirm)
		if err != nil {
			return err
		}
		s.writeJSON(w, http.StatusOK, toWalkInJSON(rep))
		return nil
	}
}

// apiCloseTable: {} or no body → the closed table.
func (s *Server) apiCloseTable(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadTable(r, false)
	if err != nil {
		return err
	}
	if r.ContentLength != 0 {
		var in struct{}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
	}
	st, err := t.store.CloseTable(r.Context(), t.Round.ID, t.Table.Code, reqInfoOf(r).user.ID)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, toTableJSON(st))
	return nil
}

// apiTable returns a table's vote-day state.
func (s *Server) apiTable(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadTable(r, false)
	if err != nil {
		return err
	}
	st, err := t.store.TableState(r.Context(), t.Round.ID, t.Table.Code)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, toTableJSON(st))
	return nil
}
