package execution

import (
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// Project is everything recorded of one funded project, as replayed from
// its entries.
type Project struct {
	Round      int64
	Circuit    string // the circuit's code
	Proposal   int64  // the proposal funded
	Title      string
	Rank       int    // its place in the circuit's decision order
	Activated  bool   // funded as a runner-up, not in the first decision
	Executor   string // the council or commune that executes it
	Commitment Commitment
	Committed  time.Time // when the commitment was made
	Window     Window
	History    []StatusChange
	Milestones []Milestone
	Payments   []Disbursement
	Findings   []Finding
	Reviewed   Percent // a reviewed physical progress, or -1
}

// Summary is what dashboards and pages show of a project on a day.
type Summary struct {
	Status       Status
	Since        time.Time
	Late         bool // computed, never typed: see Late
	Physical     Percent
	Financial    Percent
	Totals       Totals
	OpenFindings int
	Overdue      int // milestones past their date and not met
}

// Late reports whether a project is behind on day: not completed or
// cancelled, and either past its planned end or with a milestone past its
// planned date and not met.
func Late(p Project, day time.Time) bool {
	st := Current(p.History)
	if st.Final() || st == "" {
		return false
	}
	if !p.Window.End.IsZero() && day.After(endOfDay(p.Window.End)) {
		return true
	}
	return len(Overdue(p.Milestones, day)) > 0
}

// Summarize computes a project's summary on day.
func Summarize(p Project, day time.Time) Summary {
	s := Summary{
		Status:   Current(p.History),
		Since:    Since(p.History),
		Late:     Late(p, day),
		Physical: PhysicalProgress(p.Milestones, p.Reviewed),
		Totals:   Sum(p.Commitment, p.Payments),
		Overdue:  len(Overdue(p.Milestones, day)),
	}
	s.Financial = s.Totals.Financial
	for _, f := range p.Findings {
		if f.IsOpen() {
			s.OpenFindings++
		}
	}
	return s
}

// Dashboard adds up the summaries of the projects of a territory.
type Dashboard struct {
	Projects     int
	ByStatus     map[Status]int
	Committed    map[string]comuna.Cents // by committed currency
	Disbursed    map[string]comuna.Cents // confirmed, in the committed currency, by that currency
	Paid         map[string]comuna.Cents // confirmed, by currency paid
	Late         int
	OpenFindings int
	physicalSum  int64
}

// NewDashboard returns an empty dashboard.
func NewDashboard() *Dashboard {
	return &Dashboard{ByStatus: map[Status]int{}, Committed: map[string]comuna.Cents{},
		Disbursed: map[string]comuna.Cents{}, Paid: map[string]comuna.Cents{}}
}

// Add counts one project's summary.
func (d *Dashboard) Add(s Summary) {
	d.Projects++
	d.ByStatus[s.Status]++
	cur := s.Totals.Committed.Currency
	d.Committed[cur] += s.Totals.Committed.Amount
	d.Disbursed[cur] += s.Totals.InCommit
	for c, a := range s.Totals.Paid {
		d.Paid[c] += a
	}
	if s.Late {
		d.Late++
	}
	d.OpenFindings += s.OpenFindings
	d.physicalSum += int64(s.Physical)
}

// Merge adds another dashboard into d, as a state adds its municipalities.
func (d *Dashboard) Merge(o *Dashboard) {
	d.Projects += o.Projects
	for k, v := range o.ByStatus {
		d.ByStatus[k] += v
	}
	for k, v := range o.Committed {
		d.Committed[k] += v
	}
	for k, v := range o.Disbursed {
		d.Disbursed[k] += v
	}
	for k, v := range o.Paid {
		d.Paid[k] += v
	}
	d.Late += o.Late
	d.OpenFindings += o.OpenFindings
	d.physicalSum += o.physicalSum
}

// Physical is the mean physical progress of the dashboard's projects.
func (d *Dashboard) Physical() Percent {
	if d.Projects == 0 {
		return 0
	}
	return Percent(d.physicalSum / int64(d.Projects))
}

// Financial is the share of the committed money disbursed, in currency cur.
func (d *Dashboard) Financial(cur string) Percent {
	return share(int64(d.Disbursed[cur]), int64(d.Committed[cur]))
}

// Completed is the share of projects completed.
func (d *Dashboard) Completed() Percent {
	return share(int64(d.ByStatus[Completed]), int64(d.Projects))
}
