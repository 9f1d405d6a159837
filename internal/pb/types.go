package pb

import (
	"errors"
	"fmt"
	"math/big"
)

// Project is one fundable item: an identifier unique within its instance and
// an exact, non-negative cost.
type Project struct {
	ID   string
	Cost *big.Rat
}

// Instance is what a rule allocates: the projects on the ballot and the
// budget limit, both in exact currency units.
type Instance struct {
	Projects []Project
	Budget   *big.Rat
}

// BallotKind says how a profile's ballots are to be read.
type BallotKind int

// The ballot kinds of the pabulib format. Choose-one ballots are approval
// ballots of length one.
const (
	Approval   BallotKind = iota // a set of approved projects
	Ordinal                      // a ranking, best first
	Cumulative                   // points spread over projects
	Scoring                      // a score per listed project
)

// String returns the pabulib name of the ballot kind.
func (k BallotKind) String() string {
	switch k {
	case Approval:
		return "approval"
	case Ordinal:
		return "ordinal"
	case Cumulative:
		return "cumulative"
	case Scoring:
		return "scoring"
	}
	return fmt.Sprintf("BallotKind(%d)", int(k))
}

// Ballot is one voter's ballot, or Count identical ones. Projects are indices
// into Instance.Projects, in ballot order (the ranking for ordinal ballots).
// Points, when present, holds one number per listed project.
type Ballot struct {
	Projects []int
	Points   []int64
	// Count is how many voters cast this ballot; 0 is read as 1. Aggregated
	// ballots let a circuit's vote counts stand for millions of voters.
	Count int64
}

// count returns the ballot's multiplicity.
func (b *Ballot) count() int64 {
	if b.Count <= 0 {
		return 1
	}
	return b.Count
}

// Profile is the set of ballots cast on an instance.
type Profile struct {
	Kind    BallotKind
	Ballots []Ballot
}

// Voters returns the number of voters, counting each ballot's multiplicity.
func (p *Profile) Voters() int64 {
	var n int64
	for i := range p.Ballots {
		n += p.Ballots[i].count()
	}
	return n
}

// ChooseOne builds the profile of a choose-one vote from the number of votes
// each project received: votes[i] is the count for inst.Projects[i]. Voters
// who chose nothing can be passed as blank; they count towards the number of
// voters (and so towards each voter's share of the budget under MES).
func ChooseOne(inst *Instance, votes []int64, blank int64) (*Profile, error) {
	if len(votes) != len(inst.Projects) {
		return nil, fmt.Errorf("pb: %d vote counts for %d projects", len(votes), len(inst.Projects))
	}
	prof := &Profile{Kind: Approval, Ballots: make([]Ballot, 0, len(votes)+1)}
	// One array holds every ballot's single project.
	chosen := make([]int, len(votes))
	for i, v := range votes {
		if v < 0 {
			return nil, fmt.Errorf("pb: project %q: negative vote count %d", inst.Projects[i].ID, v)
		}
		if v > 0 {
			chosen[i] = i
			prof.Ballots = append(prof.Ballots, Ballot{Projects: chosen[i : i+1 : i+1], Count: v})
		}
	}
	if blank > 0 {
		prof.Ballots = append(prof.Ballots, Ballot{Count: blank})
	}
	return prof, nil
}

// ErrInvalid marks an instance, profile or option set a rule cannot run on.
var ErrInvalid = errors.New("pb: invalid input")

// Validate checks that the instance and profile fit together: costs and the
// budget are present and non-negative, ids are unique, ballots name existing
// projects and carry points where the kind needs them.
func Validate(inst *Instance, prof *Profile) error {
	if inst.Budget == nil || inst.Budget.Sign() < 0 {
		return fmt.Errorf("%w: budget missing or negative", ErrInvalid)
	}
	seen := make(map[string]bool, len(inst.Projects))
	for _, p := range inst.Projects {
		if p.Cost == nil || p.Cost.Sign() < 0 {
			return fmt.Errorf("%w: project %q: cost missing or negative", ErrInvalid, p.ID)
		}
		if seen[p.ID] {
			return fmt.Errorf("%w: project %q listed twice", ErrInvalid, p.ID)
		}
		seen[p.ID] = true
	}
	for i := range prof.Ballots {
		b := &prof.Ballots[i]
		if b.Points != nil && len(b.Points) != len(b.Projects) {
			return fmt.Errorf("%w: ballot %d: %d points for %d projects", ErrInvalid, i, len(b.Points), len(b.Projects))
		}
		if (prof.Kind == Cumulative || prof.Kind == Scoring) && b.Points == nil && len(b.Projects) > 0 {
			return fmt.Errorf("%w: ballot %d: %s ballot without points", ErrInvalid, i, prof.Kind)
		}
		for _, j := range b.Projects {
			if j < 0 || j >= len(inst.Projects) {
				return fmt.Errorf("%w: ballot %d: project index %d out of range", ErrInvalid, i, j)
			}
		}
	}
	return nil
}
