package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/voteday"
)

// Walk-ins: voters a table admitted on paper while the network was down.
// Each report is a row of walkin_reports, proposed by one person with a
// reason; table_status.walk_ins adds it only when a second person
// confirms it, and never past the table's cap.

const walkInColumns = `w.id, w.round_id, w.table_code, w.count, w.reason, w.status, w.proposed_by,
	COALESCE(p.username, ''), w.proposed, w.decided_by, COALESCE(d.username, ''), w.decided
	FROM walkin_reports w LEFT JOIN users p ON p.id = w.proposed_by LEFT JOIN users d ON d.id = w.decided_by`

func scanWalkIn(s interface{ Scan(...any) error }) (*voteday.WalkInReport, error) {
	var w voteday.WalkInReport
	var status string
	var proposed, decided int64
	var decidedBy sql.NullInt64
	if err := s.Scan(&w.ID, &w.RoundID, &w.Table, &w.Count, &w.Reason, &status, &w.ProposedBy, &w.Proposer, &proposed,
		&decidedBy, &w.Decider, &decided); err != nil {
		return nil, err
	}
	w.Status, w.Proposed, w.DecidedBy, w.Decided = voteday.WalkInStatus(status), fromMS(proposed), decidedBy.Int64, fromMS(decided)
	return &w, nil
}

// walkInReports returns a table's reports, newest first.
func walkInReports(ctx context.Context, tx *Tx, roundID int64, table string) ([]*voteday.WalkInReport, error) {
	rows, err := tx.query(ctx, "SELECT "+walkInColumns+" WHERE w.round_id = ? AND w.table_code = ? ORDER BY w.id DESC", roundID, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*voteday.WalkInReport
	for rows.Next() {
		w, err := scanWalkIn(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, tx.d.Err(err)
	}
	return out, nil
}

// walkInCap checks that count more walk-ins fit under the table's cap,
// with those already confirmed; EInvalid naming count otherwise. It
// returns the cap.
func walkInCap(ctx context.Context, tx *Tx, rt *roundTables, t *tableInfo, counted, count int64) (int64, error) {
	var share int
	if err := tx.get(ctx, "SELECT walkin_share FROM rounds WHERE id = ?", []any{rt.id}, &share); err != nil {
		return 0, err
	}
	limit := pollbook.WalkInCap(share, t.Expected)
	if counted+count > limit {
		return limit, comuna.FieldError("count", "table %s may count at most %d voters admitted on paper in all (%d%% of its %d expected voters, at least %d); %d are counted already",
			t.Code, limit, share, t.Expected, pollbook.MinWalkInCap, counted)
	}
	return limit, nil
}

// ReportWalkIns proposes voters admitted on paper at an open table while
// the round is voting. See voteday.Store.
func (db *DB) ReportWalkIns(ctx context.Context, w voteday.WalkIns) (*voteday.WalkInReport, error) {
	const op = "report walk-ins"
	pw := pollbook.WalkIns{RoundID: w.RoundID, Table: w.Table, Count: w.Count, IdempotencyKey: w.IdempotencyKey}
	if err := pw.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	reason, err := voteday.CleanReason("reason", w.Reason)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if w.UserID == 0 {
		return nil, fmt.Errorf("%s: %w", op, comuna.FieldError("user", "walk-ins are reported by a signed-in person"))
	}
	rt, err := db.roundTables(ctx, w.RoundID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	t, err := rt.table(w.Table)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	req := t.Code + "\x00" + strconv.FormatInt(w.Count, 10) + "\x00" + strconv.FormatInt(w.UserID, 10) + "\x00" + reason
	answer, replay, err := claimKey(ctx, tx, w.RoundID, w.IdempotencyKey, "walk_ins", []byte(req))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if replay {
		var rep voteday.WalkInReport
		if err := json.Unmarshal([]byte(answer), &rep); err != nil {
			return nil, fmt.Errorf("%s: stored answer: %w", op, err)
		}
		return &rep, nil
	}
	if err := requirePhase(ctx, tx, rt, "walk-ins are reported", comuna.PhaseVoting); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	name, err := userName(ctx, tx, w.UserID, "user")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	counts, _, err := tableCounts(ctx, tx, w.RoundID, t.Code)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if counts.Closed {
		return nil, fmt.Errorf("%s: %w", op, comuna.Errorf(comuna.EConflict, "table %q is closed; walk-ins are reported before closing", t.Code))
	}
	if _, err := walkInCap(ctx, tx, rt, t, counts.WalkIns, w.Count); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	rep := &voteday.WalkInReport{RoundID: w.RoundID, Table: t.Code, Count: w.Count, Reason: reason, Status: voteday.WalkInProposed,
		ProposedBy: w.UserID, Proposer: name, Proposed: tx.now}
	if err := tx.get(ctx, `INSERT INTO walkin_reports (round_id, table_code, count, reason, status, proposed_by, proposed)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, []any{rep.RoundID, rep.Table, rep.Count, rep.Reason, string(rep.Status),
		rep.ProposedBy, ms(rep.Proposed)}, &rep.ID); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := answerKey(ctx, tx, w.RoundID, w.IdempotencyKey, rep); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return rep, nil
}

// DecideWalkIns confirms or refuses a proposed report, by another person
// than its proposer. Deciding a report again the same way, by the same
// person, returns it unchanged, so a retry is harmless. See
// voteday.Store.
func (db *DB) DecideWalkIns(ctx context.Context, d voteday.WalkInDecision) (*voteday.WalkInReport, error) {
	const op = "decide walk-ins"
	if d.UserID == 0 {
		return nil, fmt.Errorf("%s: %w", op, comuna.FieldError("user", "walk-ins are confirmed by a signed-in person"))
	}
	rt, err := db.roundTables(ctx, d.RoundID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	t, err := rt.table(d.Table)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	rep, err := decideWalkIns(ctx, tx, rt, t, d)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return rep, nil
}

func decideWalkIns(ctx context.Context, tx *Tx, rt *roundTables, t *tableInfo, d voteday.WalkInDecision) (*voteday.WalkInReport, error) {
	if err := requirePhase(ctx, tx, rt, "walk-ins are confirmed", comuna.PhaseVoting); err != nil {
		return nil, err
	}
	rep, err := scanWalkIn(tx.tx.QueryRowContext(ctx, tx.d.Rebind("SELECT "+walkInColumns+
		" WHERE w.id = ? AND w.round_id = ? AND w.table_code = ?"), d.ReportID, d.RoundID, t.Code))
	if err == sql.ErrNoRows {
		return nil, comuna.Errorf(comuna.ENotFound, "table %s has no walk-in report %d", t.Code, d.ReportID)
	} else if err != nil {
		return nil, tx.d.Err(err)
	}
	want := voteday.WalkInRefused
	if d.Confirm {
		want = voteday.WalkInConfirmed
	}
	switch {
	case rep.Status == want && rep.DecidedBy == d.UserID:
		return rep, nil
	case rep.Status != voteday.WalkInProposed:
		return nil, comuna.Errorf(comuna.EConflict, "walk-in report %d was already %s by %s", rep.ID, rep.Status, rep.Decider)
	case rep.ProposedBy == d.UserID:
		return nil, comuna.Errorf(comuna.EForbidden, "walk-in report %d was proposed by you; a second member of the table must confirm or refuse it", rep.ID)
	}
	name, err := userName(ctx, tx, d.UserID, "user")
	if err != nil {
		return nil, err
	}
	if d.Confirm {
		counts, _, err := tableCounts(ctx, tx, d.RoundID, t.Code)
		if err != nil {
			return nil, err
		}
		limit, err := walkInCap(ctx, tx, rt, t, counts.WalkIns, rep.Count)
		if err != nil {
			return nil, err
		}
		// The cap is checked again in the statement, against a concurrent
		// confirmation of another report.
		var n int64
		err = tx.get(ctx, `INSERT INTO table_status (round_id, table_code, walk_ins) VALUES (?, ?, ?)
			ON CONFLICT (round_id, table_code) DO UPDATE SET walk_ins = table_status.walk_ins + excluded.walk_ins
			WHERE table_status.closed = FALSE AND table_status.walk_ins + excluded.walk_ins <= ? RETURNING walk_ins`,
			[]any{d.RoundID, t.Code, rep.Count, limit}, &n)
		if err == sql.ErrNoRows {
			counts, _, err := tableCounts(ctx, tx, d.RoundID, t.Code)
			if err != nil {
				return nil, err
			}
			if !counts.Closed {
				if _, err := walkInCap(ctx, tx, rt, t, counts.WalkIns, rep.Count); err != nil {
					return nil, err
				}
				return nil, comuna.Errorf(comuna.EConflict, "the walk-ins of table %q changed meanwhile; try again", t.Code)
			}
			return nil, comuna.Errorf(comuna.EConflict, "table %q is closed; walk-ins are confirmed before closing", t.Code)
		} else if err != nil {
			return nil, err
		}
	}
	res, err := tx.exec(ctx, "UPDATE walkin_reports SET status = ?, decided_by = ?, decided = ? WHERE id = ? AND status = ?",
		string(want), d.UserID, ms(tx.now), rep.ID, string(voteday.WalkInProposed))
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, comuna.Errorf(comuna.EConflict, "walk-in report %d changed meanwhile; reload and try again", rep.ID)
	}
	rep.Status, rep.DecidedBy, rep.Decider, rep.Decided = want, d.UserID, name, tx.now
	return rep, nil
}
