package pollbook

import (
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// Outcome is the answer a table gets for a check-in.
type Outcome string

// Check-in outcomes. Every one but OutcomeAccepted turns the voter away.
const (
	OutcomeAccepted     Outcome = "accepted"      // checked in; hand over a ballot
	OutcomeAlreadyVoted Outcome = "already_voted" // this document was checked in this round
	OutcomeOutsideAge   Outcome = "outside_age"   // too young or too old for this round
	OutcomeWrongRound   Outcome = "wrong_round"   // the round is not voting, or the table is not in it
	OutcomeTableClosed  Outcome = "table_closed"  // the table has closed its poll book
)

// Outcomes lists every outcome.
var Outcomes = []Outcome{OutcomeAccepted, OutcomeAlreadyVoted, OutcomeOutsideAge, OutcomeWrongRound, OutcomeTableClosed}

// messages are each outcome's sentence, Spanish first and English second,
// in the web catalogue's order of languages.
var messages = map[Outcome][2]string{
	OutcomeAccepted:     {"Aceptado: entregue la papeleta.", "Accepted: hand over the ballot."},
	OutcomeAlreadyVoted: {"Ya votó en esta consulta.", "Already voted in this consultation."},
	OutcomeOutsideAge:   {"Fuera del rango de edad de esta consulta.", "Outside the age range of this consultation."},
	OutcomeWrongRound:   {"Esta mesa no recibe votos para esta consulta.", "This table is not taking votes for this consultation."},
	OutcomeTableClosed:  {"Esta mesa está cerrada.", "This table is closed."},
}

// Valid reports whether o is one of Outcomes.
func (o Outcome) Valid() bool { _, ok := messages[o]; return ok }

// Messages returns the sentence a table member sees for o, in Spanish and
// in English.
func (o Outcome) Messages() [2]string { return messages[o] }

// English returns the sentence a table member sees for o in English.
func (o Outcome) English() string { return messages[o][1] }

// Spanish returns the sentence a table member sees for o in Spanish.
func (o Outcome) Spanish() string { return messages[o][0] }

// CheckIn is a table's request to admit a voter. It carries the document
// as typed; Document normalises it, and only its Hash is stored.
type CheckIn struct {
	RoundID        int64
	Table          string // the table's code
	DocType        string // V, E or P
	DocNumber      string
	BirthDate      time.Time // a date; the time of day is ignored
	IdempotencyKey string    // chosen by the client, the same on every retry
}

// Document returns the request's document in canonical form.
func (c *CheckIn) Document() (Document, error) { return Normalize(c.DocType, c.DocNumber) }

// Validate checks the request's own fields, naming the field at fault:
// round_id, table, document_type, document_number, birth_date or
// idempotency_key. Eligibility needs the round; see Screen.
func (c *CheckIn) Validate() error {
	if c.RoundID <= 0 {
		return comuna.FieldError("round_id", "choose the consultation")
	}
	if !comuna.ValidCode(c.Table) {
		return comuna.FieldError("table", "table code %q must be 1 to 40 letters, digits, dots, dashes or underscores", c.Table)
	}
	if _, err := c.Document(); err != nil {
		return err
	}
	if c.BirthDate.IsZero() {
		return comuna.FieldError("birth_date", "the birth date is required")
	}
	return ValidIdempotencyKey(c.IdempotencyKey)
}

// Screen runs every check of a check-in that needs no database, against
// the round the table belongs to. It returns:
//
//   - the Document, "" and nil when the store should go on to record the
//     check-in (and answer accepted, already_voted or table_closed);
//   - an Outcome that turns the voter away — wrong_round when the request
//     names another round or the round is not voting, outside_age when the
//     voter is too young or too old — with, for outside_age, an error that
//     says why, to show at the table;
//   - "" and an *comuna.Error when the request itself is bad and should
//     be corrected, such as a mistyped number or a birth date in the future.
func (c *CheckIn) Screen(r *comuna.Round) (Document, Outcome, error) {
	if err := c.Validate(); err != nil {
		return Document{}, "", err
	}
	d, _ := c.Document()
	if c.RoundID != r.ID || r.Phase != comuna.PhaseVoting {
		return d, OutcomeWrongRound, nil
	}
	if outside, err := eligible(c.BirthDate, r.VoteDate, r.MinAge, r.MaxAge); outside {
		return d, OutcomeOutsideAge, err
	} else if err != nil {
		return Document{}, "", err
	}
	return d, "", nil
}

// ValidIdempotencyKey returns nil if k is a usable idempotency key: 8 to
// 128 printable ASCII characters without spaces, such as a UUID. The store
// answers a repeated key with the first answer and changes nothing.
func ValidIdempotencyKey(k string) error {
	if len(k) < 8 || len(k) > 128 {
		return comuna.FieldError("idempotency_key", "an idempotency key has 8 to 128 characters")
	}
	for i := 0; i < len(k); i++ {
		if k[i] <= ' ' || k[i] > '~' {
			return comuna.FieldError("idempotency_key", "an idempotency key has printable ASCII characters only")
		}
	}
	return nil
}
