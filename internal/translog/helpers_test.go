package translog

import (
	"context"

	"github.com/comuna/comuna/internal/comuna"
)

// staleCheckpoint serves a log with a fixed checkpoint, as a server whose
// database was edited after the checkpoint was signed.
type staleCheckpoint struct {
	*testLog
	msg []byte
}

func (s staleCheckpoint) Checkpoint(context.Context) ([]byte, error) { return s.msg, nil }

// dropRecord serves a log without record n.
type dropRecord struct {
	*testLog
	n int64
}

func (d dropRecord) Record(ctx context.Context, n int64) ([]byte, error) {
	if n == d.n {
		return nil, comuna.Errorf(comuna.ENotFound, "no record %d", n)
	}
	return d.testLog.Record(ctx, n)
}
