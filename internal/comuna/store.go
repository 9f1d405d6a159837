package comuna

import "context"

// BulkService loads large batches, each in one transaction, for imports
// and the demo: the national demo has tens of thousands of proposals,
// which one transaction each would make slow. Every item is validated as
// the one-by-one services would; any error leaves the store as it was.
type BulkService interface {
	// ImportProposals stores proposals of one round with the status,
	// reason and reviewer they carry, ignoring the round's phase. It sets
	// each proposal's ID.
	ImportProposals(ctx context.Context, roundID int64, ps []*Proposal, progress func(n int)) error
	// ImportBallots stores ballot versions of one round as given (items
	// refer to proposals by ID), ignoring the round's phase.
	ImportBallots(ctx context.Context, roundID int64, bs []*Ballot, progress func(n int)) error
}

// Store is everything a storage backend provides. The web server and the
// command line depend on this interface only; internal/sqlite and
// internal/postgres each return one.
type Store interface {
	TerritoryService
	RoundService
	ProposalService
	BallotService
	UserService
	BulkService
	PBService
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}
