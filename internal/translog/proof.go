package translog

import (
	"bytes"

	"github.com/comuna/comuna/internal/comuna"
	"golang.org/x/mod/sumdb/tlog"
)

// maxProof bounds the hashes in a proof: a tree of 2⁶³ records needs
// fewer than 2·63.
const maxProof = 128

// FormatProof encodes an inclusion (tlog.RecordProof) or consistency
// (tlog.TreeProof) proof for serving: one base64 hash per line.
func FormatProof(p []tlog.Hash) []byte {
	var b bytes.Buffer
	for _, h := range p {
		b.WriteString(h.String())
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// ParseProof decodes a proof written by FormatProof. Anything else is an
// EInvalid error.
func ParseProof(text []byte) ([]tlog.Hash, error) {
	if len(text) == 0 {
		return nil, nil
	}
	if text[len(text)-1] != '\n' {
		return nil, comuna.Errorf(comuna.EInvalid, "malformed proof: no final newline")
	}
	lines := bytes.Split(text[:len(text)-1], []byte("\n"))
	if len(lines) > maxProof {
		return nil, comuna.Errorf(comuna.EInvalid, "malformed proof: %d hashes", len(lines))
	}
	p := make([]tlog.Hash, len(lines))
	for i, l := range lines {
		h, err := tlog.ParseHash(string(l))
		if err != nil || h.String() != string(l) {
			return nil, comuna.Errorf(comuna.EInvalid, "malformed proof: line %d is not a hash", i+1)
		}
		p[i] = h
	}
	return p, nil
}
