package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/voteday"
)

// pollBookCommands are the commands of 'comuna pollbook'.
var pollBookCommands = []subcommand{
	{"key", "write a new poll-book key to a new file and print its fingerprint"},
	{"destroy", "delete a round's document hashes once its results are final"},
}

// runPollBook manages the poll book outside vote day: key makes the
// electoral authority's key, destroy deletes a round's document hashes
// once its results are final.
func runPollBook(ctx context.Context, env *Env, args []string) error {
	if done, err := groupHelp(env, "pollbook", pollBookCommands, args); done {
		return err
	}
	switch sub, args := args[0], args[1:]; sub {
	case "key":
		return runPollBookKey(env, args)
	case "destroy":
		return runPollBookDestroy(ctx, env, args)
	default:
		return fmt.Errorf("%w: unknown pollbook command %q (want key or destroy)", errUsage, sub)
	}
}

// runPollBookKey writes a fresh poll-book key to a new file readable only
// by its owner and prints the key's fingerprint, never the key. It never
// overwrites a file: replacing a key in use would make every stored hash
// unmatchable, so a document could check in twice.
func runPollBookKey(env *Env, args []string) error {
	fs := newFlagSet(env, "pollbook key", "[--out FILE]")
	out := fs.String("out", "pollbook.key", "the new key file (created with mode 0600; never overwritten)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	k := pollbook.NewKey()
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists; a poll-book key is never overwritten (choose another --out)", *out)
	}
	if err != nil {
		return fmt.Errorf("poll-book key: %w", err)
	}
	if _, err := io.WriteString(f, k.Hex()+"\n"); err != nil {
		f.Close()
		os.Remove(*out)
		return fmt.Errorf("poll-book key: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(*out)
		return fmt.Errorf("poll-book key: %w", err)
	}
	fmt.Fprintf(env.Stdout, "wrote poll-book key %s to %s (mode 0600)\n", k.Fingerprint(), *out)
	fmt.Fprintf(env.Stdout, "serve it with --pollbook-key-file %s, or put its contents in COMUNA_POLLBOOK_KEY; every server of a round needs the same key\n", *out)
	return nil
}

// runPollBookDestroy deletes a round's document hashes after the operator
// confirms (or with --yes). It refuses a round not yet in results before
// asking anything; the per-table counts stay.
func runPollBookDestroy(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "pollbook destroy", "--round N [--db DSN] [--yes]")
	db := dbFlag(fs, env)
	roundID := fs.Int64("round", 0, "the round whose check-ins to destroy (required)")
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *roundID <= 0 {
		return fmt.Errorf("%w: --round is required", errUsage)
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := st.Round(ctx, *roundID)
	if err != nil {
		return err
	}
	if comuna.PhaseIndex(r.Phase) < comuna.PhaseIndex(comuna.PhaseResults) {
		return fmt.Errorf("round %d %q is in the %s phase: check-ins are destroyed only once results are final (phase %s or later); nothing was destroyed",
			r.ID, r.Name, r.Phase, comuna.PhaseResults)
	}
	counts, err := st.PollBookCounts(ctx, r.ID)
	if err != nil {
		return err
	}
	kept := summarizeCounts(counts)
	fmt.Fprintf(env.Stdout, "Round %d %q, phase %s: %s.\n", r.ID, r.Name, r.Phase, kept)
	if !*yes {
		ok, err := confirm(env, fmt.Sprintf("Destroy every document hash of round %d? This cannot be undone. Type yes to go on: ", r.ID))
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("not confirmed; nothing was destroyed")
		}
	}
	n, err := st.DestroyCheckIns(ctx, r.ID, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "destroyed %s of round %d; the per-table counts were kept (%s)\n", nounCount(n, "document hash", "document hashes"), r.ID, kept)
	return nil
}

// confirm asks a question on standard error and reports whether the
// answer read from standard input is yes.
func confirm(env *Env, question string) (bool, error) {
	fmt.Fprint(env.Stderr, question)
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("read confirmation: %w", err)
	}
	if err != nil {
		fmt.Fprintln(env.Stderr)
	}
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "yes" || answer == "y" || answer == "sí" || answer == "si", nil
}

// summarizeCounts totals a round's poll-book counters for the operator.
func summarizeCounts(counts map[string]voteday.TableCount) string {
	var checkIns, walkIns int64
	for _, c := range counts {
		checkIns += c.CheckIns
		walkIns += c.WalkIns
	}
	return fmt.Sprintf("%s and %s at %s", nounCount(checkIns, "check-in", "check-ins"),
		nounCount(walkIns, "walk-in", "walk-ins"), nounCount(int64(len(counts)), "table", "tables"))
}

func nounCount(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
