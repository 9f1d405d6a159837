package stv

import (
	"fmt"
	"slices"
)

// Candidate states during a count.
const (
	hopeful = iota
	pending // elected, surplus not yet transferred
	elected
	defeated
	withdrawn
)

// counter is the state shared by the stage-by-stage rules (scotland and
// wigm-prf): ballot groups with their current weight and position, the
// piles of ballots each candidate holds, and the report.
type counter struct {
	e       *Election
	rule    Rule
	f       fixed
	n       int
	state   []int
	votes   []int64
	total   int64 // the value of every valid ballot
	elected []int // principals, in order of election
	rank    []int
	bal     *balance
	res     *Result
	quota   int64

	// pending additions to the next round of the report
	newElected  []int
	newExcluded []int
	excluded    []int // every exclusion, in order
}

func newCounter(e *Election, rule Rule, digits int) *counter {
	n := len(e.Names)
	c := &counter{e: e, rule: rule, f: newFixed(digits), n: n,
		state: make([]int, n), votes: make([]int64, n), rank: e.tieRank(), bal: newBalance(e)}
	for i := range c.state {
		if e.Withdrawn != nil && e.Withdrawn[i] {
			c.state[i] = withdrawn
		}
	}
	c.res = &Result{Rule: rule, Seats: e.Seats}
	return c
}

// ballots returns the ballot groups to count: withdrawn candidates removed,
// ballots with equal rankings or no continuing candidate left out (they
// still count as valid ballots). It also returns the number of valid
// ballots. (Merging identical rankings costs more than it saves here: a
// ballot moves at most once a stage.)
func (c *counter) ballots() (groups [][]int, mult []int64, nBallots int64) {
	n := 0
	for _, b := range c.e.Ballots {
		n += len(b.Ranking)
	}
	anyWithdrawn := false
	for _, s := range c.state {
		anyWithdrawn = anyWithdrawn || s == withdrawn
	}
	var flat []int
	if anyWithdrawn {
		flat = make([]int, 0, n)
	}
	groups = make([][]int, 0, len(c.e.Ballots))
	mult = make([]int64, 0, len(c.e.Ballots))
	for _, b := range c.e.Ballots {
		nBallots += b.Weight
		if b.Weight == 0 || b.Equal {
			continue
		}
		r := b.Ranking
		if anyWithdrawn {
			i0 := len(flat)
			for _, x := range b.Ranking {
				if c.state[x] != withdrawn {
					flat = append(flat, x)
				}
			}
			r = flat[i0:len(flat):len(flat)]
		}
		if len(r) == 0 {
			continue
		}
		groups = append(groups, r)
		mult = append(mult, b.Weight)
	}
	return groups, mult, nBallots
}

func (c *counter) list(state int) []int {
	var out []int
	for i, s := range c.state {
		if s == state {
			out = append(out, i)
		}
	}
	return out
}

func (c *counter) seatsLeft() int { return c.e.Seats - len(c.elected) }

// record adds a round to the report.
func (c *counter) record(action string, cand int, quota int64) {
	r := Round{Number: len(c.res.Rounds), Action: action, Candidate: cand, Quota: c.f.format(quota),
		Elected: c.newElected, Excluded: c.newExcluded}
	r.raw = slices.Clone(c.votes)
	r.Votes = make([]string, c.n)
	var held int64
	for i, v := range c.votes {
		if c.state[i] != withdrawn {
			r.Votes[i] = c.f.format(v)
			held += v
		}
	}
	r.rawExh = c.total - held
	r.Exhausted = c.f.format(r.rawExh)
	c.res.Rounds = append(c.res.Rounds, r)
	c.newElected, c.newExcluded = nil, nil
}

func (c *counter) tie(msg string, lot bool) {
	c.res.Ties = append(c.res.Ties, msg)
	if lot {
		c.res.TiesByLot = true
	}
}

// countGregory counts by the Scottish rule or the PRF reference WIGM.
func countGregory(e *Election, rule Rule) *Result {
	scot := rule == Scotland
	digits := 4
	if scot {
		digits = 5
	}
	c := newCounter(e, rule, digits)
	f := c.f
	groups, mult, nBallots := c.ballots()
	c.total = f.of(nBallots)
	seats := int64(e.Seats)
	if scot {
		c.quota = f.of(nBallots/(seats+1) + 1) // [46]
	} else {
		c.quota = f.div(f.of(nBallots), f.of(seats+1), false) + 1 // A.1
	}
	quota := c.quota
	weight := make([]int64, len(groups))
	pos := make([]int, len(groups))
	piles := make([][]int, c.n)
	for b, r := range groups {
		weight[b] = f.scale
		piles[r[0]] = append(piles[r[0]], b)
		c.votes[r[0]] += f.scale * mult[b]
	}
	var hist [][]int64
	newRound := func() { hist = append(hist, slices.Clone(c.votes)) }

	// transfer moves the ballots of pile from to their next hopeful choice.
	transfer := func(pile []int) {
		for _, b := range pile {
			r := groups[b]
			p := pos[b]
			for p < len(r) && c.state[r[p]] != hopeful {
				p++
			}
			pos[b] = p
			if p == len(r) {
				continue // exhausted
			}
			to := r[p]
			c.votes[to] += weight[b] * mult[b]
			piles[to] = append(piles[to], b)
		}
	}
	electStep := func() {
		var reach []int
		for _, x := range c.list(hopeful) {
			if c.votes[x] >= quota {
				reach = append(reach, x)
			}
		}
		// highest vote first; equal votes, later candidate first (the
		// reference sorts by vote and ballot order, then reverses)
		slices.SortStableFunc(reach, func(a, b int) int {
			if c.votes[a] != c.votes[b] {
				if c.votes[a] > c.votes[b] {
					return -1
				}
				return 1
			}
			return b - a
		})
		for _, x := range reach {
			if c.bal.full(x, c.elected) || c.seatsLeft() <= 0 && c.bal != nil {
				continue // its group is full: excluded below
			}
			c.state[x] = pending
			c.elected = append(c.elected, x)
			c.newElected = append(c.newElected, x)
		}
	}
	breakTie := func(tied []int, defeat bool, reason string) int {
		if len(tied) == 1 {
			return tied[0]
		}
		all := names(e, tied)
		if scot {
			list := tied
			for n := len(hist) - 1; n >= 0; n-- {
				v := hist[n]
				target := v[list[0]]
				for _, x := range list {
					if defeat && v[x] < target || !defeat && v[x] > target {
						target = v[x]
					}
				}
				var keep []int
				for _, x := range list {
					if v[x] == target {
						keep = append(keep, x)
					}
				}
				list = keep
				if len(list) == 1 {
					c.tie(fmt.Sprintf("Break tie by prior stage (%s): [%s] -> %s", reason, all, e.Names[list[0]]), false)
					return list[0]
				}
			}
			t := earliest(list, c.rank)
			c.tie(fmt.Sprintf("Break tie by lot (%s): [%s] -> %s", reason, all, e.Names[t]), true)
			return t
		}
		t := earliest(tied, c.rank)
		c.tie(fmt.Sprintf("Break tie (%s): [%s] -> %s", reason, all, e.Names[t]), false)
		return t
	}
	exclude := func(xs []int) {
		for _, x := range xs {
			c.state[x] = defeated
			c.newExcluded = append(c.newExcluded, x)
			c.excluded = append(c.excluded, x)
		}
		for _, x := range xs {
			transfer(piles[x])
			piles[x] = nil
			c.votes[x] = 0
		}
	}
	defeatLow := func(cands []int) int {
		low := c.votes[cands[0]]
		for _, x := range cands {
			low = min(low, c.votes[x])
		}
		var tied []int
		for _, x := range cands {
			if c.votes[x] == low {
				tied = append(tied, x)
			}
		}
		reason := "defeat"
		if scot {
			reason = "defeat low candidate"
		}
		x := breakTie(tied, true, reason)
		exclude([]int{x})
		return x
	}
	complete := func() bool {
		return c.seatsLeft() <= 0 || len(c.list(hopeful)) <= c.seatsLeft()
	}

	if scot {
		electStep()
	}
	c.record("first", -1, quota)
	for {
		if complete() {
			break
		}
		newRound()
		if !scot {
			electStep() // B.1
		}
		if over := c.bal.overMax(c.list(hopeful), c.elected); len(over) > 0 {
			exclude(over)
			if scot {
				electStep()
			}
			c.record("balance", -1, quota)
			continue
		}
		if pend := c.list(pending); len(pend) > 0 {
			high := c.votes[pend[0]]
			for _, x := range pend {
				high = max(high, c.votes[x])
			}
			var tied []int
			for _, x := range pend {
				if c.votes[x] == high {
					tied = append(tied, x)
				}
			}
			reason := "surplus"
			if scot {
				reason = "largest surplus"
			}
			x := breakTie(tied, false, reason)
			c.state[x] = elected
			surplus := c.votes[x] - quota
			vote := c.votes[x]
			for _, b := range piles[x] {
				if scot {
					weight[b] = muldiv(weight[b], surplus, vote, false) // [48(3)]
				} else {
					weight[b] = f.div(f.mul(weight[b], surplus, false), vote, false) // B.3, D.4
				}
			}
			pile := piles[x]
			piles[x] = nil
			transfer(pile)
			c.votes[x] = quota
			if scot {
				electStep()
			}
			c.record("surplus", x, quota)
			continue
		}
		hop := c.list(hopeful)
		x := defeatLow(c.bal.excludable(hop, c.elected))
		if scot && !complete() {
			electStep()
		}
		c.record("exclude", x, quota)
	}
	for _, x := range c.list(pending) {
		c.state[x] = elected
	}
	hop := c.list(hopeful)
	if len(hop) <= c.seatsLeft() {
		for _, x := range hop {
			c.state[x] = elected
			c.elected = append(c.elected, x)
			c.newElected = append(c.newElected, x)
		}
		if len(hop) > 0 {
			c.record("elect-remaining", -1, quota)
		}
	}
	// alternates: the count goes on, excluding the lowest continuing
	// candidate stage by stage; the alternates are the last one standing and
	// then the excluded in reverse order of exclusion
	var alts []int
	if e.Alternates > 0 {
		for len(c.list(hopeful)) > 1 {
			newRound()
			x := defeatLow(c.list(hopeful))
			c.record("exclude", x, quota)
		}
		alts = c.alternates()
	}
	c.res.Quota = f.format(quota)
	c.res.Elected = c.elected
	c.res.Alternates = alts
	return c.res
}

// byVote orders candidates by vote, highest first, ties by the tie order.
func (c *counter) byVote(cs []int) []int {
	out := slices.Clone(cs)
	slices.SortStableFunc(out, func(a, b int) int {
		if c.votes[a] != c.votes[b] {
			if c.votes[a] > c.votes[b] {
				return -1
			}
			return 1
		}
		return c.rank[a] - c.rank[b]
	})
	return out
}

// alternates lists the alternates once the count has gone on to its end:
// the last continuing candidate, then the excluded in reverse order.
func (c *counter) alternates() []int {
	alts := c.list(hopeful)
	for i := len(c.excluded) - 1; i >= 0; i-- {
		alts = append(alts, c.excluded[i])
	}
	if len(alts) > c.e.Alternates {
		alts = alts[:c.e.Alternates]
	}
	return alts
}
