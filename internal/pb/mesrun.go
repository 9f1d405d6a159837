package pb

import (
	"math"
	"math/big"
	"slices"
	"sort"
)

// eps is the unit roundoff of float64. Float values here only filter: every
// decision they cannot make with a wide margin is made in exact arithmetic.
const eps = 1.0 / (1 << 52)

// tol is the relative gap under which two float prices count as too close to
// call and are compared exactly.
const tol = 1e-9

// entry aggregates the supporters of a project that hold the same budget
// and the same satisfaction weight k.
type entry struct {
	bid int32 // budget id
	k   int64
	w   int64 // number of voters
}

// mesRun is one run of MES with a given starting share per voter.
type mesRun struct {
	m     *mesModel
	share *big.Rat
	gb    []int32    // budget id per ballot
	val   []*big.Rat // budget values by id; id 0 is zero
	valF  []float64
	alive []bool
	lbF   []float64 // lower bound on each project's price (ρ), as a float
	sel   []int     // selected projects in order (zero-cost ones first)
	info  []projInfo

	slot                         []int32
	ent                          []entry
	entOf                        []int32
	order                        []int32
	scratchA, scratchB, scratchC big.Rat
}

// projInfo records what a run did with a project, for explanations.
type projInfo struct {
	round     int // 1-based round bought or dropped; 0 if never evaluated
	selected  bool
	rho       *big.Rat // price per unit of satisfaction paid
	payMin    *big.Rat
	payMax    *big.Rat
	available *big.Rat // supporters' money when dropped
}

func (m *mesModel) newRun(share *big.Rat) *mesRun {
	r := &mesRun{m: m, share: share}
	r.gb = make([]int32, len(m.w))
	for i := range r.gb {
		r.gb[i] = 1
	}
	r.val = []*big.Rat{new(big.Rat), share}
	f, _ := share.Float64()
	r.valF = []float64{0, f}
	if share.Sign() == 0 {
		for i := range r.gb {
			r.gb[i] = 0
		}
	}
	np := len(m.inst.Projects)
	r.alive = make([]bool, np)
	r.lbF = make([]float64, np)
	r.info = make([]projInfo, np)
	for _, p := range m.cand {
		r.alive[p] = true
		r.lbF[p] = m.costF[p] / (m.uF[p] * float64(m.st.total[p]))
	}
	r.slot = make([]int32, 2, 64)
	return r
}

// run executes MES with the given share per voter.
func (m *mesModel) run(share *big.Rat, _ any) *mesRun {
	r := m.newRun(share)
	r.sel = append(r.sel, m.zero...)
	for _, p := range m.zero {
		r.info[p] = projInfo{selected: true}
	}
	for round := 1; ; round++ {
		if !r.round(round) {
			break
		}
	}
	return r
}

type evaluated struct {
	p    int
	rhoF float64
}

// round buys one project; it returns false when none is affordable.
func (r *mesRun) round(round int) bool {
	m := r.m
	cands := make([]int, 0, len(m.cand))
	for _, p := range m.cand {
		if r.alive[p] {
			cands = append(cands, p)
		}
	}
	sort.Slice(cands, func(i, j int) bool { return r.lbF[cands[i]] < r.lbF[cands[j]] })
	bestF := math.Inf(1)
	var evals []evaluated
	for _, q := range cands {
		if r.lbF[q] > bestF*(1+tol) {
			break
		}
		r.aggregate(q)
		if !r.affordable(q) {
			r.alive[q] = false
			r.info[q] = projInfo{round: round, available: r.available()}
			continue
		}
		rhoP, ok := r.scanFloat(q)
		var rho float64
		if ok {
			rho = rhoP / m.uF[q]
		} else {
			ex := r.exactPrice(q)
			rho, _ = ex.Float64()
		}
		r.lbF[q] = rho
		evals = append(evals, evaluated{q, rho})
		bestF = min(bestF, rho)
	}
	if len(evals) == 0 {
		return false
	}
	win := -1
	var winRho *big.Rat
	for _, e := range evals {
		if e.rhoF > bestF*(1+tol) {
			continue
		}
		if win < 0 {
			win = e.p
			continue
		}
		// Too close to call in floats: compare exact prices.
		if winRho == nil {
			r.aggregate(win)
			winRho = r.exactPrice(win)
		}
		r.aggregate(e.p)
		rho := r.exactPrice(e.p)
		if c := rho.Cmp(winRho); c < 0 || c == 0 && m.rank[e.p] < m.rank[win] {
			win, winRho = e.p, rho
		}
	}
	r.aggregate(win)
	rhoP := r.exactPriceP(win)
	r.buy(win, rhoP, round)
	return true
}

// aggregate fills r.ent with p's supporters grouped by (budget, k), and
// r.entOf with each supporter's entry.
func (r *mesRun) aggregate(p int) {
	sup := r.m.st.sup[p]
	if cap(r.entOf) < len(sup) {
		r.entOf = make([]int32, len(sup))
	}
	r.entOf = r.entOf[:len(sup)]
	if len(r.slot) < len(r.val) {
		r.slot = append(r.slot, make([]int32, len(r.val)-len(r.slot))...)
	}
	r.ent = r.ent[:0]
	slot, gb, w := r.slot, r.gb, r.m.w
	for i := 0; i < len(sup); {
		k := sup[i].k
		start := len(r.ent)
		j := i
		for ; j < len(sup) && sup[j].k == k; j++ {
			b := gb[sup[j].ballot]
			s := slot[b]
			if s == 0 {
				r.ent = append(r.ent, entry{bid: b, k: k})
				s = int32(len(r.ent))
				slot[b] = s
			}
			r.ent[s-1].w += w[sup[j].ballot]
			r.entOf[j] = s - 1
		}
		for _, e := range r.ent[start:] {
			slot[e.bid] = 0
		}
		i = j
	}
}

// available returns the exact money p's supporters hold (after aggregate).
func (r *mesRun) available() *big.Rat {
	s := new(big.Rat)
	for _, e := range r.ent {
		if e.bid == 0 {
			continue
		}
		r.scratchA.SetInt64(e.w)
		r.scratchA.Mul(&r.scratchA, r.val[e.bid])
		s.Add(s, &r.scratchA)
	}
	return s
}

// affordable reports whether p's supporters hold at least its cost.
func (r *mesRun) affordable(p int) bool {
	var sum float64
	for _, e := range r.ent {
		sum += float64(e.w) * r.valF[e.bid]
	}
	c := r.m.costF[p]
	err := float64(len(r.ent)+4) * 2 * eps * (sum + c)
	if sum+err < c {
		return false
	}
	if sum-err >= c {
		return true
	}
	return r.available().Cmp(r.m.inst.Projects[p].Cost) >= 0
}

// sortEntries orders r.order by budget ÷ k, in floats.
func (r *mesRun) sortEntries() {
	r.order = r.order[:0]
	for i := range r.ent {
		r.order = append(r.order, int32(i))
	}
	ent, valF := r.ent, r.valF
	slices.SortFunc(r.order, func(a, b int32) int {
		x := valF[ent[a].bid] / float64(ent[a].k)
		y := valF[ent[b].bid] / float64(ent[b].k)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
}

// scanFloat computes ρ' = ρ × u (the price per unit of k) of an affordable
// project in floats. ok is false when rounding could change the answer or
// its first ten significant digits.
func (r *mesRun) scanFloat(p int) (rhoP float64, ok bool) {
	r.sortEntries()
	c := r.m.costF[p]
	var remS int64
	for _, e := range r.ent {
		remS += e.w * e.k
	}
	var paid float64
	for n, i := range r.order {
		e := r.ent[i]
		v := r.valF[e.bid]
		k := float64(e.k)
		lhs := (c - paid) * k
		rhs := v * float64(remS)
		errPaid := float64(n+4) * 2 * eps * (c + paid)
		margin := errPaid*k + 8*eps*(math.Abs(lhs)+math.Abs(rhs))
		if lhs <= rhs-margin {
			if errPaid > 1e-11*(c-paid) {
				return 0, false
			}
			return (c - paid) / float64(remS), true
		}
		if lhs <= rhs+margin {
			return 0, false
		}
		paid += float64(e.w) * v
		remS -= e.w * e.k
	}
	return 0, false
}

// exactPrice returns p's exact price ρ (after aggregate).
func (r *mesRun) exactPrice(p int) *big.Rat {
	rho := r.exactPriceP(p)
	return rho.Quo(rho, r.m.st.u[p])
}

// exactPriceP returns the exact ρ' of an affordable project: the least x with
// Σ min(budget, x·k) ≥ cost over its supporters.
func (r *mesRun) exactPriceP(p int) *big.Rat {
	r.sortEntries()
	if rho, ok := r.scanExact(p); ok {
		return rho
	}
	// The float order was wrong near the price: sort exactly and rescan.
	ent, val := r.ent, r.val
	var a, b big.Rat
	slices.SortFunc(r.order, func(x, y int32) int {
		a.Mul(val[ent[x].bid], new(big.Rat).SetInt64(ent[y].k))
		b.Mul(val[ent[y].bid], new(big.Rat).SetInt64(ent[x].k))
		return a.Cmp(&b)
	})
	rho, _ := r.scanExact(p)
	return rho
}

// scanExact scans r.order exactly and checks that the order was right about
// who is poor (pays everything) and who is rich at the price found.
func (r *mesRun) scanExact(p int) (*big.Rat, bool) {
	cost := r.m.inst.Projects[p].Cost
	var remS int64
	for _, e := range r.ent {
		remS += e.w * e.k
	}
	paid := new(big.Rat)
	left := &r.scratchA
	lhs, rhs := &r.scratchB, &r.scratchC
	stop := -1
	var rho *big.Rat
	for n, i := range r.order {
		e := r.ent[i]
		left.Sub(cost, paid)
		lhs.Mul(left, new(big.Rat).SetInt64(e.k))
		rhs.Mul(r.val[e.bid], new(big.Rat).SetInt64(remS))
		if lhs.Cmp(rhs) <= 0 {
			rho = new(big.Rat).Quo(left, new(big.Rat).SetInt64(remS))
			stop = n
			break
		}
		rhs.SetInt64(e.w)
		rhs.Mul(rhs, r.val[e.bid])
		paid.Add(paid, rhs)
		remS -= e.w * e.k
	}
	if rho == nil {
		return nil, false
	}
	for n, i := range r.order {
		e := r.ent[i]
		lhs.Mul(rho, new(big.Rat).SetInt64(e.k))
		c := r.val[e.bid].Cmp(lhs)
		if n < stop && c >= 0 || n >= stop && c < 0 {
			return nil, false
		}
	}
	return rho, true
}

// buy selects p at price ρ' and charges its supporters.
func (r *mesRun) buy(p int, rhoP *big.Rat, round int) {
	newID := make([]int32, len(r.ent))
	var payMin, payMax *big.Rat
	pay := new(big.Rat)
	for i, e := range r.ent {
		pay.Mul(rhoP, new(big.Rat).SetInt64(e.k))
		v := r.val[e.bid]
		var paid *big.Rat
		if e.bid == 0 || v.Cmp(pay) <= 0 {
			newID[i] = 0
			paid = v
		} else {
			nv := new(big.Rat).Sub(v, pay)
			newID[i] = int32(len(r.val))
			r.val = append(r.val, nv)
			f, _ := nv.Float64()
			r.valF = append(r.valF, f)
			paid = new(big.Rat).Set(pay)
		}
		if payMin == nil || paid.Cmp(payMin) < 0 {
			payMin = new(big.Rat).Set(paid)
		}
		if payMax == nil || paid.Cmp(payMax) > 0 {
			payMax = new(big.Rat).Set(paid)
		}
	}
	for j, s := range r.m.st.sup[p] {
		r.gb[s.ballot] = newID[r.entOf[j]]
	}
	r.alive[p] = false
	r.sel = append(r.sel, p)
	r.info[p] = projInfo{round: round, selected: true, rho: new(big.Rat).Quo(rhoP, r.m.st.u[p]), payMin: payMin, payMax: payMax}
}

// selection returns the selected projects in order.
func (r *mesRun) selection() []int { return r.sel }

// cost returns the total cost of the selection.
func (r *mesRun) cost() *big.Rat { return totalCost(r.m.inst, r.sel) }
