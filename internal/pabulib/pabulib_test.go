package pabulib

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/refdata"
)

// fixtures are the small reference set's .pb files (testdata/pabulib),
// and the full corpus's when it is available (refdata.Full logs a skip).
func fixtures(t testing.TB) []string {
	t.Helper()
	small := refdata.Small(t, "pabulib")
	files, err := filepath.Glob(filepath.Join(small, "*.pb"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .pb fixtures in %s (err %v)", small, err)
	}
	if full := refdata.Full(t, "pabulib"); full != "" {
		more, err := filepath.Glob(filepath.Join(full, "*.pb"))
		if err != nil || len(more) == 0 {
			t.Fatalf("no .pb fixtures in %s (err %v)", full, err)
		}
		files = append(files, more...)
	}
	return files
}

func readFile(t testing.TB, path string) *File {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := Read(fh)
	if err != nil {
		t.Fatalf("Read(%s): %v", filepath.Base(path), err)
	}
	return f
}

func TestReadFixtures(t *testing.T) {
	for _, path := range fixtures(t) {
		f := readFile(t, path)
		name := filepath.Base(path)
		for key, got := range map[string]int{"num_projects": len(f.Projects), "num_votes": len(f.Votes)} {
			if v, ok := f.MetaValue(key); ok {
				want, _ := strconv.Atoi(strings.TrimSpace(v))
				if got != want {
					t.Errorf("%s: %s = %d, META says %d", name, key, got, want)
				}
			}
		}
		if _, _, err := f.Election(); err != nil {
			t.Errorf("%s: Election: %v", name, err)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, path := range fixtures(t) {
		f := readFile(t, path)
		var buf bytes.Buffer
		if err := Write(&buf, f); err != nil {
			t.Fatalf("%s: Write: %v", filepath.Base(path), err)
		}
		g, err := Read(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("%s: reading written file: %v", filepath.Base(path), err)
		}
		if !equivalent(f, g) {
			t.Errorf("%s: written file reads back differently", filepath.Base(path))
		}
		var again bytes.Buffer
		if err := Write(&again, g); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), again.Bytes()) {
			t.Errorf("%s: Write is not stable across a second round trip", filepath.Base(path))
		}
	}
}

// equivalent compares two files as data: line numbers aside, and the
// columns Write regenerates (project_id, cost, voter_id, vote, points)
// compared through their typed values.
func equivalent(a, b *File) bool {
	if a.CRLF != b.CRLF || len(a.Meta) != len(b.Meta) || len(a.Projects) != len(b.Projects) || len(a.Votes) != len(b.Votes) ||
		!slices.Equal(a.ProjectColumns, b.ProjectColumns) || !slices.Equal(a.VoteColumns, b.VoteColumns) {
		return false
	}
	for i := range a.Meta {
		if a.Meta[i].Key != b.Meta[i].Key || a.Meta[i].Value != b.Meta[i].Value {
			return false
		}
	}
	raw := func(cols []string, x, y []string, skip ...string) bool {
		for c, name := range cols {
			if slices.Contains(skip, strings.ToLower(name)) {
				continue
			}
			if x[c] != y[c] {
				return false
			}
		}
		return true
	}
	for i := range a.Projects {
		p, q := &a.Projects[i], &b.Projects[i]
		if p.ID != q.ID || p.Cost.Cmp(q.Cost) != 0 || !raw(a.ProjectColumns, p.Fields, q.Fields, "project_id", "cost") {
			return false
		}
	}
	for i := range a.Votes {
		v, w := &a.Votes[i], &b.Votes[i]
		if v.VoterID != w.VoterID || !slices.Equal(v.Ballot, w.Ballot) || !slices.Equal(v.Points, w.Points) ||
			!raw(a.VoteColumns, v.Fields, w.Fields, "voter_id", "vote", "points") {
			return false
		}
	}
	return true
}

func TestReadErrors(t *testing.T) {
	const head = "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;50\n2;60\nVOTES\nvoter_id;vote\n"
	tests := []struct {
		name, in, want string
	}{
		{"bad cost", "META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost\n1;5x0\nVOTES\nvoter_id;vote\n", `line 6: field "cost": invalid number "5x0"`},
		{"unknown project", head + "a;1,3\n", `line 11: field "vote": unknown project "3"`},
		{"duplicate in ballot", head + "a;1\nb;2,2\n", `line 12: field "vote": project "2" listed twice`},
		{"field count", head + "a;1;x\n", `line 11: 3 fields, header has 2`},
		{"unterminated quote", head + "a;\"1\n", `line 11: unterminated quoted field`},
		{"no section", "hello;world\n", `line 1: expected a section name (META, PROJECTS or VOTES)`},
		{"missing votes", "META\nkey;value\nbudget;1\nPROJECTS\nproject_id;cost\n1;1\n", `line 7: missing VOTES section`},
		{"points count", "META\nkey;value\nbudget;100\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n1;50\nVOTES\nvoter_id;vote;points\na;1;2,3\n", `line 10: field "points": 2 points for 1 projects`},
		{"text after quote", head + "a;\"1\"x\n", `line 11: unexpected text after closing quote`},
		{"negative cost", "META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost\n1;-5\nVOTES\nvoter_id;vote\n", `line 6: field "cost": negative cost -5`},
	}
	for _, tt := range tests {
		_, err := Read(strings.NewReader(tt.in))
		var perr *Error
		if err == nil || !errors.As(err, &perr) {
			t.Errorf("%s: Read error = %v, want %q", tt.name, err, tt.want)
			continue
		}
		if got := err.Error(); got != tt.want {
			t.Errorf("%s: Read error = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestQuotedFields(t *testing.T) {
	in := "META\r\nkey;value\r\nbudget;1920218.79\r\ncomment;\"a \"\"b\"\"; c\r\nd\"\r\nPROJECTS\r\nproject_id;cost;name\r\nBO.D10.1/25;10;\"x;y\"\r\nVOTES\r\nvoter_id;vote;age\r\n7;BO.D10.1/25;\r\n"
	f, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Meta[1].Value, "a \"b\"; c\r\nd"; got != want {
		t.Errorf("comment = %q, want %q", got, want)
	}
	if got, want := f.Projects[0].Line, 8; got != want {
		t.Errorf("project line = %d, want %d", got, want)
	}
	if got, want := f.ProjectField(0, "name"), "x;y"; got != want {
		t.Errorf("name = %q, want %q", got, want)
	}
	b, _ := f.Budget()
	if got, want := FormatDecimal(b), "1920218.79"; got != want {
		t.Errorf("budget = %s, want %s", got, want)
	}
	if !f.CRLF {
		t.Errorf("CRLF = false, want true")
	}
}

func FuzzRead(f *testing.F) {
	f.Add("META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost\n1;50\nVOTES\nvoter_id;vote\na;1\n")
	f.Add("META\r\nkey;value\r\nbudget;1.5\r\nvote_type;cumulative\r\nPROJECTS\r\nproject_id;cost;name\r\n1;50;\"a;\"\"b\"\r\nVOTES\r\nvoter_id;vote;points\r\na;1;3\r\n")
	f.Add("META\nkey;value\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n")
	f.Fuzz(func(t *testing.T, in string) {
		file, err := Read(strings.NewReader(in))
		if err != nil {
			return
		}
		file.Election()
		file.Check(false)
		file.Check(true)
		var buf bytes.Buffer
		if err := Write(&buf, file); err != nil {
			return
		}
		g, err := Read(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("written file does not read back: %v\n%q", err, buf.String())
		}
		if !equivalent(file, g) {
			t.Fatalf("round trip differs for %q", in)
		}
	})
}

func BenchmarkRead(b *testing.B) {
	dataDir := refdata.Full(b, "pabulib")
	if dataDir == "" {
		b.Skip("BenchmarkRead reads the full reference corpus's largest files")
	}
	for _, name := range []string{"Poland_Lodz_2022.pb", "Poland_Warszawa_2026.pb", "Poland_Krakow_2022.pb"} {
		data, err := os.ReadFile(filepath.Join(dataDir, name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Read(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
