package record

import (
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/execution"
)

// KindExecution is the kind of an entry of a funded project's history.
const KindExecution = "execution"

// Execution is one entry of a funded project's history (package
// execution): its commitment, a status change, a milestone or its review,
// a reviewed progress, a payment or its confirmation, a file's hash, a
// finding or what was done with it. Body:
//
//	comuna execution v1
//	round_id 7
//	circuit "ZU-CC-0001"
//	proposal_id 4512
//	seq 4
//	entry "disbursement"
//	at 2027-01-20T14:00:00.000Z
//	by "fondo"
//	date "2027-01-20"           (then the lines of the entry's kind, in a fixed order)
//	amount 36500000
//	…
//
// Dates are quoted YYYY-MM-DD, "" for none; money is whole cents; rates
// are quoted decimals as execution.ParseRate reads them.
type Execution struct {
	RoundID  int64
	Circuit  string
	Proposal int64
	Event    execution.Event
}

// Kind implements Record.
func (*Execution) Kind() string { return KindExecution }

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// Body implements Record.
func (x *Execution) Body() []byte {
	e := x.Event
	w := newWriter(KindExecution)
	w.int("round_id", x.RoundID)
	w.str("circuit", x.Circuit)
	w.int("proposal_id", x.Proposal)
	w.int("seq", int64(e.Seq))
	w.str("entry", string(e.Kind))
	w.time("at", e.At)
	w.str("by", e.By)
	switch e.Kind {
	case execution.EvCommit:
		c := e.Commitment
		w.int("amount", int64(c.Amount))
		w.str("currency", c.Currency)
		w.str("paid_in", c.PaidIn)
		w.str("rate", c.Rate.String())
		w.str("rate_source", c.RateSource)
		w.str("rate_date", date(c.RateDate))
		w.str("executor", e.Executor)
		w.int("rank", int64(e.Rank))
		w.int("runner_up", boolInt(e.Activated))
		w.str("planned_start", date(e.Window.Start))
		w.str("planned_end", date(e.Window.End))
		w.str("reason", e.Text)
	case execution.EvStatus:
		w.str("status", string(e.Status))
		w.int("corrects", int64(e.Corrects))
		w.str("reason", e.Text)
	case execution.EvMilestone:
		m := e.Milestone
		w.int("milestone", int64(m.ID))
		w.str("title", m.Title)
		w.str("description", m.Description)
		w.str("planned", date(m.Planned))
		w.int("weight", int64(m.Weight))
	case execution.EvReview:
		w.int("milestone", int64(e.Target))
		w.str("status", string(e.Milestone.Status))
		w.str("met", date(e.Milestone.Met))
	case execution.EvProgress:
		w.int("percent", int64(e.Percent))
	case execution.EvDisbursement:
		d := e.Disbursement
		w.int("disbursement", int64(d.ID))
		w.str("date", date(d.Date))
		w.int("amount", int64(d.Amount))
		w.str("currency", d.Currency)
		w.str("rate", d.Rate.String())
		w.str("rate_source", d.RateSource)
		w.str("payer", string(d.Payer))
		w.str("payee", d.Payee)
		w.str("reference", d.Reference)
	case execution.EvConfirm:
		w.int("disbursement", int64(e.Target))
	case execution.EvEvidence:
		v := e.Evidence
		w.int("evidence", int64(v.ID))
		w.str("kind", string(v.Kind))
		w.str("title", v.Title)
		w.str("sha256", v.SHA256)
		w.str("media_type", v.MediaType)
		w.int("size", v.Size)
		w.int("milestone", int64(v.Milestone))
		w.str("location", v.Location)
	case execution.EvFinding:
		w.str("severity", string(e.Severity))
		w.int("report", int64(e.Report))
		w.str("description", e.Text)
	case execution.EvFindingAct:
		w.int("finding", int64(e.Target))
		w.str("action", string(e.Action))
		w.str("text", e.Text)
	}
	return w.b
}

func (r *reader) date(key string) time.Time {
	s := r.str(key)
	if r.err != nil || s == "" {
		return time.Time{}
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		r.fail(key, "%q is not a date like 2027-01-20", s)
	}
	return t
}

func (r *reader) rate(key string) execution.Rate {
	s := r.str(key)
	if r.err != nil || s == "" {
		return execution.Rate{}
	}
	rt, err := execution.ParseRate(key, s)
	if err != nil {
		r.fail(key, "%q is not an exchange rate", s)
	}
	return rt
}

// ParseExecution reads an execution record's body; only canonical bytes
// parse.
func ParseExecution(body []byte) (*Execution, error) {
	r := newReader(KindExecution, body)
	var x Execution
	x.RoundID = r.int("round_id")
	x.Circuit = r.str("circuit")
	x.Proposal = r.int("proposal_id")
	e := &x.Event
	e.Seq = int(r.int("seq"))
	e.Kind = execution.EventKind(r.str("entry"))
	e.At = r.time("at")
	e.By = r.str("by")
	switch e.Kind {
	case execution.EvCommit:
		c := &e.Commitment
		c.Amount = comuna.Cents(r.int("amount"))
		c.Currency = r.str("currency")
		c.PaidIn = r.str("paid_in")
		c.Rate = r.rate("rate")
		c.RateSource = r.str("rate_source")
		c.RateDate = r.date("rate_date")
		e.Executor = r.str("executor")
		e.Rank = int(r.int("rank"))
		e.Activated = r.int("runner_up") == 1
		e.Window.Start = r.date("planned_start")
		e.Window.End = r.date("planned_end")
		e.Text = r.str("reason")
	case execution.EvStatus:
		e.Status = execution.Status(r.str("status"))
		e.Corrects = int(r.int("corrects"))
		e.Text = r.str("reason")
	case execution.EvMilestone:
		m := &e.Milestone
		m.ID = int(r.int("milestone"))
		m.Title = r.str("title")
		m.Description = r.str("description")
		m.Planned = r.date("planned")
		m.Weight = int(r.int("weight"))
		m.Status = execution.Scheduled
	case execution.EvReview:
		e.Target = int(r.int("milestone"))
		e.Milestone.Status = execution.MilestoneStatus(r.str("status"))
		e.Milestone.Met = r.date("met")
	case execution.EvProgress:
		e.Percent = execution.Percent(r.int("percent"))
	case execution.EvDisbursement:
		d := &e.Disbursement
		d.ID = int(r.int("disbursement"))
		d.Date = r.date("date")
		d.Amount = comuna.Cents(r.int("amount"))
		d.Currency = r.str("currency")
		d.Rate = r.rate("rate")
		d.RateSource = r.str("rate_source")
		d.Payer = execution.Payer(r.str("payer"))
		d.Payee = r.str("payee")
		d.Reference = r.str("reference")
	case execution.EvConfirm:
		e.Target = int(r.int("disbursement"))
	case execution.EvEvidence:
		v := &e.Evidence
		v.ID = int(r.int("evidence"))
		v.Kind = execution.EvidenceKind(r.str("kind"))
		v.Title = r.str("title")
		v.SHA256 = r.str("sha256")
		v.MediaType = r.str("media_type")
		v.Size = r.int("size")
		v.Milestone = int(r.int("milestone"))
		v.Location = r.str("location")
	case execution.EvFinding:
		e.Severity = execution.Severity(r.str("severity"))
		e.Report = int(r.int("report"))
		e.Text = r.str("description")
	case execution.EvFindingAct:
		e.Target = int(r.int("finding"))
		e.Action = execution.FindingAction(r.str("action"))
		e.Text = r.str("text")
	default:
		if r.err == nil {
			r.fail("entry", "unknown entry %q", e.Kind)
		}
	}
	if err := r.done(); err != nil {
		return nil, err
	}
	if err := canonical(KindExecution, body, x.Body()); err != nil {
		return nil, err
	}
	return &x, nil
}
