package parliament

import (
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

// MotionStatus is where a motion is in its workflow.
type MotionStatus string

// The workflow: submitted → admitted → debated → approved / rejected /
// postponed / withdrawn / referred. Approved and rejected follow only from
// a vote; a postponed motion can be admitted again.
const (
	Submitted MotionStatus = "submitted"
	Admitted  MotionStatus = "admitted"
	Debated   MotionStatus = "debated"
	Approved  MotionStatus = "approved"
	Rejected  MotionStatus = "rejected"
	Postponed MotionStatus = "postponed"
	Withdrawn MotionStatus = "withdrawn"
	Referred  MotionStatus = "referred"
)

// transitions are the moves a secretary makes by hand; votes make the rest.
var transitions = map[MotionStatus][]MotionStatus{
	Submitted: {Admitted, Withdrawn, Postponed},
	Admitted:  {Debated, Withdrawn, Postponed, Referred},
	Debated:   {Withdrawn, Postponed, Referred},
	Postponed: {Admitted, Withdrawn},
}

// CanMove reports whether a motion may move by hand from one status to
// another.
func CanMove(from, to MotionStatus) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Open reports whether the motion can still be amended and voted.
func (s MotionStatus) Open() bool { return s == Submitted || s == Admitted || s == Debated }

// AmendOp is what an amendment does to a paragraph.
type AmendOp string

// Amendment operations. Paragraphs are numbered from 1 in the motion's
// original text; an insertion goes after its paragraph (0: at the start).
const (
	OpReplace AmendOp = "replace"
	OpInsert  AmendOp = "insert"
	OpDelete  AmendOp = "delete"
)

// Amendment statuses.
const (
	AmendPending   = "pending"
	AmendApproved  = "approved"
	AmendRejected  = "rejected"
	AmendWithdrawn = "withdrawn"
)

// Amendment changes one paragraph of a motion.
type Amendment struct {
	Number    int     `json:"number"`
	Op        AmendOp `json:"op"`
	Paragraph int     `json:"paragraph"`
	Text      string  `json:"text,omitempty"`
	By        string  `json:"by"`
	Status    string  `json:"status"`
	Vote      int     `json:"vote,omitempty"`
}

// Motion is a proposal put to the organ, split into paragraphs.
type Motion struct {
	Number     int          `json:"number"`
	Item       int          `json:"item"`
	Title      string       `json:"title"`
	Paragraphs []string     `json:"paragraphs"`
	By         string       `json:"by"`
	Majority   Majority     `json:"majority"`
	Status     MotionStatus `json:"status"`
	Amendments []Amendment  `json:"amendments,omitempty"`
	Final      []string     `json:"final,omitempty"` // the text with approved amendments merged
	ReferredTo string       `json:"referred_to,omitempty"`
	Vote       int          `json:"vote,omitempty"`
}

// SplitParagraphs splits a text at blank lines, trimming each paragraph.
func SplitParagraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// validateAmendment checks a new amendment against its motion.
func validateAmendment(m *Motion, a *Amendment) error {
	if !m.Status.Open() {
		return conflict("motion", "motion %d is %s: it can no longer be amended", m.Number, m.Status)
	}
	switch a.Op {
	case OpReplace, OpDelete:
		if a.Paragraph < 1 || a.Paragraph > len(m.Paragraphs) {
			return comuna.FieldError("paragraph", "the motion has paragraphs 1 to %d, not %d", len(m.Paragraphs), a.Paragraph)
		}
	case OpInsert:
		if a.Paragraph < 0 || a.Paragraph > len(m.Paragraphs) {
			return comuna.FieldError("paragraph", "insert after paragraph 0 to %d, not %d", len(m.Paragraphs), a.Paragraph)
		}
	default:
		return comuna.FieldError("op", "unknown amendment %q (want replace, insert or delete)", a.Op)
	}
	a.Text = strings.TrimSpace(a.Text)
	if a.Op == OpDelete && a.Text != "" {
		return comuna.FieldError("text", "a deletion has no text")
	}
	if a.Op != OpDelete && a.Text == "" {
		return comuna.FieldError("text", "the amendment needs its new text")
	}
	if len(a.Text) > 20000 {
		return comuna.FieldError("text", "the text is longer than 20000 characters")
	}
	return nil
}

// conflicting returns the approved amendment that already replaces or
// deletes the paragraph a would replace or delete, or nil.
func conflicting(m *Motion, a *Amendment) *Amendment {
	if a.Op == OpInsert {
		return nil
	}
	for i := range m.Amendments {
		b := &m.Amendments[i]
		if b.Number != a.Number && b.Status == AmendApproved && b.Op != OpInsert && b.Paragraph == a.Paragraph {
			return b
		}
	}
	return nil
}

// Merge returns the motion's text with its approved amendments applied,
// each to the original paragraph it names, insertions in the order they
// were submitted.
func Merge(paragraphs []string, amendments []Amendment) []string {
	replace := map[int]*Amendment{}
	inserts := map[int][]string{}
	for i := range amendments {
		a := &amendments[i]
		if a.Status != AmendApproved {
			continue
		}
		if a.Op == OpInsert {
			inserts[a.Paragraph] = append(inserts[a.Paragraph], a.Text)
		} else if replace[a.Paragraph] == nil {
			replace[a.Paragraph] = a
		}
	}
	out := append([]string(nil), inserts[0]...)
	for i, p := range paragraphs {
		n := i + 1
		if a := replace[n]; a != nil {
			if a.Op == OpReplace {
				out = append(out, a.Text)
			}
		} else {
			out = append(out, p)
		}
		out = append(out, inserts[n]...)
	}
	return out
}

// DiffLine is one paragraph of a diff: "=" kept, "-" removed, "+" added.
type DiffLine struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// Diff compares two texts paragraph by paragraph (a longest common
// subsequence), for showing what the amendments changed.
func Diff(a, b []string) []DiffLine {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []DiffLine
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out = append(out, DiffLine{"=", a[i]})
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, DiffLine{"+", b[j]})
			j++
		default:
			out = append(out, DiffLine{"-", a[i]})
			i++
		}
	}
	return out
}
