package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
)

func testPing(t *testing.T, s *sqlstore.DB) {
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping() = %v, want nil", err)
	}
}

func testEditableVersion(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	v, err := s.EditableVersion(ctx)
	if err != nil {
		t.Fatalf("EditableVersion() = %v", err)
	}
	if v.ID == 0 || v.Frozen {
		t.Errorf("EditableVersion() = %+v, want a non-zero id, not frozen", v)
	}
	again, err := s.EditableVersion(ctx)
	if err != nil || again.ID != v.ID {
		t.Errorf("EditableVersion() again = %+v, %v; want id %d", again, err, v.ID)
	}
}

func testImportUnits(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	var calls []int
	n, err := s.ImportUnits(ctx, Source(Territory()...), func(n int) { calls = append(calls, n) })
	if err != nil {
		t.Fatalf("ImportUnits() = %v", err)
	}
	if want := len(Territory()); n != want {
		t.Errorf("ImportUnits() = %d, want %d", n, want)
	}
	if len(calls) == 0 || calls[len(calls)-1] != n {
		t.Errorf("progress calls = %v, want the last to be %d", calls, n)
	}
	p, err := s.Unit(ctx, 0, comuna.LevelTable, "T4")
	if err != nil {
		t.Fatalf("Unit(table T4) = %v", err)
	}
	want := comuna.Unit{Level: comuna.LevelTable, Code: "T4", Parent: "E1", Name: "Mesa 3", Circuit: "CI1"}
	if p.Unit != want {
		t.Errorf("Unit(table T4) = %+v, want %+v", p.Unit, want)
	}

	// A national-sized import spans many batches; progress rises.
	var units []comuna.Unit
	for i := 0; i < 1200; i++ {
		units = append(units, comuna.Unit{Level: comuna.LevelCouncil, Code: fmt.Sprintf("KX%04d", i), Parent: "CI3", Name: "Consejo", Census: 1})
	}
	calls = nil
	if n, err := s.ImportUnits(ctx, Source(units...), func(n int) { calls = append(calls, n) }); err != nil || n != 1200 {
		t.Fatalf("ImportUnits(1200 councils) = %d, %v; want 1200, nil", n, err)
	}
	if len(calls) < 3 || calls[len(calls)-1] != 1200 {
		t.Errorf("progress calls = %v, want several ending in 1200", calls)
	}
	st, err := s.UnitStats(ctx, 0, comuna.LevelCircuit, "CI3")
	if err != nil || st.Councils != 1201 || st.Census != 1400 {
		t.Errorf("UnitStats(CI3) = %+v, %v; want 1201 councils, census 1400", st, err)
	}
}

func testImportUnitsErrors(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	good := Territory()
	tests := []struct {
		name  string
		units []comuna.Unit
		line  int
		field string
	}{
		{"bad code", append(good[:2:2], comuna.Unit{Level: comuna.LevelState, Code: "no spaces", Name: "X"}), 4, "code"},
		{"unknown level", []comuna.Unit{{Level: "province", Code: "X", Name: "X"}}, 2, "kind"},
		{"parent after child", []comuna.Unit{good[0], good[4], good[2]}, 3, "parent"},
		{"missing parent", append(good[:4:4], comuna.Unit{Level: comuna.LevelParish, Code: "P9", Parent: "M9", Name: "X"}), 6, "parent"},
		{"unknown circuit", append(good[:17:17], comuna.Unit{Level: comuna.LevelTable, Code: "T9", Parent: "E1", Name: "X", Circuit: "CI9"}), 19, "circuit"},
		{"duplicate", append(good[:3:3], good[0]), 5, "code"},
		{"census on a circuit", append(good[:8:8], comuna.Unit{Level: comuna.LevelCircuit, Code: "CI9", Parent: "C1", Name: "X", Census: 5}), 10, "census"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := s.ImportUnits(ctx, Source(tt.units...), nil)
			checkErr(t, "ImportUnits()", err, comuna.EInvalid, tt.field)
			if got := errLine(err); got != tt.line {
				t.Errorf("ImportUnits() error %q on line %d, want line %d", err, got, tt.line)
			}
			if n != 0 {
				t.Errorf("ImportUnits() = %d, want 0 after an error", n)
			}
			sum, err := s.TerritorySummary(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Counts[comuna.LevelState] != 0 {
				t.Errorf("after a failed import %d states are stored, want 0 (all or nothing)", sum.Counts[comuna.LevelState])
			}
		})
	}
	// A source's own error comes back unchanged.
	srcErr := &comuna.Error{Code: comuna.EInvalid, Field: "census", Line: 7, Message: "not a number"}
	_, err := s.ImportUnits(ctx, &failingSource{units: good[:3], err: srcErr}, nil)
	if err != srcErr {
		t.Errorf("ImportUnits(failing source) = %v, want the source's error %v", err, srcErr)
	}
	if got, _ := s.Units(ctx, comuna.UnitFilter{}); len(got) != 0 {
		t.Errorf("after a failed import Units() = %d units, want 0", len(got))
	}
	// Parents already stored satisfy later imports.
	Seed(t, s)
	if _, err := s.ImportUnits(ctx, Source(comuna.Unit{Level: comuna.LevelCouncil, Code: "K9", Parent: "CI2", Name: "Nuevo"}), nil); err != nil {
		t.Errorf("ImportUnits(council under a stored circuit) = %v", err)
	}
}

type failingSource struct {
	units []comuna.Unit
	err   error
	i     int
}

func (s *failingSource) Next() (comuna.Unit, int, error) {
	if s.i < len(s.units) {
		s.i++
		return s.units[s.i-1], s.i + 1, nil
	}
	return comuna.Unit{}, 0, s.err
}

func testImportUnitsUpsert(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	Seed(t, s)
	// CI2 moves to commune C2 and K3 is renamed; codes stay.
	_, err := s.ImportUnits(ctx, Source(
		comuna.Unit{Level: comuna.LevelCircuit, Code: "CI2", Parent: "C2", Name: "Circuito Dos"},
		comuna.Unit{Level: comuna.LevelCouncil, Code: "K3", Parent: "CI2", Name: "Consejo Renombrado", Census: 350},
	), nil)
	if err != nil {
		t.Fatalf("ImportUnits(changes) = %v", err)
	}
	p, err := s.Unit(ctx, 0, comuna.LevelCouncil, "K3")
	if err != nil {
		t.Fatal(err)
	}
	if p.Unit.Name != "Consejo Renombrado" || p.Unit.Census != 350 {
		t.Errorf("Unit(K3) = %+v, want the new name and census", p.Unit)
	}
	if got := p.Ancestors[3].Code; got != "C2" {
		t.Errorf("Unit(K3) commune = %s, want C2", got)
	}
	sum, err := s.TerritorySummary(ctx, 0)
	if err != nil || sum.Counts[comuna.LevelCouncil] != 4 || sum.Census != 2050 {
		t.Errorf("TerritorySummary() = %+v, %v; want 4 councils, census 2050", sum, err)
	}
}

func codes(us []comuna.Unit) []string {
	cs := []string{}
	for _, u := range us {
		cs = append(cs, u.Code)
	}
	return cs
}

func testUnits(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	Seed(t, s)
	tests := []struct {
		f    comuna.UnitFilter
		want []string
	}{
		{comuna.UnitFilter{Level: comuna.LevelState}, []string{"S1", "S2"}},
		{comuna.UnitFilter{Level: comuna.LevelCouncil, Parent: "CI1"}, []string{"K1", "K2"}},
		{comuna.UnitFilter{Level: comuna.LevelTable, Circuit: "CI1"}, []string{"T1", "T4"}},
		{comuna.UnitFilter{Query: "circuito"}, []string{"CI1", "CI2", "CI3"}},
		{comuna.UnitFilter{Query: "MANGOS"}, []string{"K4"}},
		{comuna.UnitFilter{Query: "k1"}, []string{"K1"}},
		{comuna.UnitFilter{Query: "100%"}, []string{}},
		{comuna.UnitFilter{Level: comuna.LevelCouncil, Limit: 2, Offset: 1}, []string{"K2", "K3"}},
		{comuna.UnitFilter{Parent: "P1"}, []string{"C1", "E1"}},
		{comuna.UnitFilter{Limit: 3}, []string{"S1", "S2", "M1"}},
	}
	for _, tt := range tests {
		got, err := s.Units(ctx, tt.f)
		if err != nil {
			t.Errorf("Units(%+v) = %v", tt.f, err)
			continue
		}
		if !reflect.DeepEqual(codes(got), tt.want) {
			t.Errorf("Units(%+v) = %v, want %v", tt.f, codes(got), tt.want)
		}
	}
	_, err := s.Units(ctx, comuna.UnitFilter{Level: "province"})
	checkErr(t, "Units(level province)", err, comuna.EInvalid, "level")
	_, err = s.Units(ctx, comuna.UnitFilter{Version: 9999})
	checkErr(t, "Units(version 9999)", err, comuna.ENotFound, "")
}

// testUnitsIgnoreAccents searches the territory as people type: without
// accents, in any case, or with the accents the name has.
func testUnitsIgnoreAccents(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	Seed(t, s)
	if _, err := s.ImportUnits(ctx, Source(
		comuna.Unit{Level: comuna.LevelCouncil, Code: "K7", Parent: "CI1", Name: "Consejo Comunal Chiquinquirá"},
		comuna.Unit{Level: comuna.LevelCouncil, Code: "K8", Parent: "CI1", Name: "ÁNGEL NÚÑEZ"},
	), nil); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"chiquinquira", []string{"K7"}},
		{"CHIQUINQUIRA", []string{"K7"}},
		{"Chiquinquirá", []string{"K7"}},
		{"chiquinquirá", []string{"K7"}},
		{"angel nunez", []string{"K8"}},
		{"Ángel Núñez", []string{"K8"}},
		{"ángel", []string{"K8"}},
		{"chiquinquiro", []string{}},
	} {
		got, err := s.Units(ctx, comuna.UnitFilter{Query: tt.q})
		if err != nil {
			t.Errorf("Units(query %q) = %v", tt.q, err)
			continue
		}
		if !reflect.DeepEqual(codes(got), tt.want) {
			t.Errorf("Units(query %q) = %v, want %v", tt.q, codes(got), tt.want)
		}
	}
}

func testUnit(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	Seed(t, s)
	p, err := s.Unit(ctx, 0, comuna.LevelCouncil, "K1")
	if err != nil {
		t.Fatalf("Unit(K1) = %v", err)
	}
	if got, want := codes(p.Ancestors), []string{"S1", "M1", "P1", "C1", "CI1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Unit(K1) ancestors = %v, want %v", got, want)
	}
	if p.Unit.Census != 1000 || p.Unit.Name != "Consejo Comunal La Ceiba" {
		t.Errorf("Unit(K1) = %+v", p.Unit)
	}
	p, err = s.Unit(ctx, 0, comuna.LevelState, "S2")
	if err != nil || len(p.Ancestors) != 0 {
		t.Errorf("Unit(S2) = %+v, %v; want no ancestors", p, err)
	}
	p, err = s.Unit(ctx, 0, comuna.LevelTable, "T3")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := codes(p.Ancestors), []string{"S2", "M2", "P2", "E2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Unit(T3) ancestors = %v, want %v", got, want)
	}
	_, err = s.Unit(ctx, 0, comuna.LevelCouncil, "CI1")
	checkErr(t, "Unit(council CI1)", err, comuna.ENotFound, "")
	_, err = s.Unit(ctx, 4242, comuna.LevelState, "S1")
	checkErr(t, "Unit(version 4242)", err, comuna.ENotFound, "")
}

func testUnitStats(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	Seed(t, s)
	tests := []struct {
		level comuna.Level
		code  string
		want  comuna.UnitStats
	}{
		{comuna.LevelState, "S1", comuna.UnitStats{Children: 1, Councils: 3, Census: 1800, Tables: 3}},
		{comuna.LevelState, "S2", comuna.UnitStats{Children: 1, Councils: 1, Census: 200, Tables: 1}},
		{comuna.LevelParish, "P1", comuna.UnitStats{Children: 2, Councils: 3, Census: 1800, Tables: 3}},
		{comuna.LevelCommune, "C1", comuna.UnitStats{Children: 2, Councils: 3, Census: 1800, Tables: 3}},
		{comuna.LevelCircuit, "CI1", comuna.UnitStats{Children: 2, Councils: 2, Census: 1500, Tables: 2}},
		{comuna.LevelCouncil, "K2", comuna.UnitStats{Children: 0, Councils: 1, Census: 500, Tables: 0}},
		{comuna.LevelCentre, "E1", comuna.UnitStats{Children: 3, Councils: 0, Census: 0, Tables: 3}},
		{comuna.LevelTable, "T1", comuna.UnitStats{Tables: 1}},
	}
	for _, tt := range tests {
		got, err := s.UnitStats(ctx, 0, tt.level, tt.code)
		if err != nil {
			t.Errorf("UnitStats(%s %s) = %v", tt.level, tt.code, err)
			continue
		}
		if *got != tt.want {
			t.Errorf("UnitStats(%s %s) = %+v, want %+v", tt.level, tt.code, *got, tt.want)
		}
	}
	_, err := s.UnitStats(ctx, 0, comuna.LevelState, "S9")
	checkErr(t, "UnitStats(S9)", err, comuna.ENotFound, "")
}

func testEachUnit(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	Seed(t, s)
	var got []comuna.Unit
	if err := s.EachUnit(ctx, 0, func(u comuna.Unit) error { got = append(got, u); return nil }); err != nil {
		t.Fatalf("EachUnit() = %v", err)
	}
	if !reflect.DeepEqual(got, Territory()) {
		t.Errorf("EachUnit() = %v, want the territory in file order %v", codes(got), codes(Territory()))
	}
	// Re-importing the export reproduces the territory.
	if _, err := s.ImportUnits(ctx, Source(got...), nil); err != nil {
		t.Errorf("ImportUnits(EachUnit output) = %v", err)
	}
	stop := fmt.Errorf("stop")
	n := 0
	err := s.EachUnit(ctx, 0, func(comuna.Unit) error { n++; return stop })
	if err == nil || n != 1 {
		t.Errorf("EachUnit(fn failing) = %v after %d calls, want the error after 1", err, n)
	}
	checkErr(t, "EachUnit(version 777)", s.EachUnit(ctx, 777, func(comuna.Unit) error { return nil }), comuna.ENotFound, "")
}

func testTerritorySummary(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	sum, err := s.TerritorySummary(ctx, 0)
	if err != nil || sum.Census != 0 || sum.Counts[comuna.LevelState] != 0 {
		t.Errorf("TerritorySummary(empty) = %+v, %v", sum, err)
	}
	Seed(t, s)
	sum, err = s.TerritorySummary(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[comuna.Level]int64{"state": 2, "municipality": 2, "parish": 2, "commune": 2, "circuit": 3, "council": 4, "centre": 2, "table": 4}
	if !reflect.DeepEqual(sum.Counts, want) || sum.Census != 2000 {
		t.Errorf("TerritorySummary() = %v census %d, want %v census 2000", sum.Counts, sum.Census, want)
	}
	_, err = s.TerritorySummary(ctx, 555)
	checkErr(t, "TerritorySummary(555)", err, comuna.ENotFound, "")
}
