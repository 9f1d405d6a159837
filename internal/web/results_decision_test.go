package web

import (
	"context"
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/pabulib"
	"github.com/comuna/comuna/internal/pbround"
)

// TestResultsAllocationPabulib imports Assen's 2024 youth budget, whose
// META rule is equalshares/add1 and whose PROJECTS selected column is the
// real outcome, and checks that the circuit's results page and JSON fund
// exactly those projects, with the engine's explanations.
func TestResultsAllocationPabulib(t *testing.T) {
	e := newEnv(t)
	// From the small reference set, testdata/pabulib/SOURCES.md.
	in, err := os.Open("../../testdata/pabulib/Netherlands_Assen_2024.pb")
	if err != nil {
		t.Fatalf("the pabulib fixture is missing: %v", err)
	}
	defer in.Close()
	f, err := pabulib.Read(in)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i, p := range f.Projects {
		if f.ProjectField(i, "selected") == "1" {
			want = append(want, p.ID)
		}
	}
	sort.Strings(want)
	imp, err := pbround.Import(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.ImportPB(context.Background(), imp, nil); err != nil {
		t.Fatal(err)
	}
	circuit := imp.Units[4].Code
	base := "/rounds/" + strconv.FormatInt(imp.Round.ID, 10) + "/results/circuit/" + circuit

	w := e.get("/api/v1"+base, "observer")
	if w.Code != 200 {
		t.Fatalf("GET %s = %d\n%s", base, w.Code, w.Body)
	}
	var got struct {
		Node struct {
			Decision    decisionJSON `json:"decision"`
			Funded      int          `json:"funded"`
			Provisional bool         `json:"provisional"`
		} `json:"node"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	var sel []string
	for _, p := range got.Node.Decision.Funded {
		sel = append(sel, p.ExternalID)
	}
	sort.Strings(sel)
	if !reflect.DeepEqual(sel, want) {
		t.Errorf("JSON decision funded %q, want the file's selected %q", sel, want)
	}
	a := got.Node.Decision
	if a.Rule != "mes" || a.Completion != "add1" || a.Budget != "100000.00" || a.Voters != 84 || len(a.Explanations) != 14 {
		t.Errorf("JSON decision = rule %s completion %s budget %s, %d voters, %d explanations", a.Rule, a.Completion, a.Budget, a.Voters, len(a.Explanations))
	}
	// The stored ballots are the circuit's whole vote: it is final and
	// its funded projects count.
	if got.Node.Provisional || got.Node.Funded != len(want) {
		t.Errorf("circuit provisional %v, funded %d; want final with %d funded", got.Node.Provisional, got.Node.Funded, len(want))
	}
	for _, x := range a.Explanations {
		if x.Text == "" || x.Spanish == "" || x.English == "" || x.Spanish == x.English {
			t.Errorf("project %s: explanation %q, Spanish %q, English %q; want all three, the two languages different", x.ExternalID, x.Text, x.Spanish, x.English)
		}
	}

	for _, lang := range []string{"es", "en"} {
		w := e.get(base+"?lang="+lang, "")
		body := w.Body.String()
		if w.Code != 200 || !strings.Contains(body, `id="decision"`) {
			t.Fatalf("GET %s?lang=%s = %d, want the decision section\n%s", base, lang, w.Code, body)
		}
		for _, x := range a.Explanations {
			text := map[string]string{"es": x.Spanish, "en": x.English}[lang]
			if !strings.Contains(body, escaped(text)) {
				t.Errorf("page (%s) lacks the explanation of %s: %q", lang, x.ExternalID, text)
			}
		}
		heading := map[string]string{"es": "Cómo se decidió", "en": "How it was decided"}[lang]
		if strings.Count(body, "<h2>"+heading+"</h2>") != 1 || strings.Contains(body, "Asignación</h2>") || strings.Contains(body, "Allocation</h2>") {
			t.Errorf("page (%s) does not have the one heading %q", lang, heading)
		}
	}
}

// escaped escapes text as html/template writes it in an element.
func escaped(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "+", "&#43;").Replace(s)
}
