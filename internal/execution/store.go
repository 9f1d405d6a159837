package execution

import (
	"context"
	"fmt"
	"time"
)

// Ref identifies a funded project: one proposal of a round's circuit, with
// the number it had on the ballot.
type Ref struct {
	ID       int64
	Round    int64
	Circuit  string
	Proposal int64
	Number   int // the ballot number voters knew it by
	Title    string
}

// Key is how statements and people name a project: its circuit's code and
// its ballot number, "ZU-CC-0001/2".
func (r Ref) Key() string { return fmt.Sprintf("%s/%d", r.Circuit, r.Number) }

// Tracked is a funded project as stored: its reference, its entries in
// order with their transparency-log indexes, and their replay.
type Tracked struct {
	Ref
	Entries []Event
	Logged  []int64 // Logged[i] is the log index of Entries[i]
	State   *State
}

// ReportAction is what a comptroller does with a citizen's report.
type ReportAction struct {
	Dismiss  bool
	Reason   string   // why it is dismissed
	Severity Severity // the finding's severity, when triaged
	Text     string   // the finding's description, when triaged
}

// Store keeps funded projects and their histories. Every method runs in
// one transaction; an entry commits together with its log record.
type Store interface {
	// FundProject creates a funded project with its commitment entry
	// (e.Kind must be EvCommit). A project already funded is EConflict.
	FundProject(ctx context.Context, ref Ref, e Event) (*Tracked, error)
	// AppendEntry checks e against the project's history with Apply and
	// appends it with its log record, returning the project after it.
	AppendEntry(ctx context.Context, projectID int64, e Event) (*Tracked, error)
	// ImportStatement appends the payments read by next (until io.EOF)
	// to the round's projects named by their Key, all or none: any bad
	// line rolls everything back and is reported with its line.
	ImportStatement(ctx context.Context, roundID int64, by string, next func() (StatementLine, error), progress func(n int)) (int, error)
	// FundedProject returns one project; ENotFound if there is none.
	FundedProject(ctx context.Context, id int64) (*Tracked, error)
	// FundedProjects returns a round's projects ordered by circuit and
	// number, replayed.
	FundedProjects(ctx context.Context, roundID int64) ([]*Tracked, error)
	// SubmitReport holds a citizen's report on a project.
	SubmitReport(ctx context.Context, projectID int64, r Report) (Report, error)
	// Reports lists a project's reports, oldest first.
	Reports(ctx context.Context, projectID int64) ([]Report, error)
	// HandleReport dismisses a pending report or turns it into a finding
	// (an EvFinding entry by, logged) in one transaction.
	HandleReport(ctx context.Context, projectID int64, reportID int, by string, a ReportAction) (Report, error)
	PolicyStore
}

// Policy is a round's runner-up policy as set, with who set it and when.
type Policy struct {
	RunnerUp RunnerUpPolicy
	By       string
	At       time.Time
}

// PolicyStore keeps each round's runner-up policy.
type PolicyStore interface {
	// RunnerUpPolicy returns the round's policy in force: the last set,
	// or OnCompletion (the consultations' promise) with no By when none
	// was.
	RunnerUpPolicy(ctx context.Context, roundID int64) (Policy, error)
	// SetRunnerUpPolicy records a new policy for the round.
	SetRunnerUpPolicy(ctx context.Context, roundID int64, p Policy) error
}
