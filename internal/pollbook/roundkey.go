package pollbook

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"

	"github.com/comuna/comuna/internal/comuna"
)

// A round's poll book is hashed with a key of its own, drawn at random
// when the round's first voter checks in and kept in the database only
// wrapped (encrypted and authenticated) under the electoral authority's
// master key. The database alone cannot test a document; the master key
// alone cannot either once the round's wrapped key is destroyed, which
// makes every copy of the round's hashes (WAL frames, free pages, backups
// taken after the destruction, replicas) useless: crypto-shredding.

// wrapDomain separates the key that wraps round keys from the key's other
// uses (the fingerprint, and hashing in rounds from before round keys).
const wrapDomain = hashDomain + "/wrap"

// WrappedKeySize is the length of a wrapped round key: a 12-byte nonce,
// the 32-byte key encrypted and a 16-byte tag (AES-256-GCM).
const WrappedKeySize = 12 + 32 + 16

// kek returns the AES-256-GCM cipher that wraps round keys under k.
func (k Key) kek() cipher.AEAD {
	m := hmac.New(sha256.New, k[:])
	m.Write([]byte(wrapDomain))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		panic(err) // a 32-byte key always makes a cipher
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return aead
}

// roundAAD binds a wrapped key to its round, so that a wrapped key copied
// to another round's row does not unwrap.
func roundAAD(roundID int64) []byte {
	return binary.BigEndian.AppendUint64([]byte(wrapDomain+"/round\x00"), uint64(roundID))
}

// Wrap encrypts the round key rk under the master key k for round roundID.
func (k Key) Wrap(roundID int64, rk Key) []byte {
	nonce := make([]byte, 12, WrappedKeySize)
	rand.Read(nonce) // never fails: crypto/rand.Read crashes the program instead
	return k.kek().Seal(nonce, nonce, rk[:], roundAAD(roundID))
}

// Unwrap decrypts a round key wrapped by Wrap for round roundID. Another
// master key, another round or altered bytes are an EConflict error.
func (k Key) Unwrap(roundID int64, wrapped []byte) (Key, error) {
	if len(wrapped) != WrappedKeySize {
		return Key{}, comuna.Errorf(comuna.EConflict, "the poll book key of round %d is damaged (%d bytes)", roundID, len(wrapped))
	}
	b, err := k.kek().Open(nil, wrapped[:12], wrapped[12:], roundAAD(roundID))
	if err != nil || len(b) != len(k) {
		return Key{}, comuna.Errorf(comuna.EConflict, "the poll book key of round %d does not open with master key %s", roundID, k.Fingerprint())
	}
	var rk Key
	copy(rk[:], b)
	return rk, nil
}
