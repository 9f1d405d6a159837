package tally

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"slices"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

// Project is one numbered project of a circuit's ballot with its votes.
type Project struct {
	Number     int // its number on the ballot, from 1
	ProposalID int64
	Cost       comuna.Cents
	Votes      int64
}

// Contest is everything that decides a circuit's winners.
type Contest struct {
	RoundID  int64
	Circuit  string
	Projects []Project
	Seats    int // projects funded per circuit (Round.WinnersPerCircuit)
	TieBreak comuna.TieBreak
	Seed     string // Round.TieBreakSeed, published before the vote
	Final    bool   // every table of the circuit has reported
}

// ContestFor fills a Contest with the round's rule and tie-break.
func ContestFor(r *comuna.Round, circuit string, projects []Project, final bool) Contest {
	return Contest{
		RoundID: r.ID, Circuit: circuit, Projects: projects,
		Seats: r.WinnersPerCircuit, TieBreak: r.TieBreak, Seed: r.TieBreakSeed, Final: final,
	}
}

// Ranked is a project's place in its circuit, with a sentence explaining
// it in English and in Spanish.
type Ranked struct {
	Project
	Rank        int  // 1 for the most voted; every project has its own rank
	Won         bool // funded (provisionally, if the contest is not final)
	TieBroken   bool // it has as many votes as another project, so the tie-break set its rank
	Provisional bool // not every table of the circuit has reported
	English     string
	Spanish     string
}

// Winners ranks a circuit's projects and marks the funded ones. Projects
// are ordered by votes, most first; projects with equal votes are ordered
// by the contest's tie-break, announced before the vote:
//
//   - comuna.TieLottery: by LotteryRank, lowest first;
//   - comuna.TieLowerCost: the cheaper project first, then by LotteryRank;
//   - comuna.TieBallotNumber: the lower ballot number first.
//
// The first Seats projects win, except that a project with no votes is
// never funded. Errors are EInvalid *comuna.Error values for a contest
// that cannot be decided: an unknown tie-break, a lottery without its
// seed, negative seats or votes, or a repeated or non-positive number.
func Winners(c Contest) ([]Ranked, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	ps := slices.Clone(c.Projects)
	slices.SortFunc(ps, func(a, b Project) int {
		return cmp.Or(cmp.Compare(b.Votes, a.Votes), cmp.Compare(a.Number, b.Number))
	})
	out := make([]Ranked, len(ps))
	// Order each run of equal votes by the tie-break. Lottery draws are
	// computed only for tied projects, which are few.
	for i := 0; i < len(ps); {
		j := i + 1
		for j < len(ps) && ps[j].Votes == ps[i].Votes {
			j++
		}
		if j-i > 1 {
			c.breakTie(ps[i:j])
			for k := i; k < j; k++ {
				out[k].TieBroken = true
			}
		}
		i = j
	}
	for i, p := range ps {
		out[i].Project = p
		out[i].Provisional = !c.Final
	}
	funded := 0
	for i := range out {
		out[i].Rank = i + 1
		out[i].Won = i < c.Seats && out[i].Votes > 0
		if out[i].Won {
			funded++
		}
	}
	explain(out, c.Seats, funded, c.TieBreak)
	return out, nil
}

func (c *Contest) validate() error {
	switch c.TieBreak {
	case comuna.TieLottery, comuna.TieLowerCost:
		if strings.TrimSpace(c.Seed) == "" {
			return comuna.FieldError("tie_break_seed", "a lottery tie-break needs its seed")
		}
	case comuna.TieBallotNumber:
	default:
		return comuna.FieldError("tie_break", "unknown tie-break %q", c.TieBreak)
	}
	if c.Seats < 0 {
		return comuna.FieldError("winners", "winners per circuit cannot be negative")
	}
	for i, p := range c.Projects {
		if p.Number < 1 || slices.ContainsFunc(c.Projects[:i], func(q Project) bool { return q.Number == p.Number }) {
			return comuna.FieldError("projects", "ballot number %d is repeated or not positive", p.Number)
		}
		if p.Votes < 0 {
			return comuna.FieldError("votes", "project %d has negative votes", p.Number)
		}
	}
	return nil
}

// breakTie orders projects with equal votes, already in ballot-number
// order, by the tie-break.
func (c *Contest) breakTie(tied []Project) {
	if c.TieBreak == comuna.TieBallotNumber {
		return
	}
	// One HMAC, reset for each draw, serves the whole tie.
	m := hmac.New(sha256.New, []byte(c.Seed))
	type draw struct {
		p   Project
		sum [32]byte
	}
	draws := make([]draw, len(tied))
	for i, p := range tied {
		m.Reset()
		m.Write(lotteryMessage(c.RoundID, c.Circuit, p.Number))
		draws[i].p = p
		m.Sum(draws[i].sum[:0])
	}
	slices.SortFunc(draws, func(a, b draw) int {
		if c.TieBreak == comuna.TieLowerCost {
			if d := cmp.Compare(a.p.Cost, b.p.Cost); d != 0 {
				return d
			}
		}
		return cmp.Or(bytes.Compare(a.sum[:], b.sum[:]), cmp.Compare(a.p.Number, b.p.Number))
	})
	for i := range draws {
		tied[i] = draws[i].p
	}
}

// lotteryDomain separates lottery draws from any other use of a seed.
const lotteryDomain = "comuna/tally/lottery/v1"

// LotteryRank returns the lottery draw of one project: HMAC-SHA256 keyed
// with the seed's UTF-8 bytes, of the message
//
//	comuna/tally/lottery/v1 LF round id LF circuit code LF ballot number
//
// with the round id and ballot number in decimal, LF a newline (0x0A) and
// no newline at the end. Among tied projects, the lowest draw (compared as
// bytes, that is as a 64-digit hex string) goes first. Anyone can recompute
// a draw, e.g. for round 12, circuit CC-0001, number 3:
//
//	printf 'comuna/tally/lottery/v1\n12\nCC-0001\n3' | openssl dgst -sha256 -hmac "$SEED"
//
// Circuit codes contain no newline, so the message is unambiguous.
func LotteryRank(seed string, roundID int64, circuit string, number int) [32]byte {
	m := hmac.New(sha256.New, []byte(seed))
	m.Write(lotteryMessage(roundID, circuit, number))
	return [32]byte(m.Sum(nil))
}

// LotteryRanks returns the lottery draws of several projects of one
// circuit, as LotteryRank computes each, with one HMAC for all.
func LotteryRanks(seed string, roundID int64, circuit string, numbers []int) [][32]byte {
	m := hmac.New(sha256.New, []byte(seed))
	out := make([][32]byte, len(numbers))
	for i, n := range numbers {
		m.Reset()
		m.Write(lotteryMessage(roundID, circuit, n))
		m.Sum(out[i][:0])
	}
	return out
}

// lotteryMessage is the message LotteryRank documents.
func lotteryMessage(roundID int64, circuit string, number int) []byte {
	b := make([]byte, 0, len(lotteryDomain)+len(circuit)+48)
	b = append(b, lotteryDomain...)
	b = strconv.AppendInt(append(b, '\n'), roundID, 10)
	b = append(append(b, '\n'), circuit...)
	return strconv.AppendInt(append(b, '\n'), int64(number), 10)
}
