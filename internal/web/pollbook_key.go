package web

import (
	"context"
	"sync"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/voteday"
)

// roundKeys caches each round's unwrapped poll-book key, by round id.
type roundKeys struct {
	mu   sync.Mutex // held while a round's key is bound
	keys sync.Map   // int64 → pollbook.Key
}

// roundKey returns the key that hashes documents in a round: on the
// round's first check-in a fresh random key, wrapped under the server's
// master key and bound to the round in the store; afterwards the bound
// key, unwrapped. A round bound to another master key, or whose poll book
// was destroyed, is EConflict naming both fingerprints.
func (s *Server) roundKey(ctx context.Context, store voteday.Store, roundID int64) (pollbook.Key, error) {
	if k, ok := s.rkeys.keys.Load(roundID); ok {
		return k.(pollbook.Key), nil
	}
	s.rkeys.mu.Lock()
	defer s.rkeys.mu.Unlock()
	if k, ok := s.rkeys.keys.Load(roundID); ok {
		return k.(pollbook.Key), nil
	}
	mine := s.pollKey.Fingerprint()
	got, err := store.BindRoundKey(ctx, voteday.RoundKey{RoundID: roundID, MasterFingerprint: mine,
		Wrapped: s.pollKey.Wrap(roundID, pollbook.NewKey())})
	if err != nil {
		return pollbook.Key{}, err
	}
	if got.Destroyed {
		return pollbook.Key{}, comuna.Errorf(comuna.EConflict, "the poll book of round %d was destroyed", roundID)
	}
	if got.MasterFingerprint != mine {
		return pollbook.Key{}, comuna.Errorf(comuna.EConflict,
			"round %d's poll book is bound to poll-book key %s, but this server holds key %s: start every server of the round with the key %s",
			roundID, got.MasterFingerprint, mine, got.MasterFingerprint)
	}
	k, err := s.pollKey.Unwrap(roundID, got.Wrapped)
	if err != nil {
		return pollbook.Key{}, err
	}
	s.rkeys.keys.Store(roundID, k)
	return k, nil
}
