package pollbook

import "github.com/comuna/comuna/internal/comuna"

// MaxWalkIns bounds one report of walk-ins; no table admits more voters in
// a day.
const MaxWalkIns = 10_000

// WalkIns reports voters a table admitted on paper while it could not
// reach the server. Their documents are not hashed, so they cannot be
// checked against other tables; the count only lets the tally sheet
// reconcile (ballots cast ≤ check-ins + walk-ins). Reports add up: each
// counts the voters admitted on paper since the table's previous report.
type WalkIns struct {
	RoundID        int64
	Table          string
	Count          int64
	IdempotencyKey string // chosen by the client, the same on every retry
}

// Validate checks the report, naming the field at fault: round_id, table,
// count or idempotency_key.
func (w *WalkIns) Validate() error {
	if w.RoundID <= 0 {
		return comuna.FieldError("round_id", "choose the consultation")
	}
	if !comuna.ValidCode(w.Table) {
		return comuna.FieldError("table", "table code %q must be 1 to 40 letters, digits, dots, dashes or underscores", w.Table)
	}
	if w.Count < 1 || w.Count > MaxWalkIns {
		return comuna.FieldError("count", "report between 1 and %d voters admitted on paper", MaxWalkIns)
	}
	return ValidIdempotencyKey(w.IdempotencyKey)
}

// MinWalkInCap is the fewest walk-ins any table may count, whatever its
// expected voters: a small table still survives an outage.
const MinWalkInCap = 10

// WalkInCap returns the most walk-ins a table may count in all: share
// percent of its expected voters, rounded up, and at least MinWalkInCap.
func WalkInCap(share int, expected int64) int64 {
	c := (expected*int64(share) + 99) / 100
	return max(c, MinWalkInCap)
}

// ExpectedVoters returns a table's expected voters: its circuit's census
// of residents aged 15+ shared evenly among the circuit's tables, rounded
// up; 0 when either is unknown.
func ExpectedVoters(circuitCensus int64, circuitTables int) int64 {
	if circuitTables <= 0 || circuitCensus <= 0 {
		return 0
	}
	n := int64(circuitTables)
	return (circuitCensus + n - 1) / n
}
