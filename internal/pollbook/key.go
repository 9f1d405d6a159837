package pollbook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

// Key is the electoral authority's secret for hashing documents. Whoever
// holds it can test any document against the stored hashes, so it lives
// outside the database (a file or an environment variable of the server)
// and is destroyed with the check-ins once results are final.
type Key [32]byte

// hashDomain separates document hashes from any other use of the key.
const hashDomain = "comuna/pollbook/v1"

// NewKey returns a fresh random key from crypto/rand.
func NewKey() Key {
	var k Key
	rand.Read(k[:]) // never fails: crypto/rand.Read crashes the program instead
	return k
}

// ParseKey reads a key written as 64 hexadecimal digits or as base64
// (standard or URL alphabet, with or without padding) of 32 bytes. An
// all-zero key is refused: it is what an unset key looks like.
func ParseKey(s string) (Key, error) {
	var k Key
	s = strings.TrimSpace(s)
	var b []byte
	var err error
	if len(s) == 2*len(k) {
		b, err = hex.DecodeString(s)
	} else {
		b, err = decodeBase64(s)
	}
	if err != nil || len(b) != len(k) {
		return Key{}, comuna.FieldError("key", "a poll-book key is 64 hexadecimal digits or 32 bytes in base64")
	}
	copy(k[:], b)
	if k == (Key{}) {
		return Key{}, comuna.FieldError("key", "the poll-book key is all zeros")
	}
	return k, nil
}

func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "-_") {
		return base64.RawURLEncoding.DecodeString(s)
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// Hex returns the key as 64 lower-case hexadecimal digits, for a key file.
func (k Key) Hex() string { return hex.EncodeToString(k[:]) }

// Base64 returns the key in padded standard base64, for a key file.
func (k Key) Base64() string { return base64.StdEncoding.EncodeToString(k[:]) }

// String hides the key, so that printing or logging a value that holds one
// never leaks it; it shows the Fingerprint instead.
func (k Key) String() string { return "pollbook.Key(" + k.Fingerprint() + ")" }

// GoString hides the key from %#v as String does.
func (k Key) GoString() string { return k.String() }

// Fingerprint returns 16 hexadecimal digits that identify the key without
// revealing it, so operators can check that every server loaded the same
// key.
func (k Key) Fingerprint() string {
	m := hmac.New(sha256.New, k[:])
	m.Write([]byte(hashDomain + "/fingerprint"))
	return hex.EncodeToString(m.Sum(nil)[:8])
}

// Hash returns the keyed hash of a document in a round: HMAC-SHA256 under
// k of an unambiguous encoding,
//
//	"comuna/pollbook/v1" 0x00
//	round id      (8 bytes, big-endian two's complement)
//	type length   (1 byte) type   (ASCII)
//	number length (1 byte) number (ASCII)
//
// The store keeps only this value, with a unique index on (round, hash),
// which enforces one check-in per document per round. d must come from
// Normalize or ParseDocument; the zero Document hashes to a value no real
// document has.
func (k Key) Hash(roundID int64, d Document) [32]byte {
	// HMAC (RFC 2104) written out so that nothing escapes to the heap:
	// SHA-256(k^opad || SHA-256(k^ipad || message)).
	const block = 64
	var buf [block + 128]byte
	for i := range block {
		buf[i] = 0x36
		if i < len(k) {
			buf[i] ^= k[i]
		}
	}
	inner := sha256.Sum256(message(buf[:block], roundID, d))
	var outer [block + sha256.Size]byte
	for i := range block {
		outer[i] = 0x5c
		if i < len(k) {
			outer[i] ^= k[i]
		}
	}
	copy(outer[block:], inner[:])
	return sha256.Sum256(outer[:])
}

// message appends the encoding Hash documents to b.
func message(b []byte, roundID int64, d Document) []byte {
	b = append(b, hashDomain...)
	b = append(b, 0)
	b = binary.BigEndian.AppendUint64(b, uint64(roundID))
	b = append(b, byte(len(d.typ)))
	b = append(b, d.typ...)
	b = append(b, byte(len(d.number)))
	return append(b, d.number...)
}
