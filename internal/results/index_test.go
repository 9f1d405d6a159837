package results_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/results"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

func codes(ns []*results.Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, string(n.Level)+":"+n.Code)
	}
	return out
}

func TestNavigation(t *testing.T) {
	r := compute(t, comuna.TieLottery, sheets())
	node := func(l comuna.Level, code string) *results.Node {
		n, ok := r.Node(l, code)
		if !ok {
			t.Fatalf("Node(%s, %q) not found", l, code)
		}
		return n
	}
	if n := node(results.LevelNation, ""); n != r.Nation() {
		t.Errorf("Node(nation, \"\") is not Nation()")
	}
	tests := []struct {
		name string
		got  []*results.Node
		want []string
	}{
		{"Children(nation)", r.Children(r.Nation()), []string{"state:S1", "state:S2"}},
		{"Children(K1)", r.Children(node(comuna.LevelCommune, "K1")), []string{"circuit:CC-0001", "circuit:CC-0002"}},
		{"Children(CC-0001)", r.Children(node(comuna.LevelCircuit, "CC-0001")), []string{"table:T1a", "table:T1b"}},
		{"Children(T1a)", r.Children(node(comuna.LevelTable, "T1a")), nil},
		{"Ancestors(T2b)", r.Ancestors(node(comuna.LevelTable, "T2b")),
			[]string{"nation:", "state:S1", "municipality:M1", "parish:P1", "commune:K1", "circuit:CC-0002"}},
		{"Ancestors(nation)", r.Ancestors(r.Nation()), nil},
		{"Level(circuit)", r.Level(comuna.LevelCircuit), []string{"circuit:CC-0001", "circuit:CC-0002", "circuit:CC-0003"}},
	}
	for _, tt := range tests {
		if got := codes(tt.got); !slices.Equal(got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, got, tt.want)
		}
	}
	if p := r.Parent(r.Nation()); p != nil {
		t.Errorf("Parent(nation) = %v, want nil", p.Code)
	}
	t3a := node(comuna.LevelTable, "T3a")
	if t3a.Parent != "CC-0003" || t3a.ParentLevel != comuna.LevelCircuit || t3a.Centre != "E2" || t3a.CentreName != "Name of E2" {
		t.Errorf("T3a parent %s %q, centre %q %q; want circuit CC-0003, E2 \"Name of E2\"", t3a.ParentLevel, t3a.Parent, t3a.Centre, t3a.CentreName)
	}
	if _, ok := r.Node(comuna.LevelCouncil, "CC1a"); ok {
		t.Errorf("Node(council, CC1a) found; councils are not nodes of the results")
	}
}

func TestTablePath(t *testing.T) {
	idx, err := results.NewIndex(territory())
	if err != nil {
		t.Fatal(err)
	}
	got, ok := idx.TablePath("T2b")
	want := results.TablePath{Table: "T2b", Centre: "E1", Circuit: "CC-0002", Commune: "K1", Parish: "P1", Municipality: "M1", State: "S1"}
	if !ok || got != want {
		t.Errorf("TablePath(T2b) = %+v, %v; want %+v, true", got, ok, want)
	}
	if _, ok := idx.TablePath("T9"); ok {
		t.Errorf("TablePath(T9) found a table that does not exist")
	}
	for _, tt := range []struct {
		level comuna.Level
		want  int
	}{{results.LevelNation, 1}, {comuna.LevelState, 2}, {comuna.LevelCircuit, 3}, {comuna.LevelTable, 6}, {comuna.LevelCouncil, 0}} {
		if got := idx.Len(tt.level); got != tt.want {
			t.Errorf("Len(%s) = %d, want %d", tt.level, got, tt.want)
		}
	}
}

func TestNewIndexErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func([]comuna.Unit) []comuna.Unit
		want string
	}{
		{"duplicate", func(us []comuna.Unit) []comuna.Unit { return append(us, us[0]) }, `table "T3b" appears twice`},
		{"unknown level", func(us []comuna.Unit) []comuna.Unit {
			return append(us, comuna.Unit{Level: "village", Code: "V1"})
		}, `unknown level "village"`},
		{"unknown parent", func(us []comuna.Unit) []comuna.Unit {
			return append(us, comuna.Unit{Level: comuna.LevelCommune, Code: "K3", Parent: "P9"})
		}, `commune "K3" names unknown parish "P9"`},
		{"unknown circuit", func(us []comuna.Unit) []comuna.Unit {
			return append(us, comuna.Unit{Level: comuna.LevelTable, Code: "T4", Parent: "E1", Circuit: "CC-0009"})
		}, `table "T4" names unknown circuit "CC-0009"`},
		{"unknown centre", func(us []comuna.Unit) []comuna.Unit {
			return append(us, comuna.Unit{Level: comuna.LevelTable, Code: "T4", Parent: "E9", Circuit: "CC-0001"})
		}, `table "T4" is in unknown centre "E9"`},
		{"centre's parish", func(us []comuna.Unit) []comuna.Unit {
			return append(us, comuna.Unit{Level: comuna.LevelCentre, Code: "E3", Parent: "P9"})
		}, `centre "E3" is in unknown parish "P9"`},
		{"council's circuit", func(us []comuna.Unit) []comuna.Unit {
			return append(us, comuna.Unit{Level: comuna.LevelCouncil, Code: "CC9", Parent: "CC-0009", Census: 5})
		}, `council "CC9" names unknown circuit "CC-0009"`},
		{"negative census", func(us []comuna.Unit) []comuna.Unit {
			return append(us, comuna.Unit{Level: comuna.LevelCouncil, Code: "CC9", Parent: "CC-0001", Census: -5})
		}, `council "CC9" has a negative census`},
	}
	for _, tt := range tests {
		_, err := results.NewIndex(tt.edit(territory()))
		if err == nil || comuna.ErrorCode(err) != comuna.EInvalid || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: NewIndex error = %v, want EInvalid containing %q", tt.name, err, tt.want)
		}
	}
}

func TestSheets(t *testing.T) {
	vs := []*voteday.SheetVersion{
		{RoundID: 12, Table: "T1a", Circuit: "CC-0001", Version: 2, Sheet: tally.Sheet{Votes: []int64{1, 2, 3}}},
		{RoundID: 12, Table: "T2a", Circuit: "CC-0002", Sheet: tally.Sheet{RoundID: 12, Table: "T2a", Circuit: "CC-0002", Votes: []int64{4, 5}}},
	}
	got := results.Sheets(vs)
	if len(got) != 2 || got[0].RoundID != 12 || got[0].Table != "T1a" || got[0].Circuit != "CC-0001" || got[1].Table != "T2a" {
		t.Errorf("Sheets = %+v; want round, table and circuit filled from the versions", got)
	}
}

// TestComputeTwice checks that Compute leaves the index as it found it.
func TestComputeTwice(t *testing.T) {
	idx, _ := results.NewIndex(territory())
	a, _ := results.Compute(idx, round(comuna.TieLottery), ballots(), sheets(), counts(), nil)
	b, _ := results.Compute(idx, round(comuna.TieLottery), ballots(), nil, nil, nil)
	if a.Nation().Cast != 190 || b.Nation().Cast != 0 || b.Nation().CheckIns != 0 {
		t.Errorf("nation Cast %d then %d, check-ins %d; want 190 then 0, 0", a.Nation().Cast, b.Nation().Cast, b.Nation().CheckIns)
	}
}
