package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/voteday"
)

// BenchTerritory returns a territory with the national number of tables
// (16,000 in 1,000 centres and 100 circuits) and little else, quick to
// load for poll-book benchmarks.
func BenchTerritory() []comuna.Unit {
	us := []comuna.Unit{
		{Level: comuna.LevelState, Code: "S", Name: "Estado"},
		{Level: comuna.LevelMunicipality, Code: "M", Parent: "S", Name: "Municipio"},
		{Level: comuna.LevelParish, Code: "P", Parent: "M", Name: "Parroquia"},
		{Level: comuna.LevelCommune, Code: "C", Parent: "P", Name: "Comuna"},
	}
	for i := range 100 {
		us = append(us, comuna.Unit{Level: comuna.LevelCircuit, Code: fmt.Sprintf("CI%03d", i), Parent: "C", Name: fmt.Sprintf("Circuito %d", i)})
	}
	for i := range 100 {
		us = append(us, comuna.Unit{Level: comuna.LevelCouncil, Code: fmt.Sprintf("K%03d", i), Parent: fmt.Sprintf("CI%03d", i),
			Name: fmt.Sprintf("Consejo %d", i), Census: 2000})
	}
	for i := range 1000 {
		us = append(us, comuna.Unit{Level: comuna.LevelCentre, Code: fmt.Sprintf("E%04d", i), Parent: "P", Name: fmt.Sprintf("Centro %d", i)})
	}
	for i := range NationalTables {
		us = append(us, comuna.Unit{Level: comuna.LevelTable, Code: fmt.Sprintf("T%05d", i), Parent: fmt.Sprintf("E%04d", i%1000),
			Name: fmt.Sprintf("Mesa %d", i), Circuit: fmt.Sprintf("CI%03d", i%100)})
	}
	return us
}

// BenchmarkCheckIn checks in b.N distinct voters from many goroutines at
// once (16 per CPU, each at tables spread over the country, with one in
// fifty a document already checked in) and reports throughput and
// latency percentiles.
func BenchmarkCheckIn(b *testing.B, open func(b *testing.B) *sqlstore.DB) {
	ctx := context.Background()
	s := open(b)
	if _, err := s.ImportUnits(ctx, Source(BenchTerritory()...), nil); err != nil {
		b.Fatal(err)
	}
	r := NewRound("Consulta")
	if err := s.CreateRound(ctx, r); err != nil {
		b.Fatal(err)
	}
	MoveTo(b, s, r, comuna.PhaseVoting, 0)
	var vd voteday.Store = s
	// Warm the round's cache, as the first request of a server would.
	if _, err := vd.TableState(ctx, r.ID, "T00000"); err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	var accepted, refused atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			n := int(next.Add(1))
			voter := n
			if n%50 == 0 {
				voter = n - 1 // a second attempt of the previous voter
			}
			t0 := time.Now()
			res, err := vd.CheckIn(ctx, voteday.CheckIn{RoundID: r.ID, Table: fmt.Sprintf("T%05d", n*7919%NationalTables),
				DocHash: DocHash(voter), IdempotencyKey: Key("bench", n)})
			mine = append(mine, time.Since(t0))
			if err != nil {
				b.Errorf("CheckIn(%d) = %v", n, err)
				return
			}
			if res.Outcome == pollbook.OutcomeAccepted {
				accepted.Add(1)
			} else {
				refused.Add(1)
			}
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "checkins/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(refused.Load()), "refused")
	if want := int64(len(lat)) - int64(len(lat))/50; accepted.Load() < want-1 || accepted.Load() > want+1 {
		b.Errorf("%d accepted of %d; want about %d", accepted.Load(), len(lat), want)
	}
}
