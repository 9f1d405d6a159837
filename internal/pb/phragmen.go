package pb

import (
	"fmt"
	"math"
	"math/big"
)

// Phragmen runs sequential Phragmén on approval ballots, as pabutools does:
// voters earn money continuously; the next project bought is the one whose
// supporters can pay for it soonest, which makes every supporter's load
// (sum of loads + cost) ÷ supporters. Projects costing more than the budget
// are left out at the start; the rule stops at the first bought project that
// would exceed the budget (ties by the tie-break), without skipping it.
// Projects nobody approves have infinite load.
func Phragmen(inst *Instance, prof *Profile, tb TieBreak) (*Outcome, error) {
	if err := Validate(inst, prof); err != nil {
		return nil, err
	}
	if prof.Kind != Approval {
		return nil, fmt.Errorf("%w: sequential Phragmén needs approval ballots, not %s", ErrInvalid, prof.Kind)
	}
	np := len(inst.Projects)
	rank := tb.ranks(inst)
	score := approvals(inst, prof)
	alive := make([]bool, np)
	for p, pr := range inst.Projects {
		alive[p] = pr.Cost.Cmp(inst.Budget) <= 0
	}
	// loads[l] is a load value; loadOf[b] indexes the load of ballot b.
	loads := []*big.Rat{new(big.Rat)}
	loadOf := make([]int32, len(prof.Ballots))
	// sum[p] is Σ count × load over p's supporters; next[p] = (sum+cost)/score.
	sum := make([]*big.Rat, np)
	next := make([]*big.Rat, np)
	nextF := make([]float64, np)
	dirty := make([]bool, np)
	for p := range sum {
		sum[p] = new(big.Rat)
		dirty[p] = true
	}
	sup := make([][]int32, np)
	for b := range prof.Ballots {
		for _, p := range prof.Ballots[b].Projects {
			sup[p] = append(sup[p], int32(b))
		}
	}
	out := &Outcome{Rule: RulePhragmen, Explanations: make(map[string]Explanation, np)}
	var sel []int
	spent := new(big.Rat)
	stopped := -1
	delta := make(map[[2]int32]int64)
	var tmp big.Rat
	for {
		for p := 0; p < np; p++ {
			if !alive[p] || !dirty[p] {
				continue
			}
			dirty[p] = false
			if score[p] == 0 {
				next[p], nextF[p] = nil, math.Inf(1)
				continue
			}
			v := new(big.Rat).Add(sum[p], inst.Projects[p].Cost)
			v.Quo(v, new(big.Rat).SetInt64(score[p]))
			next[p] = v
			nextF[p], _ = v.Float64()
		}
		best := -1
		var tied []int
		for p := 0; p < np; p++ {
			if !alive[p] {
				continue
			}
			if best < 0 {
				best, tied = p, append(tied[:0], p)
				continue
			}
			switch c := cmpLoad(next[p], nextF[p], next[best], nextF[best]); {
			case c < 0:
				best, tied = p, append(tied[:0], p)
			case c == 0:
				tied = append(tied, p)
			}
		}
		if best < 0 {
			break
		}
		over := false
		win := tied[0]
		for _, p := range tied {
			if new(big.Rat).Add(spent, inst.Projects[p].Cost).Cmp(inst.Budget) > 0 {
				over = true
			}
			if rank[p] < rank[win] {
				win = p
			}
		}
		if over {
			stopped = win
			for _, p := range tied {
				if new(big.Rat).Add(spent, inst.Projects[p].Cost).Cmp(inst.Budget) > 0 {
					stopped = p
					break
				}
			}
			break
		}
		alive[win] = false
		sel = append(sel, win)
		spent.Add(spent, inst.Projects[win].Cost)
		pr := inst.Projects[win]
		e := Explanation{Selected: true, Position: len(sel), Reason: "selected", Cost: exactString(pr.Cost), Voters: score[win], Score: fmt.Sprint(score[win])}
		if next[win] == nil {
			e.Text = fmt.Sprintf("Selected %s: nobody approved it, but it was next by the tie-break and fit in the budget.", ordinal(len(sel)))
		} else {
			e.Load = exactString(next[win])
			e.Text = fmt.Sprintf("Selected %s: its %d supporters could pay for it once each carried a load of %s.", ordinal(len(sel)), score[win], ratString(next[win]))
		}
		out.Explanations[pr.ID] = e
		if next[win] == nil {
			continue
		}
		// Move the winner's supporters to the new load and update the sums
		// of the projects they also approve.
		newL := int32(len(loads))
		loads = append(loads, next[win])
		clear(delta)
		for _, b := range sup[win] {
			old := loadOf[b]
			c := prof.Ballots[b].count()
			for _, q := range prof.Ballots[b].Projects {
				if alive[q] {
					delta[[2]int32{int32(q), old}] += c
				}
			}
			loadOf[b] = newL
		}
		for key, c := range delta {
			q, old := key[0], key[1]
			tmp.Sub(loads[newL], loads[old])
			tmp.Mul(&tmp, new(big.Rat).SetInt64(c))
			sum[q].Add(sum[q], &tmp)
			dirty[q] = true
		}
	}
	for p, pr := range inst.Projects {
		if _, done := out.Explanations[pr.ID]; done {
			continue
		}
		e := Explanation{Cost: exactString(pr.Cost), Voters: score[p], Score: fmt.Sprint(score[p])}
		switch {
		case pr.Cost.Cmp(inst.Budget) > 0:
			e.Reason = "too-expensive"
			e.Text = fmt.Sprintf("Not selected: it costs %s, more than the whole budget of %s.", ratString(pr.Cost), ratString(inst.Budget))
		case p == stopped:
			e.Reason = "stopped"
			if next[p] != nil {
				e.Load = exactString(next[p])
			}
			e.MaxCost = exactString(new(big.Rat).Sub(inst.Budget, spent))
			e.Text = fmt.Sprintf("Not selected: it was next in line, but its cost of %s exceeded the %s left, so the rule stopped here.", ratString(pr.Cost), ratString(new(big.Rat).Sub(inst.Budget, spent)))
		default:
			e.Reason = "not-reached"
			if next[p] != nil {
				e.Load = exactString(next[p])
				e.Text = fmt.Sprintf("Not selected: the rule stopped before its supporters' load reached %s.", ratString(next[p]))
			} else {
				e.Reason = "no-support"
				e.Text = "Not selected: nobody approved it and the rule stopped before reaching it."
			}
		}
		out.Explanations[pr.ID] = e
	}
	out.Selected = ids(inst, sel)
	out.Cost = spent
	return out, nil
}

// cmpLoad compares two loads, nil meaning infinite, using the float
// approximations when they are far apart and the exact values otherwise.
func cmpLoad(a *big.Rat, af float64, b *big.Rat, bf float64) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	if af < bf*(1-1e-9) {
		return -1
	}
	if af > bf*(1+1e-9) {
		return 1
	}
	return a.Cmp(b)
}
