package translog

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/comuna/comuna/internal/comuna"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// maxCheckpoint bounds a signed checkpoint read from outside.
const maxCheckpoint = 64 << 10

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
	if len(msg) > maxCheckpoint {
		return nil, comuna.Errorf(comuna.EInvalid, "checkpoint is longer than %d bytes", maxCheckpoint)
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

// peekCheckpoint parses a checkpoint note without checking its signature,
// for Mirror, which copies and does not judge.
func peekCheckpoint(msg []byte) (*Checkpoint, error) {
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

// LoadCheckpoint reads the checkpoint a verifier saved at path and checks
// its signature against vkeys. A missing file is an ENotFound error: the
// verifier has not seen this log before.
func LoadCheckpoint(path string, vkeys []string) (*Checkpoint, error) {
	msg, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, comuna.Errorf(comuna.ENotFound, "no checkpoint saved at %s", path)
	}
	if err != nil {
		return nil, err
	}
	c, err := OpenCheckpoint(msg, vkeys)
	if err != nil {
		return nil, comuna.Errorf(comuna.EInvalid, "saved checkpoint %s: %v", path, err)
	}
	return c, nil
}

// SaveCheckpoint writes c's signed note to path, replacing any earlier one
// atomically so that a crash never leaves half a checkpoint.
func SaveCheckpoint(path string, c *Checkpoint) error {
	return writeFileAtomic(path, c.Note)
}

func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
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
