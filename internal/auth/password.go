// Package auth holds the small pieces of authentication that need care:
// password hashing with argon2id, random session and API tokens stored
// only as hashes, and a rate limiter for login attempts. It knows nothing
// of HTTP or storage.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters written into every hash, so a
// later change of defaults still verifies old hashes.
type Params struct {
	Time    uint32 // passes over memory
	Memory  uint32 // KiB
	Threads uint8
	KeyLen  uint32
	SaltLen uint32
}

// DefaultParams are OWASP's argon2id minimum (19 MiB, two passes, one
// lane): about 45 ms on this project's two-core server, where 64 MiB
// cost 300 ms and would let a burst of logins exhaust memory.
var DefaultParams = Params{Time: 2, Memory: 19 * 1024, Threads: 1, KeyLen: 32, SaltLen: 16}

// MinPasswordLen is the shortest password HashPassword accepts.
const MinPasswordLen = 12

// ErrShortPassword is returned for a password shorter than MinPasswordLen.
var ErrShortPassword = fmt.Errorf("a password needs at least %d characters", MinPasswordLen)

// HashPassword hashes pw with argon2id and DefaultParams and returns a
// PHC-style string: $argon2id$v=19$m=19456,t=2,p=1$salt$key.
func HashPassword(pw string) (string, error) {
	return HashPasswordParams(pw, DefaultParams)
}

// HashPasswordParams is HashPassword with explicit parameters, for tests
// and for tuning.
func HashPasswordParams(pw string, p Params) (string, error) {
	if len([]rune(pw)) < MinPasswordLen {
		return "", ErrShortPassword
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches hash, comparing in constant
// time. A malformed hash never matches.
func CheckPassword(hash, pw string) bool {
	p, salt, key, err := decodeHash(hash)
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// dummyHash is checked against when a login names an unknown user, so
// that the answer takes as long as for a known one.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPasswordParams("not-a-real-password", DefaultParams)
	return h
})

// CheckNoPassword spends the time CheckPassword would, for a login whose
// username does not exist; it always returns false.
func CheckNoPassword(pw string) bool {
	CheckPassword(dummyHash(), pw)
	return false
}

var errBadHash = errors.New("malformed password hash")

func decodeHash(hash string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, errBadHash
	}
	if p.Time == 0 || p.Threads == 0 || p.Memory < 8*uint32(p.Threads) || p.Memory > 4*1024*1024 {
		return p, nil, nil, errBadHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, errBadHash
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 128 {
		return p, nil, nil, errBadHash
	}
	return p, salt, key, nil
}
