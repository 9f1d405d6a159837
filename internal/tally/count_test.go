package tally

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

func sheet(circuit string, votes ...int64) Sheet {
	s := Sheet{Circuit: circuit, Votes: votes, Blank: 2, Null: 1, Unused: 10}
	s.Cast = s.Valid() + s.Blank + s.Null
	s.Received = s.Cast + s.Unused
	return s
}

func TestCountAdd(t *testing.T) {
	var c Count
	c.Add(sheet("A", 10, 5, 0))
	c.Add(sheet("A", 1, 2, 3))
	want := Count{Votes: []int64{11, 7, 3}, Blank: 4, Null: 2, Cast: 27, Received: 47, Unused: 20, TablesReported: 2}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("after two sheets Count = %+v; want %+v", c, want)
	}
	if got := c.Valid(); got != 21 {
		t.Errorf("Valid() = %d; want 21", got)
	}

	// A correction: take back the first version, add the second.
	c.Sub(sheet("A", 1, 2, 3))
	c.Add(sheet("A", 1, 2, 4))
	want = Count{Votes: []int64{11, 7, 4}, Blank: 4, Null: 2, Cast: 28, Received: 48, Unused: 20, TablesReported: 2}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("after a correction Count = %+v; want %+v", c, want)
	}
}

func TestByCircuitAndMerge(t *testing.T) {
	sheets := []Sheet{sheet("A", 10, 5), sheet("B", 1, 1, 1), sheet("A", 0, 3), sheet("B", 2, 0, 0)}
	by := ByCircuit(sheets)
	if len(by) != 2 {
		t.Fatalf("ByCircuit gave %d circuits; want 2", len(by))
	}
	if got, want := by["A"].Votes, []int64{10, 8}; !reflect.DeepEqual(got, want) {
		t.Errorf("circuit A votes = %v; want %v", got, want)
	}
	if got, want := by["B"].Votes, []int64{3, 1, 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("circuit B votes = %v; want %v", got, want)
	}
	var parish Count
	parish.Merge(*by["A"])
	parish.Merge(*by["B"])
	if parish.Cast != 35 || parish.Received != 75 || parish.Blank != 8 || parish.TablesReported != 4 {
		t.Errorf("merged count = %+v; want cast 35, received 75, blank 8, 4 tables", parish)
	}
}

func TestTurnout(t *testing.T) {
	c := Count{Cast: 250}
	if got, ok := c.Turnout(1000); !ok || got != 0.25 {
		t.Errorf("Turnout(1000) = %v, %v; want 0.25, true", got, ok)
	}
	if _, ok := c.Turnout(0); ok {
		t.Error("Turnout(0) reports a turnout; want false for an unknown census")
	}
}

// nationalSheets builds a national vote day: 16,000 tables over 5,336
// circuits with ballots of 7 projects.
func nationalSheets() []Sheet {
	r := rand.New(rand.NewPCG(1, 2))
	const tables, circuits = 16_000, 5_336
	sheets := make([]Sheet, tables)
	for i := range sheets {
		votes := make([]int64, 7)
		for j := range votes {
			votes[j] = r.Int64N(80)
		}
		sheets[i] = sheet(fmt.Sprintf("CC-%04d", i%circuits), votes...)
	}
	return sheets
}

func BenchmarkByCircuit16000Sheets(b *testing.B) {
	sheets := nationalSheets()
	b.ReportAllocs()
	for b.Loop() {
		ByCircuit(sheets)
	}
}
