package execution

import (
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// MilestoneStatus is a milestone's state, with the codes of the Open
// Contracting Data Standard's milestoneStatus codelist.
type MilestoneStatus string

// The milestone statuses of OCDS 1.1.
const (
	Scheduled    MilestoneStatus = "scheduled"
	Met          MilestoneStatus = "met"
	NotMet       MilestoneStatus = "notMet"
	PartiallyMet MilestoneStatus = "partiallyMet"
)

// MilestoneStatuses lists the codes in the codelist's order.
var MilestoneStatuses = []MilestoneStatus{Scheduled, Met, NotMet, PartiallyMet}

// ParseMilestoneStatus reads a codelist code.
func ParseMilestoneStatus(s string) (MilestoneStatus, error) {
	for _, m := range MilestoneStatuses {
		if string(m) == s {
			return m, nil
		}
	}
	return "", comuna.FieldError("status", "unknown milestone status %q (want scheduled, met, notMet or partiallyMet)", s)
}

// Milestone is a step of a project's works with its planned date, its
// weight in the physical progress and, once reviewed, its status.
type Milestone struct {
	ID          int
	Title       string
	Description string
	Planned     time.Time // the due date
	Met         time.Time // when it was met; zero unless Status is Met or PartiallyMet
	Status      MilestoneStatus
	Weight      int // a share of the works, in any unit; progress divides by the sum
	Modified    time.Time
	By          string
}

// Window is a project's planned start and end dates.
type Window struct {
	Start, End time.Time
}

// Validate checks a milestone against the project's planned window.
func (m Milestone) Validate(w Window) error {
	if strings.TrimSpace(m.Title) == "" {
		return comuna.FieldError("title", "the milestone needs a title")
	}
	if m.Weight < 1 || m.Weight > 1000 {
		return comuna.FieldError("weight", "the weight must be a whole number from 1 to 1000")
	}
	if _, err := ParseMilestoneStatus(string(m.Status)); err != nil {
		return err
	}
	if m.Planned.IsZero() {
		return comuna.FieldError("planned", "the planned date is missing")
	}
	if !w.Start.IsZero() && m.Planned.Before(w.Start) {
		return comuna.FieldError("planned", "the planned date is before the project's start (%s)", w.Start.Format("2006-01-02"))
	}
	met := m.Status == Met || m.Status == PartiallyMet
	if met && m.Met.IsZero() {
		return comuna.FieldError("met", "a met milestone needs the date it was met")
	}
	if !met && !m.Met.IsZero() {
		return comuna.FieldError("met", "only a met or partly met milestone has a date met")
	}
	if met && !w.Start.IsZero() && m.Met.Before(w.Start) {
		return comuna.FieldError("met", "the date met is before the project's start (%s)", w.Start.Format("2006-01-02"))
	}
	return nil
}

// Percent is a share in hundredths of a percent (10000 is 100 %), so that
// progress is exact and sums without floating point.
type Percent int

// String writes the percentage with at most one decimal, "62.5".
func (p Percent) String() string {
	whole, frac := int(p)/100, (int(p)%100)/10
	if frac == 0 {
		return itoa(whole)
	}
	return itoa(whole) + "." + itoa(frac)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// share is num/den as a Percent, rounded down so that 100 % means all.
func share(num, den int64) Percent {
	if den <= 0 || num <= 0 {
		return 0
	}
	if num >= den {
		return 10000
	}
	return Percent(num * 10000 / den)
}

// PhysicalProgress is the weighted share of milestones met. A reviewed
// percentage, when a reviewer has set one (reviewed ≥ 0), takes its place;
// -1 means none.
func PhysicalProgress(ms []Milestone, reviewed Percent) Percent {
	if reviewed >= 0 {
		if reviewed > 10000 {
			return 10000
		}
		return reviewed
	}
	var met, all int64
	for _, m := range ms {
		all += int64(m.Weight)
		if m.Status == Met {
			met += int64(m.Weight)
		}
	}
	return share(met, all)
}

// Overdue lists the milestones past their planned date on day that are
// neither met nor partly met.
func Overdue(ms []Milestone, day time.Time) []Milestone {
	var out []Milestone
	for _, m := range ms {
		if m.Status != Met && m.Status != PartiallyMet && day.After(endOfDay(m.Planned)) {
			out = append(out, m)
		}
	}
	return out
}

func endOfDay(t time.Time) time.Time {
	y, mo, d := t.Date()
	return time.Date(y, mo, d, 23, 59, 59, 0, t.Location())
}
