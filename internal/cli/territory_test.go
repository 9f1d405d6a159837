package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs the command line against the database db with the given
// standard input and returns the exit code, standard output and error.
func run(t *testing.T, db, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{
		Stdin:  strings.NewReader(stdin),
		Stdout: &stdout,
		Stderr: &stderr,
		Getenv: func(key string) string {
			if key == "COMUNA_DB" {
				return db
			}
			return ""
		},
	}
	code := Main(context.Background(), args, env)
	return code, stdout.String(), stderr.String()
}

func tempDB(t *testing.T) string { return filepath.Join(t.TempDir(), "comuna.db") }

func TestImportTerritory(t *testing.T) {
	db := tempDB(t)
	code, out, errOut := run(t, db, "", "import", "territory", "testdata/territory.csv")
	if code != 0 || out != "imported 10 units from testdata/territory.csv\n" {
		t.Fatalf("import = exit %d, stdout %q, stderr %q; want 0 and 10 units", code, out, errOut)
	}
	if errOut != "" {
		t.Errorf("import wrote %q to stderr, want nothing off a terminal", errOut)
	}
	// Importing again replaces the units by code: still 10.
	input, err := os.ReadFile("testdata/territory.csv")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run(t, db, string(input), "import", "territory", "--db", db, "-")
	if code != 0 || out != "imported 10 units from standard input\n" {
		t.Fatalf("import - = exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = run(t, db, "", "export", "territory")
	if code != 0 || out != string(input) {
		t.Errorf("export = exit %d:\n%s\nwant the imported file:\n%s", code, out, input)
	}
}

func TestImportTerritoryBadFile(t *testing.T) {
	good, err := os.ReadFile("testdata/territory.csv")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		file string
		want string // standard error
	}{
		{"one bad census",
			strings.Replace(string(good), ",840,", ",abc,", 1),
			"comuna import: in.csv: nothing was imported: line 7: census: \"abc\" is not a whole number\n"},
		{"every bad row",
			strings.NewReplacer(",840,", ",-3,", "Mesa 2,,MI-CC-0001", "Mesa 2,,", "Petare", "").Replace(string(good)),
			"comuna import: in.csv: nothing was imported; 3 errors:\n" +
				"  line 4: name: a parish needs a name\n" +
				"  line 7: census: census cannot be negative\n" +
				"  line 11: circuit: a table must name the circuit it serves\n"},
		{"bad rows and an unknown parent",
			strings.NewReplacer(",840,", ",x,", "MI-CM-0001,Circuito", "MI-CM-0009,Circuito").Replace(string(good)),
			// The store stops at the unknown commune on line 6; line 7 was never read.
			"comuna import: in.csv: nothing was imported: line 6: parent: unknown commune \"MI-CM-0009\" (parents must come before their children)\n"},
		{"a bad row before an unknown circuit",
			strings.NewReplacer(",840,", ",x,", "Mesa 2,,MI-CC-0001", "Mesa 2,,MI-CC-0002").Replace(string(good)),
			"comuna import: in.csv: nothing was imported; 2 errors:\n" +
				"  line 7: census: \"x\" is not a whole number\n" +
				"  line 11: circuit: unknown circuit \"MI-CC-0002\" (circuits must come before the tables that serve them)\n"},
		{"broken quoting",
			strings.Replace(string(good), "Comuna José", "Comuna \"José", 1),
			"comuna import: in.csv: nothing was imported: line 5: malformed CSV at byte 36 of the line: bare \" in non-quoted-field\n"},
		{"bad header",
			strings.Replace(string(good), "census", "censo", 1),
			"comuna import: in.csv: nothing was imported: line 1: censo: unknown column \"censo\" in the header (want kind,code,parent,name,census,circuit,address)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := tempDB(t)
			// A first good import, which a bad one must leave untouched.
			if code, _, errOut := run(t, db, "", "import", "territory", "testdata/territory.csv"); code != 0 {
				t.Fatalf("good import failed: %s", errOut)
			}
			path := filepath.Join(t.TempDir(), "in.csv")
			if err := os.WriteFile(path, []byte(strings.Replace(tt.file, "Barrio Las Malvinas,", "Barrio Nuevo,", 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := run(t, db, "", "import", "territory", path)
			errOut = strings.ReplaceAll(errOut, path, "in.csv")
			if code != 1 || out != "" || errOut != tt.want {
				t.Errorf("import = exit %d, stdout %q, stderr\n%s\nwant exit 1 and stderr\n%s", code, out, errOut, tt.want)
			}
			_, exported, _ := run(t, db, "", "export", "territory")
			if exported != string(good) {
				t.Errorf("after a failed import the territory changed:\n%s", exported)
			}
		})
	}
}

func TestExportRoundTripsThroughImport(t *testing.T) {
	// The small demo's territory exported, imported into a fresh
	// database, and exported again gives the same file.
	db := tempDB(t)
	if code, _, errOut := run(t, db, "", "demo", "--scale", "small"); code != 0 {
		t.Fatalf("demo failed: %s", errOut)
	}
	dir := t.TempDir()
	first := filepath.Join(dir, "first.csv")
	code, _, errOut := run(t, db, "", "export", "territory", "--round", "1", first)
	if code != 0 || errOut != "exported 531 units to "+first+"\n" {
		t.Fatalf("export --round 1 = exit %d, stderr %q", code, errOut)
	}
	_, editable, _ := run(t, db, "", "export", "territory")
	data, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != editable {
		t.Errorf("round 1's frozen territory differs from the editable one, which nothing changed")
	}
	other := tempDB(t)
	if code, out, errOut := run(t, other, "", "import", "territory", first); code != 0 || out != "imported 531 units from "+first+"\n" {
		t.Fatalf("import = exit %d, %q, %q", code, out, errOut)
	}
	_, again, _ := run(t, other, "", "export", "territory", "-")
	if again != string(data) {
		t.Errorf("export → import → export changed the file")
	}
}

func TestImportExportUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string // in standard error
	}{
		{[]string{"import"}, 2, "Kinds:\n  disbursements  a bank statement's payments (CSV) to a round's funded projects, all or none\n  pabulib        a pabulib file (.pb) as a new participatory-budget round, in results\n  territory"},
		{[]string{"import", "help"}, 0, "Usage: comuna import <kind>"},
		{[]string{"import", "votes"}, 2, `cannot import "votes" (want one of disbursements, pabulib, territory)`},
		{[]string{"import", "territory"}, 2, "name one territory file"},
		{[]string{"import", "territory", "nosuchfile.csv"}, 1, "no such file"},
		{[]string{"export", "territory", "a", "b"}, 2, "at most one output file"},
		{[]string{"export", "territory", "--round", "9"}, 1, "comuna export: "},
		{[]string{"export", "maps"}, 2, `cannot export "maps"`},
		{[]string{"import", "pabulib"}, 2, "name one pabulib file"},
		{[]string{"export", "pabulib", "--round", "9"}, 1, "round 9 not found"},
	}
	for _, tt := range tests {
		code, _, errOut := run(t, tempDB(t), "", tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("comuna %s = exit %d, stderr %q; want exit %d and %q", strings.Join(tt.args, " "), code, errOut, tt.code, tt.want)
		}
	}
}
