package translog

import (
	"bytes"
	"strconv"

	"github.com/comuna/comuna/internal/comuna"
)

// recordMagic opens every record envelope. A future incompatible envelope
// changes the version, so old records keep their meaning and their hash.
const recordMagic = "comuna-record v1\n"

// MaxRecordSize bounds a record's body; a tally sheet or a ballot is a few
// kilobytes, so anything larger is refused rather than logged.
const MaxRecordSize = 1 << 20

// maxKind bounds the length of a record kind.
const maxKind = 64

// EncodeRecord wraps body in Comuna's canonical record envelope:
//
//	comuna-record v1\n
//	<kind>\n
//	<len(body) in decimal, no leading zeros>\n
//	<body>
//
// The kind ("tally-sheet", "correction", "ballot", "phase", …) is 1 to 64
// bytes of lower-case ASCII letters, digits and '-'. The length makes the
// envelope unambiguous whatever bytes the body holds, so equal inputs always
// give equal bytes and so equal leaf hashes. EncodeRecord returns an
// EInvalid error for a bad kind or a body over MaxRecordSize.
func EncodeRecord(kind string, body []byte) ([]byte, error) {
	if !validKind(kind) {
		return nil, comuna.Errorf(comuna.EInvalid, "record kind %q is not 1-%d lower-case letters, digits or '-'", kind, maxKind)
	}
	if len(body) > MaxRecordSize {
		return nil, comuna.Errorf(comuna.EInvalid, "record body of %d bytes exceeds %d", len(body), MaxRecordSize)
	}
	b := make([]byte, 0, len(recordMagic)+len(kind)+12+len(body))
	b = append(b, recordMagic...)
	b = append(b, kind...)
	b = append(b, '\n')
	b = strconv.AppendInt(b, int64(len(body)), 10)
	b = append(b, '\n')
	return append(b, body...), nil
}

// DecodeRecord parses a record made by EncodeRecord, returning its kind and
// body (a sub-slice of data). It accepts only the canonical form: any other
// input, including trailing bytes, is an EInvalid error, so that a record
// that decodes also re-encodes to exactly the same bytes.
func DecodeRecord(data []byte) (kind string, body []byte, err error) {
	bad := func(why string) (string, []byte, error) {
		return "", nil, comuna.Errorf(comuna.EInvalid, "malformed record: %s", why)
	}
	rest, ok := bytes.CutPrefix(data, []byte(recordMagic))
	if !ok {
		return bad("it does not start with " + strconv.Quote(recordMagic))
	}
	k, rest, ok := bytes.Cut(rest, []byte("\n"))
	if !ok || !validKind(string(k)) {
		return bad("bad kind")
	}
	l, rest, ok := bytes.Cut(rest, []byte("\n"))
	if !ok || len(l) == 0 || len(l) > 7 || (l[0] == '0' && len(l) > 1) {
		return bad("bad length")
	}
	n := 0
	for _, c := range l {
		if c < '0' || c > '9' {
			return bad("bad length")
		}
		n = n*10 + int(c-'0')
	}
	if n > MaxRecordSize {
		return bad("body too long")
	}
	if len(rest) != n {
		return bad("body is " + strconv.Itoa(len(rest)) + " bytes, not " + strconv.Itoa(n))
	}
	return string(k), rest, nil
}

func validKind(kind string) bool {
	if kind == "" || len(kind) > maxKind {
		return false
	}
	for i := 0; i < len(kind); i++ {
		c := kind[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
