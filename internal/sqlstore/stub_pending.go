package sqlstore

import (
	"context"

	"github.com/comuna/comuna/internal/comuna"
)

var errPending = comuna.Errorf(comuna.EInternal, "not built yet")

// SubmitProposal is not built yet.
func (db *DB) SubmitProposal(ctx context.Context, p *comuna.Proposal) error { return errPending }

// ReviewProposal is not built yet.
func (db *DB) ReviewProposal(ctx context.Context, r comuna.Review) (*comuna.Proposal, error) {
	return nil, errPending
}

// Proposal is not built yet.
func (db *DB) Proposal(ctx context.Context, id int64) (*comuna.Proposal, error) {
	return nil, errPending
}

// Proposals is not built yet.
func (db *DB) Proposals(ctx context.Context, f comuna.ProposalFilter) ([]*comuna.Proposal, error) {
	return nil, errPending
}

// SaveBallot is not built yet.
func (db *DB) SaveBallot(ctx context.Context, d comuna.BallotDraft) (*comuna.Ballot, error) {
	return nil, errPending
}

// PublishBallot is not built yet.
func (db *DB) PublishBallot(ctx context.Context, roundID int64, circuit string, userID int64) (*comuna.Ballot, error) {
	return nil, errPending
}

// Ballot is not built yet.
func (db *DB) Ballot(ctx context.Context, roundID int64, circuit string) (*comuna.Ballot, error) {
	return nil, errPending
}

// BallotVersions is not built yet.
func (db *DB) BallotVersions(ctx context.Context, roundID int64, circuit string) ([]*comuna.Ballot, error) {
	return nil, errPending
}

// ImportProposals is not built yet.
func (db *DB) ImportProposals(ctx context.Context, roundID int64, ps []*comuna.Proposal, progress func(n int)) error {
	return errPending
}

// ImportBallots is not built yet.
func (db *DB) ImportBallots(ctx context.Context, roundID int64, bs []*comuna.Ballot, progress func(n int)) error {
	return errPending
}
