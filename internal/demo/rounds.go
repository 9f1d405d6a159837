package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// Round is one demo round before it is stored: its settings, the phase
// it is left in, its proposals (with their final status) and its ballots.
type Round struct {
	Round     comuna.Round
	Phase     comuna.Phase // the phase Load moves it to
	Proposals []*comuna.Proposal
	Ballots   []Ballot
}

// Ballot is a circuit's published ballot; Items index Round.Proposals in
// ballot order, since proposal IDs exist only once stored.
type Ballot struct {
	Circuit string
	Items   []int
	Created time.Time
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// seedOf is a tie-break seed published before the vote: anyone can
// recompute the lottery from it.
func seedOf(name string) string {
	sum := sha256.Sum256([]byte("comuna demo tie-break " + name))
	return hex.EncodeToString(sum[:16])
}

// roundSettings returns a round with the consultations' real settings.
func roundSettings(name string, vote time.Time) comuna.Round {
	return comuna.Round{
		Name:              name,
		VoteDate:          vote,
		MinAge:            15,
		BallotSize:        7,
		WinnersPerCircuit: 2,
		AmountPerProject:  10_000_00,
		Currency:          "USD",
		ExchangeRate:      "248.35",
		TieBreak:          comuna.TieLottery,
		TieBreakSeed:      seedOf(name),
		VoteRule:          comuna.RuleChooseOne,
		WalkInShare:       comuna.DefaultWalkInShare,
		Phase:             comuna.PhaseDraft,
	}
}

// currentRound is the round whose ballots are published: every circuit
// nominated 3 to 9 projects, reviewers accepted most and rejected some
// with a reason, and each circuit consolidated up to 7 into its ballot.
func currentRound(rng *rand.Rand, t *territory, p plan) Round {
	r := Round{Round: roundSettings("Cuarta Consulta Popular Nacional 2026", day(2026, 12, 13)), Phase: comuna.PhaseBallots}
	perCircuit := scatter(rng, p.proposals, len(t.circuits))
	r.Proposals = make([]*comuna.Proposal, 0, p.proposals.total)
	r.Ballots = make([]Ballot, 0, len(t.circuits))
	assemblies := day(2026, 10, 17)
	for ci, c := range t.circuits {
		first := len(r.Proposals)
		offset := rng.IntN(len(c.councils))
		accepted := perCircuit[ci]
		for k := 0; k < perCircuit[ci]; k++ {
			co := &t.councils[c.councils[(offset+k)%len(c.councils)]]
			pr := proposal(rng, co, c.code, assemblies.AddDate(0, 0, rng.IntN(21)))
			pr.Reviewed = day(2026, 11, 10).AddDate(0, 0, rng.IntN(10)).Add(hours(rng, 8, 18))
			if accepted > 3 && rng.IntN(100) < 12 {
				accepted--
				reject(rng, pr)
			} else {
				pr.Status = comuna.StatusAccepted
				pr.Reason = pick(rng, acceptReasons)
			}
			r.Proposals = append(r.Proposals, pr)
		}
		var items []int
		for i := first; i < len(r.Proposals); i++ {
			if r.Proposals[i].Status == comuna.StatusAccepted {
				items = append(items, i)
			}
		}
		rng.Shuffle(len(items), func(a, b int) { items[a], items[b] = items[b], items[a] })
		if len(items) > r.Round.BallotSize {
			items = items[:r.Round.BallotSize]
		}
		r.Ballots = append(r.Ballots, Ballot{Circuit: c.code, Items: items,
			Created: day(2026, 11, 22).AddDate(0, 0, rng.IntN(3)).Add(hours(rng, 9, 17))})
	}
	return r
}

// nextRound takes proposals now: a few councils of the first circuits
// have nominated projects that nobody has reviewed yet.
func nextRound(rng *rand.Rand, t *territory, p plan) Round {
	r := Round{Round: roundSettings("Primera Consulta Popular Nacional 2027", day(2027, 3, 7)), Phase: comuna.PhaseProposals}
	for ci := 0; ci < p.newCircuits && ci < len(t.circuits); ci++ {
		c := t.circuits[ci]
		for k := 0; k < 2 && k < len(c.councils); k++ {
			co := &t.councils[c.councils[k]]
			r.Proposals = append(r.Proposals, proposal(rng, co, c.code, day(2026, 11, 21).AddDate(0, 0, rng.IntN(7))))
		}
	}
	return r
}

// proposal draws a council's nomination from its assembly of that day.
func proposal(rng *rand.Rand, co *council, circuit string, assembly time.Time) *comuna.Proposal {
	category := pickCategory(rng)
	street := pick(rng, streets)
	title := fill(pick(rng, templates[category]), map[string]string{
		"place": co.place, "core": co.core, "street": street, "hero": pick(rng, heroes),
		"river": pick(rng, rivers), "n": fmt.Sprint(1 + rng.IntN(6)),
	})
	attendance := int(float64(co.census) * (0.20 + 0.18*rng.Float64()))
	votesFor := int(float64(attendance) * (0.65 + 0.30*rng.Float64()))
	against := rng.IntN(max(1, (attendance-votesFor)/2))
	abstain := rng.IntN(max(1, attendance-votesFor-against))
	families := 20 + rng.IntN(int(co.census/3)+1)
	return &comuna.Proposal{
		Council:  co.code,
		Circuit:  circuit,
		Title:    title,
		Category: category,
		Description: fmt.Sprintf("Aprobado en asamblea de ciudadanos y ciudadanas del %s el %d de %s de %d. Beneficia a unas %d familias de %s.",
			co.name, assembly.Day(), months[assembly.Month()-1], assembly.Year(), families, co.place),
		Cost:     comuna.Cents(4000+50*rng.IntN(121)) * 100, // 4,000 to 10,000 USD
		Location: fmt.Sprintf("%s, %s, parroquia %s", capitalize(street), co.place, co.parish),
		Minutes: comuna.Minutes{
			Date:       assembly,
			Attendance: attendance,
			QuorumMet:  true,
			VotesFor:   votesFor,
			Against:    against,
			Abstain:    abstain,
		},
		Status:    comuna.StatusSubmitted,
		Submitted: assembly.AddDate(0, 0, rng.IntN(2)).Add(hours(rng, 7, 22)),
	}
}

// reject marks a proposal rejected with a reviewer's reason; a proposal
// rejected for its cost costs more than a project's funding.
func reject(rng *rand.Rand, pr *comuna.Proposal) {
	i := rng.IntN(len(rejectReasons))
	pr.Status = comuna.StatusRejected
	pr.Reason = rejectReasons[i]
	if i == 0 {
		pr.Cost = comuna.Cents(12000+500*rng.IntN(27)) * 100
	}
}

func pickCategory(rng *rand.Rand) string {
	total := 0
	for _, c := range categoryWeights {
		total += c.weight
	}
	n := rng.IntN(total)
	for _, c := range categoryWeights {
		if n < c.weight {
			return c.category
		}
		n -= c.weight
	}
	return "other"
}

// hours returns a random time of day between from and to o'clock.
func hours(rng *rand.Rand, from, to int) time.Duration {
	return time.Duration(from)*time.Hour + time.Duration(rng.IntN((to-from)*60))*time.Minute
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
