package sqlstore

import (
	"context"
	"sync"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/voteday"
)

// maxGroup bounds how many check-ins share one transaction.
const maxGroup = 256

// groupCommitter runs check-ins from concurrent requests in shared
// transactions, one at a time, for engines whose writers are serial
// anyway (SQLite): a commit, and its sync to disk, then serves many
// check-ins. Each caller is answered only after the commit.
type groupCommitter struct {
	mu      sync.RWMutex // held for reading while a request is queued
	closed  bool
	once    sync.Once
	reqs    chan *checkInRequest
	quit    chan struct{} // closed by close
	stopped chan struct{} // closed by the committer when it has answered everything
}

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
		g.quit, g.stopped = make(chan struct{}), make(chan struct{})
		go db.commitGroups()
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

// commitGroups takes whatever check-ins are waiting, runs them in one
// transaction and answers them; once the store closes it answers what is
// left and stops.
func (db *DB) commitGroups() {
	g := &db.group
	defer close(g.stopped)
	for {
		var group []*checkInRequest
		select {
		case r := <-g.reqs:
			group = append(group, r)
		case <-g.quit:
			for {
				select {
				case r := <-g.reqs:
					db.commitGroup([]*checkInRequest{r})
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
		db.commitGroup(group)
	}
}

// commitGroup runs a group in one transaction. If the transaction fails
// as a whole, each check-in runs again alone, so that one failure does not
// refuse the others.
func (db *DB) commitGroup(group []*checkInRequest) {
	answer := func() {
		for _, r := range group {
			close(r.done)
		}
	}
	ctx := context.Background()
	if len(group) == 1 {
		group[0].res, group[0].err = db.checkInAlone(ctx, group[0])
		answer()
		return
	}
	tx, err := db.begin(ctx, true)
	if err == nil {
		err = func() error {
			defer tx.rollback()
			for _, r := range group {
				r.res, r.err = checkIn(ctx, tx, r)
				if r.err != nil && comuna.ErrorCode(r.err) == comuna.EInternal {
					return r.err // the transaction may be unusable
				}
			}
			return tx.commit()
		}()
	}
	if err != nil {
		for _, r := range group {
			r.res, r.err = db.checkInAlone(ctx, r)
		}
	}
	answer()
}

// close stops the group committer, if it runs, once every queued
// check-in is answered; later check-ins are EUnavailable.
func (g *groupCommitter) close() {
	g.mu.Lock()
	wasClosed := g.closed
	g.closed = true
	started := g.quit != nil
	g.mu.Unlock()
	if started && !wasClosed {
		close(g.quit)
		<-g.stopped
	}
}
