package execution

import (
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// Severity grades a comptroller's finding.
type Severity string

// The severities of a finding.
const (
	Low    Severity = "low"
	Medium Severity = "medium"
	High   Severity = "high"
)

// ParseSeverity reads a severity code.
func ParseSeverity(s string) (Severity, error) {
	switch Severity(s) {
	case Low, Medium, High:
		return Severity(s), nil
	}
	return "", comuna.FieldError("severity", "unknown severity %q (want low, medium or high)", s)
}

// FindingState is where a finding stands.
type FindingState string

// A finding is opened by a comptroller, answered by the executing body,
// and resolved or escalated by a comptroller; an escalated finding stays
// open until resolved.
const (
	Open      FindingState = "open"
	Answered  FindingState = "answered"
	Resolved  FindingState = "resolved"
	Escalated FindingState = "escalated"
)

// Finding is a comptroller's observation on a funded project.
type Finding struct {
	ID          int
	Severity    Severity
	Description string
	State       FindingState
	Answer      string // the executing body's answer
	Resolution  string // the comptroller's resolution or reason to escalate
	Report      int    // the citizen report it came from, or 0
	OpenedBy    string
	OpenedAt    time.Time
	AnsweredBy  string
	ResolvedBy  string
}

// IsOpen reports whether the finding still counts as open on dashboards.
func (f Finding) IsOpen() bool { return f.State != Resolved }

// FindingAction is what someone does to a finding.
type FindingAction string

// The actions on a finding.
const (
	ActAnswer   FindingAction = "answer"
	ActResolve  FindingAction = "resolve"
	ActEscalate FindingAction = "escalate"
)

// NewFinding checks a finding a comptroller opens.
func NewFinding(f Finding) (Finding, error) {
	if _, err := ParseSeverity(string(f.Severity)); err != nil {
		return f, err
	}
	d, err := CleanReason("description", f.Description)
	if err != nil {
		return f, err
	}
	f.Description = d
	f.State = Open
	return f, nil
}

// Act applies an action to a finding: the executing body answers an open
// or escalated finding; a comptroller resolves or escalates an answered
// one (or resolves an open one). The text is required.
func Act(f Finding, act FindingAction, text, by string) (Finding, error) {
	t, err := CleanReason("text", text)
	if err != nil {
		return f, err
	}
	switch act {
	case ActAnswer:
		if f.State != Open && f.State != Escalated {
			return f, comuna.Errorf(comuna.EConflict, "only an open or escalated finding can be answered; this one is %s", f.State)
		}
		f.State, f.Answer, f.AnsweredBy = Answered, t, by
	case ActResolve:
		if f.State == Resolved {
			return f, comuna.Errorf(comuna.EConflict, "the finding is resolved already")
		}
		f.State, f.Resolution, f.ResolvedBy = Resolved, t, by
	case ActEscalate:
		if f.State != Answered {
			return f, comuna.Errorf(comuna.EConflict, "a finding is escalated after the executing body answers; this one is %s", f.State)
		}
		f.State, f.Resolution = Escalated, t
	default:
		return f, comuna.FieldError("action", "unknown action %q (want answer, resolve or escalate)", act)
	}
	return f, nil
}

// ReportState is where a citizen's report stands.
type ReportState string

// A report waits for a comptroller, who turns it into a finding or
// dismisses it with a reason.
const (
	Pending   ReportState = "pending"
	Triaged   ReportState = "triaged"
	Dismissed ReportState = "dismissed"
)

// MaxReportText is the longest report a citizen may send.
const MaxReportText = 4000

// Report is what anyone, without an account, says about a funded project.
// It holds no name or address of who sent it.
type Report struct {
	ID       int
	Text     string
	Photo    string // the SHA-256 of an attached photo, or ""
	State    ReportState
	Finding  int    // the finding it became, when triaged
	Reason   string // why it was dismissed
	Received time.Time
}

// NewReport checks a citizen's report.
func NewReport(text string) (Report, error) {
	t := strings.TrimSpace(text)
	if len([]rune(t)) > MaxReportText {
		return Report{}, comuna.FieldError("text", "the report is longer than %d characters", MaxReportText)
	}
	if _, err := CleanReason("text", t); err != nil {
		return Report{}, comuna.FieldError("text", "say what you saw in a few words (at least %d)", MinReasonWords)
	}
	return Report{Text: t, State: Pending}, nil
}

// Dismiss closes a pending report with a reason.
func Dismiss(r Report, reason string) (Report, error) {
	if r.State != Pending {
		return r, comuna.Errorf(comuna.EConflict, "the report was handled already (%s)", r.State)
	}
	why, err := CleanReason("reason", reason)
	if err != nil {
		return r, err
	}
	r.State, r.Reason = Dismissed, why
	return r, nil
}

// Triage turns a pending report into the finding with the given id.
func Triage(r Report, finding int) (Report, error) {
	if r.State != Pending {
		return r, comuna.Errorf(comuna.EConflict, "the report was handled already (%s)", r.State)
	}
	r.State, r.Finding = Triaged, finding
	return r, nil
}
