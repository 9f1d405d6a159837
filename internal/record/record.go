// Package record defines the canonical records Comuna appends to its
// transparency log (package translog): a round's rules, its territory,
// phase changes, published ballots, accepted tally sheets and their
// corrections. Each record is deterministic bytes — the same data always
// encodes the same, so it always hashes to the same leaf — and each parser
// accepts only what the encoder writes, so a logged record has exactly one
// meaning. The package has no I/O: the store encodes records inside the
// transaction that writes the data, and a verifier decodes them from a
// downloaded log.
//
// A record is translog.EncodeRecord(kind, body). Every body is UTF-8 text,
// one "key value" field per line, each line ending in "\n", fields in a
// fixed order, opening with the line "comuna <kind> v1". Integers are
// decimal without leading zeros or plus sign; strings are quoted as Go's
// strconv.Quote does; times are UTC with milliseconds
// (2025-04-27T18:00:00.000Z); dates are YYYY-MM-DD; money is whole cents.
//
// Kinds and when they are logged:
//
//   - round: a round's rules that decide its results, when it enters the
//     voting phase, so the rule and tie-break seed are public before any
//     vote (see Round).
//   - territory: the round's circuits with their census and tables, logged
//     with the round record, so a verifier knows how many tables each
//     circuit expects (see Territory).
//   - phase: every phase change of a round (see Phase).
//   - ballot: every published version of a circuit's ballot (see Ballot).
//   - sheet: a table's tally sheet accepted by double entry, version 1;
//   - correction: a later version of a sheet, with its reason (see Sheet).
//   - correction-proposed, correction-confirmed, correction-refused: the
//     four-eyes steps of a correction (see CorrectionStep);
//   - reopening: an administrator's reopening of a final circuit for one
//     correction (see Reopening).
//   - audit: an audit's seed and, for a draw, the tables drawn (see Audit);
//   - recount: a table's hand recount accepted by an audit's board (see
//     Recount).
//   - decision: a motion's outcome in a session of a council or commune
//     organ (see Decision);
//   - minutes: a session's minutes as approved, frozen (see Minutes).
package record

import (
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/translog"
)

// Record kinds, the first line of the translog envelope.
const (
	KindRound      = "round"
	KindTerritory  = "territory"
	KindPhase      = "phase"
	KindBallot     = "ballot"
	KindSheet      = "sheet"
	KindCorrection = "correction"
)

// Record is one of the record types of this package: *Round, *Territory,
// *Phase, *Ballot or *Sheet.
type Record interface {
	// Kind returns the record's kind, one of the Kind constants.
	Kind() string
	// Body returns the record's canonical body, without the envelope.
	Body() []byte
}

// Encode returns r's bytes as logged: its body in translog's envelope.
func Encode(r Record) ([]byte, error) {
	return translog.EncodeRecord(r.Kind(), r.Body())
}

// Decode parses a logged record into *Round, *Territory, *Phase, *Ballot
// or *Sheet. It accepts only canonical bytes: whatever decodes encodes
// back to exactly data. Anything else, including an unknown kind, is an
// EInvalid error.
func Decode(data []byte) (Record, error) {
	kind, body, err := translog.DecodeRecord(data)
	if err != nil {
		return nil, err
	}
	var r Record
	switch kind {
	case KindRound:
		r, err = ParseRound(body)
	case KindTerritory:
		r, err = ParseTerritory(body)
	case KindPhase:
		r, err = ParsePhase(body)
	case KindBallot:
		r, err = ParseBallot(body)
	case KindExecution:
		r, err = ParseExecution(body)
	case KindDecision:
		r, err = ParseDecision(body)
	case KindMinutes:
		r, err = ParseMinutes(body)
	case KindCorrectionProposed, KindCorrectionConfirmed, KindCorrectionRefused:
		r, err = ParseCorrectionStep(kind, body)
	case KindReopening:
		r, err = ParseReopening(body)
	case KindFederation:
		r, err = ParseFederation(body)
	case KindAudit:
		r, err = ParseAudit(body)
	case KindRecount:
		r, err = ParseRecount(body)
	case KindSheet, KindCorrection:
		var s *Sheet
		s, err = ParseSheet(body)
		if err == nil && s.Kind() != kind {
			err = comuna.Errorf(comuna.EInvalid, "a %s record holds a sheet of version %d", kind, s.Version)
		}
		r = s
	default:
		return nil, comuna.Errorf(comuna.EInvalid, "unknown record kind %q", kind)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// timeLayout is how records write times: UTC, milliseconds, a literal Z.
const timeLayout = "2006-01-02T15:04:05.000Z"

// formatTime writes t as records do.
func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }
