package translog

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
	"golang.org/x/mod/sumdb/note"
)

// GenerateKey returns a new ed25519 key pair named name, in note's text
// formats: skey ("PRIVATE+KEY+name+hash+…") stays with the electoral
// authority; vkey ("name+hash+…") is published with the round.
func GenerateKey(name string) (skey, vkey string, err error) {
	skey, vkey, err = note.GenerateKey(rand.Reader, name)
	if err != nil {
		return "", "", comuna.Errorf(comuna.EInvalid, "key name %q: %v", name, err)
	}
	return skey, vkey, nil
}

// Keys is a log's current signing key and every verifier key ever
// published for it. Rotation never withdraws a key: checkpoints signed by an
// old key stay verifiable, and a verifier accepts a checkpoint signed by any
// key in Verifiers.
type Keys struct {
	Signer    string   // current signer key, note format
	Verifiers []string // published verifier keys, oldest first, note format
}

// Rotate makes a new key pair named name the signing key from now on and
// appends its verifier key to k.Verifiers, which must then be republished.
func (k *Keys) Rotate(name string) error {
	skey, vkey, err := GenerateKey(name)
	if err != nil {
		return err
	}
	k.Signer = skey
	k.Verifiers = append(k.Verifiers, vkey)
	return nil
}

// NewSigner returns a note.Signer for k.Signer, for Log.Checkpoint.
func (k *Keys) NewSigner() (note.Signer, error) {
	s, err := note.NewSigner(k.Signer)
	if err != nil {
		return nil, comuna.Errorf(comuna.EInvalid, "malformed signer key: %v", err)
	}
	return s, nil
}

// Verifiers returns the note.Verifiers for the verifier keys vkeys. A
// malformed key is an EInvalid error.
func Verifiers(vkeys []string) (note.Verifiers, error) {
	list := make([]note.Verifier, 0, len(vkeys))
	for _, k := range vkeys {
		v, err := note.NewVerifier(k)
		if err != nil {
			return nil, comuna.Errorf(comuna.EInvalid, "malformed verifier key %q: %v", k, err)
		}
		list = append(list, v)
	}
	return note.VerifierList(list...), nil
}

// ParseVerifierKeys reads published verifier keys, one per line; blank
// lines and lines starting with '#' are skipped. Every key must parse.
func ParseVerifierKeys(text []byte) ([]string, error) {
	var keys []string
	sc := bufio.NewScanner(bytes.NewReader(text))
	for line := 1; sc.Scan(); line++ {
		k := strings.TrimSpace(sc.Text())
		if k == "" || strings.HasPrefix(k, "#") {
			continue
		}
		if _, err := note.NewVerifier(k); err != nil {
			return nil, &comuna.Error{Code: comuna.EInvalid, Line: line, Message: "malformed verifier key: " + err.Error()}
		}
		keys = append(keys, k)
	}
	if err := sc.Err(); err != nil {
		return nil, comuna.Errorf(comuna.EInvalid, "reading verifier keys: %v", err)
	}
	return keys, nil
}
