package cli

import (
	"context"
	"errors"
)

// runAllocate is written by the allocation-engine work (issue 3).
func runAllocate(ctx context.Context, env *Env, args []string) error {
	return errors.New("not built yet")
}

// runPBBench is written by the allocation-engine work (issue 3).
func runPBBench(ctx context.Context, env *Env, args []string) error {
	return errors.New("not built yet")
}
