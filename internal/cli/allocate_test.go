package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// pabulibDir is the small reference set kept in the repository.
var pabulibDir = filepath.Join("..", "..", "testdata", "pabulib")

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	return out.String(), errb.String(), code
}

func TestAllocateJSON(t *testing.T) {
	out, errs, code := runCLI(t, "allocate", "--rule", "mes", "--sat", "cost", "--completion", "add1", "--json", filepath.Join(pabulibDir, "Netherlands_Assen_2024.pb"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Rule         string                     `json:"rule"`
		Budget       string                     `json:"budget"`
		Selected     []string                   `json:"selected"`
		Projects     []selectedJSON             `json:"selected_projects"`
		Cost         string                     `json:"cost"`
		Explanations map[string]json.RawMessage `json:"explanations"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	// The order pabutools returns, and the city's own published outcome.
	want := []string{"3", "9", "11", "2", "13", "14", "5", "6", "12"}
	if !slices.Equal(doc.Selected, want) || doc.Rule != "mes" || doc.Budget != "100000" || doc.Cost != "76700" {
		t.Errorf("allocate --json = %s %s %v %s, want mes 100000 %v 76700", doc.Rule, doc.Budget, doc.Selected, doc.Cost, want)
	}
	wantFirst := []selectedJSON{{"3", "PopUp Podium", "7200", 1}, {"9", "Jongerenplatform", "21000", 2}}
	if len(doc.Projects) != len(want) || !slices.Equal(doc.Projects[:2], wantFirst) {
		t.Errorf("allocate --json selected_projects = %+v; want %d, starting %+v", doc.Projects, len(want), wantFirst)
	}
	if len(doc.Explanations) != 14 {
		t.Errorf("%d explanations, want 14", len(doc.Explanations))
	}
}

func TestAllocateTable(t *testing.T) {
	out, errs, code := runCLI(t, "allocate", "--rule", "topk", "--k", "1", filepath.Join(pabulibDir, "Poland_Zabrze_2020_Zandka.pb"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "1 of 3 projects selected") || !strings.Contains(out, "yes") {
		t.Errorf("table output:\n%s", out)
	}
}

func TestAllocateErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.pb")
	os.WriteFile(bad, []byte("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\nv1;1,7\n"), 0o644)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"allocate", bad}, 1, `line 9: field "vote": unknown project "7"`},
		{[]string{"allocate", "--rule", "nope", bad}, 2, `unknown --rule "nope"`},
		{[]string{"allocate", "--rule", "topk", bad}, 2, "needs --k"},
		{[]string{"allocate"}, 2, "want one FILE.pb"},
		{[]string{"allocate", "--rule", "phragmen", filepath.Join(pabulibDir, "Poland_Krakow_2021_Grzegorzki.pb")}, 1, "approval ballots"},
	}
	for _, tt := range tests {
		_, errs, code := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, code, errs, tt.code, tt.want)
		}
	}
}

func TestPBBench(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(pabulibDir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []map[string]any
	if err := json.Unmarshal(data, &recs); err != nil {
		t.Fatal(err)
	}
	var small []map[string]any
	for _, r := range recs {
		if r["file"] == "Poland_Zabrze_2020_Zandka.pb" {
			small = append(small, r)
		}
	}
	dir := t.TempDir()
	exp := filepath.Join(dir, "expected.json")
	b, _ := json.Marshal(small)
	os.WriteFile(exp, b, 0o644)
	out, errs, code := runCLI(t, "pbbench", "--expected", exp, "--min-time", "1ms", pabulibDir)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errs, out)
	}
	if got, want := strings.Count(out, " yes"), len(small); got != want {
		t.Errorf("%d matching rows, want %d:\n%s", got, want, out)
	}
	// A wrong reference must make pbbench fail.
	small[0]["selected"] = []string{"nope"}
	b, _ = json.Marshal(small[:1])
	os.WriteFile(exp, b, 0o644)
	if _, _, code := runCLI(t, "pbbench", "--expected", exp, "--min-time", "1ms", pabulibDir); code != 1 {
		t.Errorf("pbbench with a wrong reference: exit %d, want 1", code)
	}
}
