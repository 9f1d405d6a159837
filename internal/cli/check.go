package cli

import (
	"context"
	"fmt"
)

// runCheck compares the stored sheets and ballots with the transparency
// log and lists every difference; it fails if there is any.
func runCheck(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "check", "[--db DSN] [--round N]")
	db := dbFlag(fs, env)
	roundID := fs.Int64("round", 0, "check only this round (default: every round)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.LogSize(ctx)
	if err != nil {
		return err
	}
	ps, err := st.CheckIntegrity(ctx, *roundID)
	if err != nil {
		return err
	}
	for _, p := range ps {
		fmt.Fprintln(env.Stdout, "MISMATCH", p)
	}
	if len(ps) > 0 {
		return fmt.Errorf("%d stored sheets or ballots do not match the transparency log", len(ps))
	}
	fmt.Fprintf(env.Stdout, "ok: every accepted sheet and published ballot matches its record in the log of %d records\n", n)
	return nil
}
