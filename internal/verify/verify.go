// Package verify is the engine of `comuna verify`: it checks a Comuna
// server's transparency log with package translog (every signature, tile
// and record hash, and consistency with the checkpoint seen before),
// decodes every record with package record, rebuilds each round's rules,
// territory, ballots and latest tally sheet per table, recomputes every
// circuit's votes and what it funds with allocation.Decide — the one
// decision the server uses — from the round's logged rules (allocation
// rule, budget, winners, amount per project, tie-break and seed; a record
// without an allocation is top-k, as rounds were decided before they chose
// one), adds up national totals, and compares all of it with the results
// the server publishes: the funded projects, their order and amounts. It uses only public data: the log and the
// public JSON API (or copies of both in a directory), never a database.
package verify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/comuna/comuna/internal/logsource"
	"github.com/comuna/comuna/internal/translog"
)

// Config is what a verification reads.
type Config struct {
	// Log is the published log: logsource.HTTPSource or logsource.DirSource.
	Log translog.Source
	// Keys are the verifier keys published with the rounds; the
	// checkpoint must be signed by one of them.
	Keys []string
	// StatePath is the file keeping the checkpoint seen last time; ""
	// checks no consistency with an earlier run and saves nothing.
	StatePath string
	// Results are the published results to compare with; nil compares
	// nothing and only checks the log and recomputes.
	Results Results
}

// Report is what a verification found. A run without error can still
// fail: see OK.
type Report struct {
	Origin   string // the log's name, from its checkpoint
	Records  int64  // records in the verified tree
	TreeHash string // the signed tree hash, base64
	// LogError is set when the log itself failed verification; its
	// Records name every record at fault, and nothing was recomputed.
	LogError *translog.VerifyError
	Rounds   []*RoundReport
	// Federations are the federations replayed from the log, each
	// closed election recounted from its logged ballots.
	Federations []*FederationReport
	// Mismatches lists every disagreement between the log and itself or
	// the published results, in round, circuit and table order.
	Mismatches []Mismatch
}

// OK reports whether the log verified and nothing disagreed.
func (r *Report) OK() bool { return r.LogError == nil && len(r.Mismatches) == 0 }

// RoundReport sums up one round as rebuilt from the log.
type RoundReport struct {
	ID       int64
	Name     string
	Phase    string // the last phase change logged
	Ballots  int    // circuits with a logged ballot
	Sheets   int    // tables with a logged sheet (their latest version counts)
	Versions int    // sheet and correction records
	Circuits int    // circuits recomputed
	Final    int    // circuits where every table has a sheet
	Compared int    // circuits compared with the published results
	Totals   Totals // national totals recomputed from the latest sheets
	Funded   int    // winners of final circuits
	Projects int    // funded projects replayed from their logged entries
}

// Totals are ballots added up over a set of tables.
type Totals struct {
	Cast, Valid, Blank, Null int64
}

// Mismatch is one disagreement, naming where it is: the round, the
// circuit and table when they apply, and the log index of the record at
// fault (-1 when none is).
type Mismatch struct {
	// Federation, when not 0, is the federation at fault (Round is then 0).
	Federation int64
	Round      int64
	Circuit    string
	Table      string
	Index      int64
	Message    string
}

// Error says where and what.
func (m Mismatch) Error() string {
	where := fmt.Sprintf("round %d", m.Round)
	if m.Federation != 0 {
		where = fmt.Sprintf("federation %d", m.Federation)
	}
	if m.Circuit != "" {
		where += ", circuit " + m.Circuit
	}
	if m.Table != "" {
		where += ", table " + m.Table
	}
	if m.Index >= 0 {
		where += fmt.Sprintf(" (log record %d)", m.Index)
	}
	return where + ": " + m.Message
}

// Run verifies the log of cfg and compares the results it implies with
// the published ones. A log that fails verification, a record that does
// not decode or fit, and any disagreement go into the report; the error
// is for what stopped the run (an unreachable server, unreadable files,
// a bad key).
func Run(ctx context.Context, cfg Config) (*Report, error) {
	var (
		recs [][]byte
		err  error
		c    *translog.Checkpoint
	)
	if cfg.StatePath != "" {
		c, recs, err = logsource.VerifySaved(ctx, cfg.Log, cfg.Keys, cfg.StatePath)
	} else {
		c, recs, err = translog.Verify(ctx, cfg.Log, cfg.Keys, nil)
	}
	rep := &Report{}
	var ve *translog.VerifyError
	if errors.As(err, &ve) {
		rep.LogError = ve
		return rep, nil
	}
	if err != nil {
		return nil, err
	}
	rep.Origin, rep.Records = c.Origin, c.Tree.N
	rep.TreeHash = c.Tree.Hash.String()
	log := rebuild(recs)
	rep.Mismatches = append(rep.Mismatches, log.problems...)
	feds, fms := checkFederations(&log.feds)
	rep.Federations = feds
	rep.Mismatches = append(rep.Mismatches, fms...)
	for _, id := range log.order {
		rr, ms, err := check(ctx, log.rounds[id], cfg.Results)
		if err != nil {
			return nil, err
		}
		n, ems, err := checkExecution(ctx, log.rounds[id], cfg.Results, time.Now())
		if err != nil {
			return nil, err
		}
		rr.Projects = n
		ms = append(ms, ems...)
		rep.Rounds = append(rep.Rounds, rr)
		rep.Mismatches = append(rep.Mismatches, ms...)
	}
	return rep, nil
}
