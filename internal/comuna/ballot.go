package comuna

import (
	"context"
	"strings"
	"time"
)

// Ballot is one version of a circuit's numbered list of projects. Versions
// are never changed: a change to a published ballot is a new version with
// its reason, and every version stays visible.
type Ballot struct {
	ID          int64
	RoundID     int64
	Circuit     string
	Version     int
	Items       []BallotItem // numbered 1..n in order
	Reason      string       // why this version replaced the one before
	Published   bool
	CreatedBy   int64
	Created     time.Time
	PublishedAt time.Time
}

// BallotItem is one numbered project on a ballot.
type BallotItem struct {
	Number     int
	ProposalID int64
	Title      string // filled when read, for display
	Council    string
	Cost       Cents
	ExternalID string // the proposal's ExternalID, filled when read
}

// BallotDraft is what a coordinator submits to consolidate a ballot: the
// accepted proposals in ballot order.
type BallotDraft struct {
	RoundID   int64
	Circuit   string
	Proposals []int64
	Reason    string
	Publish   bool // publish (freeze) at once
	UserID    int64
}

// Validate checks a draft against the round's ballot size.
func (d *BallotDraft) Validate(ballotSize int) error {
	if len(d.Proposals) == 0 {
		return FieldError("proposals", "a ballot needs at least one project")
	}
	if len(d.Proposals) > ballotSize {
		return FieldError("proposals", "a ballot holds at most %d projects; %d were chosen", ballotSize, len(d.Proposals))
	}
	seen := make(map[int64]bool, len(d.Proposals))
	for _, id := range d.Proposals {
		if seen[id] {
			return FieldError("proposals", "project %d appears twice", id)
		}
		seen[id] = true
	}
	if len(d.Reason) > 2000 {
		return FieldError("reason", "reason is longer than 2000 characters")
	}
	return nil
}

// NeedsReason reports whether a new version after prev must give a reason:
// changing a published ballot always does.
func NeedsReason(prev *Ballot, reason string) bool {
	return prev != nil && prev.Published && strings.TrimSpace(reason) == ""
}

// BallotService stores ballots and their versions.
type BallotService interface {
	// SaveBallot stores a new version of a circuit's ballot during the
	// ballots phase. Every project must be accepted and of the circuit;
	// replacing a published version needs a reason.
	SaveBallot(ctx context.Context, d BallotDraft) (*Ballot, error)
	// PublishBallot freezes the circuit's latest version.
	PublishBallot(ctx context.Context, roundID int64, circuit string, userID int64) (*Ballot, error)
	// Ballot returns the latest version of a circuit's ballot; ENotFound
	// if it has none.
	Ballot(ctx context.Context, roundID int64, circuit string) (*Ballot, error)
	// BallotVersions lists every version, newest first.
	BallotVersions(ctx context.Context, roundID int64, circuit string) ([]*Ballot, error)
}
