package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

const ballotColumns = "id, round_id, circuit, version, reason, published, created_by, created, published_at"

func scanBallot(s interface{ Scan(...any) error }) (*comuna.Ballot, error) {
	var b comuna.Ballot
	var createdBy sql.NullInt64
	var created, publishedAt int64
	if err := s.Scan(&b.ID, &b.RoundID, &b.Circuit, &b.Version, &b.Reason, &b.Published, &createdBy, &created, &publishedAt); err != nil {
		return nil, err
	}
	b.CreatedBy, b.Created, b.PublishedAt = createdBy.Int64, fromMS(created), fromMS(publishedAt)
	return &b, nil
}

// ballotVersions returns a circuit's ballot versions, newest first, with
// their items; limit 1 returns the latest only.
func ballotVersions(ctx context.Context, tx *Tx, roundID int64, circuit string, limit int) ([]*comuna.Ballot, error) {
	q := "SELECT " + ballotColumns + " FROM ballots WHERE round_id = ? AND circuit = ? ORDER BY version DESC"
	args := []any{roundID, circuit}
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var bs []*comuna.Ballot
	for rows.Next() {
		b, err := scanBallot(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		bs = append(bs, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, tx.d.Err(err)
	}
	for _, b := range bs {
		if err := ballotItems(ctx, tx, b); err != nil {
			return nil, err
		}
	}
	return bs, nil
}

// ballotItems reads a ballot's numbered items with their projects.
func ballotItems(ctx context.Context, tx *Tx, b *comuna.Ballot) error {
	rows, err := tx.query(ctx, `SELECT i.number, i.proposal_id, p.title, p.council, p.cost, p.external_id
		FROM ballot_items i JOIN proposals p ON p.id = i.proposal_id WHERE i.ballot_id = ? ORDER BY i.number`, b.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	b.Items = nil
	for rows.Next() {
		var it comuna.BallotItem
		if err := rows.Scan(&it.Number, &it.ProposalID, &it.Title, &it.Council, &it.Cost, &it.ExternalID); err != nil {
			return err
		}
		b.Items = append(b.Items, it)
	}
	return rows.Err()
}

// latestBallot returns a circuit's latest version; ENotFound if none.
func latestBallot(ctx context.Context, tx *Tx, roundID int64, circuit string) (*comuna.Ballot, error) {
	bs, err := ballotVersions(ctx, tx, roundID, circuit, 1)
	if err != nil {
		return nil, err
	}
	if len(bs) == 0 {
		return nil, comuna.Errorf(comuna.ENotFound, "circuit %q has no ballot in this round", circuit)
	}
	return bs[0], nil
}

// ballotRound returns the round of a ballot operation, checking that it
// is in the ballots phase and that the circuit exists in its territory.
func ballotRound(ctx context.Context, tx *Tx, roundID int64, circuit string) (*comuna.Round, error) {
	r, err := findRound(ctx, tx, roundID, true)
	if err != nil {
		return nil, err
	}
	if r.Phase != comuna.PhaseBallots {
		return nil, comuna.Errorf(comuna.EConflict,
			"ballots of round %q are consolidated only in the ballots phase; it is in the %s phase", r.Name, r.Phase)
	}
	if _, err := findUnit(ctx, tx, r.TerritoryVersion, comuna.LevelCircuit, circuit); err != nil {
		if comuna.ErrorCode(err) == comuna.ENotFound {
			return nil, comuna.FieldError("circuit", "unknown circuit %q in this round's territory", circuit)
		}
		return nil, err
	}
	return r, nil
}

// SaveBallot stores a new version of a circuit's ballot during the ballots
// phase. Every project must be an accepted proposal of that circuit and
// round; replacing a published version needs a reason. Earlier versions
// are kept unchanged.
func (db *DB) SaveBallot(ctx context.Context, d comuna.BallotDraft) (*comuna.Ballot, error) {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("save ballot: %w", err)
	}
	defer tx.rollback()
	r, err := ballotRound(ctx, tx, d.RoundID, d.Circuit)
	if err != nil {
		return nil, fmt.Errorf("save ballot: %w", err)
	}
	if err := d.Validate(r.BallotSize); err != nil {
		return nil, fmt.Errorf("save ballot: %w", err)
	}
	for _, id := range d.Proposals {
		if err := checkBallotProposal(ctx, tx, id, d.RoundID, d.Circuit); err != nil {
			return nil, fmt.Errorf("save ballot: %w", err)
		}
	}
	if err := checkUser(ctx, tx, d.UserID, "user"); err != nil {
		return nil, fmt.Errorf("save ballot: %w", err)
	}
	prev, err := latestBallot(ctx, tx, d.RoundID, d.Circuit)
	if err != nil && comuna.ErrorCode(err) != comuna.ENotFound {
		return nil, fmt.Errorf("save ballot: %w", err)
	}
	if comuna.NeedsReason(prev, d.Reason) {
		return nil, fmt.Errorf("save ballot: %w", comuna.FieldError("reason",
			"version %d of this ballot is published; give the reason for changing it", prev.Version))
	}
	b := &comuna.Ballot{RoundID: d.RoundID, Circuit: d.Circuit, Version: 1, Reason: strings.TrimSpace(d.Reason),
		Published: d.Publish, CreatedBy: d.UserID, Created: tx.now}
	if prev != nil {
		b.Version = prev.Version + 1
	}
	if d.Publish {
		b.PublishedAt = tx.now
	}
	for i, id := range d.Proposals {
		b.Items = append(b.Items, comuna.BallotItem{Number: i + 1, ProposalID: id})
	}
	if err := insertBallots(ctx, tx, []*comuna.Ballot{b}); err != nil {
		return nil, fmt.Errorf("save ballot: %w", err)
	}
	if err := ballotItems(ctx, tx, b); err != nil {
		return nil, fmt.Errorf("save ballot: %w", err)
	}
	if err := logBallots(ctx, tx, []*comuna.Ballot{b}); err != nil {
		return nil, fmt.Errorf("save ballot: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("save ballot: %w", err)
	}
	return b, nil
}

// checkBallotProposal checks that a proposal may stand on a circuit's
// ballot.
func checkBallotProposal(ctx context.Context, tx *Tx, id, roundID int64, circuit string) error {
	p, err := findProposal(ctx, tx, id)
	if comuna.ErrorCode(err) == comuna.ENotFound {
		return comuna.FieldError("proposals", "project %d does not exist", id)
	} else if err != nil {
		return err
	}
	return ballotProposalError(p.ID, p.RoundID, p.Circuit, p.Status, roundID, circuit)
}

// ballotProposalError explains why a proposal cannot stand on a ballot,
// or returns nil.
func ballotProposalError(id, pRound int64, pCircuit string, status comuna.Status, roundID int64, circuit string) error {
	switch {
	case pRound != roundID:
		return comuna.FieldError("proposals", "project %d belongs to another round", id)
	case pCircuit != circuit:
		return comuna.FieldError("proposals", "project %d belongs to circuit %q, not %q", id, pCircuit, circuit)
	case status != comuna.StatusAccepted:
		return comuna.FieldError("proposals", "project %d is %s; only accepted projects go on the ballot", id, status)
	}
	return nil
}

// PublishBallot freezes the circuit's latest version during the ballots
// phase; EConflict if it is published already.
func (db *DB) PublishBallot(ctx context.Context, roundID int64, circuit string, userID int64) (*comuna.Ballot, error) {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("publish ballot: %w", err)
	}
	defer tx.rollback()
	if _, err := ballotRound(ctx, tx, roundID, circuit); err != nil {
		return nil, fmt.Errorf("publish ballot: %w", err)
	}
	if err := checkUser(ctx, tx, userID, "user"); err != nil {
		return nil, fmt.Errorf("publish ballot: %w", err)
	}
	b, err := latestBallot(ctx, tx, roundID, circuit)
	if err != nil {
		return nil, fmt.Errorf("publish ballot: %w", err)
	}
	if b.Published {
		return nil, fmt.Errorf("publish ballot: %w", comuna.Errorf(comuna.EConflict,
			"version %d of circuit %q's ballot is published already", b.Version, circuit))
	}
	b.Published, b.PublishedAt = true, tx.now
	if _, err := tx.exec(ctx, "UPDATE ballots SET published = TRUE, published_at = ? WHERE id = ? AND published = FALSE",
		ms(b.PublishedAt), b.ID); err != nil {
		return nil, fmt.Errorf("publish ballot: %w", err)
	}
	if err := logBallots(ctx, tx, []*comuna.Ballot{b}); err != nil {
		return nil, fmt.Errorf("publish ballot: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("publish ballot: %w", err)
	}
	return b, nil
}

// Ballot returns the latest version of a circuit's ballot; ENotFound if
// it has none.
func (db *DB) Ballot(ctx context.Context, roundID int64, circuit string) (*comuna.Ballot, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("ballot: %w", err)
	}
	defer tx.rollback()
	if _, err := findRound(ctx, tx, roundID, false); err != nil {
		return nil, fmt.Errorf("ballot: %w", err)
	}
	b, err := latestBallot(ctx, tx, roundID, circuit)
	if err != nil {
		return nil, fmt.Errorf("ballot: %w", err)
	}
	return b, nil
}

// BallotVersions lists every version of a circuit's ballot, newest first;
// an empty list if it has none.
func (db *DB) BallotVersions(ctx context.Context, roundID int64, circuit string) ([]*comuna.Ballot, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("ballot versions: %w", err)
	}
	defer tx.rollback()
	if _, err := findRound(ctx, tx, roundID, false); err != nil {
		return nil, fmt.Errorf("ballot versions: %w", err)
	}
	bs, err := ballotVersions(ctx, tx, roundID, circuit, 0)
	if err != nil {
		return nil, fmt.Errorf("ballot versions: %w", err)
	}
	return bs, nil
}
