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
	sup := make([][]int32, np)
	for b := range prof.Ballots {
		for _, p := range prof.Ballots[b].Projects {
			sup[p] = append(sup[p], int32(b))
		}
	}
	ph := &phragmen{inst: inst, prof: prof, sup: sup, score: score, loads: []*big.Rat{new(big.Rat)}, loadsF: []float64{0}, loadOf: make([]int32, len(prof.Ballots))}
	// sumF[p] approximates Σ count × load over p's supporters, within
	// errF[p]; the exact sum is recomputed only when floats cannot decide.
	sumF := make([]float64, np)
	errF := make([]float64, np)
	costF := make([]float64, np)
	for p, pr := range inst.Projects {
		costF[p], _ = pr.Cost.Float64()
	}
	nextF := func(p int) (v, e float64) {
		if score[p] == 0 {
			return math.Inf(1), 0
		}
		s := float64(score[p])
		v = (sumF[p] + costF[p]) / s
		return v, (errF[p]+4*eps*(math.Abs(sumF[p])+costF[p]))/s + 4*eps*v
	}
	out := &Outcome{Rule: RulePhragmen, Explanations: make(map[string]Explanation, np)}
	var sel []int
	spent := new(big.Rat)
	stopped := -1
	next := make([]*big.Rat, np) // exact next load, where computed
	delta := make(map[[2]int32]int64)
	for {
		// Every project whose load might be the least, judged in floats.
		upper := math.Inf(1)
		any := false
		for p := 0; p < np; p++ {
			if alive[p] {
				any = true
				v, e := nextF(p)
				upper = min(upper, v+e)
			}
		}
		if !any {
			break
		}
		var close []int
		for p := 0; p < np; p++ {
			if alive[p] {
				if v, e := nextF(p); v-e <= upper {
					close = append(close, p)
				}
			}
		}
		// Exact loads decide among the close ones.
		var tied []int
		var best *big.Rat
		for _, p := range close {
			if next[p] == nil {
				next[p] = ph.nextLoad(p)
			}
			switch {
			case len(tied) == 0:
				tied, best = append(tied, p), next[p]
			default:
				c := cmpLoad(next[p], 0, best, 0)
				if c < 0 {
					tied, best = append(tied[:0], p), next[p]
				} else if c == 0 {
					tied = append(tied, p)
				}
			}
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
			for p := 0; p < np; p++ {
				if alive[p] && next[p] == nil && score[p] > 0 {
					next[p] = ph.nextLoad(p)
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
		newL := int32(len(ph.loads))
		ph.loads = append(ph.loads, next[win])
		lf, _ := next[win].Float64()
		ph.loadsF = append(ph.loadsF, lf)
		clear(delta)
		for _, b := range sup[win] {
			old := ph.loadOf[b]
			c := prof.Ballots[b].count()
			for _, q := range prof.Ballots[b].Projects {
				if alive[q] {
					delta[[2]int32{int32(q), old}] += c
				}
			}
			ph.loadOf[b] = newL
		}
		for key, c := range delta {
			q, old := key[0], key[1]
			d := float64(c) * (lf - ph.loadsF[old])
			sumF[q] += d
			errF[q] += 4 * eps * (math.Abs(sumF[q]) + math.Abs(d) + float64(c)*(lf+ph.loadsF[old]))
			next[q] = nil
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

// phragmen holds the state of a sequential Phragmén run that exact load
// computations need.
type phragmen struct {
	inst   *Instance
	prof   *Profile
	sup    [][]int32
	score  []int64
	loads  []*big.Rat // the distinct loads so far; loads[0] is zero
	loadsF []float64
	loadOf []int32 // load index per ballot
	cnt    []int64
}

// nextLoad returns p's exact load if bought now: (Σ loads + cost) ÷ score,
// or nil (infinite) when nobody approves it.
func (ph *phragmen) nextLoad(p int) *big.Rat {
	if ph.score[p] == 0 {
		return nil
	}
	if cap(ph.cnt) < len(ph.loads) {
		ph.cnt = make([]int64, len(ph.loads)*2)
	}
	cnt := ph.cnt[:len(ph.loads)]
	clear(cnt)
	for _, b := range ph.sup[p] {
		cnt[ph.loadOf[b]] += ph.prof.Ballots[b].count()
	}
	sum := new(big.Rat).Set(ph.inst.Projects[p].Cost)
	var t big.Rat
	for l, c := range cnt {
		if c != 0 && l != 0 {
			t.SetInt64(c)
			sum.Add(sum, t.Mul(&t, ph.loads[l]))
		}
	}
	return sum.Quo(sum, new(big.Rat).SetInt64(ph.score[p]))
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
