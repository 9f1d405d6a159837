package translog

import (
	"bytes"
	"errors"
	"unicode/utf8"

	"github.com/comuna/comuna/internal/comuna"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// MaxCheckpointSize bounds a signed checkpoint read from outside.
const MaxCheckpointSize = 64 << 10

// A Checkpoint is a signed statement of a log's size and Merkle tree hash.
// Its text is tlog's tree format (tlog.FormatTree) with the first line
// naming the log instead of "go.sum database tree" — the C2SP
// tlog-checkpoint format:
//
//	comuna.example/round/7
//	16000
//	<tree hash in base64>
//
// The text is wrapped in a note signed with the log's ed25519 key.
type Checkpoint struct {
	Origin string    // the log's name, the text's first line
	Tree   tlog.Tree // the number of records and the tree hash
	Note   []byte    // the signed note as published
}

// FormatCheckpoint returns the unsigned checkpoint text of tree for the log
// named origin.
func FormatCheckpoint(origin string, tree tlog.Tree) ([]byte, error) {
	if err := checkOrigin(origin); err != nil {
		return nil, err
	}
	text := tlog.FormatTree(tree)
	_, rest, _ := bytes.Cut(text, []byte("\n"))
	return append([]byte(origin+"\n"), rest...), nil
}

// ParseCheckpoint parses unsigned checkpoint text, as found inside a signed
// note. Lines after the tree hash are ignored, as tlog.ParseTree does, for
// forward compatibility. Malformed text is an EInvalid error.
func ParseCheckpoint(text []byte) (origin string, tree tlog.Tree, err error) {
	o, rest, ok := bytes.Cut(text, []byte("\n"))
	if !ok {
		return "", tlog.Tree{}, comuna.Errorf(comuna.EInvalid, "malformed checkpoint: no origin line")
	}
	if err := checkOrigin(string(o)); err != nil {
		return "", tlog.Tree{}, err
	}
	tree, err = tlog.ParseTree(append([]byte("go.sum database tree\n"), rest...))
	if err != nil {
		return "", tlog.Tree{}, comuna.Errorf(comuna.EInvalid, "malformed checkpoint: %v", err)
	}
	return string(o), tree, nil
}

// OpenCheckpoint checks that msg is a checkpoint note signed by at least
// one of the verifier keys vkeys and parses it. A bad or missing signature
// or malformed text is an EInvalid error.
func OpenCheckpoint(msg []byte, vkeys []string) (*Checkpoint, error) {
	if len(msg) > MaxCheckpointSize {
		return nil, comuna.Errorf(comuna.EInvalid, "checkpoint is longer than %d bytes", MaxCheckpointSize)
	}
	verifiers, err := Verifiers(vkeys)
	if err != nil {
		return nil, err
	}
	n, err := note.Open(msg, verifiers)
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		switch {
		case errors.As(err, &unverified):
			return nil, comuna.Errorf(comuna.EInvalid, "checkpoint is not signed by any published key")
		case errors.As(err, &invalid):
			return nil, comuna.Errorf(comuna.EInvalid, "checkpoint has a bad signature by key %s", invalid.Name)
		}
		return nil, comuna.Errorf(comuna.EInvalid, "malformed checkpoint note: %v", err)
	}
	origin, tree, err := ParseCheckpoint([]byte(n.Text))
	if err != nil {
		return nil, err
	}
	return &Checkpoint{Origin: origin, Tree: tree, Note: append([]byte(nil), msg...)}, nil
}

// PeekCheckpoint parses a checkpoint note without checking its
// signature, for a mirror, which copies and does not judge.
func PeekCheckpoint(msg []byte) (*Checkpoint, error) {
	n, err := note.Open(msg, nil)
	var unverified *note.UnverifiedNoteError
	if !errors.As(err, &unverified) {
		return nil, comuna.Errorf(comuna.EInvalid, "malformed checkpoint note: %v", err)
	}
	n = unverified.Note
	origin, tree, err := ParseCheckpoint([]byte(n.Text))
	if err != nil {
		return nil, err
	}
	return &Checkpoint{Origin: origin, Tree: tree, Note: msg}, nil
}

// checkOrigin accepts a log name that fits on one line of a note: 1 to 256
// bytes of printable UTF-8 without leading or trailing spaces.
func checkOrigin(origin string) error {
	bad := origin == "" || len(origin) > 256 || !utf8.ValidString(origin) ||
		origin[0] == ' ' || origin[len(origin)-1] == ' '
	for _, r := range origin {
		if r < 0x20 || r == 0x7f {
			bad = true
		}
	}
	if bad {
		return comuna.Errorf(comuna.EInvalid, "log name %q must be 1-256 printable characters on one line", origin)
	}
	return nil
}
