package web

import (
	"golang.org/x/text/number"

	"net/http"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/audit"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/counting"
)

// auditStore returns the server's audits, or EUnavailable when it was
// started without them.
func (s *Server) auditStore() (audit.Store, error) {
	if s.audits == nil {
		return nil, comuna.Errorf(comuna.EUnavailable, "audits are not kept by this server")
	}
	return s.audits, nil
}

// auditContext is an audit with its round and where it stands.
type auditContext = counting.AuditReport

// loadAudit reads the {id} round's {aid} audit; ENotFound if the audit
// belongs to another round.
func (s *Server) loadAudit(r *http.Request) (*comuna.Round, *audit.Audit, audit.Store, error) {
	as, err := s.auditStore()
	if err != nil {
		return nil, nil, nil, err
	}
	round, err := s.loadRound(r)
	if err != nil {
		return nil, nil, nil, err
	}
	aid, err := pathID(r, "aid")
	if err != nil {
		return nil, nil, nil, err
	}
	a, err := as.Audit(r.Context(), aid)
	if err != nil {
		return nil, nil, nil, err
	}
	if a.RoundID != round.ID {
		return nil, nil, nil, comuna.Errorf(comuna.ENotFound, "audit %d is not an audit of round %d", aid, round.ID)
	}
	return round, a, as, nil
}

// auditReport evaluates the {id} round's {aid} audit on the round's
// current sheets and the hand counts entered so far
// (counting.Service.Audit); ENotFound if the audit belongs to another
// round.
func (s *Server) auditReport(r *http.Request) (*auditContext, error) {
	c := s.counting
	round, err := s.loadRound(r)
	if err != nil {
		return nil, err
	}
	aid, err := pathID(r, "aid")
	if err != nil {
		return nil, err
	}
	ac, err := c.Audit(r.Context(), aid)
	if err != nil {
		return nil, err
	}
	if ac.Audit.RoundID != round.ID {
		return nil, comuna.Errorf(comuna.ENotFound, "audit %d is not an audit of round %d", aid, round.ID)
	}
	return ac, nil
}

// auditsPage lists a round's audits, with the form to start one for
// those who run rounds.
type auditsPage struct {
	*Page
	Round  *comuna.Round
	Audits []*audit.Audit
	CanRun bool
	Form   *Form
	Kinds  []Option
}

func (s *Server) auditsView(r *http.Request, f *Form) (*auditsPage, error) {
	as, err := s.auditStore()
	if err != nil {
		return nil, err
	}
	round, err := s.loadRound(r)
	if err != nil {
		return nil, err
	}
	list, err := as.Audits(r.Context(), round.ID)
	if err != nil {
		return nil, err
	}
	p := &auditsPage{Page: s.page(r, "audit.list", "rounds"), Round: round, Audits: list, Form: f,
		CanRun: can(r, comuna.ActionManageRounds, comuna.Target{})}
	for _, k := range []audit.Kind{audit.KindRisk, audit.KindDraw} {
		p.Kinds = append(p.Kinds, Option{Value: string(k), Label: p.T("audit.kind." + string(k))})
	}
	if len(f.Values) == 0 {
		f.Values.Set("risk_limit", strconv.FormatFloat(audit.DefaultRiskLimit*100, 'g', -1, 64))
		f.Values.Set("kind", string(audit.KindRisk))
	}
	return p, nil
}

// auditList shows a round's audits.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) error {
	p, err := s.auditsView(r, newForm(r))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "audits", p)
}

// auditCreate starts an audit from the form: the seed drawn at the public
// ceremony, and a risk limit in percent or a number of tables to draw.
func (s *Server) auditCreate(w http.ResponseWriter, r *http.Request) error {
	c := s.counting
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	f := newForm(r)
	a := &audit.Audit{RoundID: round.ID, Kind: audit.Kind(f.str("kind")), Seed: f.str("seed"), CreatedBy: reqInfoOf(r).user.ID}
	if a.Kind == audit.KindDraw {
		a.Tables = f.int("tables")
	} else if v := strings.TrimSuffix(f.str("risk_limit"), "%"); v != "" {
		pct, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(v), ",", ".", 1), 64)
		if err != nil {
			f.fail("risk_limit", translate(f.lang, "audit.badrisk"))
		}
		a.RiskLimit = pct / 100
	}
	if !f.HasErrors() {
		if _, err := c.CreateAudit(r.Context(), a); err != nil {
			if comuna.ErrorCode(err) == comuna.EConflict {
				f.Error = errorText(f.lang, err)
			} else if !f.take(err, "seed", "risk_limit", "tables", "kind") {
				return err
			}
		}
	}
	if f.HasErrors() {
		p, err := s.auditsView(r, f)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "audits", p)
	}
	return redirect(w, r, auditURL(round.ID, a.ID))
}

func auditURL(roundID, auditID int64) string {
	return "/rounds/" + strconv.FormatInt(roundID, 10) + "/audits/" + strconv.FormatInt(auditID, 10)
}

// auditView is an audit's page.
type auditView struct {
	*Page
	*auditContext
}

// CanRecount reports whether the caller may enter a table's recount.
func (p *auditView) CanRecount(table string) bool {
	return can(p.r, comuna.ActionEnterRecount, comuna.Target{Table: table})
}

// RiskPct writes the risk limit as a percentage.
func (p *auditView) RiskPct() string {
	return printer(p.Lang).Sprint(number.Percent(p.Audit.RiskLimit, number.MaxFractionDigits(2)))
}

// PValue writes a P-value with four decimals, "∞" when a full count is
// called for.
func (p *auditView) PValue(x float64) string {
	if x > 1e9 {
		return "∞"
	}
	return formatFixed(p.Lang, x, 4)
}

// RecountURL links a table's recount form.
func (p *auditView) RecountURL(table string) string {
	return auditURL(p.Round.ID, p.Audit.ID) + "/tables/" + table
}

// discrepancyList is what the "discrepancies" template draws.
type discrepancyList struct {
	P    *auditView
	List []audit.Discrepancy
}

// Disc hands a list of discrepancies to the "discrepancies" template.
func (p *auditView) Disc(ds []audit.Discrepancy) discrepancyList { return discrepancyList{p, ds} }

// auditPage shows an audit: per circuit its outcome and the tables to
// recount, or the tables of a draw, and every discrepancy found.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	ac, err := s.auditReport(r)
	if err != nil {
		return err
	}
	p := &auditView{Page: s.page(r, "audit.title", "rounds"), auditContext: ac}
	p.Title = p.T("audit.title") + " " + strconv.FormatInt(ac.Audit.ID, 10) + " · " + ac.Round.Name
	return s.render(w, r, http.StatusOK, "audit", p)
}
