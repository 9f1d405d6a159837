package pabulib

import (
	"fmt"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	const head = "META\nkey;value\nbudget;100\nvote_type;%s\nnum_projects;2\nnum_votes;%d\nPROJECTS\nproject_id;cost\n1;50\n2;60\nVOTES\nvoter_id;vote\n"
	file := func(voteType string, numVotes int, votes string) string {
		return fmt.Sprintf(head, voteType, numVotes) + votes
	}
	tests := []struct {
		name, in string
		lenient  bool
		want     string // the error, "" for none
		warnings int
	}{
		{"good", file("approval", 2, "a;1\nb;1,2\n"), false, "", 0},
		{"duplicate voter", file("approval", 3, "a;1\nb;2\na;1,2\n"), false, `line 15: field "voter_id": voter "a" already voted on line 13`, 0},
		{"negative voter", file("approval", 2, "a;1\n-7;2\n"), false, `line 14: field "voter_id": negative voter id -7`, 0},
		{"negative project", strings.Replace(file("approval", 1, "a;-2\n"), "2;60", "-2;60", 1), false, `line 10: field "project_id": negative project id -2`, 0},
		{"choose-1 with two", file("choose-1", 2, "a;1\nb;1,2\n"), false, `line 14: field "vote": 2 projects on a choose-1 ballot`, 0},
		{"truncated", file("approval", 5, "a;1\nb;2\n"), false, `line 6: field "num_votes": the file announces 5 votes but holds 2: it looks truncated`, 0},
		{"too many votes", file("approval", 1, "a;1\nb;2\n"), false, `line 6: field "num_votes": the file announces 1 votes but holds 2`, 0},
		{"truncated, lenient", file("approval", 5, "a;1\nb;2\n"), true, "", 1},
		{"projects count", strings.Replace(file("approval", 1, "a;1\n"), "num_projects;2", "num_projects;3", 1), false, `line 5: field "num_projects": the file announces 3 projects but holds 2`, 0},
		{"projects count, lenient", strings.Replace(file("approval", 1, "a;1\n"), "num_projects;2", "num_projects;3", 1), true, "", 1},
		{"duplicate voter, lenient", file("approval", 2, "a;1\na;2\n"), true, `line 14: field "voter_id": voter "a" already voted on line 13`, 0},
	}
	for _, tt := range tests {
		f, err := Read(strings.NewReader(tt.in))
		if err != nil {
			t.Fatalf("%s: Read = %v", tt.name, err)
		}
		warnings, err := f.Check(tt.lenient)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want || len(warnings) != tt.warnings {
			t.Errorf("%s: Check = %q, %d warnings %q; want %q, %d warnings", tt.name, got, len(warnings), warnings, tt.want, tt.warnings)
		}
	}
}
