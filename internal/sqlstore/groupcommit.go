package sqlstore

import (
	"context"
	"sync"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/voteday"
)

// maxGroup bounds how many check-ins share one transaction.
const maxGroup = 256

// A committer that finds fewer than minGroup check-ins waiting waits up
// to gatherWait for more to join the batch. At the national peak (2,500
// check-ins a second) that makes batches of about ten voters at several
// tables; under heavy load batches fill at once and nobody waits.
const (
	minGroup   = 8
	gatherWait = 4 * time.Millisecond
)

// groupCommitter runs check-ins from concurrent requests in shared
// transactions. A commit, and its sync to disk, then serves many
// check-ins, and — what matters more — one commit holds many voters'
// hashes and many tables' counters, each counter changed once, so the
// write-ahead log and the rows' transaction ids do not link a voter to
// a table. Engines with serial writers (SQLite) run one committer; others
// run several, each with its own batches. Each caller is answered only
// after the commit.
type groupCommitter struct {
	mu      sync.RWMutex // held for reading while a request is queued
	closed  bool
	once    sync.Once
	reqs    chan *checkInRequest
	quit    chan struct{} // closed by close
	stopped sync.WaitGroup
}

// committers is how many batches run at once where writers are not
// serial.
const committers = 4

// groupCheckIn hands a check-in to the committer and waits for its
// answer.
func (db *DB) groupCheckIn(ctx context.Context, req *checkInRequest) (*voteday.CheckInResult, error) {
	g := &db.group
	g.mu.RLock()
	if g.closed {
		g.mu.RUnlock()
		return nil, comuna.Errorf(comuna.EUnavailable, "the database is closed")
	}
	g.once.Do(func() {
		g.reqs = make(chan *checkInRequest, maxGroup)
		g.quit = make(chan struct{})
		n := committers
		if db.writer != nil {
			n = 1
		}
		for range n {
			g.stopped.Add(1)
			go db.commitGroups()
		}
	})
	req.done = make(chan struct{})
	select {
	case g.reqs <- req:
		g.mu.RUnlock()
	case <-ctx.Done():
		g.mu.RUnlock()
		return nil, ctx.Err()
	}
	// Once queued the check-in runs whatever the caller does; wait for it
	// so the answer matches what was stored.
	<-req.done
	return req.res, req.err
}

// commitGroups takes the check-ins waiting, and those that arrive within
// gatherWait, runs them in one transaction and answers them; once the
// store closes it answers what is left and stops.
func (db *DB) commitGroups() {
	g := &db.group
	defer g.stopped.Done()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		var group []*checkInRequest
		select {
		case r := <-g.reqs:
			group = append(group, r)
		case <-g.quit:
			for {
				select {
				case r := <-g.reqs:
					db.answer(db.commitGroup([]*checkInRequest{r}))
				default:
					return
				}
			}
		}
	fill:
		for len(group) < maxGroup {
			select {
			case r := <-g.reqs:
				group = append(group, r)
			default:
				break fill
			}
		}
		if len(group) < minGroup {
			// A quiet moment: wait a little for company, so the commit
			// does not hold one voter beside one table's counter.
			timer.Reset(gatherWait)
		wait:
			for len(group) < minGroup {
				select {
				case r := <-g.reqs:
					group = append(group, r)
				case <-timer.C:
					break wait
				case <-g.quit:
					break wait
				}
			}
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
		}
		db.answer(db.commitGroup(group))
	}
}

// answer wakes the callers of a committed group.
func (db *DB) answer(group []*checkInRequest) {
	for _, r := range group {
		close(r.done)
	}
}

// commitGroup runs a group in one transaction. If the transaction fails
// as a whole, each check-in runs again alone, so that one failure does not
// refuse the others.
func (db *DB) commitGroup(group []*checkInRequest) []*checkInRequest {
	ctx := context.Background()
	if err := db.checkInBatch(ctx, group); err != nil {
		if len(group) == 1 {
			group[0].res, group[0].err = nil, err
			return group
		}
		for _, r := range group {
			if err := db.checkInBatch(ctx, []*checkInRequest{r}); err != nil {
				r.res, r.err = nil, err
			}
		}
	}
	return group
}

// close stops the group committers, if they run, once every queued
// check-in is answered; later check-ins are EUnavailable.
func (g *groupCommitter) close() {
	g.mu.Lock()
	wasClosed := g.closed
	g.closed = true
	started := g.quit != nil
	g.mu.Unlock()
	if started && !wasClosed {
		close(g.quit)
		g.stopped.Wait()
	}
}
