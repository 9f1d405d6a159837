package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"sort"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/voteday"
)

// The check-in hot path. Check-ins from concurrent requests share
// transactions (see groupcommit.go): each stores its hash if the round is
// voting and neither the document nor the key is there yet (ON CONFLICT
// DO NOTHING: a race between tables waits for the winner's commit and
// then does nothing, without aborting); then each table's counter grows
// once by all of the batch's check-ins at it, unless the table is closed.
// One commit thus holds the hashes of many voters and the counters of
// many tables, so neither the engine's log nor a row's transaction id
// (PostgreSQL's xmin) ties a voter to a table or to an order.
const (
	insertCheckIn = `INSERT INTO check_ins (round_id, doc_hash, centre, key_hash)
		SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM rounds WHERE id = ? AND phase = ?)
		ON CONFLICT DO NOTHING RETURNING round_id`
	countCheckIns = `INSERT INTO table_status (round_id, table_code, check_ins) VALUES (?, ?, ?)
		ON CONFLICT (round_id, table_code) DO UPDATE SET check_ins = table_status.check_ins + excluded.check_ins
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
	req := &checkInRequest{c: c, rt: rt, t: t, key: keyHash(c.IdempotencyKey)}
	res, err := db.groupCheckIn(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return res, nil
}

// CheckInBatch records check-ins in one transaction, as the group
// committer does with concurrent requests, and returns each one's answer
// or error. It is exported for tests that look at what one batch leaves
// in the database files.
func (db *DB) CheckInBatch(ctx context.Context, cs []voteday.CheckIn) ([]*voteday.CheckInResult, []error) {
	res, errs := make([]*voteday.CheckInResult, len(cs)), make([]error, len(cs))
	var group []*checkInRequest
	var at []int
	for i, c := range cs {
		if errs[i] = pollbook.ValidIdempotencyKey(c.IdempotencyKey); errs[i] != nil {
			continue
		}
		rt, err := db.roundTables(ctx, c.RoundID)
		if err != nil {
			errs[i] = err
			continue
		}
		t, err := rt.table(c.Table)
		if err != nil {
			errs[i] = err
			continue
		}
		group = append(group, &checkInRequest{c: c, rt: rt, t: t, key: keyHash(c.IdempotencyKey), done: make(chan struct{})})
		at = append(at, i)
	}
	db.commitGroup(group)
	for j, r := range group {
		res[at[j]], errs[at[j]] = r.res, r.err
	}
	return res, errs
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

// tableKey names a table of a round.
type tableKey struct {
	round int64
	table string
}

// checkInBatch runs a batch of check-ins in one transaction and sets each
// request's answer. A request refused for its own reasons (a reused key)
// gets its error; an error that may have broken the transaction is
// returned, and then nothing of the batch is kept.
func (db *DB) checkInBatch(ctx context.Context, group []*checkInRequest) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return err
	}
	defer tx.rollback()
	status := map[tableKey]voteday.TableCount{}
	accepted := map[tableKey][]*checkInRequest{}
	var keys []tableKey
	for _, r := range group {
		r.res, r.err = nil, nil
		c, t := r.c, r.t
		k := tableKey{c.RoundID, t.Code}
		counts, known := status[k]
		if !known {
			err := tx.getPrepared(ctx, "SELECT check_ins, closed FROM table_status WHERE round_id = ? AND table_code = ?",
				[]any{c.RoundID, t.Code}, &counts.CheckIns, &counts.Closed)
			if err != nil && err != sql.ErrNoRows {
				return err
			}
			status[k] = counts
		}
		if counts.Closed {
			// A replay still gets its first answer.
			r.res, r.err = closedCheckIn(ctx, tx, t, c, r.key, counts)
			if r.err != nil && comuna.ErrorCode(r.err) == comuna.EInternal {
				return r.err
			}
			continue
		}
		var id int64
		err := tx.getPrepared(ctx, insertCheckIn, []any{c.RoundID, c.DocHash[:], t.Centre, r.key, c.RoundID, string(comuna.PhaseVoting)}, &id)
		if err == sql.ErrNoRows {
			r.res, r.err = refusedCheckIn(ctx, tx, r.rt, t, c, r.key)
			if r.err != nil && comuna.ErrorCode(r.err) == comuna.EInternal {
				return r.err
			}
			continue
		} else if err != nil {
			return err
		}
		if accepted[k] == nil {
			keys = append(keys, k)
		}
		accepted[k] = append(accepted[k], r)
	}
	// Counters in a fixed order, so that concurrent batches never wait
	// for each other in a cycle.
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].round != keys[j].round {
			return keys[i].round < keys[j].round
		}
		return keys[i].table < keys[j].table
	})
	for _, k := range keys {
		rs := accepted[k]
		var n int64
		err := tx.getPrepared(ctx, countCheckIns, []any{k.round, k.table, int64(len(rs))}, &n)
		if err == sql.ErrNoRows {
			// Closed meanwhile: take the hashes back and say so.
			for _, r := range rs {
				if _, err := tx.exec(ctx, "DELETE FROM check_ins WHERE round_id = ? AND doc_hash = ?", r.c.RoundID, r.c.DocHash[:]); err != nil {
					return err
				}
			}
			counts, _, err := tableCounts(ctx, tx, k.round, k.table)
			if err != nil {
				return err
			}
			for _, r := range rs {
				r.res = &voteday.CheckInResult{Outcome: pollbook.OutcomeTableClosed, CheckIns: counts.CheckIns}
			}
			continue
		} else if err != nil {
			return err
		}
		for i, r := range rs {
			r.res = &voteday.CheckInResult{Outcome: pollbook.OutcomeAccepted, CheckIns: n - int64(len(rs)-1-i)}
		}
	}
	return tx.commit()
}

// closedCheckIn answers a check-in at a closed table: its first answer if
// it is a replay, wrong_round if the round is not voting, table_closed
// otherwise.
func closedCheckIn(ctx context.Context, tx *Tx, t *tableInfo, c voteday.CheckIn, key []byte, counts voteday.TableCount) (*voteday.CheckInResult, error) {
	if res, err := replayedCheckIn(ctx, tx, t, c, key, counts); res != nil || err != nil {
		return res, err
	}
	phase, err := roundPhase(ctx, tx, c.RoundID, false)
	if err != nil {
		return nil, err
	}
	if phase != comuna.PhaseVoting {
		return &voteday.CheckInResult{Outcome: pollbook.OutcomeWrongRound}, nil
	}
	return &voteday.CheckInResult{Outcome: pollbook.OutcomeTableClosed, CheckIns: counts.CheckIns}, nil
}

// replayedCheckIn returns the first answer to an idempotency key already
// used for this check-in, EConflict if it was used for another, and nil
// if it is new.
func replayedCheckIn(ctx context.Context, tx *Tx, t *tableInfo, c voteday.CheckIn, key []byte, counts voteday.TableCount) (*voteday.CheckInResult, error) {
	var hash []byte
	var centre string
	err := tx.get(ctx, "SELECT doc_hash, centre FROM check_ins WHERE round_id = ? AND key_hash = ?", []any{c.RoundID, key}, &hash, &centre)
	switch {
	case err == nil && bytes.Equal(hash, c.DocHash[:]) && centre == t.Centre:
		return &voteday.CheckInResult{Outcome: pollbook.OutcomeAccepted, Replayed: true, CheckIns: counts.CheckIns}, nil
	case err == nil:
		return nil, comuna.Errorf(comuna.EConflict, "this idempotency key was used for another check-in; use a new key for each voter")
	case err != sql.ErrNoRows:
		return nil, err
	}
	return nil, nil
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
	if res, err := replayedCheckIn(ctx, tx, t, c, key, counts); res != nil || err != nil {
		return res, err
	}
	var centre string
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
