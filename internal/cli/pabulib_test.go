package cli

import (
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/pabulib"
)

// sharedPabulib is a real instance from the small reference set
// (testdata/pabulib/SOURCES.md).
const sharedPabulib = "../../testdata/pabulib/Netherlands_Assen_2024.pb"

func readPabulib(t *testing.T, path string) *pabulib.File {
	t.Helper()
	in, err := os.Open(path)
	if err != nil {
		t.Fatalf("the pabulib fixture is missing: %v", err)
	}
	defer in.Close()
	f, err := pabulib.Read(in)
	if err != nil {
		t.Fatalf("pabulib.Read(%s) = %v", path, err)
	}
	return f
}

// summary is what a round trip must keep: projects with their costs, the
// budget, and every voter's ballot by project id.
func summary(t *testing.T, f *pabulib.File) (map[string]string, string, map[string]string) {
	t.Helper()
	projects := map[string]string{}
	for _, p := range f.Projects {
		projects[p.ID] = pabulib.FormatDecimal(p.Cost)
	}
	budget, err := f.Budget()
	if err != nil {
		t.Fatal(err)
	}
	votes := map[string]string{}
	for _, v := range f.Votes {
		var ids []string
		for _, k := range v.Ballot {
			ids = append(ids, f.Projects[k].ID)
		}
		votes[v.VoterID] = strings.Join(ids, ",") + " " + joinInt64(v.Points)
	}
	return projects, pabulib.FormatDecimal(budget), votes
}

// selected lists the ids of a file's projects whose selected column is 1.
func selected(f *pabulib.File) []string {
	var out []string
	for i, p := range f.Projects {
		if f.ProjectField(i, "selected") == "1" {
			out = append(out, p.ID)
		}
	}
	sort.Strings(out)
	return out
}

func joinInt64(xs []int64) string {
	var b strings.Builder
	for _, x := range xs {
		b.WriteString(" ")
		b.WriteString(pabulib.FormatDecimal(ratOf(x)))
	}
	return b.String()
}

func TestPabulibRoundTrip(t *testing.T) {
	db := tempDB(t)
	code, out, errOut := run(t, db, "", "import", "pabulib", sharedPabulib)
	if code != 0 || !strings.Contains(out, "as round 1 \"Assen Top Idee\": 14 projects, 84 voters, rule mes, budget 100000.00 EUR") {
		t.Fatalf("import pabulib = exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, exported, errOut := run(t, db, "", "export", "pabulib", "--round", "1")
	if code != 0 {
		t.Fatalf("export pabulib = exit %d, stderr %q", code, errOut)
	}
	path := filepath.Join(t.TempDir(), "out.pb")
	if err := os.WriteFile(path, []byte(exported), 0o644); err != nil {
		t.Fatal(err)
	}
	wp, wb, wv := summary(t, readPabulib(t, sharedPabulib))
	gp, gb, gv := summary(t, readPabulib(t, path))
	if !reflect.DeepEqual(gp, wp) {
		t.Errorf("exported projects = %v, want %v", gp, wp)
	}
	if gb != wb {
		t.Errorf("exported budget = %s, want %s", gb, wb)
	}
	if !reflect.DeepEqual(gv, wv) || len(gv) != 84 {
		t.Errorf("exported %d votes differ from the %d imported", len(gv), len(wv))
	}
	// The selected column is the round's decision, which is the real
	// outcome the file records.
	wantSel, gotSel := selected(readPabulib(t, sharedPabulib)), selected(readPabulib(t, path))
	if !reflect.DeepEqual(gotSel, wantSel) || len(wantSel) == 0 {
		t.Errorf("exported selected projects %q, want the file's %q", gotSel, wantSel)
	}
	for _, want := range []string{"vote_type;approval\n", "rule;equalshares/add1\n", "country;Netherlands\n"} {
		if !strings.Contains(exported, want) {
			t.Errorf("exported META lacks %q", want)
		}
	}

	// A directory gets one file per circuit; the round has one.
	dir := t.TempDir()
	if code, _, errOut := run(t, db, "", "export", "pabulib", "--round", "1", dir); code != 0 {
		t.Fatalf("export pabulib DIR = exit %d, stderr %q", code, errOut)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.pb")); len(files) != 1 || filepath.Base(files[0]) != "NETHERLANDS-ASSEN-2024.pb" {
		t.Errorf("export to a directory wrote %q, want NETHERLANDS-ASSEN-2024.pb", files)
	}
}

func TestImportPabulibMalformed(t *testing.T) {
	good, err := os.ReadFile(sharedPabulib)
	if err != nil {
		t.Fatalf("the pabulib fixture is missing: %v", err)
	}
	db := tempDB(t)
	path := filepath.Join(t.TempDir(), "bad.pb")
	bad := strings.Replace(string(good), "3;7200;43;PopUp Podium", "3;72x0;43;PopUp Podium", 1)
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, db, "", "import", "pabulib", path)
	if code == 0 || out != "" || !strings.Contains(errOut, "nothing was imported: line 20") {
		t.Errorf("import of a bad cost = exit %d, stdout %q, stderr %q; want an error naming line 20", code, out, errOut)
	}
	if _, exported, _ := run(t, db, "", "export", "territory"); strings.Contains(exported, "Assen") {
		t.Errorf("a failed import left units behind:\n%s", exported)
	}
}

func ratOf(x int64) *big.Rat { return big.NewRat(x, 1) }
