// Package simulate plays a whole vote day against a running Comuna server
// through its public JSON API only: it checks voters in at many tables at
// once (with a share of duplicate and under-age attempts whose answers it
// verifies), closes every table, enters every tally sheet twice with two
// accounts, moves the round on, and then recounts the published sheets
// against the published results. It measures throughput and latency on
// the way. Documents, birth dates, keys and sheets are deterministic for a
// seed, so a rerun replays rather than votes again.
package simulate

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/comuna/comuna/internal/progress"
)

// Config says what vote day to play and where.
type Config struct {
	URL         string // the server's root
	Token       string // an administrator's API token: check-ins, closes, first entries, transitions
	SecondToken string // another account's token: second entries
	Round       int64  // 0: the newest round in the ballots or voting phase
	Tables      int    // how many tables take part, first by code; 0 means all
	PerTable    int    // voters per table
	Concurrency int    // requests in flight
	Duplicates  float64
	UnderAge    float64
	Seed        uint64
	Until       string // stop after this phase: "checkins", "close", "entries"; "" plays the whole day
	// EndVoting moves the round from voting to counting after a whole
	// day, for every table of the round, not only those played; without
	// it the round keeps voting and the recount checks the live results.
	EndVoting bool
	RetryFor  time.Duration // how long to retry one request; 0 means a minute
	AckLog    io.Writer     // nil: no log
	Progress  io.Writer     // nil: no progress bar
	HTTP      *http.Client  // nil: a client sized for Concurrency
}

// Report is what a run measured and found.
type Report struct {
	URL            string   `json:"url"`
	Round          int64    `json:"round"`
	Seed           uint64   `json:"seed"`
	Tables         int      `json:"tables"`
	SkippedTables  int      `json:"skipped_tables"` // tables of circuits without a published ballot
	VotersPerTable int      `json:"voters_per_table"`
	Concurrency    int      `json:"concurrency"`
	CheckIns       Phase    `json:"checkins"`
	Closes         Phase    `json:"closes"`
	Entries        Phase    `json:"entries"`
	Recount        *Recount `json:"recount,omitempty"`
	RecountMatches *bool    `json:"recount_matches,omitempty"` // absent when the run stopped before the counting
	Stopped        string   `json:"stopped_after,omitempty"`   // the phase the run stopped after, if not the whole day
	VotingEnded    bool     `json:"voting_ended"`              // the run moved the round to counting
	Errors         int64    `json:"errors"`
	Problems       []string `json:"problems,omitempty"` // the first few errors, for a human
	Seconds        float64  `json:"seconds"`
}

// OK reports whether the run had no errors and the recount, if any,
// matched.
func (r *Report) OK() bool { return r.Errors == 0 && (r.RecountMatches == nil || *r.RecountMatches) }

// Phases a run may stop after (Config.Until).
const (
	UntilCheckIns = "checkins"
	UntilClose    = "close"
	UntilEntries  = "entries"
)

// maxProblems bounds how many errors a report spells out.
const maxProblems = 20

// run is one vote day in progress.
type run struct {
	cfg      Config
	c        *Client
	w        *Workload
	rep      *Report
	bar      *progress.Bar
	acks     *ackLog
	base     string // /api/v1/rounds/{id}
	mu       sync.Mutex
	accepted []int64 // per table: check-ins the server accepted
	ok       []bool  // per voter attempt: accepted
	sheets   map[string]submitted
}

// submitted is a table's accepted sheet as the simulator entered it.
type submitted struct {
	table int
	sheet sheetCounts
}

// Run plays the vote day and returns its report. An error means the day
// could not be played at all; errors along the way are counted in the
// report, whose OK says whether everything checked out.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	start := time.Now()
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 32
	}
	switch cfg.Until {
	case "", UntilCheckIns, UntilClose, UntilEntries:
	default:
		return nil, fmt.Errorf("cannot stop after %q (want checkins, close or entries)", cfg.Until)
	}
	if cfg.Token == "" || cfg.SecondToken == "" {
		return nil, fmt.Errorf("two API tokens are needed (two accounts for the double entry)")
	}
	c := NewClient(cfg.URL, cfg.Concurrency)
	if cfg.HTTP != nil {
		c.HTTP = cfg.HTTP
	}
	c.RetryFor = cfg.RetryFor
	r := &run{cfg: cfg, c: c, rep: &Report{URL: c.BaseURL, Seed: cfg.Seed, VotersPerTable: cfg.PerTable, Concurrency: cfg.Concurrency},
		sheets: map[string]submitted{}}
	if cfg.Progress != nil {
		r.bar = progress.New(cfg.Progress, "setup", 0)
	}
	round, err := r.setup(ctx)
	if err != nil {
		return nil, err
	}
	r.acks = newAckLog(cfg.AckLog)
	if round.Phase == "ballots" {
		if err := r.transition(ctx, "ballots", "voting"); err != nil {
			return nil, err
		}
	} else if round.Phase != "voting" {
		return nil, fmt.Errorf("round %d is in the %s phase; it must be in ballots or voting", round.ID, round.Phase)
	}
	r.play(ctx)
	r.bar.Finish()
	if err := r.acks.close(); err != nil {
		return nil, fmt.Errorf("ack log: %w", err)
	}
	if cfg.Until == "" {
		if cfg.EndVoting {
			if err := r.transition(ctx, "voting", "counting"); err != nil {
				r.problem("%v", err)
				r.rep.Errors++
			} else {
				r.rep.VotingEnded = true
			}
		}
		r.verify(ctx)
		r.rep.Errors += r.rep.Recount.Errors
	}
	r.rep.Errors += r.rep.CheckIns.Errors + r.rep.Closes.Errors + r.rep.Entries.Errors
	r.rep.Seconds = time.Since(start).Seconds()
	return r.rep, ctx.Err()
}

// play runs the phases of the day up to Config.Until.
func (r *run) play(ctx context.Context) {
	r.checkIns(ctx)
	if r.rep.Stopped = UntilCheckIns; r.cfg.Until == UntilCheckIns {
		return
	}
	r.closeTables(ctx)
	if r.rep.Stopped = UntilClose; r.cfg.Until == UntilClose {
		return
	}
	r.enterSheets(ctx)
	if r.rep.Stopped = UntilEntries; r.cfg.Until == UntilEntries {
		return
	}
	r.rep.Stopped = ""
}

// roundJSON is what the simulator reads of a round.
type roundJSON struct {
	ID       int64  `json:"id"`
	Phase    string `json:"phase"`
	VoteDate string `json:"vote_date"`
	MinAge   int    `json:"min_age"`
	MaxAge   int    `json:"max_age"`
}

// setup finds the round and its tables and plans the workload.
func (r *run) setup(ctx context.Context) (*roundJSON, error) {
	var round roundJSON
	if r.cfg.Round != 0 {
		if err := r.c.get(ctx, "/api/v1/rounds/"+strconv.FormatInt(r.cfg.Round, 10), &round); err != nil {
			return nil, err
		}
	} else {
		var list struct {
			Rounds []roundJSON `json:"rounds"`
		}
		if err := r.c.get(ctx, "/api/v1/rounds", &list); err != nil {
			return nil, err
		}
		for _, rd := range list.Rounds {
			if rd.Phase == "ballots" || rd.Phase == "voting" {
				round = rd
				break
			}
		}
		if round.ID == 0 {
			return nil, fmt.Errorf("no round is in the ballots or voting phase; name one with --round")
		}
	}
	vote, err := time.Parse(time.DateOnly, round.VoteDate)
	if err != nil {
		return nil, fmt.Errorf("round %d: vote date %q: %w", round.ID, round.VoteDate, err)
	}
	r.base = "/api/v1/rounds/" + strconv.FormatInt(round.ID, 10)
	var list struct {
		Tables []Table `json:"tables"`
	}
	if err := r.c.get(ctx, r.base+"/tables", &list); err != nil {
		return nil, fmt.Errorf("list the round's tables: %w", err)
	}
	var tables []Table
	for _, t := range list.Tables {
		if t.BallotSize == 0 {
			r.rep.SkippedTables++
			continue
		}
		if r.cfg.Tables > 0 && len(tables) == r.cfg.Tables {
			break
		}
		tables = append(tables, t)
	}
	if len(tables) == 0 {
		return nil, fmt.Errorf("round %d has no table whose circuit has a published ballot", round.ID)
	}
	r.w = NewWorkload(round.ID, r.cfg.Seed, tables, r.cfg.PerTable, r.cfg.Duplicates, r.cfg.UnderAge, vote, round.MinAge, round.MaxAge)
	r.rep.Round, r.rep.Tables = round.ID, len(tables)
	r.accepted = make([]int64, len(tables))
	r.ok = make([]bool, len(r.w.Voters))
	return &round, nil
}

// transition moves the round from one phase to the next. A retry that
// finds the round already moved is fine.
func (r *run) transition(ctx context.Context, from, to string) error {
	body := []byte(`{"from":"` + from + `","to":"` + to + `"}`)
	_, err := r.c.do(ctx, http.MethodPost, r.base+"/transitions", r.cfg.Token, body, nil)
	if err != nil {
		var round roundJSON
		if gerr := r.c.get(ctx, r.base, &round); gerr == nil && round.Phase == to {
			return nil
		}
		return fmt.Errorf("move round %d from %s to %s: %w", r.rep.Round, from, to, err)
	}
	return nil
}

// problem notes an error for the report's first few.
func (r *run) problem(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.rep.Problems) < maxProblems {
		r.rep.Problems = append(r.rep.Problems, fmt.Sprintf(format, args...))
	}
}

// parallel runs f(i) for i in [0, n) on the configured number of workers.
func (r *run) parallel(ctx context.Context, n int, f func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(r.cfg.Concurrency, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
