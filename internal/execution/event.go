package execution

import (
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// EventKind names what an entry of a project's history does.
type EventKind string

// The kinds of entry. A project's whole state is the replay of its
// entries in order (Replay); nothing is ever edited in place.
const (
	EvCommit       EventKind = "commit"       // the project is funded: money, executor, window
	EvStatus       EventKind = "status"       // a status change (or the correction of one)
	EvMilestone    EventKind = "milestone"    // a milestone planned
	EvReview       EventKind = "review"       // a milestone's status reviewed
	EvProgress     EventKind = "progress"     // a reviewed physical progress percentage
	EvDisbursement EventKind = "disbursement" // a payment recorded by a fund officer
	EvConfirm      EventKind = "confirm"      // a payment confirmed by the payee's finance spokesperson
	EvEvidence     EventKind = "evidence"     // a file attached
	EvFinding      EventKind = "finding"      // a comptroller's finding opened
	EvFindingAct   EventKind = "finding_act"  // a finding answered, resolved or escalated
)

// Event is one entry of a funded project's history. Which fields matter
// depends on Kind; the rest stay zero.
type Event struct {
	Seq  int
	Kind EventKind
	At   time.Time // when it was recorded
	By   string    // who recorded it

	// EvCommit
	Commitment Commitment
	Window     Window
	Executor   string
	Rank       int
	Activated  bool
	// EvStatus
	Status   Status
	Corrects int
	// EvStatus, EvFindingAct: why; EvFinding: its description; EvCommit of
	// a runner-up: why it was activated
	Text string
	// EvMilestone, EvReview
	Milestone Milestone
	// EvProgress
	Percent Percent
	// EvDisbursement
	Disbursement Disbursement
	// EvConfirm, EvFindingAct, EvReview: the id of the payment, finding or milestone
	Target int
	// EvEvidence
	Evidence Evidence
	// EvFinding
	Severity Severity
	Report   int
	// EvFindingAct
	Action FindingAction
}

// State is a funded project replayed from its entries, with its evidence.
type State struct {
	Project
	Evidence []Evidence
	seq      int // entries applied
}

// Apply checks e against the state so far and applies it, returning the
// event as stored (with its Seq and the ids it assigns). today bounds
// dates that may not lie in the future. It is the one place the rules of
// a project's history are enforced: the store calls it before appending,
// and the verifier calls it again on the log.
func Apply(s *State, e Event, today time.Time) (Event, error) {
	if strings.TrimSpace(e.By) == "" {
		return e, comuna.Errorf(comuna.EInvalid, "an entry must name who made it")
	}
	if e.At.IsZero() {
		return e, comuna.FieldError("at", "the entry has no time")
	}
	seq := s.entries() + 1
	e.Seq = seq
	if e.Kind != EvCommit && len(s.History) == 0 {
		return e, comuna.Errorf(comuna.EConflict, "the project has no commitment yet")
	}
	if e.Kind != EvCommit && e.Kind != EvStatus && e.Kind != EvFinding && e.Kind != EvFindingAct && e.Kind != EvEvidence && Current(s.History).Final() {
		return e, comuna.Errorf(comuna.EConflict, "the project is %s: its record is closed", Current(s.History))
	}
	switch e.Kind {
	case EvCommit:
		if len(s.History) > 0 {
			return e, comuna.Errorf(comuna.EConflict, "the project is committed already")
		}
		if err := e.Commitment.Validate(); err != nil {
			return e, err
		}
		if strings.TrimSpace(e.Executor) == "" {
			return e, comuna.FieldError("executor", "name the council or commune that executes the project")
		}
		if e.Window.Start.IsZero() || e.Window.End.IsZero() {
			return e, comuna.FieldError("planned_start", "give the planned start and end dates")
		}
		if e.Window.End.Before(e.Window.Start) {
			return e, comuna.FieldError("planned_end", "the planned end is before the planned start")
		}
		s.Commitment, s.Window, s.Executor, s.Rank, s.Activated, s.Committed = e.Commitment, e.Window, e.Executor, e.Rank, e.Activated, e.At
		s.History = append(s.History, StatusChange{Seq: 1, Status: Committed, At: e.At, By: e.By})
		s.Reviewed = -1
	case EvStatus:
		c, err := CheckChange(s.History, StatusChange{Status: e.Status, Reason: e.Text, At: e.At, By: e.By, Corrects: e.Corrects})
		if err != nil {
			return e, err
		}
		c.Seq = seq
		e.Text = c.Reason
		s.History = append(s.History, c)
	case EvMilestone:
		m := e.Milestone
		m.ID = len(s.Milestones) + 1
		m.Status, m.Met = Scheduled, time.Time{}
		m.Modified, m.By = e.At, e.By
		if err := m.Validate(s.Window); err != nil {
			return e, err
		}
		e.Milestone = m
		s.Milestones = append(s.Milestones, m)
	case EvReview:
		i := e.Target - 1
		if i < 0 || i >= len(s.Milestones) {
			return e, comuna.FieldError("milestone", "the project has no milestone %d", e.Target)
		}
		m := s.Milestones[i]
		m.Status, m.Met, m.Modified, m.By = e.Milestone.Status, e.Milestone.Met, e.At, e.By
		if err := m.Validate(s.Window); err != nil {
			return e, err
		}
		if !m.Met.IsZero() && m.Met.After(endOfDay(today)) {
			return e, comuna.FieldError("met", "the date met is in the future")
		}
		e.Milestone = m
		s.Milestones[i] = m
	case EvProgress:
		if e.Percent < 0 || e.Percent > 10000 {
			return e, comuna.FieldError("percent", "the progress must be between 0 and 100 %%")
		}
		s.Reviewed = e.Percent
	case EvDisbursement:
		d := e.Disbursement
		if d.Currency == s.Commitment.Currency {
			d.Rate = Rate{}
		}
		if err := d.Validate(s.Commitment, s.Committed, today); err != nil {
			return e, err
		}
		for _, o := range s.Payments {
			if o.Payer == d.Payer && o.Reference == d.Reference {
				return e, comuna.FieldError("reference", "payment %s/%s is recorded already", d.Payer, d.Reference)
			}
		}
		d.ID = len(s.Payments) + 1
		d.RecordedBy, d.RecordedAt, d.ConfirmedBy, d.ConfirmedAt = e.By, e.At, "", time.Time{}
		e.Disbursement = d
		s.Payments = append(s.Payments, d)
	case EvConfirm:
		i := e.Target - 1
		if i < 0 || i >= len(s.Payments) {
			return e, comuna.FieldError("disbursement", "the project has no disbursement %d", e.Target)
		}
		if err := CanConfirm(s.Payments[i], e.By); err != nil {
			return e, err
		}
		s.Payments[i].ConfirmedBy, s.Payments[i].ConfirmedAt = e.By, e.At
	case EvEvidence:
		ev := e.Evidence
		ev.ID = len(s.Evidence) + 1
		ev.Uploaded, ev.By = e.At, e.By
		if err := ev.Validate(); err != nil {
			return e, err
		}
		if ev.Milestone < 0 || ev.Milestone > len(s.Milestones) {
			return e, comuna.FieldError("milestone", "the project has no milestone %d", ev.Milestone)
		}
		e.Evidence = ev
		s.Evidence = append(s.Evidence, ev)
	case EvFinding:
		f, err := NewFinding(Finding{Severity: e.Severity, Description: e.Text, Report: e.Report, OpenedBy: e.By, OpenedAt: e.At})
		if err != nil {
			return e, err
		}
		f.ID = len(s.Findings) + 1
		e.Text = f.Description
		s.Findings = append(s.Findings, f)
	case EvFindingAct:
		i := e.Target - 1
		if i < 0 || i >= len(s.Findings) {
			return e, comuna.FieldError("finding", "the project has no finding %d", e.Target)
		}
		f, err := Act(s.Findings[i], e.Action, e.Text, e.By)
		if err != nil {
			return e, err
		}
		e.Text, _ = CleanReason("text", e.Text)
		s.Findings[i] = f
	default:
		return e, comuna.FieldError("kind", "unknown kind of entry %q", e.Kind)
	}
	s.seq = seq
	return e, nil
}

func (s *State) entries() int { return s.seq }

// Applied is how many entries the state has taken; after a failed Replay
// the entry at that position is the one that broke a rule.
func (s *State) Applied() int { return s.seq }

// Replay rebuilds a project's state from its entries, checking each as
// Apply does. A history that breaks a rule fails, naming the entry.
func Replay(events []Event, today time.Time) (*State, error) {
	s := &State{Project: Project{Reviewed: -1}}
	for i, e := range events {
		got, err := Apply(s, e, today)
		if err != nil {
			return s, comuna.Errorf(comuna.EInvalid, "entry %d (%s): %v", i+1, e.Kind, err)
		}
		if e.Seq != 0 && got.Seq != e.Seq {
			return s, comuna.Errorf(comuna.EInvalid, "entry %d is numbered %d", i+1, e.Seq)
		}
	}
	return s, nil
}
