package pb

import (
	"fmt"
	"math"
	"math/big"
	"slices"
)

// Phragmen runs sequential Phragmén on approval ballots, as pabutools does:
// voters earn money continuously; the next project bought is the one whose
// supporters can pay for it soonest, which makes every supporter's load
// (sum of loads + cost) ÷ supporters. Projects costing more than the budget
// are left out at the start; the rule stops at the first bought project that
// would exceed the budget (ties by the tie-break), without skipping it.
// Projects nobody approves have infinite load.
//
// Every supporter of a bought project ends with the same load, so the loads
// in play are the zero load and one per round. Ballots with the same
// approval set are merged into one group with a count, and each project
// keeps cnt[p][r], how many of its supporters carry round r's load; a
// project's next load is then (cost + Σ_r cnt[p][r]·load_r) ÷ approvals, a
// sum over rounds rather than voters. Buying a project moves only its
// supporters' groups. Loads are compared in floats with error bounds and
// exactly (big.Rat) only when the floats cannot decide.
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
	ph := newPhragmen(inst, prof, score)
	costF := make([]float64, np)
	for p, pr := range inst.Projects {
		costF[p], _ = pr.Cost.Float64()
	}
	// nextF returns p's next load in floats with a bound on its error.
	nextF := func(p int) (v, e float64) {
		if score[p] == 0 {
			return math.Inf(1), 0
		}
		var sum float64
		for r, c := range ph.cnt[p] {
			if c != 0 {
				sum += float64(c) * ph.loadsF[r]
			}
		}
		s := float64(score[p])
		v = (sum + costF[p]) / s
		return v, float64(len(ph.cnt[p])+8)*4*eps*(sum+costF[p])/s + 4*eps*v
	}
	out := &Outcome{Rule: RulePhragmen, Explanations: make(map[string]Explanation, np)}
	var sel []int
	spent := new(big.Rat)
	stopped := -1
	next := make([]*big.Rat, np) // exact next load, where computed
	vF := make([]float64, np)
	eF := make([]float64, np)
	for {
		// Every project whose load might be the least, judged in floats.
		upper := math.Inf(1)
		any := false
		for p := 0; p < np; p++ {
			if alive[p] {
				any = true
				vF[p], eF[p] = nextF(p)
				upper = min(upper, vF[p]+eF[p])
			}
		}
		if !any {
			break
		}
		var close []int
		for p := 0; p < np; p++ {
			if alive[p] && vF[p]-eF[p] <= upper {
				close = append(close, p)
			}
		}
		// Exact loads decide among the close ones.
		var tied []int
		var best *big.Rat
		for _, p := range close {
			if len(close) > 1 && next[p] == nil {
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
		if next[win] == nil && score[win] > 0 {
			next[win] = ph.nextLoad(win)
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
		for _, q := range ph.move(win, next[win], alive) {
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

// phragmen holds the state of a sequential Phragmén run: the distinct loads
// so far, the groups of identical ballots with the load each carries, and
// per project how many supporters carry each load.
type phragmen struct {
	inst   *Instance
	score  []int64
	loads  []*big.Rat // the distinct loads so far; loads[0] is zero
	loadsF []float64
	// den is a common denominator of all loads and nums[r] = loads[r]·den,
	// so that a sum of loads needs no gcd until its final division.
	den  *big.Int
	nums []*big.Int
	// The projects of group g are flat[gOff[g]:gOff[g]+gLen[g]]: the
	// ballot's, sorted, and after each move only those still alive.
	flat   []int32
	gOff   []int32
	gLen   []int32
	gCount []int64 // voters in each group
	gLoad  []int32 // load index of each group
	sup    [][]int32
	cnt    [][]int64 // cnt[p][r]: supporters of p carrying loads[r]
	mark   []bool
}

func newPhragmen(inst *Instance, prof *Profile, score []int64) *phragmen {
	np := len(inst.Projects)
	ph := &phragmen{inst: inst, score: score, loads: []*big.Rat{new(big.Rat)}, loadsF: []float64{0}, den: big.NewInt(1), nums: []*big.Int{new(big.Int)}, mark: make([]bool, np)}
	// Identical approval sets share a group, found through an
	// open-addressing table of group indices keyed by a hash of the set.
	nb := len(prof.Ballots)
	size := 1
	for size < 2*nb+2 {
		size <<= 1
	}
	table := make([]int32, size) // group + 1, or 0 if empty
	var hashes []uint64
	total := 0
	for b := range prof.Ballots {
		total += len(prof.Ballots[b].Projects)
	}
	ph.flat = make([]int32, 0, total)
	ph.gOff = make([]int32, 0, nb)
	ph.gLen = make([]int32, 0, nb)
	ph.gCount = make([]int64, 0, nb)
	hashes = make([]uint64, 0, nb)
	var sorted []int
	for b := range prof.Ballots {
		bl := &prof.Ballots[b]
		if len(bl.Projects) == 0 {
			continue
		}
		ps := bl.Projects
		if !slices.IsSorted(ps) {
			sorted = append(sorted[:0], ps...)
			slices.Sort(sorted)
			ps = sorted
		}
		h := uint64(14695981039346656037)
		for _, p := range ps {
			h ^= uint64(p) + 0x9e3779b97f4a7c15
			h *= 1099511628211
			h ^= h >> 29
		}
		i := int(h>>7) & (size - 1)
		g := int32(-1)
		for table[i] != 0 {
			c := table[i] - 1
			if hashes[c] == h && sameProjects(ph.flat[ph.gOff[c]:ph.gOff[c]+ph.gLen[c]], ps) {
				g = c
				break
			}
			i = (i + 1) & (size - 1)
		}
		if g < 0 {
			g = int32(len(ph.gOff))
			table[i] = g + 1
			hashes = append(hashes, h)
			ph.gOff = append(ph.gOff, int32(len(ph.flat)))
			ph.gLen = append(ph.gLen, int32(len(ps)))
			for _, p := range ps {
				ph.flat = append(ph.flat, int32(p))
			}
			ph.gCount = append(ph.gCount, 0)
		}
		ph.gCount[g] += bl.count()
	}
	ph.gLoad = make([]int32, len(ph.gOff))
	nsup := make([]int32, np)
	for g, off := range ph.gOff {
		ps := ph.flat[off : off+ph.gLen[g]]
		for i, p := range ps {
			if i == 0 || ps[i-1] != p {
				nsup[p]++
			}
		}
	}
	ph.sup = make([][]int32, np)
	for p := range ph.sup {
		ph.sup[p] = make([]int32, 0, nsup[p])
	}
	for g, off := range ph.gOff {
		ps := ph.flat[off : off+ph.gLen[g]]
		for i, p := range ps {
			if i == 0 || ps[i-1] != p {
				ph.sup[p] = append(ph.sup[p], int32(g))
			}
		}
	}
	ph.cnt = make([][]int64, np)
	for p := range ph.cnt {
		ph.cnt[p] = make([]int64, 1, min(np, 32)+1)
		ph.cnt[p][0] = score[p]
	}
	return ph
}

func sameProjects(a []int32, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i, p := range b {
		if a[i] != int32(p) {
			return false
		}
	}
	return true
}

// move gives every supporter of the bought project win the load l and
// returns the projects whose sums changed.
func (ph *phragmen) move(win int, l *big.Rat, alive []bool) []int {
	newL := int32(len(ph.loads))
	ph.loads = append(ph.loads, l)
	lf, _ := l.Float64()
	ph.loadsF = append(ph.loadsF, lf)
	// Extend the common denominator to l's and rescale the numerators.
	var g, f big.Int
	g.GCD(nil, nil, ph.den, l.Denom())
	f.Quo(l.Denom(), &g)
	if f.Cmp(big.NewInt(1)) != 0 {
		ph.den.Mul(ph.den, &f)
		for _, n := range ph.nums {
			n.Mul(n, &f)
		}
	}
	n := new(big.Int).Quo(ph.den, l.Denom())
	ph.nums = append(ph.nums, n.Mul(n, l.Num()))
	var touched []int
	for _, g := range ph.sup[win] {
		old := ph.gLoad[g]
		c := ph.gCount[g]
		off := ph.gOff[g]
		ps := ph.flat[off : off+ph.gLen[g]]
		n := 0
		for _, q := range ps {
			if !alive[q] {
				continue
			}
			ps[n] = q
			n++
			row := ph.cnt[q]
			for int32(len(row)) <= newL {
				row = append(row, 0)
			}
			row[old] -= c
			row[newL] += c
			ph.cnt[q] = row
			if !ph.mark[q] {
				ph.mark[q] = true
				touched = append(touched, int(q))
			}
		}
		ph.gLen[g] = int32(n)
		ph.gLoad[g] = newL
	}
	for _, q := range touched {
		ph.mark[q] = false
	}
	return touched
}

// nextLoad returns p's exact load if bought now: (Σ loads + cost) ÷ score,
// or nil (infinite) when nobody approves it.
func (ph *phragmen) nextLoad(p int) *big.Rat {
	if ph.score[p] == 0 {
		return nil
	}
	// (cost + Σ c·nums/den) ÷ score = (a·den + b·Σ c·nums) ÷ (b·score·den)
	// for cost = a/b, with a single gcd.
	var sum, t big.Int
	for l, c := range ph.cnt[p] {
		if c != 0 && l != 0 {
			t.SetInt64(c)
			sum.Add(&sum, t.Mul(&t, ph.nums[l]))
		}
	}
	cost := ph.inst.Projects[p].Cost
	num := new(big.Int).Mul(cost.Num(), ph.den)
	num.Add(num, sum.Mul(&sum, cost.Denom()))
	den := new(big.Int).SetInt64(ph.score[p])
	den.Mul(den, cost.Denom())
	den.Mul(den, ph.den)
	return new(big.Rat).SetFrac(num, den)
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
