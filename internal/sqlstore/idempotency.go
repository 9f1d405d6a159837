package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
)

// claimKey reserves a client's idempotency key for a request of a kind
// (walk_ins, entry, correction) inside tx. A new key is stored at once,
// so a concurrent twin of the request waits for this transaction and then
// sees it; if the transaction fails, the key is free again. A key seen
// before returns its stored answer and replay set when it was for the
// same request, and EConflict when it was for another.
func claimKey(ctx context.Context, tx *Tx, roundID int64, key, kind string, request []byte) (answer string, replay bool, err error) {
	if err := pollbook.ValidIdempotencyKey(key); err != nil {
		return "", false, err
	}
	h := sha256.Sum256(append([]byte(kind+"\x00"), request...))
	var id int64
	err = tx.get(ctx, `INSERT INTO idempotency (round_id, idem_key, kind, request_hash, response) VALUES (?, ?, ?, ?, '')
		ON CONFLICT DO NOTHING RETURNING round_id`, []any{roundID, key, kind, h[:]}, &id)
	if err == nil {
		return "", false, nil
	} else if err != sql.ErrNoRows {
		return "", false, err
	}
	var gotKind string
	var gotHash []byte
	if err := tx.get(ctx, "SELECT kind, request_hash, response FROM idempotency WHERE round_id = ? AND idem_key = ?",
		[]any{roundID, key}, &gotKind, &gotHash, &answer); err != nil {
		return "", false, err
	}
	if gotKind != kind || !bytes.Equal(gotHash, h[:]) {
		return "", false, comuna.Errorf(comuna.EConflict,
			"this idempotency key was used for another request; use a new key for each new request")
	}
	return answer, true, nil
}

// answerKey stores the answer to a claimed key, as JSON.
func answerKey(ctx context.Context, tx *Tx, roundID int64, key string, answer any) error {
	b, err := json.Marshal(answer)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, "UPDATE idempotency SET response = ? WHERE round_id = ? AND idem_key = ?", string(b), roundID, key)
	return err
}
