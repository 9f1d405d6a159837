package web

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/audit"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/voteday"
)

// verifySheet is one table's current sheet with its place in the log.
type verifySheet struct {
	*voteday.SheetVersion
	Index  int64 // -1 when the sheet is not in the log
	InLog  bool
	Record string // /log/record/N
	Proof  string // /log/proof/record/N?size=…
}

// verifyPage is the public "verify this result" page of a circuit.
type verifyPage struct {
	*Page
	Round    *comuna.Round
	Circuit  string
	Sheets   []verifySheet
	Missing  []string // tables of the circuit with no accepted sheet
	LogSize  int64
	HasLog   bool
	Audit    *audit.Audit
	Status   *audit.CircuitReport
	Command  string
	AuditURL string
}

// verifyCircuitPage lists a circuit's sheets with their log records and
// inclusion proofs, the checkpoint, the latest audit's status there, and
// the command that recomputes everything from public data.
func (s *Server) verifyCircuitPage(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	terr, err := s.territoryOf(r.Context(), round)
	if err != nil {
		return err
	}
	if _, ok := terr.unit(comuna.LevelCircuit, code); !ok {
		return comuna.Errorf(comuna.ENotFound, "no circuit %q in this consultation", code)
	}
	vd, err := s.vdStore()
	if err != nil {
		return err
	}
	vs, _, err := vd.CurrentSheets(r.Context(), round.ID)
	if err != nil {
		return err
	}
	p := &verifyPage{Page: s.page(r, "verify.title", "rounds"), Round: round, Circuit: code}
	p.Title = p.T("verify.title") + " · " + code
	l, err := s.logStore()
	if err == nil {
		if p.LogSize, err = l.LogSize(r.Context()); err != nil {
			return err
		}
		p.HasLog = true
	}
	have := map[string]bool{}
	size := strconv.FormatInt(p.LogSize, 10)
	for _, v := range vs {
		if v.Circuit != code {
			continue
		}
		have[v.Table] = true
		vsh := verifySheet{SheetVersion: v, Index: -1}
		if p.HasLog {
			if n, err := l.LogIndexOfSheet(r.Context(), round.ID, v.Table, v.Version); err == nil {
				vsh.Index, vsh.InLog = n, true
				vsh.Record = "/log/record/" + strconv.FormatInt(n, 10)
				vsh.Proof = "/log/proof/record/" + strconv.FormatInt(n, 10) + "?size=" + size
			} else if comuna.ErrorCode(err) != comuna.ENotFound {
				return err
			}
		}
		p.Sheets = append(p.Sheets, vsh)
	}
	for _, u := range terr.Units {
		if u.Level == comuna.LevelTable && u.Circuit == code && !have[u.Code] {
			p.Missing = append(p.Missing, u.Code)
		}
	}
	sort.Strings(p.Missing)
	if err := s.verifyAuditStatus(r, p); err != nil {
		return err
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	p.Command = "comuna verify --url " + scheme + "://" + r.Host
	return s.render(w, r, http.StatusOK, "verify", p)
}

// verifyAuditStatus fills the latest risk-limiting audit's status of the
// page's circuit, if the round has one.
func (s *Server) verifyAuditStatus(r *http.Request, p *verifyPage) error {
	as, err := s.auditStore()
	if err != nil {
		return nil
	}
	list, err := as.Audits(r.Context(), p.Round.ID)
	if err != nil {
		return err
	}
	for _, a := range list {
		if a.Kind != audit.KindRisk {
			continue
		}
		r.SetPathValue("aid", strconv.FormatInt(a.ID, 10))
		ac, err := s.auditReport(r)
		if err != nil {
			return err
		}
		p.Audit, p.AuditURL = a, auditURL(p.Round.ID, a.ID)
		for i := range ac.Report.Circuits {
			if c := &ac.Report.Circuits[i]; c.Circuit == p.Circuit {
				p.Status = c
			}
		}
		return nil
	}
	return nil
}

// Votes writes a sheet's votes by ballot number, "1: 3 · 2: 2", instead
// of Go's "[3 2]".
func (p *verifyPage) Votes(vs []int64) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = strconv.Itoa(i+1) + ": " + p.Int(v)
	}
	return strings.Join(parts, " · ")
}
