package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/record"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

// Four-eyes corrections: sheet_corrections holds each proposal and its
// decision; a confirmation appends the sheet version. In results, each
// proposal uses one circuit_reopenings row. Every step is logged.

const correctionColumns = `c.id, c.round_id, c.table_code, c.circuit, c.base_version, c.sheet, c.reason, c.status,
	c.proposed_by, COALESCE(p.username, ''), c.proposed, c.decided_by, COALESCE(d.username, ''), c.decided,
	c.decision_reason, c.version, c.reopening_id
	FROM sheet_corrections c LEFT JOIN users p ON p.id = c.proposed_by LEFT JOIN users d ON d.id = c.decided_by`

func scanCorrection(s interface{ Scan(...any) error }) (*voteday.CorrectionProposal, error) {
	var c voteday.CorrectionProposal
	var sheet, status string
	var proposed, decided int64
	var decidedBy, reopening sql.NullInt64
	if err := s.Scan(&c.ID, &c.RoundID, &c.Table, &c.Circuit, &c.BaseVersion, &sheet, &c.Reason, &status,
		&c.ProposedBy, &c.Proposer, &proposed, &decidedBy, &c.Decider, &decided, &c.DecisionReason, &c.Version, &reopening); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(sheet), &c.Sheet); err != nil {
		return nil, fmt.Errorf("correction %d: %w", c.ID, err)
	}
	c.Status, c.Proposed, c.Decided = voteday.CorrectionStatus(status), fromMS(proposed), fromMS(decided)
	c.DecidedBy, c.ReopeningID = decidedBy.Int64, reopening.Int64
	return &c, nil
}

func readCorrections(ctx context.Context, tx *Tx, where string, args ...any) ([]*voteday.CorrectionProposal, error) {
	rows, err := tx.query(ctx, "SELECT "+correctionColumns+" WHERE "+where+" ORDER BY c.id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*voteday.CorrectionProposal
	for rows.Next() {
		c, err := scanCorrection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, tx.d.Err(err)
	}
	return out, nil
}

// claimReopening takes an open reopening of the circuit for proposal id,
// when the round is in results; EConflict if there is none.
func claimReopening(ctx context.Context, tx *Tx, roundID int64, circuit string, proposal int64) (int64, error) {
	var id int64
	err := tx.get(ctx, `SELECT id FROM circuit_reopenings WHERE round_id = ? AND circuit = ? AND correction_id IS NULL ORDER BY id LIMIT 1`,
		[]any{roundID, circuit}, &id)
	if err == sql.ErrNoRows {
		return 0, comuna.Errorf(comuna.EConflict, "the result of circuit %s is final; an administrator must reopen the circuit, with a reason, before a correction", circuit)
	} else if err != nil {
		return 0, err
	}
	if _, err := tx.exec(ctx, "UPDATE circuit_reopenings SET correction_id = ? WHERE id = ?", proposal, id); err != nil {
		return 0, err
	}
	return id, nil
}

// ProposeCorrection stores a proposed correction. See voteday.Store.
func (db *DB) ProposeCorrection(ctx context.Context, c voteday.Correction) (*voteday.CorrectionProposal, error) {
	const op = "propose correction"
	reason, err := voteday.CleanReason("reason", c.Reason)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	sh := c.Sheet.Clone()
	tx, rt, answer, replay, err := db.sheetWrite(ctx, &sh, c.IdempotencyKey, "correction", c.UserID, reason)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	if replay {
		var p voteday.CorrectionProposal
		if err := json.Unmarshal([]byte(answer), &p); err != nil {
			return nil, fmt.Errorf("%s: stored answer: %w", op, err)
		}
		return &p, nil
	}
	p, err := proposeCorrection(ctx, tx, rt, sh, reason, c.UserID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := answerKey(ctx, tx, sh.RoundID, c.IdempotencyKey, p); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return p, nil
}

func proposeCorrection(ctx context.Context, tx *Tx, rt *roundTables, sh tally.Sheet, reason string, userID int64) (*voteday.CorrectionProposal, error) {
	sh.EnteredBy = 0
	if err := requirePhase(ctx, tx, rt, "sheets are corrected", comuna.PhaseCounting, comuna.PhaseResults); err != nil {
		return nil, err
	}
	phase, err := roundPhase(ctx, tx, rt.id, false)
	if err != nil {
		return nil, err
	}
	name, err := userName(ctx, tx, userID, "user")
	if err != nil {
		return nil, err
	}
	vs, err := sheetVersions(ctx, tx, sh.RoundID, sh.Table, 1)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, comuna.Errorf(comuna.EConflict, "table %q has no accepted sheet to correct; it must be entered twice first", sh.Table)
	}
	if pending, err := readCorrections(ctx, tx, "c.round_id = ? AND c.table_code = ? AND c.status = ?",
		sh.RoundID, sh.Table, string(voteday.CorrectionProposed)); err != nil {
		return nil, err
	} else if len(pending) > 0 {
		return nil, comuna.Errorf(comuna.EConflict, "correction %d of table %q awaits a second person's decision; confirm or refuse it first",
			pending[0].ID, sh.Table)
	}
	if err := reconcile(ctx, tx, sh); err != nil {
		return nil, err
	}
	if diffs := differingFields(sh, vs[0].Sheet); len(diffs) == 0 {
		return nil, comuna.FieldError("votes", "the correction changes nothing in version %d", vs[0].Version)
	}
	b, err := json.Marshal(sh)
	if err != nil {
		return nil, err
	}
	p := &voteday.CorrectionProposal{RoundID: sh.RoundID, Table: sh.Table, Circuit: sh.Circuit, BaseVersion: vs[0].Version, Sheet: sh,
		Reason: reason, Status: voteday.CorrectionProposed, ProposedBy: userID, Proposer: name, Proposed: tx.now}
	if err := tx.get(ctx, `INSERT INTO sheet_corrections (round_id, table_code, circuit, base_version, sheet, reason, status, proposed_by, proposed, log_index)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0) RETURNING id`, []any{p.RoundID, p.Table, p.Circuit, p.BaseVersion, string(b), p.Reason,
		string(p.Status), p.ProposedBy, ms(p.Proposed)}, &p.ID); err != nil {
		return nil, err
	}
	if phase == comuna.PhaseResults {
		if p.ReopeningID, err = claimReopening(ctx, tx, p.RoundID, p.Circuit, p.ID); err != nil {
			return nil, err
		}
	}
	idx, err := appendLog(ctx, tx, &record.CorrectionStep{Step: record.KindCorrectionProposed, RoundID: p.RoundID, Table: p.Table,
		Circuit: p.Circuit, Proposal: p.ID, Base: p.BaseVersion, At: p.Proposed, By: name, Reason: reason, Sheet: sh})
	if err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, "UPDATE sheet_corrections SET reopening_id = ?, log_index = ? WHERE id = ?", nullID(p.ReopeningID), idx, p.ID); err != nil {
		return nil, err
	}
	return p, nil
}

// DecideCorrection confirms or refuses a pending proposal. See
// voteday.Store.
func (db *DB) DecideCorrection(ctx context.Context, d voteday.CorrectionDecision) (*voteday.CorrectionProposal, *voteday.SheetVersion, error) {
	const op = "decide correction"
	if d.UserID == 0 {
		return nil, nil, fmt.Errorf("%s: %w", op, comuna.FieldError("user", "a correction is decided by a signed-in person"))
	}
	reason := ""
	if !d.Confirm {
		var err error
		if reason, err = voteday.CleanReason("reason", d.Reason); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", op, err)
		}
	}
	rt, err := db.roundTables(ctx, d.RoundID)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", op, err)
	}
	t, err := rt.table(d.Table)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", op, err)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	if err := tx.d.LockSheets(ctx, tx.tx, d.RoundID); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", op, tx.d.Err(err))
	}
	p, v, err := decideCorrection(ctx, tx, rt, t, d, reason)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", op, err)
	}
	return p, v, nil
}

func decideCorrection(ctx context.Context, tx *Tx, rt *roundTables, t *tableInfo, d voteday.CorrectionDecision, reason string) (
	*voteday.CorrectionProposal, *voteday.SheetVersion, error) {
	ps, err := readCorrections(ctx, tx, "c.id = ? AND c.round_id = ? AND c.table_code = ?", d.ProposalID, d.RoundID, t.Code)
	if err != nil {
		return nil, nil, err
	}
	if len(ps) == 0 {
		return nil, nil, comuna.Errorf(comuna.ENotFound, "table %s has no correction %d", t.Code, d.ProposalID)
	}
	p := ps[0]
	want := voteday.CorrectionRefused
	if d.Confirm {
		want = voteday.CorrectionConfirmed
	}
	switch {
	case p.Status == want && p.DecidedBy == d.UserID:
		var v *voteday.SheetVersion
		if p.Version > 0 {
			vs, err := sheetVersions(ctx, tx, p.RoundID, p.Table, 0)
			if err != nil {
				return nil, nil, err
			}
			for _, x := range vs {
				if x.Version == p.Version {
					v = x
				}
			}
		}
		return p, v, nil
	case p.Status != voteday.CorrectionProposed:
		return nil, nil, comuna.Errorf(comuna.EConflict, "correction %d was already %s by %s", p.ID, p.Status, p.Decider)
	case p.ProposedBy == d.UserID:
		return nil, nil, comuna.Errorf(comuna.EForbidden, "you proposed correction %d; a second person must confirm or refuse it", p.ID)
	}
	if err := requirePhase(ctx, tx, rt, "sheets are corrected", comuna.PhaseCounting, comuna.PhaseResults); err != nil {
		return nil, nil, err
	}
	phase, err := roundPhase(ctx, tx, rt.id, false)
	if err != nil {
		return nil, nil, err
	}
	name, err := userName(ctx, tx, d.UserID, "user")
	if err != nil {
		return nil, nil, err
	}
	if phase == comuna.PhaseResults && p.ReopeningID == 0 && d.Confirm {
		// Proposed while counting; the result became final since.
		if p.ReopeningID, err = claimReopening(ctx, tx, p.RoundID, p.Circuit, p.ID); err != nil {
			return nil, nil, err
		}
	}
	var v *voteday.SheetVersion
	if d.Confirm {
		sh := d.Sheet.Clone()
		sh.RoundID, sh.Table, sh.Circuit = p.RoundID, p.Table, p.Circuit
		sh.Normalize()
		sh.EnteredBy, sh.IdempotencyKey = 0, ""
		if diffs := differingFields(sh, p.Sheet); len(diffs) > 0 {
			return nil, nil, comuna.FieldError(diffs[0], "the values differ from correction %d in: %s; confirm only what the paper sheet says, or refuse it",
				p.ID, strings.Join(diffs, ", "))
		}
		vs, err := sheetVersions(ctx, tx, p.RoundID, p.Table, 1)
		if err != nil {
			return nil, nil, err
		}
		if len(vs) == 0 || vs[0].Version != p.BaseVersion {
			return nil, nil, comuna.Errorf(comuna.EConflict, "correction %d was proposed against version %d, which is no longer current", p.ID, p.BaseVersion)
		}
		if err := reconcile(ctx, tx, sh); err != nil {
			return nil, nil, err
		}
		v = &voteday.SheetVersion{RoundID: p.RoundID, Table: p.Table, Circuit: p.Circuit, Version: p.BaseVersion + 1, Sheet: sh,
			Reason: p.Reason, SignedBy: d.UserID, Signer: name, EnteredBy: []int64{p.ProposedBy, d.UserID}, Accepted: tx.now}
		if err := insertVersion(ctx, tx, v); err != nil {
			return nil, nil, err
		}
		p.Version = v.Version
	}
	p.Status, p.DecidedBy, p.Decider, p.Decided, p.DecisionReason = want, d.UserID, name, tx.now, reason
	step := &record.CorrectionStep{Step: record.KindCorrectionRefused, RoundID: p.RoundID, Table: p.Table, Circuit: p.Circuit,
		Proposal: p.ID, At: p.Decided, By: name, Reason: reason}
	if d.Confirm {
		step.Step, step.Version, step.Reason = record.KindCorrectionConfirmed, p.Version, ""
	}
	if _, err := appendLog(ctx, tx, step); err != nil {
		return nil, nil, err
	}
	res, err := tx.exec(ctx, `UPDATE sheet_corrections SET status = ?, decided_by = ?, decided = ?, decision_reason = ?, version = ?,
		reopening_id = ? WHERE id = ? AND status = ?`, string(p.Status), p.DecidedBy, ms(p.Decided), p.DecisionReason, p.Version,
		nullID(p.ReopeningID), p.ID, string(voteday.CorrectionProposed))
	if err != nil {
		return nil, nil, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, nil, comuna.Errorf(comuna.EConflict, "correction %d changed meanwhile; reload and try again", p.ID)
	}
	return p, v, nil
}

// Corrections lists a table's proposals, newest first.
func (db *DB) Corrections(ctx context.Context, roundID int64, table string) ([]*voteday.CorrectionProposal, error) {
	rt, err := db.roundTables(ctx, roundID)
	if err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	if _, err := rt.table(table); err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	defer tx.rollback()
	ps, err := readCorrections(ctx, tx, "c.round_id = ? AND c.table_code = ?", roundID, table)
	if err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	return ps, nil
}

// ReopenCircuit reopens a final circuit for one correction. See
// voteday.Store.
func (db *DB) ReopenCircuit(ctx context.Context, roundID int64, circuit, reason string, userID int64) (*voteday.Reopening, error) {
	const op = "reopen circuit"
	reason, err := voteday.CleanReason("reason", reason)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if userID == 0 {
		return nil, fmt.Errorf("%s: %w", op, comuna.FieldError("user", "a circuit is reopened by a signed-in administrator"))
	}
	rt, err := db.roundTables(ctx, roundID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	found := false
	for _, t := range rt.tables {
		found = found || t.Circuit == circuit
	}
	if !found {
		return nil, fmt.Errorf("%s: %w", op, comuna.Errorf(comuna.ENotFound, "circuit %q has no tables in round %q", circuit, rt.name))
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	if err := requirePhase(ctx, tx, rt, "circuits are reopened", comuna.PhaseResults); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	name, err := userName(ctx, tx, userID, "user")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	o := &voteday.Reopening{RoundID: roundID, Circuit: circuit, Reason: reason, OpenedBy: userID, Opener: name, Opened: tx.now}
	if err := tx.get(ctx, `INSERT INTO circuit_reopenings (round_id, circuit, reason, opened_by, opened, log_index) VALUES (?, ?, ?, ?, ?, 0) RETURNING id`,
		[]any{roundID, circuit, reason, userID, ms(o.Opened)}, &o.ID); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	idx, err := appendLog(ctx, tx, &record.Reopening{RoundID: roundID, Circuit: circuit, Reopening: o.ID, At: o.Opened, By: name, Reason: reason})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if _, err := tx.exec(ctx, "UPDATE circuit_reopenings SET log_index = ? WHERE id = ?", idx, o.ID); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return o, nil
}

// Reopenings lists a round's reopenings, newest first.
func (db *DB) Reopenings(ctx context.Context, roundID int64) ([]*voteday.Reopening, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("reopenings: %w", err)
	}
	defer tx.rollback()
	if _, err := findRound(ctx, tx, roundID, false); err != nil {
		return nil, fmt.Errorf("reopenings: %w", err)
	}
	rows, err := tx.query(ctx, `SELECT o.id, o.round_id, o.circuit, o.reason, o.opened_by, COALESCE(u.username, ''), o.opened, o.correction_id
		FROM circuit_reopenings o LEFT JOIN users u ON u.id = o.opened_by WHERE o.round_id = ? ORDER BY o.id DESC`, roundID)
	if err != nil {
		return nil, fmt.Errorf("reopenings: %w", err)
	}
	defer rows.Close()
	var out []*voteday.Reopening
	for rows.Next() {
		var o voteday.Reopening
		var opened int64
		var corr sql.NullInt64
		if err := rows.Scan(&o.ID, &o.RoundID, &o.Circuit, &o.Reason, &o.OpenedBy, &o.Opener, &opened, &corr); err != nil {
			return nil, fmt.Errorf("reopenings: %w", err)
		}
		o.Opened, o.CorrectionID = fromMS(opened), corr.Int64
		out = append(out, &o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reopenings: %w", tx.d.Err(err))
	}
	return out, nil
}
