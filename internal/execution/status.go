package execution

import (
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// Status is where a funded project stands.
type Status string

// The statuses of a funded project, in the order a project normally moves
// through them; Suspended and Cancelled step out of that order.
const (
	Committed   Status = "committed"    // the money is promised, nothing paid yet
	Transferred Status = "transferred"  // funds transferred to the executing body
	InExecution Status = "in_execution" // the works are under way
	Completed   Status = "completed"    // the works are finished and accounted for
	Suspended   Status = "suspended"    // halted, with a reason; may resume
	Cancelled   Status = "cancelled"    // abandoned, with a reason; final
)

// Statuses lists every status in display order.
var Statuses = []Status{Committed, Transferred, InExecution, Completed, Suspended, Cancelled}

// ParseStatus reads a status code.
func ParseStatus(s string) (Status, error) {
	for _, st := range Statuses {
		if string(st) == s {
			return st, nil
		}
	}
	return "", comuna.FieldError("status", "unknown status %q (want one of committed, transferred, in_execution, completed, suspended, cancelled)", s)
}

// Final reports whether no further change may follow the status, except a
// correction.
func (s Status) Final() bool { return s == Completed || s == Cancelled }

// next lists the moves allowed from each status. A suspended project
// resumes to where it may go next; a completed or cancelled one moves no
// more.
var next = map[Status][]Status{
	Committed:   {Transferred, Suspended, Cancelled},
	Transferred: {InExecution, Suspended, Cancelled},
	InExecution: {Completed, Suspended, Cancelled},
	Suspended:   {Transferred, InExecution, Cancelled},
}

// CanMove reports whether a project may go from one status to another.
func CanMove(from, to Status) bool {
	for _, s := range next[from] {
		if s == to {
			return true
		}
	}
	return false
}

// NeedsReason reports whether moving to the status must say why.
func NeedsReason(to Status) bool { return to == Suspended || to == Cancelled }

// StatusChange is one entry of a project's status history. Entries are
// appended, never edited: a mistaken entry is corrected by a later one
// whose Corrects names it.
type StatusChange struct {
	Seq      int       // 1, 2, 3 … within the project
	Status   Status    // the status from this entry on
	Reason   string    // why; required for suspension, cancellation and corrections
	At       time.Time // when the change took effect
	By       string    // the username who made it
	Corrects int       // the Seq of an earlier entry this one replaces, or 0
}

// MinReasonWords is how many words a reason must have at least, once
// invisible characters are trimmed, so that "." or five zero-width spaces
// are not a reason.
const MinReasonWords = 3

// CleanReason trims a reason of spaces and invisible characters and
// refuses it, naming field, when fewer than MinReasonWords words remain.
func CleanReason(field, reason string) (string, error) {
	var b strings.Builder
	for _, r := range reason {
		if invisible(r) {
			continue
		}
		b.WriteRune(r)
	}
	s := strings.Join(strings.Fields(b.String()), " ")
	if len(strings.Fields(s)) < MinReasonWords {
		return "", comuna.FieldError(field, "give the reason in a few words (at least %d)", MinReasonWords)
	}
	return s, nil
}

// invisible reports format and control characters that print nothing
// (zero-width spaces and joiners, direction marks, the byte-order mark).
func invisible(r rune) bool {
	switch {
	case r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2060 && r <= 0x2064, r == 0xFEFF, r == 0x00AD:
		return true
	case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7F:
		return true
	}
	return false
}

// CheckChange validates a new status entry against the history so far (in
// order) and returns it with its sequence number set. A correction must
// name an earlier entry that is not itself corrected, and the status it
// puts in its place must be reachable from the entry before it.
func CheckChange(history []StatusChange, c StatusChange) (StatusChange, error) {
	if c.By == "" {
		return c, comuna.Errorf(comuna.EInvalid, "a status change must name who made it")
	}
	if c.At.IsZero() {
		return c, comuna.FieldError("at", "the date of the change is missing")
	}
	if n := len(history); n > 0 && c.At.Before(history[n-1].At) {
		return c, comuna.FieldError("at", "the change is dated before the previous one (%s)", history[n-1].At.Format("2006-01-02"))
	}
	c.Seq = len(history) + 1
	if c.Corrects != 0 || NeedsReason(c.Status) {
		r, err := CleanReason("reason", c.Reason)
		if err != nil {
			return c, err
		}
		c.Reason = r
	}
	if _, err := ParseStatus(string(c.Status)); err != nil {
		return c, err
	}
	if c.Corrects != 0 {
		eff := Effective(history)
		idx := -1
		for i, e := range eff {
			if e.Seq == c.Corrects {
				idx = i
			}
		}
		if idx < 0 {
			return c, comuna.FieldError("corrects", "entry %d is not an effective entry of this project's history", c.Corrects)
		}
		if idx != len(eff)-1 {
			return c, comuna.FieldError("corrects", "only the latest effective entry (%d) may be corrected", eff[len(eff)-1].Seq)
		}
		prev := Status("")
		if idx > 0 {
			prev = eff[idx-1].Status
		}
		if prev == "" && c.Status != Committed || prev != "" && !CanMove(prev, c.Status) {
			return c, comuna.FieldError("status", "a project cannot go from %s to %s", orNone(prev), c.Status)
		}
		return c, nil
	}
	cur := Current(history)
	if cur == "" {
		if c.Status != Committed {
			return c, comuna.FieldError("status", "a funded project starts as committed")
		}
		return c, nil
	}
	if !CanMove(cur, c.Status) {
		return c, comuna.FieldError("status", "a project cannot go from %s to %s", cur, c.Status)
	}
	return c, nil
}

func orNone(s Status) string {
	if s == "" {
		return "nothing"
	}
	return string(s)
}

// Effective returns the entries of a history that stand once corrections
// are applied, in order: a correction takes the place of the entry it
// corrects.
func Effective(history []StatusChange) []StatusChange {
	var out []StatusChange
	for _, e := range history {
		if e.Corrects != 0 {
			for i := range out {
				if out[i].Seq == e.Corrects {
					out = out[:i]
					break
				}
			}
		}
		out = append(out, e)
	}
	return out
}

// Current is the status a history leaves a project in, "" for none.
func Current(history []StatusChange) Status {
	eff := Effective(history)
	if len(eff) == 0 {
		return ""
	}
	return eff[len(eff)-1].Status
}

// Since is when the project entered its current status.
func Since(history []StatusChange) time.Time {
	eff := Effective(history)
	if len(eff) == 0 {
		return time.Time{}
	}
	return eff[len(eff)-1].At
}
