package pabulib

import (
	"fmt"
	"strconv"
	"strings"
)

// Check refuses what Read parses but an election cannot be: a voter id
// given twice, a negative voter or project id, a choose-1 ballot with
// more than one project, and META num_votes or num_projects that disagree
// with the rows (a file truncated at a line boundary has fewer votes than
// it announces). Errors are *Error naming the line and field. With
// lenient, a count that disagrees is returned as a warning instead.
func (f *File) Check(lenient bool) (warnings []string, err error) {
	for i := range f.Projects {
		p := &f.Projects[i]
		if negativeID(p.ID) {
			return nil, &Error{Line: p.Line, Field: "project_id", Err: fmt.Errorf("negative project id %s", p.ID)}
		}
	}
	chooseOne := false
	switch f.VoteType() {
	case "choose-1", "choose_1", "choose1":
		chooseOne = true
	}
	seen := make(map[string]int, len(f.Votes))
	for i := range f.Votes {
		v := &f.Votes[i]
		if v.VoterID == "" {
			return nil, &Error{Line: v.Line, Field: "voter_id", Err: fmt.Errorf("empty voter id")}
		}
		if negativeID(v.VoterID) {
			return nil, &Error{Line: v.Line, Field: "voter_id", Err: fmt.Errorf("negative voter id %s", v.VoterID)}
		}
		if first, dup := seen[v.VoterID]; dup {
			return nil, &Error{Line: v.Line, Field: "voter_id", Err: fmt.Errorf("voter %q already voted on line %d", v.VoterID, first)}
		}
		seen[v.VoterID] = v.Line
		if chooseOne && len(v.Ballot) > 1 {
			return nil, &Error{Line: v.Line, Field: "vote", Err: fmt.Errorf("%d projects on a choose-1 ballot", len(v.Ballot))}
		}
	}
	count := func(key string, got int, what string) error {
		kv := f.metaKV(key)
		if kv == nil {
			return nil
		}
		want, perr := strconv.Atoi(strings.TrimSpace(kv.Value))
		if perr != nil || want < 0 {
			return &Error{Line: kv.Line, Field: key, Err: fmt.Errorf("%q is not a count", kv.Value)}
		}
		if want == got {
			return nil
		}
		e := &Error{Line: kv.Line, Field: key, Err: fmt.Errorf("the file announces %d %s but holds %d", want, what, got)}
		if key == "num_votes" && got < want {
			e.Err = fmt.Errorf("the file announces %d votes but holds %d: it looks truncated", want, got)
		}
		if lenient {
			warnings = append(warnings, e.Error())
			return nil
		}
		return e
	}
	if err := count("num_projects", len(f.Projects), "projects"); err != nil {
		return nil, err
	}
	if err := count("num_votes", len(f.Votes), "votes"); err != nil {
		return nil, err
	}
	return warnings, nil
}

// negativeID reports whether an id is a negative whole number.
func negativeID(id string) bool {
	if len(id) < 2 || id[0] != '-' {
		return false
	}
	_, err := strconv.ParseInt(id, 10, 64)
	return err == nil
}
