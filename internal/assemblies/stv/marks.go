package stv

import "fmt"

// countMarks counts plurality at large (each ballot marks up to one
// candidate per seat: the first that many of its ranking count) or approval
// (every candidate a ballot names counts). The most marked win, ties by the
// tie order; a gender balance skips candidates of a full group and keeps
// enough seats for the groups still short of their minimum.
func countMarks(e *Election, rule Rule) *Result {
	c := newCounter(e, rule, 0)
	for _, b := range e.Ballots {
		c.total += b.Weight
		marks := 0
		for _, x := range b.Ranking {
			if c.state[x] == withdrawn {
				continue
			}
			if rule == Plurality && marks >= e.Seats {
				break
			}
			c.votes[x] += b.Weight
			marks++
		}
	}
	order := c.byVote(c.list(hopeful))
	short := func(extra int) int { // seats still owed to groups short of their minimum
		if c.bal == nil {
			return 0
		}
		owed := 0
		for g, m := range c.bal.min {
			n := 0
			for _, x := range c.elected {
				if c.bal.group[x] == g {
					n++
				}
			}
			if extra >= 0 && c.bal.group[extra] == g {
				n++
			}
			owed += max(0, m-n)
		}
		return owed
	}
	taken := make([]bool, c.n)
	for c.seatsLeft() > 0 {
		pick := -1
		for _, x := range order {
			if taken[x] || c.bal.full(x, c.elected) || short(x) > c.seatsLeft()-1 {
				continue
			}
			pick = x
			break
		}
		if pick < 0 {
			break
		}
		var tied []int
		for _, x := range order {
			if !taken[x] && c.votes[x] == c.votes[pick] {
				tied = append(tied, x)
			}
		}
		if len(tied) > 1 && len(tied) > c.seatsLeft() {
			c.tie(fmt.Sprintf("Break tie by lot (elect): [%s] -> %s", names(e, tied), e.Names[pick]), true)
		}
		taken[pick] = true
		c.state[pick] = elected
		c.elected = append(c.elected, pick)
	}
	c.newElected = c.elected
	for _, x := range order {
		if !taken[x] && len(c.res.Alternates) < e.Alternates {
			c.res.Alternates = append(c.res.Alternates, x)
		}
	}
	c.record("count", -1, 0)
	c.res.Rounds[0].Quota = ""
	c.res.Rounds[0].Exhausted = "" // marks are not transferred
	c.res.Elected = c.elected
	return c.res
}
