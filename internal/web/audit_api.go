package web

import (
	"math"
	"net/http"
	"time"

	"github.com/comuna/comuna/internal/audit"
)

// auditJSON is an audit and where it stands, as the API shows it.
type auditJSON struct {
	ID        int64      `json:"id"`
	RoundID   int64      `json:"round_id"`
	Kind      audit.Kind `json:"kind"`
	Seed      string     `json:"seed"`
	RiskLimit float64    `json:"risk_limit,omitempty"`
	Tables    int        `json:"tables,omitempty"`
	Epoch     int64      `json:"epoch"`
	Created   time.Time  `json:"created"`
	// Set when the audit's report is included.
	Stale    bool               `json:"stale,omitempty"`
	Pending  []string           `json:"pending,omitempty"`
	Outcomes map[string]int     `json:"outcomes,omitempty"`
	Circuits []circuitAuditJSON `json:"circuits,omitempty"`
	Draw     *drawJSON          `json:"draw,omitempty"`
}

// circuitAuditJSON is one circuit of a risk-limiting audit.
type circuitAuditJSON struct {
	Circuit       string            `json:"circuit"`
	Outcome       audit.Outcome     `json:"outcome"`
	Reason        string            `json:"reason"`
	PValue        *float64          `json:"p_value"` // null when a full count is needed
	Draws         int               `json:"draws"`
	Sample        []string          `json:"sample"`
	Pending       []string          `json:"pending"`
	MinMargin     int64             `json:"min_margin"`
	Discrepancies []discrepancyJSON `json:"discrepancies"`
}

// discrepancyJSON is a recounted table whose paper differs from its
// sheet: counts per ballot number as reported and as recounted.
type discrepancyJSON struct {
	Table         string  `json:"table"`
	Reported      []int64 `json:"reported"`
	Recounted     []int64 `json:"recounted"`
	Ballots       int64   `json:"ballots"`
	Overstatement float64 `json:"overstatement"`
	Taint         float64 `json:"taint"`
}

func toDiscrepancies(ds []audit.Discrepancy) []discrepancyJSON {
	out := make([]discrepancyJSON, len(ds))
	for i, d := range ds {
		out[i] = discrepancyJSON{d.Table, d.Reported, d.Recounted, d.Ballots, d.Overstatement, d.Taint}
	}
	return out
}

// drawJSON is a plain draw's tables and discrepancies.
type drawJSON struct {
	Tables        []string          `json:"tables"`
	Pending       []string          `json:"pending"`
	Discrepancies []discrepancyJSON `json:"discrepancies"`
}

func toAuditJSON(ac *auditContext) auditJSON {
	out := briefAuditJSON(ac.Audit)
	rep := ac.Report
	out.Stale, out.Pending = rep.Stale, rep.Pending()
	if rep.Draw != nil {
		out.Draw = &drawJSON{Tables: rep.Draw.Tables, Pending: rep.Draw.Pending, Discrepancies: toDiscrepancies(rep.Draw.Discrepancies)}
		return out
	}
	out.Outcomes = map[string]int{}
	for o, n := range rep.Outcomes {
		out.Outcomes[string(o)] = n
	}
	for _, c := range rep.Circuits {
		cj := circuitAuditJSON{Circuit: c.Circuit, Outcome: c.Status.Outcome, Reason: c.Status.Reason, Draws: c.Draws,
			Sample: c.Sample, Pending: c.Pending, MinMargin: c.Plan.MinMargin, Discrepancies: toDiscrepancies(c.Status.Discrepancies)}
		if p := c.Status.PValue; !math.IsInf(p, 0) && !math.IsNaN(p) {
			cj.PValue = &p
		}
		out.Circuits = append(out.Circuits, cj)
	}
	return out
}

func briefAuditJSON(a *audit.Audit) auditJSON {
	return auditJSON{ID: a.ID, RoundID: a.RoundID, Kind: a.Kind, Seed: a.Seed, RiskLimit: a.RiskLimit, Tables: a.Tables,
		Epoch: a.Epoch, Created: a.Created}
}

// apiAudits lists a round's audits.
func (s *Server) apiAudits(w http.ResponseWriter, r *http.Request) error {
	p, err := s.auditsView(r, newForm(r))
	if err != nil {
		return err
	}
	out := make([]auditJSON, 0, len(p.Audits))
	for _, a := range p.Audits {
		out = append(out, briefAuditJSON(a))
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"audits": out})
	return nil
}

// apiAuditCreate starts an audit: {"kind":"risk-limiting","seed":"…",
// "risk_limit":0.05} or {"kind":"draw","seed":"…","tables":20}.
func (s *Server) apiAuditCreate(w http.ResponseWriter, r *http.Request) error {
	c := s.counting
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	var body struct {
		Kind      audit.Kind `json:"kind"`
		Seed      string     `json:"seed"`
		RiskLimit float64    `json:"risk_limit"`
		Tables    int        `json:"tables"`
	}
	if err := decodeJSON(r, &body); err != nil {
		return err
	}
	a := &audit.Audit{RoundID: round.ID, Kind: body.Kind, Seed: body.Seed, RiskLimit: body.RiskLimit, Tables: body.Tables,
		CreatedBy: reqInfoOf(r).user.ID}
	ac, err := c.CreateAudit(r.Context(), a)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusCreated, toAuditJSON(ac))
	return nil
}

// apiAudit is an audit with its report.
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	ac, err := s.auditReport(r)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, toAuditJSON(ac))
	return nil
}
