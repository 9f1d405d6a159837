package logsource

import (
	"context"
	"errors"
	"os"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/translog"
)

// LoadCheckpoint reads the checkpoint a verifier saved at path and checks
// its signature against vkeys. A missing file is an ENotFound error: the
// verifier has not seen this log before.
func LoadCheckpoint(path string, vkeys []string) (*translog.Checkpoint, error) {
	msg, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, comuna.Errorf(comuna.ENotFound, "no checkpoint saved at %s", path)
	}
	if err != nil {
		return nil, err
	}
	c, err := translog.OpenCheckpoint(msg, vkeys)
	if err != nil {
		return nil, comuna.Errorf(comuna.EInvalid, "saved checkpoint %s: %v", path, err)
	}
	return c, nil
}

// SaveCheckpoint writes c's signed note to path, replacing any earlier one
// atomically so that a crash never leaves half a checkpoint.
func SaveCheckpoint(path string, c *translog.Checkpoint) error {
	return writeFileAtomic(path, c.Note)
}

// VerifySaved is translog.Verify with the previous checkpoint kept in the
// file at statePath: it loads it (none the first time), verifies, and
// saves the new checkpoint only if verification passed, so a later run
// against a rolled-back or forked log still fails.
func VerifySaved(ctx context.Context, src translog.Source, vkeys []string, statePath string) (*translog.Checkpoint, [][]byte, error) {
	prev, err := LoadCheckpoint(statePath, vkeys)
	if comuna.ErrorCode(err) == comuna.ENotFound {
		prev, err = nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	c, records, err := translog.Verify(ctx, src, vkeys, prev)
	if err != nil {
		return nil, nil, err
	}
	if err := SaveCheckpoint(statePath, c); err != nil {
		return nil, nil, errorf("verify: saving checkpoint", err)
	}
	return c, records, nil
}
