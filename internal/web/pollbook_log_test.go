package web

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/counting"
	"github.com/comuna/comuna/internal/sqlstore"
)

// The request log named the table and the member of every check-in, with
// its time (finding 7): beside the hashes, the order of voting at each
// table. Poll-book requests are now counted and logged per interval.
func TestPollBookRequestsNotLogged(t *testing.T) {
	backends(t, func(t *testing.T, store func(testing.TB) *sqlstore.DB) {
		e := voteEnvOn(t, newEnvOn(t, store(t)))
		var mu sync.Mutex
		var buf bytes.Buffer
		now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		srv, err := New(Config{Store: e.store, VoteDay: e.vd, Counting: counting.New(e.store), PollBookKey: testPollBookKey, Now: clock,
			Logger: slog.New(slog.NewTextHandler(&lockedWriter{mu: &mu, w: &buf}, nil))})
		if err != nil {
			t.Fatal(err)
		}
		e.srv = srv
		for i := range 3 {
			e.api("POST", e.roundPath("/tables/T1/checkins"), "table", checkInBody(fmt.Sprint(20_000_000+i), "1990-01-01", fmt.Sprintf("key-log-%04d", i)), 200, nil)
		}
		e.api("GET", e.roundPath("/tables/T1"), "table", "", 200, nil)
		mu.Lock()
		now = now.Add(61 * time.Second)
		mu.Unlock()
		e.api("POST", e.roundPath("/tables/T1/checkins"), "table", checkInBody("20000009", "1990-01-01", "key-log-0009"), 200, nil)
		e.api("GET", "/rounds", "table", "", 200, nil) // other routes are logged as before
		mu.Lock()
		log := buf.String()
		mu.Unlock()
		if strings.Contains(log, "T1") || strings.Contains(log, "/tables/") {
			t.Errorf("the log names a poll-book table, route or member:\n%s", log)
		}
		if !strings.Contains(log, "poll book requests") || !strings.Contains(log, "total=5") || !strings.Contains(log, "status_200=5") {
			t.Errorf("the log lacks the interval's counts (5 requests, all 200):\n%s", log)
		}
		if !strings.Contains(log, "path=/api/v1/rounds") {
			t.Errorf("other requests are no longer logged:\n%s", log)
		}
	})
}

// lockedWriter serialises writes to a shared buffer.
type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
