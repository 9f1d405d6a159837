package parliament

import (
	"fmt"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// MinutesStatus is where a session's minutes are.
type MinutesStatus string

// Minutes move draft → published → approved. Approval is a vote of a
// later session, after which the text is frozen and logged.
const (
	MinutesDraft     MinutesStatus = "draft"
	MinutesPublished MinutesStatus = "published"
	MinutesApproved  MinutesStatus = "approved"
)

// Minutes are a session's written record.
type Minutes struct {
	SessionID  int64         `json:"session"`
	Text       string        `json:"text"`
	Status     MinutesStatus `json:"status"`
	Version    int           `json:"version"`
	ApprovedIn int64         `json:"approved_in,omitempty"` // the session that approved them
	ApprovedAt time.Time     `json:"approved_at,omitzero"`
	LogIndex   int64         `json:"log_index"`
}

// Edit replaces the text of draft or published minutes; approved minutes
// are frozen.
func (m *Minutes) Edit(text string) error {
	if m.Status == MinutesApproved {
		return conflict("minutes", "the minutes of session %d were approved and are frozen", m.SessionID)
	}
	if strings.TrimSpace(text) == "" || len(text) > 500000 {
		return comuna.FieldError("text", "minutes need a text of at most 500000 characters")
	}
	m.Text = strings.ReplaceAll(text, "\r\n", "\n")
	m.Version++
	return nil
}

// Publish makes draft minutes public as a draft for approval.
func (m *Minutes) Publish() error {
	if m.Status != MinutesDraft {
		return conflict("minutes", "the minutes of session %d are %s, not a draft", m.SessionID, m.Status)
	}
	m.Status = MinutesPublished
	return nil
}

// Approve freezes published minutes, approved by a vote of session by.
func (m *Minutes) Approve(by int64, at time.Time) error {
	if m.Status != MinutesPublished {
		return conflict("minutes", "the minutes of session %d are %s: only published minutes are approved", m.SessionID, m.Status)
	}
	m.Status, m.ApprovedIn, m.ApprovedAt = MinutesApproved, by, at
	return nil
}

// Draft writes a closed session's minutes from its record: attendance,
// the agenda with its speakers, motions and amendments, and every vote
// with the quorum at that moment and the rule applied. The secretary
// edits the draft before publishing it.
func Draft(o *Organ, s *Session, loc *time.Location, lang string) string {
	L := draftLabels[0]
	if lang == "en" {
		L = draftLabels[1]
	}
	var b strings.Builder
	day := s.Scheduled.In(loc)
	fmt.Fprintf(&b, L["title"], o.Name, s.Number)
	fmt.Fprintf(&b, L["date"], day.Format("2006-01-02 15:04"))
	if !s.Opened.IsZero() {
		fmt.Fprintf(&b, L["opened"], s.Opened.In(loc).Format("15:04"))
	}
	if !s.Closed.IsZero() {
		fmt.Fprintf(&b, L["closed"], s.Closed.In(loc).Format("15:04"))
	}
	b.WriteString(L["attendance"])
	voting := s.Voting()
	for _, m := range s.Members {
		mark := L["absent"]
		if s.IsPresent(m.SeatID) {
			mark = L["present"]
			if v := voting[m.Position]; m.Role == Alternate && v.SeatID == m.SeatID {
				mark = L["substituting"]
			}
		}
		fmt.Fprintf(&b, "- %d. %s (%s): %s\n", m.Position, m.Name, m.Role, mark)
	}
	fmt.Fprintf(&b, L["quorum"], s.Seated, len(voting), o.QuorumFor(s.Seated))
	b.WriteString(L["agenda"])
	for _, it := range s.Items {
		title := it.Title
		if it.Kind == ItemMinutes {
			title = fmt.Sprintf(L["minutesitem"], it.Ref)
		}
		fmt.Fprintf(&b, "\n%d. %s [%s]\n", it.Number, title, it.Kind)
		var spoke []string
		for _, sp := range it.Speakers.Speeches {
			if sp.Status == SpeechDone || sp.Status == SpeechSpeaking {
				spoke = append(spoke, fmt.Sprintf("%s (%s)", sp.Name, sp.Kind))
			}
		}
		if len(spoke) > 0 {
			fmt.Fprintf(&b, L["speakers"], strings.Join(spoke, "; "))
		}
		for _, m := range s.Motions {
			if m.Item != it.Number {
				continue
			}
			fmt.Fprintf(&b, L["motion"], m.Number, m.Title, m.By, m.Majority, m.Status)
			for _, a := range m.Amendments {
				fmt.Fprintf(&b, L["amendment"], a.Number, a.By, a.Op, a.Paragraph, a.Status)
			}
			if m.Status == Approved {
				b.WriteString(L["approved"])
				for _, p := range m.Final {
					fmt.Fprintf(&b, "  > %s\n", p)
				}
			}
			if m.ReferredTo != "" {
				fmt.Fprintf(&b, L["referred"], m.ReferredTo)
			}
		}
		for _, v := range s.Votes {
			if v.Item != it.Number || v.Result == nil {
				continue
			}
			fmt.Fprintf(&b, L["vote"], v.Number, v.Method, v.Title,
				v.Quorum.Present, v.Quorum.Seated, v.Quorum.Required, v.Result.Explain(lang))
			if v.Method == RollCall {
				for _, bl := range v.Ballots {
					fmt.Fprintf(&b, "  - %s: %s\n", bl.Name, bl.Choice)
				}
			}
		}
	}
	b.WriteString(L["sign"])
	return b.String()
}

// draftLabels are the minutes' headings in Spanish and English.
var draftLabels = [2]map[string]string{{
	"title": "ACTA — %s, sesión %d\n", "date": "Fecha: %s", "opened": "; instalada %s", "closed": "; cerrada %s",
	"attendance": "\n\nASISTENCIA\n", "absent": "ausente", "present": "presente", "substituting": "presente, en suplencia del principal",
	"quorum": "Miembros en funciones: %d. Presentes: %d. Quórum requerido: %d.\n", "agenda": "\nORDEN DEL DÍA\n", "minutesitem": "Aprobación del acta de la sesión (id %s)",
	"speakers": "Intervenciones: %s.\n", "motion": "Moción %d, «%s», de %s (mayoría %s): %s.\n",
	"amendment": "  Enmienda %d de %s (%s del párrafo %d): %s.\n", "approved": "  Texto aprobado:\n", "referred": "  Remitida a %s.\n",
	"vote": "Votación %d (%s), %s: quórum %d de %d, requerido %d. %s\n",
	"sign": "\n\nSecretaría: ______________________    Presidencia: ______________________\n",
}, {
	"title": "MINUTES — %s, session %d\n", "date": "Date: %s", "opened": "; opened %s", "closed": "; closed %s",
	"attendance": "\n\nATTENDANCE\n", "absent": "absent", "present": "present", "substituting": "present, substituting the principal",
	"quorum": "Seated members: %d. Present: %d. Quorum required: %d.\n", "agenda": "\nAGENDA\n", "minutesitem": "Approval of the minutes of the session with id %s",
	"speakers": "Speakers: %s.\n", "motion": "Motion %d, \"%s\", by %s (%s majority): %s.\n",
	"amendment": "  Amendment %d by %s (%s paragraph %d): %s.\n", "approved": "  Text approved:\n", "referred": "  Referred to %s.\n",
	"vote": "Vote %d (%s), %s: quorum %d of %d, required %d. %s\n",
	"sign": "\n\nSecretary: ______________________    Chair: ______________________\n",
}}
