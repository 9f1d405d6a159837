package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/voteday"
)

// The check-in hot path: two statements in one transaction. The first
// stores the hash if the round is voting and neither the document nor the
// key is there yet (ON CONFLICT DO NOTHING: a race between tables waits
// for the winner's commit and then does nothing, without aborting); the
// second counts it at the table unless the table is closed.
const (
	insertCheckIn = `INSERT INTO check_ins (round_id, doc_hash, centre, key_hash)
		SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM rounds WHERE id = ? AND phase = ?)
		ON CONFLICT DO NOTHING RETURNING round_id`
	countCheckIn = `INSERT INTO table_status (round_id, table_code, check_ins) VALUES (?, ?, 1)
		ON CONFLICT (round_id, table_code) DO UPDATE SET check_ins = table_status.check_ins + 1
		WHERE table_status.closed = FALSE RETURNING check_ins`
)

// keyHash hides a client's idempotency key, which may embed a time.
func keyHash(key string) []byte {
	h := sha256.Sum256([]byte("comuna idempotency key\x00" + key))
	return h[:16]
}

// CheckIn records a voter at a table. See voteday.Store.
func (db *DB) CheckIn(ctx context.Context, c voteday.CheckIn) (*voteday.CheckInResult, error) {
	const op = "check in"
	if err := pollbook.ValidIdempotencyKey(c.IdempotencyKey); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	rt, err := db.roundTables(ctx, c.RoundID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	t, err := rt.table(c.Table)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	key := keyHash(c.IdempotencyKey)
	if q := db.dialect.CheckInQuery(); q != "" {
		var n int64
		err := db.db.QueryRowContext(ctx, db.dialect.Rebind(q), c.RoundID, c.DocHash[:], t.Centre, key, t.Code,
			string(comuna.PhaseVoting)).Scan(&n)
		if err == nil && n > 0 {
			return &voteday.CheckInResult{Outcome: pollbook.OutcomeAccepted, CheckIns: n}, nil
		}
		if err != nil && comuna.ErrorCode(db.dialect.Err(err)) != comuna.EConflict {
			return nil, fmt.Errorf("%s: %w", op, db.dialect.Err(err))
		}
		// Refused or closed meanwhile: the transaction below says why.
	}
	req := &checkInRequest{c: c, rt: rt, t: t, key: key}
	var res *voteday.CheckInResult
	if db.dialect.GroupCommit() {
		res, err = db.groupCheckIn(ctx, req)
	} else {
		res, err = db.checkInAlone(ctx, req)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return res, nil
}

// checkInRequest is one check-in on its way to the database.
type checkInRequest struct {
	c   voteday.CheckIn
	rt  *roundTables
	t   *tableInfo
	key []byte
	// Answered by the group committer once its transaction ends.
	res  *voteday.CheckInResult
	err  error
	done chan struct{}
}

// checkInAlone runs one check-in in its own transaction.
func (db *DB) checkInAlone(ctx context.Context, req *checkInRequest) (*voteday.CheckInResult, error) {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.rollback()
	res, err := checkIn(ctx, tx, req)
	if err != nil {
		return nil, err
	}
	if err := tx.commit(); err != nil {
		return nil, err
	}
	return res, nil
}

// checkIn runs a check-in's statements inside tx, which may hold other
// check-ins too: every change it makes is kept only if it is accepted.
func checkIn(ctx context.Context, tx *Tx, req *checkInRequest) (*voteday.CheckInResult, error) {
	c, t := req.c, req.t
	var id int64
	err := tx.getPrepared(ctx, insertCheckIn, []any{c.RoundID, c.DocHash[:], t.Centre, req.key, c.RoundID, string(comuna.PhaseVoting)}, &id)
	if err == sql.ErrNoRows {
		return refusedCheckIn(ctx, tx, req.rt, t, c, req.key)
	} else if err != nil {
		return nil, err
	}
	res := &voteday.CheckInResult{Outcome: pollbook.OutcomeAccepted}
	err = tx.getPrepared(ctx, countCheckIn, []any{c.RoundID, t.Code}, &res.CheckIns)
	if err == sql.ErrNoRows {
		// Closed: take the hash back and say so.
		if _, err := tx.exec(ctx, "DELETE FROM check_ins WHERE round_id = ? AND doc_hash = ?", c.RoundID, c.DocHash[:]); err != nil {
			return nil, err
		}
		counts, _, err := tableCounts(ctx, tx, c.RoundID, t.Code)
		if err != nil {
			return nil, err
		}
		return &voteday.CheckInResult{Outcome: pollbook.OutcomeTableClosed, CheckIns: counts.CheckIns}, nil
	} else if err != nil {
		return nil, err
	}
	return res, nil
}

// refusedCheckIn explains why a check-in's hash was not stored: the round
// is not voting, the key was used before (a replay, or a conflict if for
// another document or centre), or the document was checked in before.
func refusedCheckIn(ctx context.Context, tx *Tx, rt *roundTables, t *tableInfo, c voteday.CheckIn, key []byte) (*voteday.CheckInResult, error) {
	counts, _, err := tableCounts(ctx, tx, c.RoundID, t.Code)
	if err != nil {
		return nil, err
	}
	// A replay gets its first answer even after voting has ended, so a
	// table whose acknowledgement was lost at the close still learns it.
	var hash []byte
	var centre string
	err = tx.get(ctx, "SELECT doc_hash, centre FROM check_ins WHERE round_id = ? AND key_hash = ?", []any{c.RoundID, key}, &hash, &centre)
	switch {
	case err == nil && bytes.Equal(hash, c.DocHash[:]) && centre == t.Centre:
		return &voteday.CheckInResult{Outcome: pollbook.OutcomeAccepted, Replayed: true, CheckIns: counts.CheckIns}, nil
	case err == nil:
		return nil, comuna.Errorf(comuna.EConflict, "this idempotency key was used for another check-in; use a new key for each voter")
	case err != sql.ErrNoRows:
		return nil, err
	}
	phase, err := roundPhase(ctx, tx, c.RoundID, false)
	if err != nil {
		return nil, err
	}
	if phase != comuna.PhaseVoting {
		return &voteday.CheckInResult{Outcome: pollbook.OutcomeWrongRound}, nil
	}
	err = tx.get(ctx, "SELECT centre FROM check_ins WHERE round_id = ? AND doc_hash = ?", []any{c.RoundID, c.DocHash[:]}, &centre)
	if err == sql.ErrNoRows {
		// Deleted between the two statements: only DestroyCheckIns
		// deletes, after voting.
		return nil, comuna.Errorf(comuna.EConflict, "the poll book changed meanwhile; try again")
	} else if err != nil {
		return nil, err
	}
	return &voteday.CheckInResult{Outcome: pollbook.OutcomeAlreadyVoted, Centre: centre, CentreName: rt.centres[centre],
		CheckIns: counts.CheckIns}, nil
}

// CloseTable ends check-ins at a table while the round is voting;
// closing a closed table changes nothing. See voteday.Store.
func (db *DB) CloseTable(ctx context.Context, roundID int64, table string, userID int64) (*voteday.TableState, error) {
	const op = "close table"
	rt, err := db.roundTables(ctx, roundID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	t, err := rt.table(table)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	if err := requirePhase(ctx, tx, rt, "tables are closed", comuna.PhaseVoting); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := checkUser(ctx, tx, userID, "user"); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO table_status (round_id, table_code, closed, closed_at, closed_by) VALUES (?, ?, TRUE, ?, ?)
		ON CONFLICT (round_id, table_code) DO UPDATE SET closed = TRUE, closed_at = excluded.closed_at, closed_by = excluded.closed_by
		WHERE table_status.closed = FALSE`, roundID, t.Code, ms(tx.now), nullID(userID)); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	st, err := tableState(ctx, tx, rt, t)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return st, nil
}
