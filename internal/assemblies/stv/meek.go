package stv

import (
	"fmt"
	"slices"
)

// trie holds the ballots as a tree of their rankings: under Meek a ballot's
// value at a candidate depends only on the candidates ranked before, so the
// ballots sharing a prefix are counted once. Node 0 is the root.
type trie struct {
	cand     []int32
	mult     []int64 // ballots through the node
	children [][]int32
}

func buildTrie(groups [][]int, mult []int64) *trie {
	t := &trie{cand: []int32{-1}, mult: []int64{0}, children: [][]int32{nil}}
	for b, r := range groups {
		node := int32(0)
		for _, x := range r {
			next := int32(-1)
			for _, ch := range t.children[node] {
				if t.cand[ch] == int32(x) {
					next = ch
					break
				}
			}
			if next < 0 {
				next = int32(len(t.cand))
				t.cand = append(t.cand, int32(x))
				t.mult = append(t.mult, 0)
				t.children = append(t.children, nil)
				t.children[node] = append(t.children[node], next)
			}
			t.mult[next] += mult[b]
			node = next
		}
	}
	return t
}

// countMeek counts by the PRF reference Meek rule: 9-digit fixed point, keep
// values rounded up, iteration until the total surplus is below 10^-6 (or
// stops falling), the quota recomputed each iteration as votes/(seats+1)
// truncated plus 10^-9, one defeat at a time.
func countMeek(e *Election) *Result {
	c := newCounter(e, MeekPRF, 9)
	f := c.f
	groups, mult, nBallots := c.ballots()
	c.total = f.of(nBallots)
	t := buildTrie(groups, mult)
	kf := make([]int64, c.n)
	for i, s := range c.state {
		if s == hopeful {
			kf[i] = f.scale
		}
	}
	omega := f.scale / 1_000_000
	seats := int64(e.Seats)
	var surplus int64

	var walk func(node int32, w int64)
	walk = func(node int32, w int64) {
		for _, ch := range t.children[node] {
			x := t.cand[ch]
			k := kf[x]
			if k == 0 {
				walk(ch, w)
				continue
			}
			kw := f.mul(w, k, true)
			c.votes[x] += kw * t.mult[ch]
			if rest := w - kw; rest > 0 {
				walk(ch, rest)
			}
		}
	}
	// distribute counts the ballots under the current keep values and
	// recomputes the quota (B.2.a, B.2.b).
	distribute := func() {
		for i, s := range c.state {
			if s == hopeful || s == elected {
				c.votes[i] = 0
			}
		}
		walk(0, f.scale)
		var votes int64
		for i, s := range c.state {
			if s == hopeful || s == elected {
				votes += c.votes[i]
			}
		}
		c.quota = votes/(seats+1) + 1
	}
	// iterate runs B.2 and reports whether it elected someone.
	iterate := func(mayElect bool) bool {
		last := c.total
		for {
			distribute()
			did := false
			if mayElect {
				for _, x := range c.list(hopeful) {
					if c.votes[x] >= c.quota && !c.bal.full(x, c.elected) {
						c.state[x] = elected
						c.elected = append(c.elected, x)
						c.newElected = append(c.newElected, x)
						did = true
					}
				}
			}
			surplus = 0
			for _, x := range c.list(elected) {
				surplus += c.votes[x] - c.quota
			}
			surplus = max(surplus, 0)
			if did {
				return true
			}
			if surplus < omega || surplus >= last {
				return false
			}
			last = surplus
			for _, x := range c.list(elected) {
				kf[x] = f.div(f.mul(kf[x], c.quota, true), c.votes[x], true)
			}
		}
	}
	defeat := func(x int) {
		c.state[x] = defeated
		c.votes[x] = 0
		kf[x] = 0
		c.excluded = append(c.excluded, x)
	}
	defeatLow := func(cands []int) int {
		low := c.votes[cands[0]]
		for _, x := range cands {
			low = min(low, c.votes[x])
		}
		var tied []int
		for _, x := range cands {
			if c.votes[x] <= low+surplus {
				tied = append(tied, x)
			}
		}
		x := tied[0]
		if len(tied) > 1 {
			x = earliest(tied, c.rank)
			c.tie(fmt.Sprintf("Break tie (defeat low candidate): [%s] -> %s", names(e, tied), e.Names[x]), false)
		}
		// the round shows the votes the defeat was decided on
		c.newExcluded = append(c.newExcluded, x)
		c.record("exclude", x, c.quota)
		defeat(x)
		return x
	}

	distribute()
	c.record("first", -1, c.quota)
	for {
		hop := c.list(hopeful)
		if !(len(hop) > c.seatsLeft() && c.seatsLeft() > 0) {
			break
		}
		if over := c.bal.overMax(hop, c.elected); len(over) > 0 {
			for _, x := range over {
				defeat(x)
				c.newExcluded = append(c.newExcluded, x)
			}
			distribute()
			c.record("balance", -1, c.quota)
			continue
		}
		if iterate(true) {
			c.record("iterate", -1, c.quota)
			continue
		}
		hop = c.list(hopeful)
		defeatLow(c.bal.excludable(hop, c.elected))
	}
	var rest []int
	for _, x := range c.list(hopeful) {
		if len(c.elected) < e.Seats {
			c.state[x] = elected
			c.elected = append(c.elected, x)
			c.newElected = append(c.newElected, x)
		} else {
			rest = append(rest, x)
		}
	}
	if len(c.newElected) > 0 {
		c.record("elect-remaining", -1, c.quota)
	}
	quota := c.quota
	var alts []int
	if e.Alternates > 0 {
		for len(rest) > 1 {
			iterate(false)
			defeatLow(rest)
			rest = c.list(hopeful)
		}
		alts = c.alternates()
	}
	c.res.Quota = f.format(quota)
	c.res.Elected = slices.Clone(c.elected)
	c.res.Alternates = alts
	return c.res
}
