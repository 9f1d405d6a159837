package record

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// writer builds a canonical body one line at a time.
type writer struct{ b []byte }

func newWriter(kind string) *writer {
	w := &writer{b: make([]byte, 0, 256)}
	w.b = append(w.b, "comuna "+kind+" v1\n"...)
	return w
}

func (w *writer) int(key string, n int64) {
	w.b = strconv.AppendInt(append(w.b, key+" "...), n, 10)
	w.b = append(w.b, '\n')
}

func (w *writer) str(key, s string) {
	w.b = strconv.AppendQuote(append(w.b, key+" "...), s)
	w.b = append(w.b, '\n')
}

func (w *writer) raw(key, v string) {
	w.b = append(w.b, key+" "+v+"\n"...)
}

func (w *writer) time(key string, t time.Time) { w.raw(key, formatTime(t)) }

// reader reads the lines of a body in order, keeping the first error.
type reader struct {
	kind  string
	lines []string
	line  int // lines consumed; the current line's number once read
	err   *comuna.Error
}

// newReader checks the header line of a kind's body.
func newReader(kind string, body []byte) *reader {
	r := &reader{kind: kind}
	if !bytes.HasSuffix(body, []byte("\n")) {
		r.err = comuna.Errorf(comuna.EInvalid, "a %s record ends with a newline", kind)
		return r
	}
	r.lines = strings.Split(string(body[:len(body)-1]), "\n")
	if r.next() != "comuna "+kind+" v1" {
		r.fail("", "not a %s record (want %q first)", kind, "comuna "+kind+" v1")
	}
	return r
}

func (r *reader) next() string {
	r.line++
	if r.line > len(r.lines) {
		return "\x00eof"
	}
	return r.lines[r.line-1]
}

func (r *reader) fail(field, format string, args ...any) {
	if r.err == nil {
		r.err = comuna.FieldError(field, r.kind+" record: "+format, args...)
		r.err.Line = r.line
	}
}

// peek reports whether the next line is a key's.
func (r *reader) peek(key string) bool {
	return r.err == nil && r.line < len(r.lines) && strings.HasPrefix(r.lines[r.line], key+" ")
}

// more reports whether lines remain.
func (r *reader) more() bool { return r.err == nil && r.line < len(r.lines) }

func (r *reader) raw(key string) string {
	if r.err != nil {
		return ""
	}
	v, ok := strings.CutPrefix(r.next(), key+" ")
	if !ok {
		r.fail(key, "want the line %q here", key)
	}
	return v
}

func (r *reader) int(key string) int64 {
	v := r.raw(key)
	if r.err != nil {
		return 0
	}
	return r.parseInt(key, v)
}

func (r *reader) parseInt(key, v string) int64 {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		r.fail(key, "%q is not a whole number", v)
	}
	return n
}

func (r *reader) str(key string) string {
	v := r.raw(key)
	if r.err != nil {
		return ""
	}
	return r.unquote(key, v)
}

func (r *reader) unquote(key, v string) string {
	s, err := strconv.Unquote(v)
	if err != nil || !strings.HasPrefix(v, `"`) {
		r.fail(key, "%s must be a quoted string", key)
	}
	return s
}

func (r *reader) time(key string) time.Time {
	v := r.raw(key)
	if r.err != nil {
		return time.Time{}
	}
	t, err := time.Parse(timeLayout, v)
	if err != nil {
		r.fail(key, "%q is not a UTC time like 2025-04-27T18:00:00.000Z", v)
	}
	return t.UTC()
}

// done fails if lines remain, then returns the first error.
func (r *reader) done() error {
	if r.more() {
		r.line++
		r.fail("", "unexpected line %q", r.lines[r.line-1])
	}
	if r.err != nil {
		return r.err
	}
	return nil
}

// canonical checks that what was read encodes back to body.
func canonical(kind string, body, again []byte) error {
	if !bytes.Equal(body, again) {
		return comuna.Errorf(comuna.EInvalid, "the %s record is not in canonical form (numbers, quoting or order differ from what the encoder writes)", kind)
	}
	return nil
}
