package pabulib

import (
	"fmt"

	"github.com/comuna/comuna/internal/pb"
)

// Election converts a parsed file into the instance and profile the rules of
// package pb work on. Choose-one ballots become approval ballots of length
// one; ordinal, cumulative and scoring ballots keep their order and points.
func (f *File) Election() (*pb.Instance, *pb.Profile, error) {
	budget, err := f.Budget()
	if err != nil {
		return nil, nil, err
	}
	inst := &pb.Instance{Budget: budget, Projects: make([]pb.Project, len(f.Projects))}
	for i, p := range f.Projects {
		inst.Projects[i] = pb.Project{ID: p.ID, Cost: p.Cost}
	}
	prof := &pb.Profile{}
	line := 0
	if kv := f.metaKV("vote_type"); kv != nil {
		line = kv.Line
	}
	switch vt := f.VoteType(); vt {
	case "approval", "choose-1", "choose_1", "choose1":
		prof.Kind = pb.Approval
	case "ordinal":
		prof.Kind = pb.Ordinal
	case "cumulative":
		prof.Kind = pb.Cumulative
	case "scoring":
		prof.Kind = pb.Scoring
	default:
		return nil, nil, &Error{Line: line, Field: "vote_type", Err: fmt.Errorf("unknown vote type %q", vt)}
	}
	prof.Ballots = make([]pb.Ballot, len(f.Votes))
	for i := range f.Votes {
		v := &f.Votes[i]
		if (prof.Kind == pb.Cumulative || prof.Kind == pb.Scoring) && v.Points == nil {
			return nil, nil, &Error{Line: v.Line, Field: "points", Err: fmt.Errorf("%s ballot without points", prof.Kind)}
		}
		prof.Ballots[i] = pb.Ballot{Projects: v.Ballot, Points: v.Points, Count: 1}
	}
	return inst, prof, nil
}
