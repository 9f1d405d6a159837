package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/comuna/comuna/internal/simulate"
)

// errMismatch marks a simulation that ran but found errors or a recount
// that did not match; the report has been printed.
var errMismatch = fmt.Errorf("the simulation found errors or a recount mismatch (see the report)")

// runSimulate is `comuna simulate`: it plays a whole vote day against a
// running server through its JSON API and prints what it measured.
func runSimulate(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "simulate", "--url URL --token TOKEN --second-token TOKEN2 [flags]")
	url := fs.String("url", envOr(env, "COMUNA_URL", "http://localhost:8080"), "the server's root URL (env COMUNA_URL)")
	token := fs.String("token", env.getenv("COMUNA_TOKEN"), "an administrator's API token: check-ins, closes, first entries, phase moves (env COMUNA_TOKEN)")
	second := fs.String("second-token", env.getenv("COMUNA_SECOND_TOKEN"), "another account's API token, for the second entry of each sheet (env COMUNA_SECOND_TOKEN)")
	round := fs.Int64("round", 0, "the round to play; 0 picks the newest round in the ballots or voting phase")
	tables := fs.String("tables", "all", "how many tables take part (the first by code), or all")
	perTable := fs.Int("voters-per-table", 20, "voters checked in at each table")
	conc := fs.Int("concurrency", 64, "requests in flight")
	dups := fs.Float64("duplicates", 0.02, "share of voters who try again at another table (must be refused as already voted)")
	under := fs.Float64("underage", 0.01, "share of extra under-age attempts (must be refused as outside the age range)")
	seed := fs.Uint64("seed", 1, "seed of the synthetic documents, keys and sheets; the same seed replays the same day")
	retry := fs.Duration("retry-for", time.Minute, "how long to retry a request after network errors or 5xx answers, with the same idempotency key")
	until := fs.String("until", "", "stop after a phase: checkins, close or entries (for measuring one phase); default: the whole day and the recount")
	ackFile := fs.String("ack-log", "", "append every acknowledged check-in and tally entry to this file, as JSON lines")
	asJSON := fs.Bool("json", false, "print only the JSON report (the default prints it too, after a summary)")
	endVoting := fs.Bool("end-voting", false, "after a whole day, move the round from voting to counting for every table; a run of --tables all always does, a partial run only with this flag")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg := simulate.Config{URL: *url, Token: *token, SecondToken: *second, Round: *round, PerTable: *perTable,
		Concurrency: *conc, Duplicates: *dups, UnderAge: *under, Seed: *seed, RetryFor: *retry, Until: *until, Progress: env.Stderr,
		EndVoting: *endVoting || *tables == "all"}
	if *tables != "all" {
		n, err := strconv.Atoi(*tables)
		if err != nil || n <= 0 {
			return fmt.Errorf("%w: --tables must be a positive number or all, not %q", errUsage, *tables)
		}
		cfg.Tables = n
	}
	switch {
	case cfg.Token == "" || cfg.SecondToken == "":
		return fmt.Errorf("%w: --token and --second-token are required (two accounts' API tokens)", errUsage)
	case *perTable < 1, *conc < 1, *dups < 0 || *dups > 1, *under < 0 || *under > 1:
		return fmt.Errorf("%w: --voters-per-table and --concurrency must be positive, --duplicates and --underage between 0 and 1", errUsage)
	}
	if *ackFile != "" {
		f, err := os.OpenFile(*ackFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		cfg.AckLog = f
	}
	rep, err := simulate.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if !*asJSON {
		summarize(env.Stderr, rep)
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return err
	}
	if !rep.OK() {
		return errMismatch
	}
	return nil
}

// summarize writes a few human lines about a report.
func summarize(w io.Writer, r *simulate.Report) {
	fmt.Fprintf(w, "round %d: %d tables × %d voters in %.1fs\n", r.Round, r.Tables, r.VotersPerTable, r.Seconds)
	for _, p := range []struct {
		name string
		ph   simulate.Phase
	}{{"check-ins", r.CheckIns}, {"closes", r.Closes}, {"entries", r.Entries}} {
		fmt.Fprintf(w, "  %-9s %8d requests  %7.0f/s  p50 %.1f ms  p99 %.1f ms  max %.1f ms  %d errors\n",
			p.name, p.ph.Requests, p.ph.PerSec, p.ph.Latency.P50, p.ph.Latency.P99, p.ph.Latency.Max, p.ph.Errors)
	}
	if r.VotingEnded {
		fmt.Fprintf(w, "  voting ended: round %d is counting\n", r.Round)
	} else if r.Stopped == "" {
		fmt.Fprintf(w, "  round %d is still voting (a partial run ends voting only with --end-voting)\n", r.Round)
	}
	if r.RecountMatches != nil {
		fmt.Fprintf(w, "  recount matches: %v\n", *r.RecountMatches)
	} else {
		fmt.Fprintf(w, "  stopped after %s: no recount\n", r.Stopped)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "  problem: %s\n", p)
	}
}
