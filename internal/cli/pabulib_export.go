package cli

import (
	"context"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strconv"

	"github.com/comuna/comuna/internal/allocation"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pabulib"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/voteday"
)

// runExportPabulib is `comuna export pabulib [--db DSN] --round N [--circuit CODE] [FILE|DIR|-]`.
func runExportPabulib(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "export pabulib", "[--db DSN] --round N [--circuit CODE] [FILE|DIR|-]")
	db := dbFlag(fs, env)
	roundID := fs.Int64("round", 0, "the round to export (required)")
	circuit := fs.String("circuit", "", "export only this circuit, as one file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *roundID == 0 || fs.NArg() > 1 {
		fs.Usage()
		return fmt.Errorf("%w: give --round and at most one file, directory or -", errUsage)
	}
	dest := "-"
	if fs.NArg() == 1 {
		dest = fs.Arg(0)
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
	circuits := []string{*circuit}
	if *circuit == "" {
		if circuits, err = ballotCircuits(ctx, st, r); err != nil {
			return err
		}
	}
	dir := ""
	if info, err := os.Stat(dest); err == nil && info.IsDir() {
		dir = dest
	} else if len(circuits) != 1 {
		return fmt.Errorf("%w: round %d has %d circuits with a ballot; give --circuit, or a directory for one file per circuit", errUsage, r.ID, len(circuits))
	}
	for _, c := range circuits {
		f, err := PabulibCircuit(ctx, st, r, c)
		if err != nil {
			return err
		}
		switch {
		case dir != "":
			err = writePabulib(filepath.Join(dir, c+".pb"), nil, f)
		case dest == "-":
			err = writePabulib("", env.Stdout, f)
		default:
			err = writePabulib(dest, nil, f)
		}
		if err != nil {
			return err
		}
	}
	if dest != "-" {
		fmt.Fprintf(env.Stderr, "exported %d circuit(s) of round %d to %s\n", len(circuits), r.ID, dest)
	}
	return nil
}

// writePabulib writes f to w, or to a new file at path.
func writePabulib(path string, w io.Writer, f *pabulib.File) error {
	if w != nil {
		return pabulib.Write(w, f)
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pabulib.Write(out, f); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// ballotCircuits lists the circuits of the round's territory that have a
// ballot, in code order.
func ballotCircuits(ctx context.Context, st comuna.Store, r *comuna.Round) ([]string, error) {
	var codes []string
	err := st.EachUnit(ctx, r.TerritoryVersion, func(u comuna.Unit) error {
		if u.Level == comuna.LevelCircuit {
			codes = append(codes, u.Code)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range codes {
		if _, err := st.Ballot(ctx, r.ID, c); err == nil {
			out = append(out, c)
		} else if comuna.ErrorCode(err) != comuna.ENotFound {
			return nil, err
		}
	}
	return out, nil
}

// PabulibCircuit builds the pabulib file of one circuit of a round: its
// latest ballot as PROJECTS (project_id is the project's external id, or
// its ballot number), and as VOTES the round's stored ballots or, for a
// consultation, the accepted tally sheets' counts expanded to one
// choose-1 voter per vote, numbered 1..n in ballot-number order. The
// PROJECTS selected column is the circuit's decision (allocation.Decide,
// as the results have it): 1 for a funded project, 0 otherwise, all 0
// while no vote is counted.
func PabulibCircuit(ctx context.Context, st *sqlstore.DB, r *comuna.Round, circuit string) (*pabulib.File, error) {
	b, err := st.Ballot(ctx, r.ID, circuit)
	if err != nil {
		return nil, err
	}
	path, err := st.Unit(ctx, r.TerritoryVersion, comuna.LevelCircuit, circuit)
	if err != nil {
		return nil, err
	}
	f := &pabulib.File{ProjectColumns: []string{"project_id", "cost", "name", "votes", "selected"}, VoteColumns: []string{"voter_id", "vote"}}
	byNumber := make(map[int]int, len(b.Items))
	dc := &allocation.Circuit{Rules: allocation.RulesOf(r), Code: circuit}
	for i, it := range b.Items {
		id := it.ExternalID
		if id == "" {
			id = strconv.Itoa(it.Number)
		}
		f.Projects = append(f.Projects, pabulib.Project{ID: id, Cost: big.NewRat(int64(it.Cost), 100),
			Fields: []string{"", "", it.Title, "", "0"}})
		byNumber[it.Number] = i
		dc.Projects = append(dc.Projects, allocation.Project{Number: it.Number, ProposalID: it.ProposalID, ExternalID: it.ExternalID, Title: it.Title, Cost: it.Cost})
	}
	votes := make([]int64, len(f.Projects))
	ballots, err := st.PBBallots(ctx, r.ID, circuit)
	if err != nil {
		return nil, err
	}
	dc.Ballots = ballots
	reported := len(ballots) > 0
	if len(ballots) == 0 && r.VoteRule == comuna.RuleChooseOne {
		if ballots, dc.Votes, dc.Blank, reported, err = sheetBallots(ctx, st, r.ID, circuit, len(b.Items)); err != nil {
			return nil, err
		}
		dc.Ballots = nil
	}
	if reported {
		d, err := allocation.Decide(dc)
		if err != nil {
			return nil, fmt.Errorf("export pabulib: %w", err)
		}
		for _, fp := range d.Funded {
			f.Projects[byNumber[fp.Number]].Fields[4] = "1"
		}
	}
	if r.VoteRule == comuna.RuleCumulative {
		f.VoteColumns = append(f.VoteColumns, "points")
	}
	for _, pbb := range ballots {
		v := pabulib.Vote{VoterID: pbb.Voter, Ballot: make([]int, len(pbb.Projects)), Points: pbb.Points,
			Fields: make([]string, len(f.VoteColumns))}
		for j, n := range pbb.Projects {
			k, ok := byNumber[n]
			if !ok {
				return nil, fmt.Errorf("export pabulib: voter %q chose ballot number %d, not on the ballot of %s", pbb.Voter, n, circuit)
			}
			v.Ballot[j] = k
			votes[k]++
		}
		f.Votes = append(f.Votes, v)
	}
	for i := range f.Projects {
		f.Projects[i].Fields[3] = strconv.FormatInt(votes[i], 10)
	}
	f.Meta = pabulibMeta(r, path, len(f.Projects), len(f.Votes), b.Items)
	return f, nil
}

// pabulibMeta writes the META section of a circuit.
func pabulibMeta(r *comuna.Round, path *comuna.Path, projects, voters int, items []comuna.BallotItem) []pabulib.KV {
	names := map[comuna.Level]string{}
	for _, u := range path.Ancestors {
		names[u.Level] = u.Name
	}
	budget := r.Allocation.Budget
	if budget == 0 { // a consultation: what the circuit's winners receive
		budget = r.AmountPerProject * comuna.Cents(r.WinnersPerCircuit)
	}
	voteType := string(r.VoteRule)
	if r.VoteRule == comuna.RuleChooseOne {
		voteType = "choose-1"
	}
	kvs := []pabulib.KV{
		{Key: "description", Value: r.Name},
		{Key: "country", Value: names[comuna.LevelState]},
		{Key: "unit", Value: names[comuna.LevelMunicipality]},
	}
	if s := names[comuna.LevelParish]; s != "" && s != names[comuna.LevelMunicipality] {
		kvs = append(kvs, pabulib.KV{Key: "subunit", Value: s})
	}
	return append(kvs,
		pabulib.KV{Key: "instance", Value: path.Unit.Name},
		pabulib.KV{Key: "num_projects", Value: strconv.Itoa(projects)},
		pabulib.KV{Key: "num_votes", Value: strconv.Itoa(voters)},
		pabulib.KV{Key: "budget", Value: pabulib.FormatDecimal(big.NewRat(int64(budget), 100))},
		pabulib.KV{Key: "vote_type", Value: voteType},
		pabulib.KV{Key: "rule", Value: pabulibRule(r.Allocation)},
		pabulib.KV{Key: "currency", Value: r.Currency},
		pabulib.KV{Key: "date_end", Value: r.VoteDate.Format("02.01.2006")},
	)
}

// pabulibRule names an allocation as pabulib's META rule does.
func pabulibRule(a comuna.Allocation) string {
	switch a.Rule {
	case comuna.AllocMES:
		s := "equalshares"
		if a.Completion != "" && a.Completion != "none" {
			s += "/" + a.Completion
		}
		if a.Fill == "greedy" {
			s += "/greedy"
		}
		return s
	case "":
		return "topk"
	}
	return string(a.Rule)
}

// sheetBallots expands a consultation circuit's accepted tally sheets into
// one choose-one ballot per vote, voters numbered 1..n by ballot number.
// It also returns the votes per ballot number and the blank ballots, and
// whether any sheet of the circuit is counted.
func sheetBallots(ctx context.Context, st voteday.Store, roundID int64, circuit string, size int) ([]comuna.PBBallot, []int64, int64, bool, error) {
	sheets, _, err := st.CurrentSheets(ctx, roundID)
	if err != nil {
		return nil, nil, 0, false, err
	}
	counts := make([]int64, size)
	var blank int64
	reported := false
	for _, s := range sheets {
		if s.Circuit != circuit {
			continue
		}
		reported = true
		blank += s.Sheet.Blank
		for i, v := range s.Sheet.Votes {
			if i < size {
				counts[i] += v
			}
		}
	}
	var out []comuna.PBBallot
	for i, c := range counts {
		for range c {
			out = append(out, comuna.PBBallot{Voter: strconv.Itoa(len(out) + 1), Projects: []int{i + 1}})
		}
	}
	return out, counts, blank, reported, nil
}
