package voteday

import "context"

// RoundKey is a round's poll-book key as the store keeps it: wrapped under
// the electoral authority's master key (pollbook.Key.Wrap), with that
// master key's fingerprint. The store never sees a key in the clear.
type RoundKey struct {
	RoundID           int64
	MasterFingerprint string
	Wrapped           []byte
	// Destroyed is set once DestroyCheckIns has shredded the key; Wrapped
	// is then empty and the round never takes another key.
	Destroyed bool
}

// RoundKeyStore binds each round to one poll-book key.
type RoundKeyStore interface {
	// BindRoundKey stores k as its round's key if the round has none yet
	// and returns the key the round is bound to: k, or the one a first
	// check-in (of this or another server) stored before, or a destroyed
	// one. ENotFound if the round does not exist.
	BindRoundKey(ctx context.Context, k RoundKey) (*RoundKey, error)
}
