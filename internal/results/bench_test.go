package results_test

import (
	"fmt"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/results"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

// The size of the national round, as publicly reported for 2025–2026.
const (
	nStates         = 24
	nMunicipalities = 335
	nParishes       = 1101
	nCommunes       = 3650
	nCircuits       = 5336
	nCouncils       = 49_000
	nCentres        = 10_000
	nTables         = 16_000
)

// national is a synthetic national round: its territory, ballots, one
// accepted sheet per table and the poll-book counts. It is deterministic:
// every run builds the same round.
type national struct {
	units   []comuna.Unit
	ballots map[string][]comuna.BallotItem
	sheets  []tally.Sheet
	counts  map[string]voteday.TableCount
}

func newNational() *national {
	n := &national{
		ballots: make(map[string][]comuna.BallotItem, nCircuits),
		counts:  make(map[string]voteday.TableCount, nTables),
	}
	add := func(l comuna.Level, count int, code func(int) string, parent func(int) string) {
		for i := range count {
			n.units = append(n.units, comuna.Unit{Level: l, Code: code(i), Parent: parent(i), Name: "Unit " + code(i)})
		}
	}
	state := func(i int) string { return fmt.Sprintf("S%02d", i) }
	muni := func(i int) string { return fmt.Sprintf("M%03d", i) }
	parish := func(i int) string { return fmt.Sprintf("P%04d", i) }
	commune := func(i int) string { return fmt.Sprintf("K%04d", i) }
	circuit := func(i int) string { return fmt.Sprintf("CC-%04d", i) }
	centre := func(i int) string { return fmt.Sprintf("E%05d", i) }
	table := func(i int) string { return fmt.Sprintf("T%05d", i) }
	add(comuna.LevelState, nStates, state, func(int) string { return "" })
	add(comuna.LevelMunicipality, nMunicipalities, muni, func(i int) string { return state(i % nStates) })
	add(comuna.LevelParish, nParishes, parish, func(i int) string { return muni(i % nMunicipalities) })
	add(comuna.LevelCommune, nCommunes, commune, func(i int) string { return parish(i % nParishes) })
	add(comuna.LevelCircuit, nCircuits, circuit, func(i int) string { return commune(i % nCommunes) })
	for i := range nCouncils {
		n.units = append(n.units, comuna.Unit{Level: comuna.LevelCouncil, Code: fmt.Sprintf("CO%05d", i),
			Parent: circuit(i % nCircuits), Name: "Council", Census: 150 + int64(i*37%400)})
	}
	add(comuna.LevelCentre, nCentres, centre, func(i int) string { return parish(i % nParishes) })
	for i := range nTables {
		n.units = append(n.units, comuna.Unit{Level: comuna.LevelTable, Code: table(i),
			Parent: centre(i % nCentres), Circuit: circuit(i % nCircuits), Name: "Table"})
	}

	for c := range nCircuits {
		items := make([]comuna.BallotItem, 3+c%5) // 3 to 7 projects
		for k := range items {
			items[k] = comuna.BallotItem{Number: k + 1, ProposalID: int64(c*10 + k), Title: "Project", Cost: 1_000_000}
		}
		n.ballots[circuit(c)] = items
	}
	x := uint64(0x9E3779B97F4A7C15) // xorshift state: fixed, so runs agree
	rnd := func(m int64) int64 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return int64(x % uint64(m))
	}
	for i := range nTables {
		s := tally.Sheet{RoundID: 12, Table: table(i), Circuit: circuit(i % nCircuits), Received: 400,
			Votes: make([]int64, 3+(i%nCircuits)%5), Blank: rnd(10), Null: rnd(5)}
		for k := range s.Votes {
			s.Votes[k] = rnd(60)
		}
		s.Cast = s.Valid() + s.Blank + s.Null
		s.Unused = s.Received - s.Cast
		n.sheets = append(n.sheets, s)
		n.counts[table(i)] = voteday.TableCount{CheckIns: s.Cast - rnd(3), WalkIns: 3, Closed: true}
	}
	return n
}

var nationalRound = &comuna.Round{ID: 12, WinnersPerCircuit: 2, AmountPerProject: 1_000_000,
	TieBreak: comuna.TieLottery, TieBreakSeed: "semilla-2025"}

// TestNational checks the synthetic national round end to end: nothing
// is left out and the nation's totals equal a recount of the sheets.
func TestNational(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the national territory")
	}
	n := newNational()
	idx, err := results.NewIndex(n.units)
	if err != nil {
		t.Fatal(err)
	}
	r, err := results.Compute(idx, nationalRound, n.ballots, n.sheets, n.counts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) != 0 {
		t.Errorf("Problems = %v, want none", r.Problems[:min(3, len(r.Problems))])
	}
	var cast, valid int64
	for _, s := range n.sheets {
		cast += s.Cast
		valid += s.Valid()
	}
	nat := r.Nation()
	if nat.Cast != cast || nat.Valid != valid || nat.TablesReported != nTables || nat.TablesExpected != nTables ||
		nat.CircuitsFinal != nCircuits || nat.Provisional {
		t.Errorf("nation: cast %d, valid %d, tables %d/%d, circuits final %d, provisional %v; want %d, %d, %d/%d, %d, false",
			nat.Cast, nat.Valid, nat.TablesReported, nat.TablesExpected, nat.CircuitsFinal, nat.Provisional,
			cast, valid, nTables, nTables, nCircuits)
	}
	if len(r.Level(comuna.LevelCircuit)) != nCircuits || len(r.Children(nat)) != nStates {
		t.Errorf("%d circuits, %d states; want %d, %d", len(r.Level(comuna.LevelCircuit)), len(r.Children(nat)), nCircuits, nStates)
	}
}

func BenchmarkNewIndexNational(b *testing.B) {
	n := newNational()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := results.NewIndex(n.units); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkComputeNational recomputes the national results with every
// table reported, as after each accepted sheet late on election night.
func BenchmarkComputeNational(b *testing.B) {
	n := newNational()
	idx, err := results.NewIndex(n.units)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := results.Compute(idx, nationalRound, n.ballots, n.sheets, n.counts, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkComputeNationalHalf is the same with half of the tables
// reported, so most circuits are provisional.
func BenchmarkComputeNationalHalf(b *testing.B) {
	n := newNational()
	idx, err := results.NewIndex(n.units)
	if err != nil {
		b.Fatal(err)
	}
	half := n.sheets[:len(n.sheets)/2]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := results.Compute(idx, nationalRound, n.ballots, half, n.counts, nil); err != nil {
			b.Fatal(err)
		}
	}
}
