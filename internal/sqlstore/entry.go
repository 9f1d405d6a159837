package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

// sheetWrite opens the transaction of an entry or a correction: it checks
// the key and the person, normalises the sheet and fills its circuit,
// takes the round's sheet lock and claims the key. With replay set, the
// key's stored answer is returned and nothing else may be written.
func (db *DB) sheetWrite(ctx context.Context, sh *tally.Sheet, key, kind string, userID int64, extra string) (
	tx *Tx, rt *roundTables, answer string, replay bool, err error) {
	if err := pollbook.ValidIdempotencyKey(key); err != nil {
		return nil, nil, "", false, err
	}
	if userID == 0 {
		return nil, nil, "", false, comuna.FieldError("user", "a sheet is entered by a signed-in person")
	}
	sh.Normalize()
	if rt, err = db.roundTables(ctx, sh.RoundID); err != nil {
		return nil, nil, "", false, err
	}
	t, err := rt.table(sh.Table)
	if err != nil {
		return nil, nil, "", false, err
	}
	sh.Circuit, sh.EnteredBy, sh.IdempotencyKey = t.Circuit, userID, ""
	if tx, err = db.begin(ctx, true); err != nil {
		return nil, nil, "", false, err
	}
	if err := tx.d.LockSheets(ctx, tx.tx, sh.RoundID); err != nil {
		tx.rollback()
		return nil, nil, "", false, tx.d.Err(err)
	}
	req := strconv.FormatInt(userID, 10) + "\x00" + extra + "\x00" + string(sh.Canonical())
	if answer, replay, err = claimKey(ctx, tx, sh.RoundID, key, kind, []byte(req)); err != nil {
		tx.rollback()
		return nil, nil, "", false, err
	}
	return tx, rt, answer, replay, nil
}

// reconcile checks a sheet against its table's poll book and its
// circuit's latest published ballot; a *voteday.ReconcileError lists
// every problem.
func reconcile(ctx context.Context, tx *Tx, sh tally.Sheet) error {
	var ballotID int64
	err := tx.get(ctx, "SELECT id FROM ballots WHERE round_id = ? AND circuit = ? AND published = TRUE ORDER BY version DESC LIMIT 1",
		[]any{sh.RoundID, sh.Circuit}, &ballotID)
	if err == sql.ErrNoRows {
		return comuna.Errorf(comuna.EConflict, "circuit %q has no published ballot in this round", sh.Circuit)
	} else if err != nil {
		return err
	}
	var size int
	if err := tx.get(ctx, "SELECT COUNT(*) FROM ballot_items WHERE ballot_id = ?", []any{ballotID}, &size); err != nil {
		return err
	}
	counts, _, err := tableCounts(ctx, tx, sh.RoundID, sh.Table)
	if err != nil {
		return err
	}
	if errs := tally.Reconcile(sh, size, counts.CheckIns, counts.WalkIns); len(errs) > 0 {
		return &voteday.ReconcileError{Errors: errs}
	}
	return nil
}

// userName returns a user's username; an EInvalid error naming field if
// there is no such user.
func userName(ctx context.Context, tx *Tx, id int64, field string) (string, error) {
	var name string
	if err := tx.get(ctx, "SELECT username FROM users WHERE id = ?", []any{id}, &name); err == sql.ErrNoRows {
		return "", comuna.FieldError(field, "unknown user %d", id)
	} else if err != nil {
		return "", err
	}
	return name, nil
}

// SubmitEntry stores one person's entry of a closed table's sheet and
// accepts the sheet when another person's latest entry agrees. See
// voteday.Store.
func (db *DB) SubmitEntry(ctx context.Context, e voteday.Entry) (*voteday.EntryResult, error) {
	const op = "submit entry"
	sh := e.Sheet.Clone()
	tx, rt, answer, replay, err := db.sheetWrite(ctx, &sh, e.IdempotencyKey, "entry", e.UserID, "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	if replay {
		var res voteday.EntryResult
		if err := json.Unmarshal([]byte(answer), &res); err != nil {
			return nil, fmt.Errorf("%s: stored answer: %w", op, err)
		}
		res.Replayed = true
		return &res, nil
	}
	res, err := submitEntry(ctx, tx, rt, sh, e.UserID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := answerKey(ctx, tx, sh.RoundID, e.IdempotencyKey, res); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return res, nil
}

func submitEntry(ctx context.Context, tx *Tx, rt *roundTables, sh tally.Sheet, userID int64) (*voteday.EntryResult, error) {
	if err := requirePhase(ctx, tx, rt, "sheets are entered", comuna.PhaseVoting, comuna.PhaseCounting); err != nil {
		return nil, err
	}
	signer, err := userName(ctx, tx, userID, "user")
	if err != nil {
		return nil, err
	}
	counts, _, err := tableCounts(ctx, tx, sh.RoundID, sh.Table)
	if err != nil {
		return nil, err
	}
	if !counts.Closed {
		return nil, comuna.Errorf(comuna.EConflict, "table %q is still open; close it before entering its sheet", sh.Table)
	}
	if vs, err := sheetVersions(ctx, tx, sh.RoundID, sh.Table, 1); err != nil {
		return nil, err
	} else if len(vs) > 0 {
		return nil, comuna.Errorf(comuna.EConflict, "the sheet of table %q is already accepted; submit a correction", sh.Table)
	}
	if err := reconcile(ctx, tx, sh); err != nil {
		return nil, err
	}
	b, err := json.Marshal(sh)
	if err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO sheet_entries (round_id, table_code, user_id, sheet, matched, entered) VALUES (?, ?, ?, ?, FALSE, ?)
		ON CONFLICT (round_id, table_code, user_id) DO UPDATE SET sheet = excluded.sheet, matched = FALSE, entered = excluded.entered`,
		sh.RoundID, sh.Table, userID, string(b), ms(tx.now)); err != nil {
		return nil, err
	}
	es, err := pendingEntries(ctx, tx, sh.RoundID, sh.Table)
	if err != nil {
		return nil, err
	}
	var other *entry
	for i := range es {
		if es[i].userID != userID {
			other = &es[i]
			break
		}
	}
	if other == nil {
		return &voteday.EntryResult{Status: voteday.EntryWaiting}, nil
	}
	if diffs := differingFields(sh, other.sheet); len(diffs) > 0 {
		return &voteday.EntryResult{Status: voteday.EntryMismatch, Differences: diffs}, nil
	}
	v := &voteday.SheetVersion{RoundID: sh.RoundID, Table: sh.Table, Circuit: sh.Circuit, Version: 1, Sheet: sh,
		SignedBy: userID, Signer: signer, EnteredBy: []int64{other.userID, userID}, Accepted: tx.now}
	if err := insertVersion(ctx, tx, v); err != nil {
		return nil, err
	}
	v.Sheet.EnteredBy = 0
	// Every entry is settled now, those that lost a mismatch included.
	if _, err := tx.exec(ctx, "UPDATE sheet_entries SET matched = TRUE WHERE round_id = ? AND table_code = ?",
		sh.RoundID, sh.Table); err != nil {
		return nil, err
	}
	return &voteday.EntryResult{Status: voteday.EntryAccepted, Sheet: v}, nil
}
