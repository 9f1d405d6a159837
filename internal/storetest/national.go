package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
)

// National sizes: the territory of a 2025–2026 consultation.
const (
	NationalStates         = 24
	NationalMunicipalities = 335
	NationalParishes       = 1101
	NationalCommunes       = 3650
	NationalCircuits       = 5336
	NationalCouncils       = 49000
	NationalCentres        = 10000
	NationalTables         = 16000
)

// NationalTerritory returns a deterministic synthetic territory of
// national size, parents first: about 85,000 units with a census of about
// 21 million people aged 15+.
func NationalTerritory() []comuna.Unit {
	us := make([]comuna.Unit, 0, NationalStates+NationalMunicipalities+NationalParishes+NationalCommunes+
		NationalCircuits+NationalCouncils+NationalCentres+NationalTables)
	add := func(n int, level comuna.Level, prefix, parentPrefix string, parents int, name string) {
		for i := 0; i < n; i++ {
			u := comuna.Unit{Level: level, Code: fmt.Sprintf("%s%05d", prefix, i), Name: fmt.Sprintf("%s %d", name, i+1)}
			if parents > 0 {
				u.Parent = fmt.Sprintf("%s%05d", parentPrefix, i%parents)
			}
			switch level {
			case comuna.LevelCouncil:
				u.Census = 200 + int64(i*37%460)
			case comuna.LevelCentre:
				u.Address = fmt.Sprintf("Calle %d", i%97+1)
			case comuna.LevelTable:
				u.Circuit = fmt.Sprintf("CI%05d", i%NationalCircuits)
			}
			us = append(us, u)
		}
	}
	add(NationalStates, comuna.LevelState, "S", "", 0, "Estado")
	add(NationalMunicipalities, comuna.LevelMunicipality, "M", "S", NationalStates, "Municipio")
	add(NationalParishes, comuna.LevelParish, "P", "M", NationalMunicipalities, "Parroquia")
	add(NationalCommunes, comuna.LevelCommune, "C", "P", NationalParishes, "Comuna")
	add(NationalCircuits, comuna.LevelCircuit, "CI", "C", NationalCommunes, "Circuito Comunal")
	add(NationalCouncils, comuna.LevelCouncil, "K", "CI", NationalCircuits, "Consejo Comunal")
	add(NationalCentres, comuna.LevelCentre, "E", "P", NationalParishes, "Centro de votación")
	add(NationalTables, comuna.LevelTable, "T", "E", NationalCentres, "Mesa")
	return us
}

// NationalProposals returns about 36,600 accepted proposals: six or seven
// for each circuit, from its councils.
func NationalProposals() []*comuna.Proposal {
	var ps []*comuna.Proposal
	for c := 0; c < NationalCircuits; c++ {
		k := 7
		if c%7 == 0 {
			k = 6
		}
		for j := 0; j < k; j++ {
			p := NewProposal(0, fmt.Sprintf("K%05d", c+j*NationalCircuits), fmt.Sprintf("Proyecto %d del circuito %d", j+1, c+1))
			p.Category = comuna.Categories[(c+j)%len(comuna.Categories)]
			p.Status, p.Reason = comuna.StatusAccepted, "Revisado: costo y factibilidad razonables"
			ps = append(ps, p)
		}
	}
	return ps
}

// NationalBallots returns one published ballot per circuit holding all of
// its proposals, which must have been stored (their IDs and circuits set).
func NationalBallots(ps []*comuna.Proposal) []*comuna.Ballot {
	byCircuit := map[string]*comuna.Ballot{}
	var bs []*comuna.Ballot
	for _, p := range ps {
		b := byCircuit[p.Circuit]
		if b == nil {
			b = &comuna.Ballot{Circuit: p.Circuit, Version: 1, Published: true}
			byCircuit[p.Circuit] = b
			bs = append(bs, b)
		}
		b.Items = append(b.Items, comuna.BallotItem{Number: len(b.Items) + 1, ProposalID: p.ID})
	}
	return bs
}

// LoadNational loads the national data set into an empty store — the
// territory, a round (which freezes its copy), the proposals and the
// ballots — and reports how long each step took.
func LoadNational(tb testing.TB, s *sqlstore.DB) (steps []string, times []time.Duration) {
	tb.Helper()
	ctx := context.Background()
	step := func(name string, fn func() error) {
		start := time.Now()
		if err := fn(); err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		steps, times = append(steps, name), append(times, time.Since(start))
	}
	units := NationalTerritory()
	step(fmt.Sprintf("import %d units", len(units)), func() error {
		_, err := s.ImportUnits(ctx, Source(units...), nil)
		return err
	})
	r := NewRound("Consulta nacional")
	step("create round (freeze territory)", func() error { return s.CreateRound(ctx, r) })
	ps := NationalProposals()
	step(fmt.Sprintf("import %d proposals", len(ps)), func() error { return s.ImportProposals(ctx, r.ID, ps, nil) })
	bs := NationalBallots(ps)
	step(fmt.Sprintf("import %d ballots", len(bs)), func() error { return s.ImportBallots(ctx, r.ID, bs, nil) })
	return steps, times
}

// BenchmarkNational runs LoadNational once per iteration on a fresh store
// and reports each step's time, then times the heaviest reads on the
// loaded data.
func BenchmarkNational(b *testing.B, open func(b *testing.B) *sqlstore.DB) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := open(b)
		b.StartTimer()
		start := time.Now()
		steps, times := LoadNational(b, s)
		total := time.Since(start)
		b.StopTimer()
		for j, name := range steps {
			b.Logf("%-36s %v", name, times[j].Round(time.Millisecond))
		}
		b.Logf("%-36s %v", "total", total.Round(time.Millisecond))
		b.ReportMetric(total.Seconds(), "load-s")
		start = time.Now()
		st, err := s.UnitStats(ctx, 0, comuna.LevelState, "S00000")
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%-36s %v (%d councils, census %d, %d tables)", "UnitStats(state)", time.Since(start).Round(time.Microsecond), st.Councils, st.Census, st.Tables)
		start = time.Now()
		if _, err := s.Units(ctx, comuna.UnitFilter{Query: "circuito comunal 4711"}); err != nil {
			b.Fatal(err)
		}
		b.Logf("%-36s %v", "Units(query)", time.Since(start).Round(time.Microsecond))
		start = time.Now()
		if _, err := s.Ballot(ctx, 1, "CI04711"); err != nil {
			b.Fatal(err)
		}
		b.Logf("%-36s %v", "Ballot(circuit)", time.Since(start).Round(time.Microsecond))
		b.StartTimer()
	}
}
