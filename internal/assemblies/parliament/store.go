package parliament

import (
	"context"
	"time"
)

// SessionSummary is a session as lists show it, without its record.
type SessionSummary struct {
	ID        int64
	OrganID   int64
	Number    int
	Scheduled time.Time
	Status    Status
	Minutes   MinutesStatus // "" while none are drafted
}

// DecisionFilter selects decisions of the register. Query matches the
// start of words of the title and text (all words must match); Unit is a
// council, commune or state code.
type DecisionFilter struct {
	Query   string
	Unit    string
	OrganID int64
	Limit   int // 0 means 50
	Offset  int
}

// Store keeps organs, seats, sessions, minutes and the register of
// decisions. Every change to a session goes through ApplySession, which
// logs the decisions and approved minutes it produces in the same
// transaction.
type Store interface {
	// CreateOrgan validates and stores an organ of an existing council or
	// commune; EConflict if one of that kind exists there.
	CreateOrgan(ctx context.Context, o *Organ) error
	// Organ returns one organ; ENotFound if absent.
	Organ(ctx context.Context, id int64) (*Organ, error)
	// Organs lists the organs of a unit ("" for every organ), by kind.
	Organs(ctx context.Context, unit string) ([]*Organ, error)
	// SaveSeat validates and stores a seat (a new one when ID is 0).
	SaveSeat(ctx context.Context, s *Seat) error
	// Seats lists an organ's seats by position, principals first.
	Seats(ctx context.Context, organID int64) ([]Seat, error)
	// ScheduleSession stores the organ's next session, scheduled at t.
	ScheduleSession(ctx context.Context, organID int64, t time.Time) (*Session, error)
	// Session returns one session with its record; ENotFound if absent.
	Session(ctx context.Context, id int64) (*Session, error)
	// Sessions lists an organ's sessions, newest first.
	Sessions(ctx context.Context, organID int64) ([]SessionSummary, error)
	// ApplySession applies c to session id as user by. version, if not 0,
	// must be the session's current version (EConflict otherwise). Closing a
	// session drafts its minutes.
	ApplySession(ctx context.Context, id int64, version int, c Command, by string) (*Session, Outcome, error)
	// Minutes returns a session's minutes; ENotFound before it closes.
	Minutes(ctx context.Context, sessionID int64) (*Minutes, error)
	// EditMinutes replaces the minutes' text; EConflict once approved.
	EditMinutes(ctx context.Context, sessionID int64, text string) (*Minutes, error)
	// PublishMinutes publishes draft minutes for approval.
	PublishMinutes(ctx context.Context, sessionID int64) (*Minutes, error)
	// Decisions searches the register, newest first, with the number of
	// matches up to a cap.
	Decisions(ctx context.Context, f DecisionFilter) ([]Decision, error)
}
