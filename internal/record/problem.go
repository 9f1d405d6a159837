package record

import "fmt"

// Problem is a difference between what the database holds and what the
// transparency log recorded: a row changed, deleted or never logged, or a
// log record that no longer matches its leaf hash.
type Problem struct {
	RoundID  int64
	Kind     string // KindSheet, KindCorrection or KindBallot
	Table    string // for sheets
	Circuit  string
	Version  int
	LogIndex int64 // -1 when the row has no log record
	Message  string
}

// String names the sheet or ballot and says what is wrong.
func (p Problem) String() string {
	what := fmt.Sprintf("round %d circuit %q ballot version %d", p.RoundID, p.Circuit, p.Version)
	if p.Table != "" {
		what = fmt.Sprintf("round %d table %q sheet version %d", p.RoundID, p.Table, p.Version)
	}
	return what + ": " + p.Message
}
