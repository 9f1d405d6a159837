package web

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/blob"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/execution"
	"github.com/comuna/comuna/internal/results"
	"golang.org/x/text/number"
)

// execStore returns the store of funded projects, or EUnavailable.
func (s *Server) execStore() (execution.Store, error) {
	if s.exec == nil {
		return nil, comuna.Errorf(comuna.EUnavailable, "funded projects are not kept by this server")
	}
	return s.exec, nil
}

// reportLimit limits citizens' reports per client address.
var reportLimit = auth.NewLimiter(3, 2)

// execProject is a funded project as a page or the API sees it: where it
// stands today and who may act on it.
type execProject struct {
	*execution.Tracked
	Summary execution.Summary
	Target  comuna.Target
}

// loadProject reads the {id} round and its {pid} funded project with the
// units its roles are scoped to.
func (s *Server) loadProject(r *http.Request) (*comuna.Round, *execProject, error) {
	es, err := s.execStore()
	if err != nil {
		return nil, nil, err
	}
	round, err := s.loadRound(r)
	if err != nil {
		return nil, nil, err
	}
	pid, err := pathID(r, "pid")
	if err != nil {
		return nil, nil, err
	}
	t, err := es.FundedProject(r.Context(), pid)
	if err != nil {
		return nil, nil, err
	}
	if t.Round != round.ID {
		return nil, nil, comuna.Errorf(comuna.ENotFound, "funded project %d is not of round %d", pid, round.ID)
	}
	p := &execProject{Tracked: t, Summary: execution.Summarize(t.State.Project, s.now())}
	p.Target.Circuit = t.Circuit
	if prop, err := s.store.Proposal(r.Context(), t.Proposal); err == nil {
		p.Target.Council = prop.Council
	}
	if path, err := s.store.Unit(r.Context(), round.TerritoryVersion, comuna.LevelCircuit, t.Circuit); err == nil {
		for _, a := range path.Ancestors {
			if a.Level == comuna.LevelCommune {
				p.Target.Commune = a.Code
			}
		}
	}
	return round, p, nil
}

// execDashboardPage is a round's execution dashboard.
type execDashboardPage struct {
	*Page
	Round    *comuna.Round
	Board    *execution.Dashboard
	Projects []*execProject
	Circuit  string
	CanFund  bool
	CanSet   bool
	Policy   execution.Policy
	Form     *Form
	Statuses []execution.Status
}

// PolicyOptions are the runner-up policies.
func (p *execDashboardPage) PolicyOptions() []Option {
	var out []Option
	for _, pol := range []execution.RunnerUpPolicy{execution.OnCompletion, execution.OnCancellation, execution.OnEither, execution.NoRunnerUp} {
		out = append(out, Option{Value: string(pol), Label: p.L("exec.policy", pol)})
	}
	return out
}

// StatusCount is how many projects are in a status.
func (p *execDashboardPage) StatusCount(st execution.Status) int { return p.Board.ByStatus[st] }

// StatusWidth is a status's bar width in percent of the busiest status.
func (p *execDashboardPage) StatusWidth(st execution.Status) int {
	most := 0
	for _, n := range p.Board.ByStatus {
		most = max(most, n)
	}
	if most == 0 {
		return 0
	}
	return p.Board.ByStatus[st] * 100 / most
}

// Pct writes a progress percentage in the page's language.
func (p *Page) Pct(v execution.Percent) string {
	// Percent counts hundredths of a percent; one decimal is shown.
	return printer(p.Lang).Sprint(number.Percent(float64(v)/10000, number.MaxFractionDigits(1)))
}

func (s *Server) execDashboardView(r *http.Request, f *Form) (*execDashboardPage, error) {
	es, err := s.execStore()
	if err != nil {
		return nil, err
	}
	round, err := s.loadRound(r)
	if err != nil {
		return nil, err
	}
	ts, err := es.FundedProjects(r.Context(), round.ID)
	if err != nil {
		return nil, err
	}
	circuit := strings.TrimSpace(r.URL.Query().Get("circuit"))
	p := &execDashboardPage{Page: s.page(r, "exec.title", "rounds"), Round: round, Board: execution.NewDashboard(),
		Circuit: circuit, Form: f, Statuses: execution.Statuses,
		CanFund: round.Phase == comuna.PhaseResults && can(r, comuna.ActionManageRounds, comuna.Target{})}
	p.Title = p.T("exec.title") + " · " + round.Name
	p.CanSet = can(r, comuna.ActionManageRounds, comuna.Target{})
	if p.Policy, err = es.RunnerUpPolicy(r.Context(), round.ID); err != nil {
		return nil, err
	}
	now := s.now()
	for _, t := range ts {
		if circuit != "" && t.Circuit != circuit {
			continue
		}
		ep := &execProject{Tracked: t, Summary: execution.Summarize(t.State.Project, now)}
		p.Board.Add(ep.Summary)
		p.Projects = append(p.Projects, ep)
	}
	if len(f.Values) == 0 {
		f.Values.Set("paid_in", "VES")
		f.Values.Set("rate", round.ExchangeRate)
		f.Values.Set("rate_date", now.Format(time.DateOnly))
		f.Values.Set("planned_start", now.Format(time.DateOnly))
		f.Values.Set("planned_end", now.AddDate(0, 6, 0).Format(time.DateOnly))
		f.Values.Set("runner_up", string(p.Policy.RunnerUp))
	}
	return p, nil
}

// execDashboard shows what became of a round's funded projects.
func (s *Server) execDashboard(w http.ResponseWriter, r *http.Request) error {
	p, err := s.execDashboardView(r, newForm(r))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "execution", p)
}

// decidedProject is a project of a final circuit in the order the
// round's one decision leaves them: the funded ones as the rule chose
// them, then the rest, most voted first, as runner-ups.
type decidedProject struct {
	ProposalID int64
	Number     int
	Amount     comuna.Cents // what the decision gives it; 0 for runner-ups
	Funded     bool
}

// decided lists the projects of every final circuit in the decision's
// order, by circuit code.
func decided(res *results.Results) map[string][]decidedProject {
	out := map[string][]decidedProject{}
	for _, n := range res.Level(comuna.LevelCircuit) {
		if n.Provisional || n.Decision == nil {
			continue
		}
		funded := map[int]bool{}
		for _, f := range n.Decision.Funded {
			funded[f.Number] = true
			out[n.Code] = append(out[n.Code], decidedProject{ProposalID: f.ProposalID, Number: f.Number, Amount: f.Amount, Funded: true})
		}
		rest := make([]results.ProjectResult, 0, len(n.Projects))
		for _, pr := range n.Projects {
			if !funded[pr.Number] {
				rest = append(rest, pr)
			}
		}
		sort.SliceStable(rest, func(i, j int) bool {
			if rest[i].Votes != rest[j].Votes {
				return rest[i].Votes > rest[j].Votes
			}
			return rest[i].Number < rest[j].Number
		})
		for _, pr := range rest {
			out[n.Code] = append(out[n.Code], decidedProject{ProposalID: pr.ProposalID, Number: pr.Number})
		}
	}
	return out
}

// execFund creates the funded projects of every final circuit from the
// round's decision, with the commitment the form gives (the round's
// amount per project, paid in the form's currency at its rate).
func (s *Server) execFund(w http.ResponseWriter, r *http.Request) error {
	es, err := s.execStore()
	if err != nil {
		return err
	}
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	f := newForm(r)
	c := execution.Commitment{Amount: round.AmountPerProject, Currency: round.Currency, PaidIn: strings.ToUpper(f.str("paid_in")),
		RateSource: f.str("rate_source"), RateDate: f.date("rate_date")}
	if c.PaidIn != "" && c.PaidIn != c.Currency {
		if c.Rate, err = execution.ParseRate("rate", f.str("rate")); err != nil {
			f.take(err, "rate")
		}
	}
	win := execution.Window{Start: f.date("planned_start"), End: f.date("planned_end")}
	if !f.HasErrors() {
		if err := c.Validate(); err != nil && !f.take(err, "paid_in", "rate", "rate_source", "rate_date") {
			return err
		}
	}
	n := 0
	if !f.HasErrors() {
		if round.Phase != comuna.PhaseResults {
			f.Error = p0(f, "exec.notfinal")
		} else if res, _, err := s.liveResults(r.Context(), round); err != nil {
			return err
		} else {
			existing, err := es.FundedProjects(r.Context(), round.ID)
			if err != nil {
				return err
			}
			have := map[int64]bool{}
			for _, t := range existing {
				have[t.Proposal] = true
			}
			user := reqInfoOf(r).user
			for circuit, prs := range decided(res) {
				for rank, pr := range prs {
					if !pr.Funded || have[pr.ProposalID] {
						continue
					}
					c := c
					if pr.Amount > 0 {
						c.Amount = pr.Amount
					}
					executor := circuit
					if prop, err := s.store.Proposal(r.Context(), pr.ProposalID); err == nil {
						executor = prop.Council
					}
					e := execution.Event{Kind: execution.EvCommit, By: user.Username, Commitment: c, Window: win,
						Executor: executor, Rank: rank + 1}
					ref := execution.Ref{Round: round.ID, Proposal: pr.ProposalID, Number: pr.Number}
					if _, err := es.FundProject(r.Context(), ref, e); err != nil {
						if f.take(err, "planned_start", "planned_end", "rate", "paid_in") {
							break
						}
						return err
					}
					n++
				}
				if f.HasErrors() {
					break
				}
			}
		}
	}
	if f.HasErrors() {
		p, err := s.execDashboardView(r, f)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "execution", p)
	}
	return redirect(w, r, execURL(round.ID, 0)+"?funded="+strconv.Itoa(n))
}

func p0(f *Form, key string) string { return translate(f.lang, key) }

// execPolicy sets the round's runner-up policy.
func (s *Server) execPolicy(w http.ResponseWriter, r *http.Request) error {
	es, err := s.execStore()
	if err != nil {
		return err
	}
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	f := newForm(r)
	if err := es.SetRunnerUpPolicy(r.Context(), round.ID, execution.Policy{RunnerUp: execution.RunnerUpPolicy(f.str("runner_up")), By: reqInfoOf(r).user.Username}); err != nil {
		if !f.take(err, "runner_up") {
			return err
		}
		p, err := s.execDashboardView(r, f)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "execution", p)
	}
	return redirect(w, r, execURL(round.ID, 0))
}

func execURL(roundID, pid int64) string {
	u := "/rounds/" + strconv.FormatInt(roundID, 10) + "/execution"
	if pid != 0 {
		u += "/projects/" + strconv.FormatInt(pid, 10)
	}
	return u
}

// timelineItem is one line of a project's timeline.
type timelineItem struct {
	At    time.Time
	Kind  execution.EventKind
	By    string
	Text  string
	Index int64
}

// execProjectPage is a funded project's page.
type execProjectPage struct {
	*Page
	Round      *comuna.Round
	P          *execProject
	Timeline   []timelineItem
	Reports    []execution.Report
	Form       *Form
	CanRecord  bool
	CanExecute bool
	CanOversee bool
	CanManage  bool
	Sent       bool
}

func (s *Server) execProjectView(r *http.Request, f *Form) (*execProjectPage, error) {
	round, p, err := s.loadProject(r)
	if err != nil {
		return nil, err
	}
	v := &execProjectPage{Page: s.page(r, "exec.project", "rounds"), Round: round, P: p, Form: f,
		CanRecord:  can(r, comuna.ActionRecordPayment, p.Target),
		CanExecute: can(r, comuna.ActionExecuteProject, p.Target),
		CanOversee: can(r, comuna.ActionOverseeProject, p.Target),
		CanManage:  can(r, comuna.ActionManageRounds, p.Target),
		Sent:       r.URL.Query().Get("sent") == "1"}
	v.Title = p.Title + " · " + round.Name
	for i, e := range p.Entries {
		v.Timeline = append(v.Timeline, timelineItem{At: e.At, Kind: e.Kind, By: e.By, Text: v.entryText(e), Index: p.Logged[i]})
	}
	if v.CanOversee {
		es, _ := s.execStore()
		if v.Reports, err = es.Reports(r.Context(), p.ID); err != nil {
			return nil, err
		}
	}
	if len(f.Values) == 0 {
		f.Values.Set("date", s.now().Format(time.DateOnly))
		f.Values.Set("currency", p.State.Commitment.PaidIn)
		f.Values.Set("rate", p.State.Commitment.Rate.String())
		f.Values.Set("rate_source", p.State.Commitment.RateSource)
		f.Values.Set("payee", p.State.Executor)
		f.Values.Set("weight", "1")
	}
	return v, nil
}

// entryText says in the page's language what an entry recorded.
func (v *execProjectPage) entryText(e execution.Event) string {
	switch e.Kind {
	case execution.EvCommit:
		c := e.Commitment
		if e.Activated {
			return v.T("exec.ev.activated", v.Money(c.Amount, c.Currency), e.Executor)
		}
		return v.T("exec.ev.commit", v.Money(c.Amount, c.Currency), e.Executor)
	case execution.EvStatus:
		s := v.T("exec.ev.status", v.L("exec.status", e.Status))
		if e.Text != "" {
			s += " — " + e.Text
		}
		return s
	case execution.EvMilestone:
		return v.T("exec.ev.milestone", e.Milestone.Title, v.Date(e.Milestone.Planned))
	case execution.EvReview:
		return v.T("exec.ev.review", e.Target, v.L("exec.ms", e.Milestone.Status))
	case execution.EvProgress:
		return v.T("exec.ev.progress", v.Pct(e.Percent))
	case execution.EvDisbursement:
		d := e.Disbursement
		return v.T("exec.ev.disbursement", v.Money(d.Amount, d.Currency), v.L("exec.payer", d.Payer), d.Reference)
	case execution.EvConfirm:
		return v.T("exec.ev.confirm", e.Target)
	case execution.EvEvidence:
		return v.T("exec.ev.evidence", e.Evidence.Title, e.Evidence.SHA256[:12])
	case execution.EvFinding:
		return v.T("exec.ev.finding", v.L("exec.severity", e.Severity), e.Text)
	case execution.EvFindingAct:
		return v.T("exec.ev.findingact", e.Target, v.L("exec.act", e.Action), e.Text)
	}
	return string(e.Kind)
}

// execProjectGet shows a funded project.
func (s *Server) execProjectGet(w http.ResponseWriter, r *http.Request) error {
	p, err := s.execProjectView(r, newForm(r))
	if err != nil {
		return err
	}
	s.anonCSRF(w, r, p.Page) // the report form works without an account
	return s.render(w, r, http.StatusOK, "execution_project", p)
}

// execInput is an entry as a form or a JSON body gives it, all strings,
// read the same way for both.
type execInput struct {
	Kind         string `json:"kind"`
	Status       string `json:"status,omitempty"`
	Reason       string `json:"reason,omitempty"`
	Title        string `json:"title,omitempty"`
	Description  string `json:"description,omitempty"`
	Planned      string `json:"planned,omitempty"`
	Weight       string `json:"weight,omitempty"`
	Milestone    string `json:"milestone,omitempty"`
	Met          string `json:"met,omitempty"`
	Percent      string `json:"percent,omitempty"`
	Date         string `json:"date,omitempty"`
	Amount       string `json:"amount,omitempty"`
	Currency     string `json:"currency,omitempty"`
	Rate         string `json:"rate,omitempty"`
	RateSource   string `json:"rate_source,omitempty"`
	Payer        string `json:"payer,omitempty"`
	Payee        string `json:"payee,omitempty"`
	Reference    string `json:"reference,omitempty"`
	Disbursement string `json:"disbursement,omitempty"`
	Severity     string `json:"severity,omitempty"`
	Finding      string `json:"finding,omitempty"`
	Action       string `json:"action,omitempty"`
}

func formEntry(f *Form) execInput {
	g := f.str
	return execInput{Kind: g("kind"), Status: g("status"), Reason: g("reason"), Title: g("title"), Description: g("description"),
		Planned: g("planned"), Weight: g("weight"), Milestone: g("milestone"), Met: g("met"), Percent: g("percent"),
		Date: g("date"), Amount: g("amount"), Currency: g("currency"), Rate: g("rate"), RateSource: g("rate_source"),
		Payer: g("payer"), Payee: g("payee"), Reference: g("reference"), Disbursement: g("disbursement"),
		Severity: g("severity"), Finding: g("finding"), Action: g("action")}
}

// event turns the input into an entry, naming the field of the first
// value it cannot read. Amounts are read in lang's way of writing them.
func (in execInput) event(lang, by string) (execution.Event, error) {
	e := execution.Event{Kind: execution.EventKind(in.Kind), By: by}
	date := func(field, v string) (time.Time, error) {
		if v == "" {
			return time.Time{}, nil
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return t, comuna.FieldError(field, "%q is not a date written YYYY-MM-DD", v)
		}
		return t, nil
	}
	num := func(field, v string) (int, error) {
		if v == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, comuna.FieldError(field, "%q is not a whole number", v)
		}
		return n, nil
	}
	var err error
	switch e.Kind {
	case execution.EvStatus:
		e.Status, e.Text = execution.Status(in.Status), in.Reason
	case execution.EvMilestone:
		e.Milestone.Title, e.Milestone.Description = in.Title, in.Description
		if e.Milestone.Planned, err = date("planned", in.Planned); err != nil {
			return e, err
		}
		if e.Milestone.Weight, err = num("weight", in.Weight); err != nil {
			return e, err
		}
	case execution.EvReview:
		if e.Target, err = num("milestone", in.Milestone); err != nil {
			return e, err
		}
		e.Milestone.Status = execution.MilestoneStatus(in.Status)
		if e.Milestone.Met, err = date("met", in.Met); err != nil {
			return e, err
		}
	case execution.EvProgress:
		pct, err := parsePercent(lang, in.Percent)
		if err != nil {
			return e, err
		}
		e.Percent = pct
	case execution.EvDisbursement:
		d := &e.Disbursement
		if d.Date, err = date("date", in.Date); err != nil {
			return e, err
		}
		if d.Amount, err = execution.ParseAmount("amount", localDecimal(lang, in.Amount)); err != nil {
			return e, err
		}
		d.Currency = strings.ToUpper(in.Currency)
		if in.Rate != "" {
			if d.Rate, err = execution.ParseRate("rate", localDecimal(lang, in.Rate)); err != nil {
				return e, err
			}
		}
		d.RateSource, d.Payer, d.Payee, d.Reference = in.RateSource, execution.Payer(in.Payer), in.Payee, in.Reference
	case execution.EvConfirm:
		if e.Target, err = num("disbursement", in.Disbursement); err != nil {
			return e, err
		}
	case execution.EvFinding:
		e.Severity, e.Text = execution.Severity(in.Severity), in.Description
	case execution.EvFindingAct:
		if e.Target, err = num("finding", in.Finding); err != nil {
			return e, err
		}
		e.Action, e.Text = execution.FindingAction(in.Action), in.Reason
	default:
		return e, comuna.FieldError("kind", "unknown kind of entry %q", in.Kind)
	}
	return e, nil
}

// localDecimal rewrites a number typed the language's way ("182.500,50"
// in Spanish, "182,500.50" in English) as digits and a decimal point.
func localDecimal(lang, s string) string {
	s = strings.TrimSpace(s)
	if lang == "en" {
		return strings.ReplaceAll(s, ",", "")
	}
	return strings.Replace(strings.ReplaceAll(s, ".", ""), ",", ".", 1)
}

// parsePercent reads a percentage such as "62,5" (or "62.5" in English).
func parsePercent(lang, s string) (execution.Percent, error) {
	v := strings.TrimSuffix(strings.TrimSpace(s), "%")
	c, err := execution.ParseAmount("percent", localDecimal(lang, strings.TrimSpace(v)))
	if err != nil && strings.TrimSpace(v) != "0" {
		return 0, comuna.FieldError("percent", "%q is not a percentage from 0 to 100", s)
	}
	if c > 10000 {
		return 0, comuna.FieldError("percent", "a percentage is at most 100")
	}
	return execution.Percent(c), nil
}

// appendEntry authorizes and appends an entry to the project.
func (s *Server) appendEntry(r *http.Request, p *execProject, in execInput, lang string) (*execution.Tracked, error) {
	user := reqInfoOf(r).user
	if user == nil {
		return nil, comuna.Errorf(comuna.EUnauthorized, "log in to do this")
	}
	e, err := in.event(lang, user.Username)
	if err != nil {
		return nil, err
	}
	// Each route takes the entries of one action of the matrix, so the
	// route table says who may make them; the handler decides on the
	// project's own council and commune.
	if want := reqInfoOf(r).route.Action; execution.EntryAction(e) != want {
		return nil, comuna.FieldError("kind", "this address does not take %s entries", e.Kind)
	}
	if err := s.authorize(r, p.Target); err != nil {
		return nil, err
	}
	es, err := s.execStore()
	if err != nil {
		return nil, err
	}
	t, err := es.AppendEntry(r.Context(), p.ID, e)
	if err != nil {
		return nil, err
	}
	if e.Kind == execution.EvStatus {
		if err := s.activateRunnerUp(r, t, e); err != nil {
			return t, err
		}
	}
	return t, nil
}

// activateRunnerUp funds the circuit's next project in the decision's
// order when a project reaches a status the round's runner-up policy
// names, with the reason in its commitment entry, so the log says why.
func (s *Server) activateRunnerUp(r *http.Request, t *execution.Tracked, e execution.Event) error {
	es, _ := s.execStore()
	pol, err := es.RunnerUpPolicy(r.Context(), t.Round)
	if err != nil {
		return err
	}
	st := execution.Current(t.State.History)
	if !pol.RunnerUp.Triggers(st) {
		return nil
	}
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	res, _, err := s.liveResults(r.Context(), round)
	if err != nil {
		return err
	}
	order := decided(res)[t.Circuit]
	all, err := es.FundedProjects(r.Context(), t.Round)
	if err != nil {
		return err
	}
	tracked := map[int64]bool{}
	for _, o := range all {
		if o.Circuit == t.Circuit {
			tracked[o.Proposal] = true
		}
	}
	var ids []int64 // the runner-ups, in order: projects the decision did not fund
	for _, d := range order {
		if !d.Funded {
			ids = append(ids, d.ProposalID)
		}
	}
	next, ok := execution.NextRunnerUp(pol.RunnerUp, st, ids, tracked)
	if !ok {
		return nil
	}
	rank, number := 0, 0
	for i, d := range order {
		if d.ProposalID == next {
			rank, number = i+1, d.Number
		}
	}
	executor := t.Circuit
	if prop, err := s.store.Proposal(r.Context(), next); err == nil {
		executor = prop.Council
	}
	now := s.now()
	c := t.State.Commitment
	c.RateDate = now
	commit := execution.Event{Kind: execution.EvCommit, By: e.By, Commitment: c, Executor: executor, Rank: rank, Activated: true,
		Window: execution.Window{Start: now, End: now.Add(t.State.Window.End.Sub(t.State.Window.Start))},
		Text:   fmt.Sprintf("runner-up of %s, %s on %s (policy %s)", t.Key(), st, now.Format(time.DateOnly), pol.RunnerUp)}
	_, err = es.FundProject(r.Context(), execution.Ref{Round: t.Round, Proposal: next, Number: number}, commit)
	if comuna.ErrorCode(err) == comuna.EConflict {
		return nil // activated meanwhile by another request
	}
	return err
}

// execEntry appends an entry from one of the project page's forms.
func (s *Server) execEntry(w http.ResponseWriter, r *http.Request) error {
	round, p, err := s.loadProject(r)
	if err != nil {
		return err
	}
	f := newForm(r)
	if _, err := s.appendEntry(r, p, formEntry(f), f.lang); err != nil {
		switch comuna.ErrorCode(err) {
		case comuna.EInvalid:
			if !f.take(err, "status", "reason", "title", "planned", "weight", "milestone", "met", "percent", "date", "amount",
				"currency", "rate", "rate_source", "payer", "payee", "reference", "disbursement", "severity", "description", "finding", "action") {
				return err
			}
		case comuna.EConflict:
			f.Error = errorText(f.lang, err)
		default:
			return err
		}
		v, verr := s.execProjectView(r, f)
		if verr != nil {
			return verr
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "execution_project", v)
	}
	return redirect(w, r, execURL(round.ID, p.ID))
}

// execReport takes a resident's report, without an account, limited per
// client address.
func (s *Server) execReport(w http.ResponseWriter, r *http.Request) error {
	round, p, err := s.loadProject(r)
	if err != nil {
		return err
	}
	ip := clientIP(r)
	if !reportLimit.Allow("report:" + ip) {
		w.Header().Set("Retry-After", itoa(int(reportLimit.RetryAfter("report:"+ip).Seconds())+1))
		return comuna.Errorf(comuna.ERateLimited, "too many reports from this connection; try again in a few minutes")
	}
	f := newForm(r)
	es, _ := s.execStore()
	if _, err := es.SubmitReport(r.Context(), p.ID, execution.Report{Text: f.str("report")}); err != nil {
		if !f.take(err, "report") {
			return err
		}
		f.Errors["report"] = translate(f.lang, "exec.reportshort")
		v, verr := s.execProjectView(r, f)
		if verr != nil {
			return verr
		}
		s.anonCSRF(w, r, v.Page)
		return s.render(w, r, http.StatusUnprocessableEntity, "execution_project", v)
	}
	return redirect(w, r, execURL(round.ID, p.ID)+"?sent=1#report")
}

// execHandleReport lets a comptroller dismiss a report or open a finding
// from it.
func (s *Server) execHandleReport(w http.ResponseWriter, r *http.Request) error {
	round, p, err := s.loadProject(r)
	if err != nil {
		return err
	}
	user := reqInfoOf(r).user
	if err := s.authorize(r, p.Target); err != nil {
		return err
	}
	rid, err := pathID(r, "rid")
	if err != nil {
		return err
	}
	f := newForm(r)
	a := execution.ReportAction{Dismiss: f.str("action") == "dismiss", Reason: f.str("reason"), Severity: execution.Severity(f.str("severity"))}
	es, _ := s.execStore()
	if _, err := es.HandleReport(r.Context(), p.ID, int(rid), user.Username, a); err != nil {
		if comuna.ErrorCode(err) == comuna.EConflict {
			f.Error = errorText(f.lang, err)
		} else if !f.take(err, "reason", "severity") {
			return err
		}
		v, verr := s.execProjectView(r, f)
		if verr != nil {
			return verr
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "execution_project", v)
	}
	return redirect(w, r, execURL(round.ID, p.ID))
}

// trackedJSON is a funded project in the API and open data.
type trackedJSON struct {
	ID           int64             `json:"id"`
	Key          string            `json:"key"`
	Round        int64             `json:"round_id"`
	Circuit      string            `json:"circuit"`
	Number       int               `json:"number"`
	ProposalID   int64             `json:"proposal_id"`
	Title        string            `json:"title"`
	Executor     string            `json:"executor"`
	RunnerUp     bool              `json:"runner_up"`
	Status       execution.Status  `json:"status"`
	Since        string            `json:"since"`
	Late         bool              `json:"late"`
	Physical     string            `json:"physical_progress"`
	Financial    string            `json:"financial_progress"`
	Committed    string            `json:"committed"`
	Currency     string            `json:"currency"`
	Disbursed    string            `json:"disbursed"`
	Paid         map[string]string `json:"paid"`
	Pending      int               `json:"pending_disbursements"`
	OpenFindings int               `json:"open_findings"`
	Entries      int               `json:"entries"`
	LogIndexes   []int64           `json:"log_indexes,omitempty"`
}

func newTrackedJSON(t *execution.Tracked, sum execution.Summary, full bool) trackedJSON {
	j := trackedJSON{ID: t.ID, Key: t.Key(), Round: t.Round, Circuit: t.Circuit, Number: t.Number, ProposalID: t.Proposal,
		Title: t.Title, Executor: t.State.Executor, RunnerUp: t.State.Activated, Status: sum.Status,
		Since: sum.Since.UTC().Format(time.RFC3339), Late: sum.Late, Physical: sum.Physical.String(), Financial: sum.Financial.String(),
		Committed: sum.Totals.Committed.Amount.Plain(), Currency: sum.Totals.Committed.Currency, Disbursed: sum.Totals.InCommit.Plain(),
		Paid: map[string]string{}, Pending: sum.Totals.Pending, OpenFindings: sum.OpenFindings, Entries: len(t.Entries)}
	for c, a := range sum.Totals.Paid {
		j.Paid[c] = a.Plain()
	}
	if full {
		j.LogIndexes = t.Logged
	}
	return j
}

// apiExecution lists a round's funded projects with where each stands.
func (s *Server) apiExecution(w http.ResponseWriter, r *http.Request) error {
	es, err := s.execStore()
	if err != nil {
		return err
	}
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	ts, err := es.FundedProjects(r.Context(), round.ID)
	if err != nil {
		return err
	}
	now := s.now()
	out := struct {
		Round    int64         `json:"round_id"`
		Projects []trackedJSON `json:"projects"`
	}{Round: round.ID, Projects: []trackedJSON{}}
	for _, t := range ts {
		out.Projects = append(out.Projects, newTrackedJSON(t, execution.Summarize(t.State.Project, now), false))
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}

// apiExecProject is one funded project with its log records.
func (s *Server) apiExecProject(w http.ResponseWriter, r *http.Request) error {
	_, p, err := s.loadProject(r)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, newTrackedJSON(p.Tracked, p.Summary, true))
	return nil
}

// apiExecEntry appends an entry from a JSON body.
func (s *Server) apiExecEntry(w http.ResponseWriter, r *http.Request) error {
	_, p, err := s.loadProject(r)
	if err != nil {
		return err
	}
	var in execInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	t, err := s.appendEntry(r, p, in, "en")
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusCreated, newTrackedJSON(t, execution.Summarize(t.State.Project, s.now()), true))
	return nil
}

// execCSV is the open data of a round's funded projects.
func (s *Server) execCSV(w http.ResponseWriter, r *http.Request) error {
	es, err := s.execStore()
	if err != nil {
		return err
	}
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	ts, err := es.FundedProjects(r.Context(), round.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="funded-projects-`+strconv.FormatInt(round.ID, 10)+`.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"round_id", "circuit", "number", "proposal_id", "title", "executor", "runner_up", "status", "since", "late",
		"physical_progress", "financial_progress", "committed", "currency", "disbursed", "pending_disbursements", "open_findings"})
	now := s.now()
	for _, t := range ts {
		j := newTrackedJSON(t, execution.Summarize(t.State.Project, now), false)
		cw.Write(csvSafe([]string{strconv.FormatInt(j.Round, 10), j.Circuit, strconv.Itoa(j.Number), strconv.FormatInt(j.ProposalID, 10),
			j.Title, j.Executor, strconv.FormatBool(j.RunnerUp), string(j.Status), j.Since, strconv.FormatBool(j.Late),
			j.Physical, j.Financial, j.Committed, j.Currency, j.Disbursed, strconv.Itoa(j.Pending), strconv.Itoa(j.OpenFindings)}))
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe neutralises cells a spreadsheet would run as formulas.
func csvSafe(rec []string) []string {
	for i, c := range rec {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			rec[i] = "'" + c
		}
	}
	return rec
}

// execOCDS is a round's funded projects as an OCDS 1.1 release package.
func (s *Server) execOCDS(w http.ResponseWriter, r *http.Request) error {
	es, err := s.execStore()
	if err != nil {
		return err
	}
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	ts, err := es.FundedProjects(r.Context(), round.ID)
	if err != nil {
		return err
	}
	base := "https://" + r.Host
	if r.TLS == nil {
		base = "http://" + r.Host
	}
	pub := execution.Publisher{Name: "Comuna", URI: base, Prefix: "ocds-comuna"}
	now := s.now()
	rels := make([]execution.ReleaseJSON, 0, len(ts))
	for _, t := range ts {
		rels = append(rels, execution.Release(pub, t.State.Project, t.State.Evidence,
			func(sha string) string { return base + "/evidence/" + sha }, now))
	}
	if len(rels) == 0 {
		return comuna.Errorf(comuna.ENotFound, "round %d has no funded projects yet", round.ID)
	}
	s.writeJSON(w, http.StatusOK, execution.Package(pub, base+r.URL.Path, now, rels))
	return nil
}

// PctBar is a percentage as the "bar" partial draws it, from 0 to 100.
func (p *Page) PctBar(v execution.Percent) float64 { return float64(v) / 100 }

// PayerOptions are the payers for the payment form.
func (v *execProjectPage) PayerOptions() []Option {
	var out []Option
	for _, p := range execution.Payers {
		out = append(out, Option{Value: string(p), Label: v.L("exec.payer", p)})
	}
	return out
}

// MilestoneOptions are the project's milestones.
func (v *execProjectPage) MilestoneOptions() []Option {
	var out []Option
	for _, m := range v.P.State.Milestones {
		out = append(out, Option{Value: strconv.Itoa(m.ID), Label: strconv.Itoa(m.ID) + ". " + m.Title})
	}
	return out
}

// MilestoneStatusOptions are OCDS's milestone statuses.
func (v *execProjectPage) MilestoneStatusOptions() []Option {
	var out []Option
	for _, m := range execution.MilestoneStatuses {
		out = append(out, Option{Value: string(m), Label: v.L("exec.ms", m)})
	}
	return out
}

// statusForm is a form to move the project to one of some statuses, at
// the address of the action they need.
type statusForm struct {
	Path    string
	Options []Option
}

// actionPaths are the addresses that take each action's entries.
var actionPaths = map[comuna.Action]string{
	comuna.ActionRecordPayment:  "payments",
	comuna.ActionExecuteProject: "entries",
	comuna.ActionOverseeProject: "oversight",
	comuna.ActionManageRounds:   "corrections",
}

// Post is the address of the form that makes entries needing action a.
func (v *execProjectPage) Post(a comuna.Action) string {
	return execURL(v.Round.ID, v.P.ID) + "/" + actionPaths[a]
}

// StatusForms are the status moves the caller may make now, one form per
// action they need.
func (v *execProjectPage) StatusForms() []statusForm {
	var out []statusForm
	cur := execution.Current(v.P.State.History)
	for _, a := range []comuna.Action{comuna.ActionRecordPayment, comuna.ActionExecuteProject, comuna.ActionManageRounds} {
		f := statusForm{Path: v.Post(a)}
		for _, st := range execution.Statuses {
			e := execution.Event{Kind: execution.EvStatus, Status: st}
			if execution.CanMove(cur, st) && execution.EntryAction(e) == a && can(v.r, a, v.P.Target) {
				f.Options = append(f.Options, Option{Value: string(st), Label: v.L("exec.status", st)})
			}
		}
		if f.Options != nil {
			out = append(out, f)
		}
	}
	return out
}

// SeverityOptions are a finding's severities.
func (v *execProjectPage) SeverityOptions() []Option {
	var out []Option
	for _, s := range []execution.Severity{execution.Low, execution.Medium, execution.High} {
		out = append(out, Option{Value: string(s), Label: v.L("exec.severity", s)})
	}
	return out
}

// FindingForms are what the caller may do with an open finding, one form
// per action they need.
func (v *execProjectPage) FindingForms() []statusForm {
	var out []statusForm
	for _, a := range []comuna.Action{comuna.ActionExecuteProject, comuna.ActionOverseeProject} {
		if !can(v.r, a, v.P.Target) {
			continue
		}
		f := statusForm{Path: v.Post(a)}
		for _, act := range []execution.FindingAction{execution.ActAnswer, execution.ActResolve, execution.ActEscalate} {
			if execution.EntryAction(execution.Event{Kind: execution.EvFindingAct, Action: act}) == a {
				f.Options = append(f.Options, Option{Value: string(act), Label: v.L("exec.act", act)})
			}
		}
		out = append(out, f)
	}
	return out
}

// ReportActionOptions are what a comptroller does with a report.
func (v *execProjectPage) ReportActionOptions() []Option {
	return []Option{{Value: "triage", Label: v.T("exec.triage")}, {Value: "dismiss", Label: v.T("exec.dismiss")}}
}

// execEvidence takes a photo or document from a phone: its type checked by
// its bytes, its metadata stripped, stored under its SHA-256, and the hash
// logged as the project's entry.
func (s *Server) execEvidence(w http.ResponseWriter, r *http.Request) error {
	round, p, err := s.loadProject(r)
	if err != nil {
		return err
	}
	if s.blobs == nil {
		return comuna.Errorf(comuna.EUnavailable, "this server keeps no evidence files")
	}
	if err := s.authorize(r, p.Target); err != nil {
		return err
	}
	f := newForm(r)
	fail := func(err error) error {
		if !f.take(err, "file", "kind", "title", "milestone", "location") {
			return err
		}
		v, verr := s.execProjectView(r, f)
		if verr != nil {
			return verr
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "execution_project", v)
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return fail(comuna.FieldError("file", "choose the photo or document to send"))
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, execution.MaxEvidenceBytes+1))
	if err != nil {
		return err
	}
	clean, mediaType, thumb, err := execution.Clean(data)
	if err != nil {
		return fail(err)
	}
	sha := blob.Sum(clean)
	ev := execution.Evidence{Kind: execution.EvidenceKind(f.str("kind")), Title: f.str("title"), SHA256: sha,
		MediaType: mediaType, Size: int64(len(clean)), Milestone: f.int("milestone"), Location: f.str("location")}
	if f.HasErrors() {
		return fail(comuna.FieldError("milestone", "%q is not a whole number", f.str("milestone")))
	}
	if err := ev.Validate(); err != nil {
		return fail(err)
	}
	if err := s.blobs.Put(r.Context(), sha, clean); err != nil {
		return err
	}
	if thumb != nil {
		if err := s.blobs.Put(r.Context(), sha+".thumb", thumb); err != nil {
			return err
		}
	}
	es, _ := s.execStore()
	user := reqInfoOf(r).user
	if _, err := es.AppendEntry(r.Context(), p.ID, execution.Event{Kind: execution.EvEvidence, By: user.Username, Evidence: ev}); err != nil {
		return fail(err)
	}
	return redirect(w, r, execURL(round.ID, p.ID)+"#evidence")
}

// evidenceFile serves a stored evidence file or its thumbnail by hash.
// The name is the content's hash, so it never changes: it may be cached
// for good.
func (s *Server) evidenceFile(w http.ResponseWriter, r *http.Request) error {
	if s.blobs == nil {
		return comuna.Errorf(comuna.EUnavailable, "this server keeps no evidence files")
	}
	key := r.PathValue("sha")
	data, err := s.blobs.Get(r.Context(), key)
	if err != nil {
		return err
	}
	mt := execution.Sniff(data)
	if mt == "" {
		return comuna.Errorf(comuna.ENotFound, "no file %q", key)
	}
	w.Header().Set("Content-Type", mt)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if mt == "application/pdf" {
		w.Header().Set("Content-Disposition", `attachment; filename="`+key+`.pdf"`)
	}
	_, err = w.Write(data)
	return err
}

// EvidencePost is the address of the evidence upload form.
func (v *execProjectPage) EvidencePost() string { return execURL(v.Round.ID, v.P.ID) + "/evidence" }

// EvidenceKindOptions are the kinds of evidence for the upload form.
func (v *execProjectPage) EvidenceKindOptions() []Option {
	var out []Option
	for _, k := range execution.EvidenceKinds {
		out = append(out, Option{Value: string(k), Label: v.L("exec.evkind", k)})
	}
	return out
}
