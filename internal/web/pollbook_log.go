package web

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// pollLogEvery is how often the poll book's requests are logged, as
// counts.
const pollLogEvery = time.Minute

// pollLog counts the poll book's requests instead of logging each one: a
// line naming the table, the member and the second of every check-in
// would rebuild, beside the hashes, the order in which people voted at
// each table. It logs the counts by status once per pollLogEvery, at the
// first request after the interval, naming no table and no account.
type pollLog struct {
	mu       sync.Mutex
	since    time.Time
	statuses map[int]int
}

// isPollBook reports whether the request went to a poll-book route.
func isPollBook(info *reqInfo) bool {
	return info.route != nil && info.route.Action == comuna.ActionPollBook
}

// count adds a request's status and logs the interval's counts if it has
// ended.
func (p *pollLog) count(ctx context.Context, log *slog.Logger, status int, now time.Time) {
	p.mu.Lock()
	if p.statuses == nil {
		p.statuses, p.since = map[int]int{}, now
	}
	p.statuses[status]++
	if now.Sub(p.since) < pollLogEvery {
		p.mu.Unlock()
		return
	}
	counts, since := p.statuses, p.since
	p.statuses, p.since = map[int]int{}, now
	p.mu.Unlock()
	args := []any{"since", since.UTC().Format(time.RFC3339), "seconds", int(now.Sub(since).Seconds())}
	total := 0
	for st, n := range counts {
		args = append(args, "status_"+itoa(st), n)
		total += n
	}
	log.Log(ctx, slog.LevelInfo, "poll book requests", append(args, "total", total)...)
}
