package tally

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

// canonicalHeader opens every canonical sheet and names its format version.
const canonicalHeader = "comuna tally sheet v1"

// Canonical returns the sheet's content as deterministic bytes, for hashing
// and for the transparency log: the same sheet always gives the same bytes,
// and two sheets give the same bytes only if every public field is equal.
// Who entered it and its idempotency key are left out, so both agreeing
// entries of a sheet encode the same. Lists keep their order.
//
// The format is UTF-8 text, one field per line, each line ending in "\n",
// in this order:
//
//	comuna tally sheet v1
//	round_id 12
//	table "MESA-0001"
//	circuit "CC-0001"
//	received 300
//	cast 250
//	votes 120 80 30 0
//	blank 12
//	null 8
//	unused 50
//	member "Ana Pérez"          (one line per table member, in order)
//	witness "José Rodríguez"    (one line per witness, in order)
//	photo_sha256 "9f86d0…"      ("" when there is none)
//
// Integers are decimal without leading zeros or plus sign; strings are
// quoted as Go's strconv.Quote does, so any text round-trips.
func (s Sheet) Canonical() []byte {
	b := make([]byte, 0, 256)
	b = append(b, canonicalHeader...)
	b = appendInt(b, "\nround_id ", s.RoundID)
	b = appendString(b, "\ntable ", s.Table)
	b = appendString(b, "\ncircuit ", s.Circuit)
	b = appendInt(b, "\nreceived ", s.Received)
	b = appendInt(b, "\ncast ", s.Cast)
	b = append(b, "\nvotes"...)
	for _, v := range s.Votes {
		b = appendInt(b, " ", v)
	}
	b = appendInt(b, "\nblank ", s.Blank)
	b = appendInt(b, "\nnull ", s.Null)
	b = appendInt(b, "\nunused ", s.Unused)
	for _, m := range s.Members {
		b = appendString(b, "\nmember ", m)
	}
	for _, w := range s.Witnesses {
		b = appendString(b, "\nwitness ", w)
	}
	b = appendString(b, "\nphoto_sha256 ", s.PhotoSHA256)
	return append(b, '\n')
}

func appendInt(b []byte, prefix string, n int64) []byte {
	return strconv.AppendInt(append(b, prefix...), n, 10)
}

func appendString(b []byte, prefix, s string) []byte {
	return strconv.AppendQuote(append(b, prefix...), s)
}

// ParseCanonical reads bytes written by Canonical. It accepts only the
// canonical form — whatever it reads must encode back to exactly the same
// bytes — so a log entry has one meaning. Errors are EInvalid
// *comuna.Error values carrying the line and the field at fault.
func ParseCanonical(data []byte) (Sheet, error) {
	var s Sheet
	if !bytes.HasSuffix(data, []byte("\n")) {
		return Sheet{}, &comuna.Error{Code: comuna.EInvalid, Message: "a canonical sheet ends with a newline"}
	}
	p := parser{lines: strings.Split(string(data[:len(data)-1]), "\n")}
	if p.next() != canonicalHeader {
		return Sheet{}, p.fail("", "not a canonical tally sheet (want %q first)", canonicalHeader)
	}
	s.RoundID = p.int("round_id")
	s.Table = p.string("table")
	s.Circuit = p.string("circuit")
	s.Received = p.int("received")
	s.Cast = p.int("cast")
	s.Votes = p.ints("votes")
	s.Blank = p.int("blank")
	s.Null = p.int("null")
	s.Unused = p.int("unused")
	for p.peek("member") {
		s.Members = append(s.Members, p.string("member"))
	}
	for p.peek("witness") {
		s.Witnesses = append(s.Witnesses, p.string("witness"))
	}
	s.PhotoSHA256 = p.string("photo_sha256")
	if p.err == nil && p.line < len(p.lines) {
		p.line++
		p.fail("", "unexpected line after photo_sha256")
	}
	if p.err != nil {
		return Sheet{}, p.err
	}
	if !bytes.Equal(s.Canonical(), data) {
		return Sheet{}, &comuna.Error{Code: comuna.EInvalid, Message: "the sheet is not in canonical form (numbers or quoting differ from what Canonical writes)"}
	}
	return s, nil
}

// parser reads canonical lines in order, keeping the first error.
type parser struct {
	lines []string
	line  int // lines consumed so far; the current line's number once read
	err   *comuna.Error
}

func (p *parser) next() string {
	if p.line >= len(p.lines) {
		p.line++
		return "\x00eof"
	}
	p.line++
	return p.lines[p.line-1]
}

func (p *parser) fail(field, format string, args ...any) *comuna.Error {
	if p.err == nil {
		p.err = comuna.FieldError(field, format, args...)
		p.err.Line = p.line
	}
	return p.err
}

// value returns the text after "key " on the next line.
func (p *parser) value(key string) (string, bool) {
	if p.err != nil {
		return "", false
	}
	l := p.next()
	if l == key && key == "votes" {
		return "", true
	}
	v, ok := strings.CutPrefix(l, key+" ")
	if !ok {
		p.fail(key, "want the line %q here", key)
	}
	return v, ok
}

func (p *parser) peek(key string) bool {
	return p.err == nil && p.line < len(p.lines) && strings.HasPrefix(p.lines[p.line], key+" ")
}

func (p *parser) int(key string) int64 {
	v, ok := p.value(key)
	if !ok {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		p.fail(key, "%q is not a whole number", v)
	}
	return n
}

func (p *parser) ints(key string) []int64 {
	v, ok := p.value(key)
	if !ok || v == "" {
		return nil
	}
	fields := strings.Split(v, " ")
	out := make([]int64, len(fields))
	for i, f := range fields {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			p.fail(key, "%q is not a whole number", f)
			return nil
		}
		out[i] = n
	}
	return out
}

func (p *parser) string(key string) string {
	v, ok := p.value(key)
	if !ok {
		return ""
	}
	s, err := strconv.Unquote(v)
	if err != nil || !strings.HasPrefix(v, `"`) {
		p.fail(key, "%s must be a quoted string", key)
	}
	return s
}
