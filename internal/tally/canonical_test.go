package tally

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

func TestCanonicalGolden(t *testing.T) {
	s := goodSheet()
	s.Witnesses = append(s.Witnesses, "María \"la negra\" Díaz\n")
	s.EnteredBy, s.IdempotencyKey = 7, "not-in-the-encoding"
	want := `comuna tally sheet v1
round_id 12
table "MESA-0001"
circuit "CC-0001"
received 300
cast 250
votes 120 80 30 0
blank 12
null 8
unused 50
member "Ana Pérez"
member "Luis Gómez"
witness "José Rodríguez"
witness "María \"la negra\" Díaz\n"
photo_sha256 "abababababababababababababababababababababababababababababababab"
`
	if got := string(s.Canonical()); got != want {
		t.Errorf("Canonical() =\n%s\nwant\n%s", got, want)
	}
	back, err := ParseCanonical([]byte(want))
	s.EnteredBy, s.IdempotencyKey = 0, ""
	if err != nil || !reflect.DeepEqual(back, s) {
		t.Errorf("ParseCanonical(golden) = %+v, %v; want %+v", back, err, s)
	}
}

func TestCanonicalEmptySheet(t *testing.T) {
	var s Sheet
	want := "comuna tally sheet v1\nround_id 0\ntable \"\"\ncircuit \"\"\nreceived 0\ncast 0\nvotes\nblank 0\nnull 0\nunused 0\nphoto_sha256 \"\"\n"
	if got := string(s.Canonical()); got != want {
		t.Errorf("Canonical() of the zero sheet = %q; want %q", got, want)
	}
	if back, err := ParseCanonical([]byte(want)); err != nil || !reflect.DeepEqual(back, s) {
		t.Errorf("ParseCanonical(zero sheet) = %+v, %v", back, err)
	}
}

func TestCanonicalDistinguishes(t *testing.T) {
	base := goodSheet().Canonical()
	edits := map[string]func(*Sheet){
		"a count":                 func(s *Sheet) { s.Blank++ },
		"a trailing zero vote":    func(s *Sheet) { s.Votes = append(s.Votes, 0) },
		"member order":            func(s *Sheet) { s.Members[0], s.Members[1] = s.Members[1], s.Members[0] },
		"a member as a witness":   func(s *Sheet) { s.Witnesses = append(s.Witnesses, s.Members[1]); s.Members = s.Members[:1] },
		"two names joined in one": func(s *Sheet) { s.Members = []string{"Ana Pérez\nmember \"Luis Gómez\""} },
	}
	for name, edit := range edits {
		s := goodSheet()
		edit(&s)
		if bytes.Equal(s.Canonical(), base) {
			t.Errorf("changing %s leaves Canonical unchanged", name)
		}
	}
}

func TestParseCanonicalRejects(t *testing.T) {
	good := string(goodSheet().Canonical())
	tests := []struct {
		name, data string
		line       int
	}{
		{"empty", "", 0},
		{"no final newline", strings.TrimSuffix(good, "\n"), 0},
		{"another header", strings.Replace(good, "v1", "v2", 1), 1},
		{"a plus sign", strings.Replace(good, "cast 250", "cast +250", 1), 0},
		{"a leading zero", strings.Replace(good, "blank 12", "blank 012", 1), 0},
		{"not a number", strings.Replace(good, "null 8", "null eight", 1), 9},
		{"a bad vote", strings.Replace(good, "votes 120 80", "votes 120 x", 1), 7},
		{"two spaces in votes", strings.Replace(good, "votes 120 80", "votes 120  80", 1), 7},
		{"an unquoted name", strings.Replace(good, `member "Ana Pérez"`, "member Ana Pérez", 1), 11},
		{"a single-quoted character", strings.Replace(good, `table "MESA-0001"`, `table 'M'`, 1), 3},
		{"a needless escape", strings.Replace(good, `"Ana Pérez"`, `"Ana P\u00e9rez"`, 1), 0},
		{"fields out of order", strings.Replace(good, "blank 12\nnull 8", "null 8\nblank 12", 1), 8},
		{"a witness before a member", strings.Replace(good, "member \"Luis Gómez\"\nwitness \"José Rodríguez\"", "witness \"José Rodríguez\"\nmember \"Luis Gómez\"", 1), 13},
		{"a missing field", strings.Replace(good, "unused 50\n", "", 1), 10},
		{"an extra line", good + "extra 1\n", 15},
		{"windows line endings", strings.ReplaceAll(good, "\n", "\r\n"), 1},
	}
	for _, tt := range tests {
		_, err := ParseCanonical([]byte(tt.data))
		if err == nil {
			t.Errorf("%s: ParseCanonical accepted it", tt.name)
			continue
		}
		var e *comuna.Error
		if !asError(err, &e) || e.Code != comuna.EInvalid || e.Line != tt.line {
			t.Errorf("%s: ParseCanonical error %v (line %d); want invalid at line %d", tt.name, err, lineOf(e), tt.line)
		}
	}
}

func asError(err error, target **comuna.Error) bool {
	e, ok := err.(*comuna.Error)
	*target = e
	return ok
}

func lineOf(e *comuna.Error) int {
	if e == nil {
		return -1
	}
	return e.Line
}

// FuzzCanonical checks that ParseCanonical never panics, that whatever it
// accepts encodes back to the same bytes, and that any sheet built from the
// fuzzer's values round-trips through Canonical.
func FuzzCanonical(f *testing.F) {
	f.Add(goodSheet().Canonical(), int64(1), "MESA", "Ana", int64(-5))
	f.Add(Sheet{}.Canonical(), int64(0), "", "\xff\n\"", int64(0))
	f.Add([]byte("comuna tally sheet v1\n"), int64(-1), "a b", "x", int64(1<<62))
	f.Fuzz(func(t *testing.T, data []byte, n int64, code, name string, count int64) {
		if s, err := ParseCanonical(data); err == nil {
			if got := s.Canonical(); !bytes.Equal(got, data) {
				t.Fatalf("ParseCanonical(%q) accepted bytes that encode back as %q", data, got)
			}
		}
		s := Sheet{
			RoundID: n, Table: code, Circuit: name + code, Received: count, Cast: -count,
			Votes: []int64{count, n}, Members: []string{name, code}, Witnesses: []string{name},
			PhotoSHA256: code,
		}
		if count%2 == 0 {
			s.Votes, s.Witnesses = nil, nil
		}
		back, err := ParseCanonical(s.Canonical())
		if err != nil {
			t.Fatalf("ParseCanonical(Canonical(%+v)) failed: %v", s, err)
		}
		if !reflect.DeepEqual(back, s) {
			t.Fatalf("round trip changed the sheet:\ngot  %+v\nwant %+v", back, s)
		}
	})
}
