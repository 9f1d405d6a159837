package translog

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func TestEncodeRecord(t *testing.T) {
	got, err := EncodeRecord("tally-sheet", []byte("a\nb"))
	if want := "comuna-record v1\ntally-sheet\n3\na\nb"; err != nil || string(got) != want {
		t.Errorf("EncodeRecord = %q, %v; want %q", got, err, want)
	}
	for _, kind := range []string{"", "Tally", "tally sheet", "kind\n", strings.Repeat("k", 65)} {
		if _, err := EncodeRecord(kind, nil); comuna.ErrorCode(err) != comuna.EInvalid {
			t.Errorf("EncodeRecord(%q): error %v, want code %s", kind, err, comuna.EInvalid)
		}
	}
	if _, err := EncodeRecord("ballot", make([]byte, MaxRecordSize+1)); comuna.ErrorCode(err) != comuna.EInvalid {
		t.Errorf("EncodeRecord(too long): error %v, want code %s", err, comuna.EInvalid)
	}
}

func TestDecodeRecord(t *testing.T) {
	for _, body := range []string{"", "x", "comuna-record v1\nphase\n0\n", strings.Repeat("\x00\n", 1000)} {
		enc, _ := EncodeRecord("phase", []byte(body))
		kind, got, err := DecodeRecord(enc)
		if err != nil || kind != "phase" || string(got) != body {
			t.Errorf("DecodeRecord(EncodeRecord(phase, %.20q)) = %q, %.20q, %v", body, kind, got, err)
		}
	}
	for _, in := range []string{
		"",
		"comuna-record v2\nphase\n1\nx",
		"comuna-record v1\nphase\n2\nx",      // short
		"comuna-record v1\nphase\n1\nxy",     // trailing bytes
		"comuna-record v1\nphase\n01\nx",     // leading zero
		"comuna-record v1\nphase\n+1\nx",     // sign
		"comuna-record v1\nPhase\n1\nx",      // kind case
		"comuna-record v1\n\n1\nx",           // empty kind
		"comuna-record v1\nphase\n1",         // no body line
		"comuna-record v1\nphase\n9999999\n", // over the limit
	} {
		if _, _, err := DecodeRecord([]byte(in)); comuna.ErrorCode(err) != comuna.EInvalid {
			t.Errorf("DecodeRecord(%q): error %v, want code %s", in, err, comuna.EInvalid)
		}
	}
}

func FuzzDecodeRecord(f *testing.F) {
	f.Add([]byte("comuna-record v1\ntally-sheet\n3\nabc"))
	f.Add([]byte("comuna-record v1\nx\n0\n"))
	f.Add([]byte("comuna-record v1\nx\n00\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		kind, body, err := DecodeRecord(data)
		if err != nil {
			if comuna.ErrorCode(err) != comuna.EInvalid {
				t.Fatalf("DecodeRecord(%q): error %v has code %s, want %s", data, err, comuna.ErrorCode(err), comuna.EInvalid)
			}
			return
		}
		enc, err := EncodeRecord(kind, body)
		if err != nil || !bytes.Equal(enc, data) {
			t.Fatalf("EncodeRecord(DecodeRecord(%q)) = %q, %v; the encoding is not canonical", data, enc, err)
		}
	})
}

func TestParseCheckpoint(t *testing.T) {
	tree := tlog.Tree{N: 16000, Hash: tlog.RecordHash([]byte("x"))}
	text, err := FormatCheckpoint(testOrigin, tree)
	if err != nil {
		t.Fatal(err)
	}
	if want := testOrigin + "\n16000\n" + tree.Hash.String() + "\n"; string(text) != want {
		t.Errorf("FormatCheckpoint = %q, want %q", text, want)
	}
	origin, got, err := ParseCheckpoint(text)
	if err != nil || origin != testOrigin || got != tree {
		t.Errorf("ParseCheckpoint = %q, %v, %v; want %q, %v", origin, got, err, testOrigin, tree)
	}
	for _, in := range []string{"", testOrigin, testOrigin + "\n-1\n" + tree.Hash.String() + "\n", "\n1\n" + tree.Hash.String() + "\n", testOrigin + "\n1\nAAAA\n", testOrigin + "\n01\n" + tree.Hash.String() + "\n"} {
		if _, _, err := ParseCheckpoint([]byte(in)); comuna.ErrorCode(err) != comuna.EInvalid {
			t.Errorf("ParseCheckpoint(%q): error %v, want code %s", in, err, comuna.EInvalid)
		}
	}
	if _, err := FormatCheckpoint("two\nlines", tree); comuna.ErrorCode(err) != comuna.EInvalid {
		t.Errorf("FormatCheckpoint(origin with a newline): error %v, want code %s", err, comuna.EInvalid)
	}
}

// FuzzOpenCheckpoint feeds untrusted bytes to the checkpoint reader: it must
// never panic, must accept only notes signed by the test key, and must
// round-trip what it accepts.
func FuzzOpenCheckpoint(f *testing.F) {
	// A fixed test key, so the corpus stays valid between runs.
	skey := "PRIVATE+KEY+comuna.example+dcae1db3+AQDUnYKW4pjqJG2Z+Yjl0F0o8V+tf4NUyTwx6jdBIHpA"
	vkey := "comuna.example+dcae1db3+Acp9Xe+/LNHz2ffZmFjdi0fgqtvb9O/j6NMBLwZW+Ofv"
	signer, err := note.NewSigner(skey)
	if err != nil {
		f.Fatal(err)
	}
	tl := newTestLog(f)
	tl.signer = signer
	tl.fill(f, 0, 3, 3, "")
	good, err := tl.Checkpoint(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(testOrigin + "\n3\nAAAA\n\n— comuna.example tLX4xA==\n"))
	f.Add([]byte("go.sum database tree\n1\n\n"))
	f.Fuzz(func(t *testing.T, msg []byte) {
		c, err := OpenCheckpoint(msg, []string{vkey})
		if err != nil {
			if comuna.ErrorCode(err) != comuna.EInvalid {
				t.Fatalf("OpenCheckpoint(%q): error %v has code %s, want %s", msg, err, comuna.ErrorCode(err), comuna.EInvalid)
			}
			return
		}
		text, err := FormatCheckpoint(c.Origin, c.Tree)
		if err != nil || !bytes.HasPrefix(msg, text) {
			t.Fatalf("accepted checkpoint %q does not start with its own text %q (%v)", msg, text, err)
		}
		if c.Tree.N < 0 {
			t.Fatalf("accepted a negative size in %q", msg)
		}
	})
}

func FuzzParseCheckpoint(f *testing.F) {
	f.Add([]byte(testOrigin + "\n16000\n" + tlog.Hash{}.String() + "\n"))
	f.Add([]byte("a\n1\n" + tlog.Hash{}.String() + "\nextension line\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		origin, tree, err := ParseCheckpoint(text)
		if err != nil {
			return
		}
		again, err := FormatCheckpoint(origin, tree)
		if err != nil || !bytes.HasPrefix(text, again) {
			t.Fatalf("ParseCheckpoint(%q) = %q, %v, which formats as %q (%v)", text, origin, tree, again, err)
		}
	})
}
