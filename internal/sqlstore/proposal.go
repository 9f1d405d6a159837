package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

const proposalColumns = `id, round_id, council, circuit, title, description, category, cost, location,
	assembly_date, attendance, quorum_met, votes_for, votes_against, votes_abstain,
	status, reason, reviewed_by, reviewed, submitted_by, submitted, external_id`

// proposalInsert lists the columns a new proposal row is written with.
const proposalInsert = `INSERT INTO proposals (round_id, council, circuit, title, description, category, cost, location,
	assembly_date, attendance, quorum_met, votes_for, votes_against, votes_abstain,
	status, reason, reviewed_by, reviewed, submitted_by, submitted, external_id) VALUES `

const proposalInsertColumns = 21

func proposalArgs(p *comuna.Proposal) []any {
	m := &p.Minutes
	return []any{p.RoundID, p.Council, p.Circuit, p.Title, p.Description, p.Category, int64(p.Cost), p.Location,
		dateText(m.Date), m.Attendance, m.QuorumMet, m.VotesFor, m.Against, m.Abstain,
		string(p.Status), p.Reason, nullID(p.ReviewedBy), ms(p.Reviewed), nullID(p.SubmittedBy), ms(p.Submitted), p.ExternalID}
}

func scanProposal(s interface{ Scan(...any) error }) (*comuna.Proposal, error) {
	var p comuna.Proposal
	var date, status string
	var reviewedBy, submittedBy sql.NullInt64
	var reviewed, submitted int64
	m := &p.Minutes
	err := s.Scan(&p.ID, &p.RoundID, &p.Council, &p.Circuit, &p.Title, &p.Description, &p.Category, &p.Cost, &p.Location,
		&date, &m.Attendance, &m.QuorumMet, &m.VotesFor, &m.Against, &m.Abstain,
		&status, &p.Reason, &reviewedBy, &reviewed, &submittedBy, &submitted, &p.ExternalID)
	if err != nil {
		return nil, err
	}
	m.Date, p.Status = parseDate(date), comuna.Status(status)
	p.ReviewedBy, p.Reviewed = reviewedBy.Int64, fromMS(reviewed)
	p.SubmittedBy, p.Submitted = submittedBy.Int64, fromMS(submitted)
	return &p, nil
}

func findProposal(ctx context.Context, tx *Tx, id int64) (*comuna.Proposal, error) {
	p, err := scanProposal(tx.tx.QueryRowContext(ctx, tx.d.Rebind("SELECT "+proposalColumns+" FROM proposals WHERE id = ?"), id))
	if err == sql.ErrNoRows {
		return nil, comuna.Errorf(comuna.ENotFound, "proposal %d not found", id)
	} else if err != nil {
		return nil, tx.d.Err(err)
	}
	return p, nil
}

// councilCircuit returns the circuit of a council in a territory version,
// or an EInvalid error on field "council".
func councilCircuit(ctx context.Context, tx *Tx, version int64, council string) (string, error) {
	u, err := findUnit(ctx, tx, version, comuna.LevelCouncil, council)
	if comuna.ErrorCode(err) == comuna.ENotFound {
		return "", comuna.FieldError("council", "unknown council %q in this round's territory", council)
	} else if err != nil {
		return "", err
	}
	return u.Parent, nil
}

// SubmitProposal stores a proposal while its round is in the proposals
// phase. The council must exist in the round's territory; the proposal
// takes the council's circuit from there and starts as submitted.
func (db *DB) SubmitProposal(ctx context.Context, p *comuna.Proposal) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("submit proposal: %w", err)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("submit proposal: %w", err)
	}
	defer tx.rollback()
	r, err := findRound(ctx, tx, p.RoundID, true)
	if err != nil {
		return fmt.Errorf("submit proposal: %w", err)
	}
	if r.Phase != comuna.PhaseProposals {
		return fmt.Errorf("submit proposal: %w", comuna.Errorf(comuna.EConflict,
			"round %q takes proposals only in the proposals phase; it is in the %s phase", r.Name, r.Phase))
	}
	if err := r.CheckCost(p.Cost); err != nil {
		return fmt.Errorf("submit proposal: %w", err)
	}
	circuit, err := councilCircuit(ctx, tx, r.TerritoryVersion, p.Council)
	if err != nil {
		return fmt.Errorf("submit proposal: %w", err)
	}
	if err := checkUser(ctx, tx, p.SubmittedBy, "submitted_by"); err != nil {
		return fmt.Errorf("submit proposal: %w", err)
	}
	p.Circuit, p.Status, p.Reason, p.ReviewedBy, p.Reviewed = circuit, comuna.StatusSubmitted, "", 0, comuna.Time{}
	p.Submitted = tx.now
	if err := tx.get(ctx, proposalInsert+placeholders(proposalInsertColumns, 1)+" RETURNING id", proposalArgs(p), &p.ID); err != nil {
		return fmt.Errorf("submit proposal: %w", err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("submit proposal: %w", err)
	}
	return nil
}

// ReviewProposal accepts or rejects a proposal, with the reviewer's
// reason, while its round is in the proposals or review phase. A later
// review replaces an earlier one.
func (db *DB) ReviewProposal(ctx context.Context, rv comuna.Review) (*comuna.Proposal, error) {
	if err := rv.Validate(); err != nil {
		return nil, fmt.Errorf("review proposal: %w", err)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("review proposal: %w", err)
	}
	defer tx.rollback()
	p, err := findProposal(ctx, tx, rv.ProposalID)
	if err != nil {
		return nil, fmt.Errorf("review proposal: %w", err)
	}
	r, err := findRound(ctx, tx, p.RoundID, true)
	if err != nil {
		return nil, fmt.Errorf("review proposal: %w", err)
	}
	if r.Phase != comuna.PhaseProposals && r.Phase != comuna.PhaseReview {
		return nil, fmt.Errorf("review proposal: %w", comuna.Errorf(comuna.EConflict,
			"proposals of round %q are reviewed only in the proposals and review phases; it is in the %s phase", r.Name, r.Phase))
	}
	if err := checkUser(ctx, tx, rv.UserID, "user"); err != nil {
		return nil, fmt.Errorf("review proposal: %w", err)
	}
	p.Status = comuna.StatusRejected
	if rv.Accept {
		p.Status = comuna.StatusAccepted
	}
	p.Reason, p.ReviewedBy, p.Reviewed = strings.TrimSpace(rv.Reason), rv.UserID, tx.now
	if _, err := tx.exec(ctx, "UPDATE proposals SET status = ?, reason = ?, reviewed_by = ?, reviewed = ? WHERE id = ?",
		string(p.Status), p.Reason, nullID(p.ReviewedBy), ms(p.Reviewed), p.ID); err != nil {
		return nil, fmt.Errorf("review proposal: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("review proposal: %w", err)
	}
	return p, nil
}

// Proposal returns one proposal; ENotFound if absent.
func (db *DB) Proposal(ctx context.Context, id int64) (*comuna.Proposal, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("proposal: %w", err)
	}
	defer tx.rollback()
	p, err := findProposal(ctx, tx, id)
	if err != nil {
		return nil, fmt.Errorf("proposal: %w", err)
	}
	return p, nil
}

// Proposals lists proposals matching the filter, by circuit then id.
func (db *DB) Proposals(ctx context.Context, f comuna.ProposalFilter) ([]*comuna.Proposal, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("proposals: %w", err)
	}
	defer tx.rollback()
	where, args := []string{"TRUE"}, []any{}
	if f.RoundID != 0 {
		where, args = append(where, "round_id = ?"), append(args, f.RoundID)
	}
	if f.Circuit != "" {
		where, args = append(where, "circuit = ?"), append(args, f.Circuit)
	}
	if f.Council != "" {
		where, args = append(where, "council = ?"), append(args, f.Council)
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, string(f.Status))
	}
	q := "SELECT " + proposalColumns + " FROM proposals WHERE " + strings.Join(where, " AND ") + " ORDER BY circuit, id"
	if f.Limit > 0 || f.Offset > 0 {
		limit := int64(f.Limit)
		if limit <= 0 {
			limit = 1 << 62
		}
		q += " LIMIT ? OFFSET ?"
		args = append(args, limit, max(f.Offset, 0))
	}
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("proposals: %w", err)
	}
	defer rows.Close()
	var ps []*comuna.Proposal
	for rows.Next() {
		p, err := scanProposal(rows)
		if err != nil {
			return nil, fmt.Errorf("proposals: %w", err)
		}
		ps = append(ps, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("proposals: %w", tx.d.Err(err))
	}
	return ps, nil
}
