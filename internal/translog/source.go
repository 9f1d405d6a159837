package translog

import (
	"context"
	"sync"

	"golang.org/x/mod/sumdb/note"
)

// Source is where a verifier reads a published log from. Paths are those
// served under /log/: "checkpoint", tlog tile paths ("tile/8/0/000") and
// "record/N". internal/logsource reads one over HTTP or from a directory.
type Source interface {
	// Checkpoint returns the latest signed checkpoint note.
	Checkpoint(ctx context.Context) ([]byte, error)
	// Tile returns the data of the tile at path, a tlog Tile.Path.
	Tile(ctx context.Context, path string) ([]byte, error)
	// Record returns record n; ENotFound if there is none.
	Record(ctx context.Context, n int64) ([]byte, error)
}

// Signed is a Log read in process as a server publishes it, with each
// checkpoint signed by Signer: a Source without a network in between.
type Signed struct {
	*Log
	Signer note.Signer
}

// Checkpoint implements Source: the log's current checkpoint, signed.
func (s Signed) Checkpoint(ctx context.Context) ([]byte, error) {
	return s.Log.Checkpoint(ctx, s.Signer)
}

// fetchers bounds how many tiles or records are fetched at once.
const fetchers = 16

// FetchAll calls f(0) … f(n-1), up to 16 at a time, and returns the
// error of the lowest index that failed; the first failure cancels the
// calls not yet started. Verify and mirrors fetch tiles and records
// with it.
func FetchAll(ctx context.Context, n int, f func(i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(fetchers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if errs[i] = f(i); errs[i] != nil {
					cancel()
				}
			}
		}()
	}
feed:
	for i := 0; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}
