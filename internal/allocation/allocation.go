// Package allocation is the one decision of what a circuit funds. From
// the round's rules as logged (Rules), the circuit's ballot and its votes —
// a consultation's counts per ballot number, or a participatory budget's
// stored ballots — Decide returns the funded projects in order, the amount
// of each and every project's explanation as data. Results at every level,
// the circuit's page, the API, open data, the pabulib export and the
// verifier all call it; top-k, the consultations' rule, is one of its
// rules (package pb runs them all).
//
// It does no I/O. Projects are known to the engine by their ballot number
// written in decimal ("1", "2", …), so the engine's explanations and the
// tie-break speak of ballot numbers, as voters do.
package allocation

import (
	"bytes"
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pb"
	"github.com/comuna/comuna/internal/tally"
)

// Project is one numbered project of a circuit's ballot.
type Project struct {
	Number     int // its number on the ballot, from 1
	ProposalID int64
	ExternalID string // e.g. its pabulib project_id; "" if none
	Title      string
	Cost       comuna.Cents
}

// Circuit is everything that decides a circuit's allocation. Exactly one
// of Votes and Ballots carries the vote.
type Circuit struct {
	Rules    Rules
	Code     string
	Projects []Project // in ballot order
	// Votes[i] counts the choose-one ballots marked for ballot number
	// i+1; Blank counts voters who chose nothing.
	Votes []int64
	Blank int64
	// Ballots are a participatory budget's voters' ballots, by ballot
	// number.
	Ballots []comuna.PBBallot
}

// ID is the engine's identifier of a ballot number.
func ID(number int) string { return strconv.Itoa(number) }

// units turns cents into an exact amount of currency units. Whole units,
// the usual cost of a project, skip reducing a fraction.
func units(c comuna.Cents) *big.Rat {
	if c%100 == 0 {
		return new(big.Rat).SetInt64(int64(c / 100))
	}
	return big.NewRat(int64(c), 100)
}

// Options returns the engine options of a round's rules, without the
// tie-break.
func Options(r Rules) pb.Options {
	a := r.Allocation
	o := pb.Options{Rule: pb.Rule(r.Rule()), Sat: pb.Sat(a.Sat), Completion: pb.Completion(a.Completion), Fill: pb.Fill(a.Fill)}
	if o.Rule == pb.RuleTopK {
		o.K = r.Winners
	}
	if o.Rule != pb.RuleMES {
		o.Completion, o.Fill = "", ""
	}
	return o
}

// Kind is the ballot kind of a vote rule: choose-one ballots are approval
// ballots of length one.
func Kind(v comuna.VoteRule) pb.BallotKind {
	switch v {
	case comuna.RuleCumulative:
		return pb.Cumulative
	case comuna.RuleOrdinal:
		return pb.Ordinal
	}
	return pb.Approval
}

// TieBreak orders a circuit's projects by the round's announced
// tie-break, the first winning a tie: by lottery draw (tally.LotteryRank)
// for comuna.TieLottery; by cost, then lottery draw, for
// comuna.TieLowerCost; by ballot number for comuna.TieBallotNumber.
func TieBreak(r Rules, circuit string, ps []Project) pb.TieBreak {
	type draw struct {
		p   Project
		sum [32]byte
	}
	ds := make([]draw, len(ps))
	var sums [][32]byte
	if r.TieBreak != comuna.TieBallotNumber {
		numbers := make([]int, len(ps))
		for i, p := range ps {
			numbers[i] = p.Number
		}
		sums = tally.LotteryRanks(r.Seed, r.RoundID, circuit, numbers)
	}
	for i, p := range ps {
		ds[i].p = p
		if sums != nil {
			ds[i].sum = sums[i]
		}
	}
	slices.SortFunc(ds, func(a, b draw) int {
		if r.TieBreak == comuna.TieLowerCost {
			if d := cmp.Compare(a.p.Cost, b.p.Cost); d != 0 {
				return d
			}
		}
		return cmp.Or(bytes.Compare(a.sum[:], b.sum[:]), cmp.Compare(a.p.Number, b.p.Number))
	})
	tb := make(pb.TieBreak, len(ds))
	for i, d := range ds {
		tb[i] = ID(d.p.Number)
	}
	return tb
}

// Election builds the engine's instance and profile of a circuit. The
// budget is the round's budget per circuit, or 0 for top-k without one.
// Identical participatory-budget ballots become one weighted ballot.
func Election(c *Circuit) (*pb.Instance, *pb.Profile, error) {
	inst := &pb.Instance{Budget: units(c.Rules.Allocation.Budget), Projects: make([]pb.Project, len(c.Projects))}
	index := make(map[int]int, len(c.Projects))
	for i, p := range c.Projects {
		if _, dup := index[p.Number]; dup || p.Number < 1 {
			return nil, nil, fmt.Errorf("allocation: circuit %s: ballot number %d is repeated or not positive", c.Code, p.Number)
		}
		index[p.Number] = i
		inst.Projects[i] = pb.Project{ID: ID(p.Number), Cost: units(p.Cost)}
	}
	if c.Ballots == nil {
		votes := make([]int64, len(c.Projects))
		for i, p := range c.Projects {
			if p.Number <= len(c.Votes) {
				votes[i] = c.Votes[p.Number-1]
			}
		}
		prof, err := pb.ChooseOne(inst, votes, c.Blank)
		return inst, prof, err
	}
	prof := &pb.Profile{Kind: Kind(c.Rules.VoteRule)}
	seen := make(map[string]int, len(c.Ballots))
	var key strings.Builder
	for _, b := range c.Ballots {
		key.Reset()
		for i, n := range b.Projects {
			fmt.Fprintf(&key, "%d", n)
			if b.Points != nil {
				fmt.Fprintf(&key, ":%d", b.Points[i])
			}
			key.WriteByte(',')
		}
		if k, ok := seen[key.String()]; ok {
			prof.Ballots[k].Count++
			continue
		}
		pbb := pb.Ballot{Projects: make([]int, len(b.Projects)), Points: b.Points, Count: 1}
		for i, n := range b.Projects {
			j, ok := index[n]
			if !ok {
				return nil, nil, fmt.Errorf("allocation: circuit %s: voter %q chose ballot number %d, which is not on the ballot", c.Code, b.Voter, n)
			}
			pbb.Projects[i] = j
		}
		seen[key.String()] = len(prof.Ballots)
		prof.Ballots = append(prof.Ballots, pbb)
	}
	return inst, prof, nil
}

// dropUnsupported takes projects without votes out of a top-k outcome.
func dropUnsupported(inst *pb.Instance, out *pb.Outcome) {
	cost := new(big.Rat)
	costs := make(map[string]*big.Rat, len(inst.Projects))
	for _, p := range inst.Projects {
		costs[p.ID] = p.Cost
	}
	kept := out.Selected[:0]
	for _, id := range out.Selected {
		e := out.Explanations[id]
		if e.Voters > 0 {
			kept = append(kept, id)
			cost.Add(cost, costs[id])
			continue
		}
		e.Selected, e.Position, e.Reason = false, 0, "no-support"
		e.Text = "Not selected: it has no votes, and a project without votes is never funded."
		out.Explanations[id] = e
	}
	out.Selected, out.Cost = kept, cost
}
