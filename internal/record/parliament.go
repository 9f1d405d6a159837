package record

import (
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// Record kinds of communal self-government.
const (
	KindDecision = "decision" // a motion's outcome in an organ's session
	KindMinutes  = "minutes"  // a session's minutes as approved, frozen
)

// Decision is the outcome of a vote on a motion, logged when the vote
// closes. Body:
//
//	comuna decision v1
//	decision_id 12
//	organ_id 3
//	organ "Parlamento Comunal …"
//	unit "ZU-CO-0001"
//	session_id 40
//	vote 2
//	title "…"
//	text "…"                 (the motion with its approved amendments)
//	passed 1
//	majority "two-thirds-present"
//	for 7
//	against 5
//	abstain 0
//	needed 8
//	seated 20
//	present 12
//	quorum 11
//	decided_at 2026-03-04T22:41:00.000Z
type Decision struct {
	ID, OrganID, SessionID int64
	Organ, Unit            string
	Vote                   int64
	Title, Text            string
	Passed                 bool
	Majority               string
	For, Against, Abstain  int64
	Needed                 int64
	Seated, Present        int64
	Quorum                 int64
	DecidedAt              time.Time
}

// Kind implements Record.
func (*Decision) Kind() string { return KindDecision }

// Body implements Record.
func (d *Decision) Body() []byte {
	w := newWriter(KindDecision)
	w.int("decision_id", d.ID)
	w.int("organ_id", d.OrganID)
	w.str("organ", d.Organ)
	w.str("unit", d.Unit)
	w.int("session_id", d.SessionID)
	w.int("vote", d.Vote)
	w.str("title", d.Title)
	w.str("text", d.Text)
	passed := int64(0)
	if d.Passed {
		passed = 1
	}
	w.int("passed", passed)
	w.str("majority", d.Majority)
	w.int("for", d.For)
	w.int("against", d.Against)
	w.int("abstain", d.Abstain)
	w.int("needed", d.Needed)
	w.int("seated", d.Seated)
	w.int("present", d.Present)
	w.int("quorum", d.Quorum)
	w.time("decided_at", d.DecidedAt)
	return w.b
}

// ParseDecision parses a decision record's canonical body.
func ParseDecision(body []byte) (*Decision, error) {
	r := newReader(KindDecision, body)
	d := &Decision{}
	d.ID = r.int("decision_id")
	d.OrganID = r.int("organ_id")
	d.Organ = r.str("organ")
	d.Unit = r.str("unit")
	d.SessionID = r.int("session_id")
	d.Vote = r.int("vote")
	d.Title = r.str("title")
	d.Text = r.str("text")
	switch r.int("passed") {
	case 0:
	case 1:
		d.Passed = true
	default:
		r.fail("passed", "passed is 0 or 1")
	}
	d.Majority = r.str("majority")
	d.For = r.int("for")
	d.Against = r.int("against")
	d.Abstain = r.int("abstain")
	d.Needed = r.int("needed")
	d.Seated = r.int("seated")
	d.Present = r.int("present")
	d.Quorum = r.int("quorum")
	d.DecidedAt = r.time("decided_at")
	if err := r.done(); err != nil {
		return nil, err
	}
	return d, canonical(KindDecision, body, d.Body())
}

// Minutes are a session's minutes as approved by a later session, logged
// when the approving vote closes; the text is frozen from then on. Body:
//
//	comuna minutes v1
//	session_id 40
//	organ_id 3
//	organ "…"
//	session_number 12
//	approved_in 41
//	approved_at 2026-03-11T22:20:00.000Z
//	text "…"
type Minutes struct {
	SessionID, OrganID int64
	Organ              string
	SessionNumber      int64
	ApprovedIn         int64
	ApprovedAt         time.Time
	Text               string
}

// Kind implements Record.
func (*Minutes) Kind() string { return KindMinutes }

// Body implements Record.
func (m *Minutes) Body() []byte {
	w := newWriter(KindMinutes)
	w.int("session_id", m.SessionID)
	w.int("organ_id", m.OrganID)
	w.str("organ", m.Organ)
	w.int("session_number", m.SessionNumber)
	w.int("approved_in", m.ApprovedIn)
	w.time("approved_at", m.ApprovedAt)
	w.str("text", m.Text)
	return w.b
}

// ParseMinutes parses a minutes record's canonical body.
func ParseMinutes(body []byte) (*Minutes, error) {
	r := newReader(KindMinutes, body)
	m := &Minutes{}
	m.SessionID = r.int("session_id")
	m.OrganID = r.int("organ_id")
	m.Organ = r.str("organ")
	m.SessionNumber = r.int("session_number")
	m.ApprovedIn = r.int("approved_in")
	m.ApprovedAt = r.time("approved_at")
	m.Text = r.str("text")
	if err := r.done(); err != nil {
		return nil, err
	}
	if m.SessionID <= 0 {
		return nil, comuna.FieldError("session_id", "minutes record: session_id must be positive")
	}
	return m, canonical(KindMinutes, body, m.Body())
}
