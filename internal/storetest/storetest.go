// Package storetest is the one behavioural test suite the SQL store
// (internal/sqlstore) must pass on every backend, and hands other
// packages' tests a real, throwaway store.
//
// Backends run the suite from their tests:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) *sqlstore.DB { return storetest.SQLite(t) })
//	}
//
// Web and demo tests call SQLite(t) or Postgres(t) for a fresh, empty,
// migrated store that is closed (and, for PostgreSQL, dropped) when the
// test ends.
package storetest

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlite"
	"github.com/comuna/comuna/internal/sqlstore"
)

// SQLite returns a fresh SQLite store in a temporary directory, closed when
// the test ends.
func SQLite(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "comuna.db"))
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// SliceSource is a comuna.UnitSource over a slice; the unit at index i
// comes from line i+2, as if read from a CSV file with a header.
type SliceSource struct {
	Units []comuna.Unit
	i     int
}

// Next returns the next unit and its line, or io.EOF.
func (s *SliceSource) Next() (comuna.Unit, int, error) {
	if s.i >= len(s.Units) {
		return comuna.Unit{}, 0, io.EOF
	}
	s.i++
	return s.Units[s.i-1], s.i + 1, nil
}

// Source returns a UnitSource yielding units in order.
func Source(units ...comuna.Unit) comuna.UnitSource { return &SliceSource{Units: units} }

// Territory returns a small territory: two states, each with one
// municipality, parish and commune; three circuits; four councils with a
// census of 2,000 in all; two centres and four tables.
func Territory() []comuna.Unit {
	return []comuna.Unit{
		{Level: comuna.LevelState, Code: "S1", Name: "Distrito Capital"},
		{Level: comuna.LevelState, Code: "S2", Name: "Miranda"},
		{Level: comuna.LevelMunicipality, Code: "M1", Parent: "S1", Name: "Libertador"},
		{Level: comuna.LevelMunicipality, Code: "M2", Parent: "S2", Name: "Sucre"},
		{Level: comuna.LevelParish, Code: "P1", Parent: "M1", Name: "Catedral"},
		{Level: comuna.LevelParish, Code: "P2", Parent: "M2", Name: "Petare"},
		{Level: comuna.LevelCommune, Code: "C1", Parent: "P1", Name: "Comuna El Panal"},
		{Level: comuna.LevelCommune, Code: "C2", Parent: "P2", Name: "Comuna José Félix Ribas"},
		{Level: comuna.LevelCircuit, Code: "CI1", Parent: "C1", Name: "Circuito Uno"},
		{Level: comuna.LevelCircuit, Code: "CI2", Parent: "C1", Name: "Circuito Dos"},
		{Level: comuna.LevelCircuit, Code: "CI3", Parent: "C2", Name: "Circuito Tres"},
		{Level: comuna.LevelCouncil, Code: "K1", Parent: "CI1", Name: "Consejo Comunal La Ceiba", Census: 1000},
		{Level: comuna.LevelCouncil, Code: "K2", Parent: "CI1", Name: "Consejo Comunal El Samán", Census: 500},
		{Level: comuna.LevelCouncil, Code: "K3", Parent: "CI2", Name: "Consejo Comunal Araguaney", Census: 300},
		{Level: comuna.LevelCouncil, Code: "K4", Parent: "CI3", Name: "Consejo Comunal Los Mangos", Census: 200},
		{Level: comuna.LevelCentre, Code: "E1", Parent: "P1", Name: "Escuela Bolivariana Catedral", Address: "Av. Urdaneta"},
		{Level: comuna.LevelCentre, Code: "E2", Parent: "P2", Name: "Liceo Petare", Address: "Calle Lechozal"},
		{Level: comuna.LevelTable, Code: "T1", Parent: "E1", Name: "Mesa 1", Circuit: "CI1"},
		{Level: comuna.LevelTable, Code: "T2", Parent: "E1", Name: "Mesa 2", Circuit: "CI2"},
		{Level: comuna.LevelTable, Code: "T3", Parent: "E2", Name: "Mesa 1", Circuit: "CI3"},
		{Level: comuna.LevelTable, Code: "T4", Parent: "E1", Name: "Mesa 3", Circuit: "CI1"},
	}
}

// Seed imports Territory into s.
func Seed(t testing.TB, s *sqlstore.DB) {
	t.Helper()
	if _, err := s.ImportUnits(context.Background(), Source(Territory()...), nil); err != nil {
		t.Fatalf("ImportUnits(Territory()) = %v", err)
	}
}

// NewRound returns a valid round named name, not yet stored.
func NewRound(name string) *comuna.Round {
	return &comuna.Round{
		Name:             name,
		VoteDate:         time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		AmountPerProject: 1_000_000,
		TieBreakSeed:     "seed-" + name,
	}
}

// checkErr fails unless err carries the code (and field, if not "") or,
// with code "", is nil.
func checkErr(t testing.TB, what string, err error, code, field string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("%s = %v, want no error", what, err)
		}
		return
	}
	if got := comuna.ErrorCode(err); got != code {
		t.Fatalf("%s = %v (code %q), want code %q", what, err, got, code)
	}
	if field != "" {
		if got := comuna.ErrorField(err); got != field {
			t.Fatalf("%s = %v (field %q), want field %q", what, err, got, field)
		}
	}
}

// errLine returns the Line of the *comuna.Error in err's chain.
func errLine(err error) int {
	var e *comuna.Error
	if errors.As(err, &e) {
		return e.Line
	}
	return 0
}
