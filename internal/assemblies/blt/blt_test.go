package blt

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

func TestReadEqualRankingsAndNicks(t *testing.T) {
	fh, err := os.Open("testdata/eq2.blt")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	e, err := Read(fh)
	if err != nil {
		t.Fatal(err)
	}
	if e.Seats != 2 || e.Candidates() != 4 || e.Title != "simple election with equal rankings" {
		t.Fatalf("header: seats %d candidates %d title %q", e.Seats, e.Candidates(), e.Title)
	}
	want := []Ballot{
		{Weight: 5, Prefs: []int{0, 1, 2, 3}, Rank: []int{0, 1, 1, 2}, Line: 3},
		{Weight: 1, Prefs: []int{1, 2, 0}, Rank: []int{0, 0, 1}, Line: 4},
		{Weight: 3, Prefs: []int{2, 3, 1, 0}, Rank: []int{0, 0, 1, 1}, Line: 5},
		{Weight: 2, Prefs: []int{1, 0, 3, 2}, Rank: []int{0, 1, 1, 2}, Line: 6},
	}
	if !reflect.DeepEqual(e.Ballots, want) {
		t.Errorf("ballots\n got %+v\nwant %+v", e.Ballots, want)
	}
	if got := e.Ballots[2].Ranks(); !reflect.DeepEqual(got, [][]int{{2, 3}, {1, 0}}) {
		t.Errorf("ranks %v", got)
	}
	if !reflect.DeepEqual(e.Nicks, []string{"a", "b", "c", "d"}) {
		t.Errorf("nicks %q", e.Nicks)
	}
	if e.TotalWeight() != 11 {
		t.Errorf("total weight %d, want 11", e.TotalWeight())
	}
}

func TestReadWithdrawnTieAndNames(t *testing.T) {
	src := `4 2
-3
[nick x y z w]
[tie w x y z]
2 x y 0
(b7) 1 z w 0
1  y   0
0
"Ana  María"
"Bea" "Carla"
"Dora"
"A title"
`
	e, err := Read(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(e.Withdrawn, []int{2}) || !e.IsWithdrawn(2) || e.IsWithdrawn(0) {
		t.Errorf("withdrawn %v", e.Withdrawn)
	}
	if !reflect.DeepEqual(e.Tie, []int{3, 0, 1, 2}) {
		t.Errorf("tie %v", e.Tie)
	}
	if !reflect.DeepEqual(e.Names, []string{"Ana María", "Bea", "Carla", "Dora"}) {
		t.Errorf("names %q", e.Names)
	}
	if len(e.Ballots) != 3 || e.Ballots[1].Prefs[1] != 3 || e.Ballots[1].HasEqualRanks() {
		t.Errorf("ballots %+v", e.Ballots)
	}
}

func TestReadErrorsNameTheLine(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"empty", "", 1, "empty file"},
		{"header", "3\n", 1, "candidates seats"},
		{"seats", "2 3\n0\n\"a\"\n\"b\"\n", 1, "3 seats for 2"},
		{"twice", "3 1\n1 1 2 1 0\n0\n\"a\"\n\"b\"\n\"c\"\n", 2, "ranks candidate 1 twice"},
		{"equal twice", "3 1\n1 1=1 0\n0\n\"a\"\n\"b\"\n\"c\"\n", 2, "twice"},
		{"range", "3 1\n1 1 4 0\n0\n\"a\"\n\"b\"\n\"c\"\n", 2, "from 1 to 3"},
		{"no zero", "3 1\n1 1 2\n0\n\"a\"\n\"b\"\n\"c\"\n", 2, "end with 0"},
		{"weight", "3 1\n-x\n", 2, "withdrawn"},
		{"bad weight", "3 1\n1.5 1 0\n0\n", 2, "weight"},
		{"option", "3 1\n[foo]\n", 2, "unknown option"},
		{"nick count", "3 1\n[nick a b]\n", 2, "2 names for 3"},
		{"unknown nick", "2 1\n[nick a b]\n1 a c 0\n0\n\"A\"\n\"B\"\n", 3, "nick"},
		{"no end", "3 1\n1 1 0\n", 3, "ends before"},
		{"names", "3 1\n1 1 0\n0\n\"a\"\n\"b\"\n", 6, "2 candidate names for 3"},
		{"unquoted", "2 1\n1 1 0\n0\n\"a\"\nb\n", 5, "quoted"},
		{"unclosed", "2 1\n1 1 0\n0\n\"a\n", 4, "closing quote"},
		{"extra", "2 1\n1 1 0\n0\n\"a\"\n\"b\"\n\"t\"\n\"x\"\n", 7, "after the title"},
		{"tie twice", "2 1\n[tie 1 1]\n", 2, "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.src))
			var ce *comuna.Error
			if !errors.As(err, &ce) {
				t.Fatalf("err %v, want a *comuna.Error", err)
			}
			if ce.Line != tt.line || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got line %d %q, want line %d containing %q", ce.Line, err, tt.line, tt.msg)
			}
		})
	}
}

func TestWriteRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.blt")
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		e, err := Read(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, e); err != nil {
			t.Fatal(err)
		}
		e2, err := Read(&buf)
		if err != nil {
			t.Fatalf("%s: reading what Write wrote: %v\n%s", path, err, buf.String())
		}
		clearLines(e)
		clearLines(e2)
		if !reflect.DeepEqual(e, e2) {
			t.Errorf("%s: round trip differs\n got %+v\nwant %+v", path, e2, e)
		}
	}
}

func clearLines(e *Election) {
	for i := range e.Ballots {
		e.Ballots[i].Line = 0
	}
}

// FuzzRead checks that the reader never panics, that every error names a
// line, and that what it accepts survives a write and a second read.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.blt")
	for _, path := range files {
		data, _ := os.ReadFile(path)
		f.Add(data)
	}
	f.Add([]byte("2 1\n-1\n[tie 2 1]\n1 2 0\n0\n\"a\"\n\"b\"\n\"t\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Read(bytes.NewReader(data))
		if err != nil {
			var ce *comuna.Error
			if errors.As(err, &ce) && ce.Line <= 0 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		for _, n := range append(slicesClone(e.Names), e.Title) {
			if strings.ContainsAny(n, "\"\n") {
				return // not representable in BLT; Write replaces such quotes
			}
		}
		var buf bytes.Buffer
		if err := Write(&buf, e); err != nil {
			t.Fatal(err)
		}
		e2, err := Read(&buf)
		if err != nil {
			t.Fatalf("re-read: %v\n%s", err, buf.String())
		}
		clearLines(e)
		clearLines(e2)
		if !reflect.DeepEqual(e, e2) {
			t.Fatalf("round trip differs\n got %+v\nwant %+v", e2, e)
		}
	})
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }
