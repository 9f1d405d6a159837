package simulate

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/counting"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/storetest"
	"github.com/comuna/comuna/internal/web"
)

// BenchmarkCheckInHTTP checks b.N distinct voters in through the whole
// HTTP path — client, net/http, authentication, JSON, the poll-book key,
// the real SQLite store — from 64 parallel clients at tables spread over
// the national territory, and reports throughput and latency percentiles.
// Server and clients share the machine, as on election night's test rig:
//
//	go test -run '^$' -bench CheckInHTTP -benchtime 20000x ./internal/simulate/
func BenchmarkCheckInHTTP(b *testing.B) {
	ctx := context.Background()
	st := storetest.SQLite(b)
	if _, err := st.ImportUnits(ctx, storetest.Source(storetest.BenchTerritory()...), nil); err != nil {
		b.Fatal(err)
	}
	admin := &comuna.User{Username: "bench", Name: "Bench", Role: comuna.RoleAdmin, PasswordHash: "x"}
	if err := st.CreateUser(ctx, admin); err != nil {
		b.Fatal(err)
	}
	token, hash := auth.NewToken()
	if err := st.CreateAPIToken(ctx, &comuna.APIToken{TokenHash: hash, UserID: admin.ID, Name: "bench"}); err != nil {
		b.Fatal(err)
	}
	r := storetest.NewRound("Consulta")
	if err := st.CreateRound(ctx, r); err != nil {
		b.Fatal(err)
	}
	storetest.MoveTo(b, st, r, comuna.PhaseVoting, 0)
	srv, err := web.New(web.Config{Store: st, VoteDay: st, Counting: counting.New(st), PollBookKey: pollbook.NewKey(),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	const clients = 64
	c := NewClient(hs.URL, clients)
	post := func(n int) (checkInAnswer, time.Duration, error) {
		a := Attempt{Number: document(7, n), BirthDate: "1980-01-01", Key: fmt.Sprintf("bench-key-%d", n)}
		var ans checkInAnswer
		res, err := c.do(ctx, http.MethodPost, fmt.Sprintf("/api/v1/rounds/%d/tables/T%05d/checkins", r.ID, n*7919%storetest.NationalTables),
			token, a.body(), &ans)
		return ans, res.latency, err
	}
	if _, _, err := post(docSpace - 1); err != nil { // warm the caches
		b.Fatal(err)
	}
	var next atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism((clients + 1) / 2)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			ans, d, err := post(int(next.Add(1)))
			mine = append(mine, d)
			if err != nil || ans.Outcome != outcomeAccepted {
				b.Errorf("check-in = %+v, %v; want accepted", ans, err)
				return
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
	l := percentiles(lat)
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "checkins/s")
	b.ReportMetric(l.P50, "p50-ms")
	b.ReportMetric(l.P99, "p99-ms")
}
