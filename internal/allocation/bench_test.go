package allocation

import (
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

// BenchmarkDecideConsultation decides one consultation circuit of seven
// projects by top-k, as results.Compute does for each of a national
// round's 5,336 circuits.
func BenchmarkDecideConsultation(b *testing.B) {
	c := &Circuit{Rules: Rules{RoundID: 12, VoteRule: comuna.RuleChooseOne, Winners: 2, Amount: 1_000_000, TieBreak: comuna.TieLottery, Seed: "semilla"},
		Code: "CC-0001", Votes: []int64{412, 120, 398, 10, 77, 120, 3}, Blank: 12}
	for i := range 7 {
		c.Projects = append(c.Projects, Project{Number: i + 1, ProposalID: int64(100 + i), Cost: 1_000_000})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decide(c); err != nil {
			b.Fatal(err)
		}
	}
}
