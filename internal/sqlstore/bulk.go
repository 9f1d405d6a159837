package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

// insertReturningIDs runs one multi-row INSERT … RETURNING id and returns
// the new ids in the order of the rows. Both engines number new rows in
// the order of the VALUES list, so sorting the returned ids restores that
// order whatever order RETURNING yields them in.
func insertReturningIDs(ctx context.Context, tx *Tx, q string, args []any, n int) ([]int64, error) {
	rows, err := tx.query(ctx, q+" RETURNING id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, tx.d.Err(err)
	}
	if len(ids) != n {
		return nil, fmt.Errorf("insert returned %d ids for %d rows", len(ids), n)
	}
	slices.Sort(ids)
	return ids, nil
}

// insertProposals stores proposals in batches, setting their ids.
func insertProposals(ctx context.Context, tx *Tx, ps []*comuna.Proposal, progress func(int)) error {
	for start := 0; start < len(ps); start += batchSize {
		batch := ps[start:min(start+batchSize, len(ps))]
		args := make([]any, 0, len(batch)*proposalInsertColumns)
		for _, p := range batch {
			args = append(args, proposalArgs(p)...)
		}
		ids, err := insertReturningIDs(ctx, tx, proposalInsert+placeholders(proposalInsertColumns, len(batch)), args, len(batch))
		if err != nil {
			return err
		}
		for i, p := range batch {
			p.ID = ids[i]
		}
		if progress != nil {
			progress(start + len(batch))
		}
	}
	return nil
}

// insertBallots stores ballot versions and their items in batches,
// setting the ballots' ids.
func insertBallots(ctx context.Context, tx *Tx, bs []*comuna.Ballot, progress ...func(int)) error {
	for start := 0; start < len(bs); start += batchSize {
		batch := bs[start:min(start+batchSize, len(bs))]
		args := make([]any, 0, len(batch)*8)
		for _, b := range batch {
			args = append(args, b.RoundID, b.Circuit, b.Version, b.Reason, b.Published, nullID(b.CreatedBy), ms(b.Created), ms(b.PublishedAt))
		}
		ids, err := insertReturningIDs(ctx, tx, "INSERT INTO ballots (round_id, circuit, version, reason, published, created_by, created, published_at) VALUES "+
			placeholders(8, len(batch)), args, len(batch))
		if err != nil {
			return err
		}
		var items []any
		n := 0
		for i, b := range batch {
			b.ID = ids[i]
			for _, it := range b.Items {
				items = append(items, b.ID, it.Number, it.ProposalID)
				n++
			}
		}
		for len(items) > 0 {
			k := min(len(items), 3*batchSize*2)
			if _, err := tx.exec(ctx, "INSERT INTO ballot_items (ballot_id, number, proposal_id) VALUES "+placeholders(3, k/3), items[:k]...); err != nil {
				return err
			}
			items = items[k:]
		}
		for _, p := range progress {
			if p != nil {
				p(start + len(batch))
			}
		}
	}
	return nil
}

// itemError prefixes an error with the position of the item at fault.
func itemError(op, kind string, i int, err error) error {
	return fmt.Errorf("%s: %s %d: %w", op, kind, i+1, err)
}

// ImportProposals stores proposals of one round in one transaction, with
// the status, reason and reviewer each carries and ignoring the round's
// phase. Each is validated, its council must exist in the round's
// territory, and its circuit is taken from there. It sets each proposal's
// ID; any error stores nothing.
func (db *DB) ImportProposals(ctx context.Context, roundID int64, ps []*comuna.Proposal, progress func(n int)) error {
	const op = "import proposals"
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	r, err := findRound(ctx, tx, roundID, true)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	councils, err := councilCircuits(ctx, tx, r.TerritoryVersion)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	users := map[int64]bool{}
	for i, p := range ps {
		p.RoundID = roundID
		if err := p.Validate(); err != nil {
			return itemError(op, "proposal", i, err)
		}
		circuit, ok := councils[p.Council]
		if !ok {
			return itemError(op, "proposal", i, comuna.FieldError("council", "unknown council %q in this round's territory", p.Council))
		}
		p.Circuit = circuit
		switch p.Status {
		case "":
			p.Status = comuna.StatusSubmitted
		case comuna.StatusSubmitted, comuna.StatusAccepted, comuna.StatusRejected:
		default:
			return itemError(op, "proposal", i, comuna.FieldError("status", "unknown status %q", p.Status))
		}
		for _, u := range []struct {
			id    int64
			field string
		}{{p.SubmittedBy, "submitted_by"}, {p.ReviewedBy, "reviewed_by"}} {
			if u.id == 0 || users[u.id] {
				continue
			}
			if err := checkUser(ctx, tx, u.id, u.field); err != nil {
				return itemError(op, "proposal", i, err)
			}
			users[u.id] = true
		}
		if p.Submitted.IsZero() {
			p.Submitted = tx.now
		}
	}
	if err := insertProposals(ctx, tx, ps, progress); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.analyze(ctx, len(ps), "proposals"); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// councilCircuits maps every council of a territory version to its
// circuit.
func councilCircuits(ctx context.Context, tx *Tx, version int64) (map[string]string, error) {
	rows, err := tx.query(ctx, "SELECT code, parent FROM units WHERE version_id = ? AND level = ?", version, string(comuna.LevelCouncil))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var code, parent string
		if err := rows.Scan(&code, &parent); err != nil {
			return nil, err
		}
		m[code] = parent
	}
	return m, rows.Err()
}

type proposalRef struct {
	circuit string
	status  comuna.Status
}

// ImportBallots stores ballot versions of one round in one transaction,
// as given and ignoring the round's phase. Items refer to accepted
// proposals of the ballot's circuit by ID and are numbered 1..n in order;
// a version after a published one needs a reason. Any error stores
// nothing.
func (db *DB) ImportBallots(ctx context.Context, roundID int64, bs []*comuna.Ballot, progress func(n int)) error {
	const op = "import ballots"
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	r, err := findRound(ctx, tx, roundID, true)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	circuits := map[string]bool{}
	props := map[int64]proposalRef{}
	if err := eachRow(ctx, tx, func(scan func(...any) error) error {
		var code string
		err := scan(&code)
		circuits[code] = true
		return err
	}, "SELECT code FROM units WHERE version_id = ? AND level = ?", r.TerritoryVersion, string(comuna.LevelCircuit)); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := eachRow(ctx, tx, func(scan func(...any) error) error {
		var id int64
		var ref proposalRef
		err := scan(&id, &ref.circuit, &ref.status)
		props[id] = ref
		return err
	}, "SELECT id, circuit, status FROM proposals WHERE round_id = ?", roundID); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	latest := map[string]*comuna.Ballot{} // per circuit, in this import
	users := map[int64]bool{}
	for i, b := range bs {
		if err := checkImportedBallot(ctx, tx, r, b, circuits, props, latest, users); err != nil {
			return itemError(op, "ballot", i, err)
		}
		latest[b.Circuit] = b
	}
	if err := insertBallots(ctx, tx, bs, progress); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := logImportedBallots(ctx, tx, bs); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.analyze(ctx, len(bs), "ballots", "ballot_items"); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// checkImportedBallot validates one imported ballot version and fills in
// its defaults.
func checkImportedBallot(ctx context.Context, tx *Tx, r *comuna.Round, b *comuna.Ballot, circuits map[string]bool,
	props map[int64]proposalRef, latest map[string]*comuna.Ballot, users map[int64]bool) error {
	b.RoundID = r.ID
	if !circuits[b.Circuit] {
		return comuna.FieldError("circuit", "unknown circuit %q in this round's territory", b.Circuit)
	}
	if b.Version < 1 {
		return comuna.FieldError("version", "version must be 1 or more")
	}
	d := comuna.BallotDraft{Reason: b.Reason}
	for j := range b.Items {
		it := &b.Items[j]
		if it.Number == 0 {
			it.Number = j + 1
		}
		if it.Number != j+1 {
			return comuna.FieldError("items", "item %d is numbered %d; number items 1, 2, 3 … in order", j+1, it.Number)
		}
		d.Proposals = append(d.Proposals, it.ProposalID)
	}
	if err := d.Validate(r.BallotSize); err != nil {
		return err
	}
	for _, id := range d.Proposals {
		ref, ok := props[id]
		if !ok {
			return comuna.FieldError("proposals", "project %d does not exist in this round", id)
		}
		if err := ballotProposalError(id, r.ID, ref.circuit, ref.status, r.ID, b.Circuit); err != nil {
			return err
		}
	}
	prev := latest[b.Circuit]
	if prev == nil && b.Version > 1 {
		p, err := latestBallot(ctx, tx, r.ID, b.Circuit)
		if err != nil && comuna.ErrorCode(err) != comuna.ENotFound {
			return err
		}
		prev = p
	}
	if prev != nil && b.Version != prev.Version+1 {
		return comuna.FieldError("version", "version %d of circuit %q follows version %d; want %d", b.Version, b.Circuit, prev.Version, prev.Version+1)
	}
	if comuna.NeedsReason(prev, b.Reason) {
		return comuna.FieldError("reason", "version %d of circuit %q replaces a published ballot and needs a reason", b.Version, b.Circuit)
	}
	b.Reason = strings.TrimSpace(b.Reason)
	if b.CreatedBy != 0 && !users[b.CreatedBy] {
		if err := checkUser(ctx, tx, b.CreatedBy, "created_by"); err != nil {
			return err
		}
		users[b.CreatedBy] = true
	}
	if b.Created.IsZero() {
		b.Created = tx.now
	}
	if b.Published && b.PublishedAt.IsZero() {
		b.PublishedAt = tx.now
	}
	if !b.Published {
		b.PublishedAt = comuna.Time{}
	}
	return nil
}

// eachRow runs a query and calls fn with a scanner for every row.
func eachRow(ctx context.Context, tx *Tx, fn func(scan func(...any) error) error, q string, args ...any) error {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}
