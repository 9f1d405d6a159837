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
//
// Budgets are shared by every ballot with the same payment history and are
// identified by a budget id. Each id keeps a float value with a bound on its
// absolute error; its exact value is derived on demand from its parent id and
// the round's exact price, so exact arithmetic is spent only where a float
// decision is too close to call and on the few voters who pay everything.
type mesRun struct {
	m     *mesModel
	share *big.Rat
	gb    []int32    // budget id per ballot
	val   []*big.Rat // exact budget by id, nil until needed; id 0 is zero
	zero  []bool     // the budget is exactly zero
	valF  []float64
	errF  []float64 // bound on |valF − val|
	par   []int32   // parent id
	parK  []int64   // the k the parent paid ρ' × k at
	parR  []int32   // index of that round's ρ' in rhos
	rhos  []*big.Rat
	// cden is a common denominator of the share and every ρ' in rhos;
	// cshare and cnum are their numerators over it, so that an integer
	// combination of them needs a single gcd.
	cden   *big.Int
	cshare *big.Int
	cnum   []*big.Int
	alive  []bool
	lbF    []float64 // lower bound on each project's price (ρ), as a float
	sel    []int     // selected projects in order (zero-cost ones first)
	info   []projInfo

	slot  []int32
	ent   []entry
	entOf []int32
	order []int32
	keyed []keyed
	// zeroID maps a slope bound to the zero budget id that has it.
	zeroID map[float64]int32
	poor   int // after a float scan: entries order[:poor] pay all they have
	coef   []int64
	tr     *tracker // nil unless the run is part of a completion
	// scanned is the project whose float scan left r.order and r.poor
	// valid (ok), or -1; aggregate resets it.
	scanned int
	// The aggregated state of the cheapest project evaluated so far in a
	// round (swapped out, not copied), so that the winner need not be
	// aggregated and sorted again; snapP is -1 when there is none.
	snapP     int
	snapOK    bool
	snapPoor  int
	snapEnt   []entry
	snapEntOf []int32
	snapOrder []int32
	// rhoLo bounds from below the slope of the winner's ρ' per step.
	rhoLo float64
	tmp   big.Rat
}

// exact returns the exact budget of id.
func (r *mesRun) exact(id int32) *big.Rat {
	if v := r.val[id]; v != nil {
		return v
	}
	pv := r.exact(r.par[id])
	v := new(big.Rat).SetInt64(r.parK[id])
	v.Mul(v, r.rhos[r.parR[id]])
	v.Sub(pv, v)
	r.val[id] = v
	return v
}

// projInfo records what a run did with a project, for explanations.
type projInfo struct {
	round    int // 1-based round bought or dropped; 0 if never evaluated
	selected bool
	rho      *big.Rat // price per unit of satisfaction paid
	payMin   *big.Rat
	payMax   *big.Rat
	// availableF is what the supporters held when it was dropped (float, to
	// within a relative 1e-12: explanations round it to cents).
	availableF float64
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
	r.errF = []float64{0, eps * f}
	r.par = []int32{0, 0}
	r.parK = []int64{0, 0}
	r.parR = []int32{0, 0}
	r.zero = []bool{true, share.Sign() == 0}
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
	r.scanned, r.snapP = -1, -1
	return r
}

// run executes MES with the given share per voter; tr, if not nil,
// collects the certificates of a completion step.
func (m *mesModel) run(share *big.Rat, tr *tracker) *mesRun {
	r := m.newRun(share)
	r.tr = tr
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
	p     int
	rhoF  float64
	rhoLo float64 // lower bound on the slope of ρ per step
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
	r.snapP = -1
	for _, q := range cands {
		if r.lbF[q] > bestF*(1+tol) {
			break
		}
		r.aggregate(q)
		if !r.affordable(q) {
			if r.tr != nil {
				r.affordCert(q, false)
			}
			r.alive[q] = false
			r.info[q] = projInfo{round: round, availableF: r.availableF()}
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
		ev := evaluated{p: q, rhoF: rho}
		if r.tr != nil {
			ev.rhoLo = down(r.priceLo() / m.uF[q])
			r.tr.lbLo[q] = ev.rhoLo
		}
		evals = append(evals, ev)
		if rho < bestF {
			r.snapP, r.snapOK, r.snapPoor = q, ok, r.poor
			r.ent, r.snapEnt = r.snapEnt, r.ent
			r.entOf, r.snapEntOf = r.snapEntOf, r.entOf
			r.order, r.snapOrder = r.snapOrder, r.order
			r.scanned = -1
		}
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
	if win == r.snapP {
		r.ent, r.snapEnt = r.snapEnt, r.ent
		r.entOf, r.snapEntOf = r.snapEntOf, r.entOf
		r.order, r.snapOrder = r.snapOrder, r.order
		r.poor = r.snapPoor
		r.scanned = -1
		if r.snapOK {
			r.scanned = win
		}
	} else {
		r.aggregate(win)
	}
	r.snapP = -1
	rhoP := r.exactPriceP(win)
	if r.tr != nil {
		r.certifyRound(win, rhoP, cands, evals)
	}
	r.buy(win, rhoP, round)
	return true
}

// certifyRound records the certificates of a round's choice: the winner
// stays affordable and cheapest. Every other candidate's price has a linear
// lower bound (evaluated ones from this round, pruned ones from the round
// they were last priced in); the winner's price is bounded above either by
// its price now (it cannot rise: its supporters only get richer) or, for a
// range of steps, by a falling line (winnerHi). The better of the two holds.
func (r *mesRun) certifyRound(win int, rhoP *big.Rat, cands []int, evals []evaluated) {
	m, tr := r.m, r.tr
	r.affordCert(win, true)
	if !r.supportersGrow() {
		tr.steps = 1
	}
	rhoPF, _ := rhoP.Float64()
	wf := rhoPF / m.uF[win]
	y, s1 := r.winnerHi(rhoPF)
	y = up(y / m.uF[win])
	s0 := math.Inf(1)
	cmp := func(rho, lo float64) {
		v0 := down(rho - wf - 1e-10*(math.Abs(rho)+math.Abs(wf)))
		s0 = min(s0, stepsFor(v0, lo))
		s1 = min(s1, stepsFor(v0, down(lo-y)))
	}
	seen := make(map[int]bool, len(evals))
	for _, e := range evals {
		seen[e.p] = true
		if e.p != win {
			cmp(e.rhoF, e.rhoLo)
		}
	}
	for _, q := range cands {
		if !seen[q] && r.alive[q] {
			cmp(r.lbF[q], tr.lbLo[q])
		}
	}
	tr.steps = min(tr.steps, max(s0, s1))
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
	r.scanned = -1
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
		if r.zero[e.bid] {
			continue
		}
		r.tmp.SetInt64(e.w)
		r.tmp.Mul(&r.tmp, r.exact(e.bid))
		s.Add(s, &r.tmp)
	}
	return s
}

// availableF returns the money p's supporters hold, in floats.
func (r *mesRun) availableF() float64 {
	var sum float64
	for _, e := range r.ent {
		sum += float64(e.w) * r.valF[e.bid]
	}
	return max(sum, 0)
}

// affordable reports whether p's supporters hold at least its cost.
func (r *mesRun) affordable(p int) bool {
	var sum, err float64
	for _, e := range r.ent {
		w := float64(e.w)
		sum += w * r.valF[e.bid]
		err += w * r.errF[e.bid]
	}
	c := r.m.costF[p]
	err += float64(len(r.ent)+4) * 2 * eps * (math.Abs(sum) + c)
	if sum+err < c {
		return false
	}
	if sum-err >= c {
		return true
	}
	return r.available().Cmp(r.m.inst.Projects[p].Cost) >= 0
}

// keyed is an entry index with its sort key.
type keyed struct {
	key float64
	i   int32
}

// scanFloat computes ρ' = ρ × u (the price per unit of k) of an affordable
// project in floats and sets r.poor. ok is false when rounding could change
// who pays everything, or the price's first ten significant digits.
//
// Only the entries up to the one where the price is found need to be in
// order: the entries with money sit in a min-heap by budget ÷ k and are
// popped as the scan reaches them, so a scan costs O(entries + poor·log);
// on return r.order still lists every entry, the scanned ones first.
func (r *mesRun) scanFloat(p int) (rhoP float64, ok bool) {
	// Prices only rise during a run, so ρ' ≥ lbF·u: entries whose budget ÷
	// k is surely below that pay everything whatever their order, and go
	// first unsorted with the entries that hold nothing.
	lo := r.lbF[p] * r.m.uF[p] * (1 - 1e-9)
	r.order = r.order[:0]
	h := r.keyed[:0]
	for i, e := range r.ent {
		if r.zero[e.bid] {
			r.order = append(r.order, int32(i))
			continue
		}
		k := float64(e.k)
		x := r.valF[e.bid] / k
		if (r.valF[e.bid]+r.errF[e.bid])/k*(1+8*eps) < lo {
			r.order = append(r.order, int32(i))
			continue
		}
		h = append(h, keyed{x, int32(i)})
	}
	r.keyed = h
	for i := len(h)/2 - 1; i >= 0; i-- {
		siftDown(h, i)
	}
	nz := len(r.order)
	defer func() {
		for _, k := range h {
			r.order = append(r.order, k.i)
		}
	}()
	c := r.m.costF[p]
	var remS int64
	for _, e := range r.ent {
		remS += e.w * e.k
	}
	var paid, errPaid float64
	for n := 0; ; n++ {
		var i int32
		if n < nz {
			// Surely poor: pays everything, no test needed.
			i = r.order[n]
			e := r.ent[i]
			w := float64(e.w)
			paid += w * r.valF[e.bid]
			errPaid += w * r.errF[e.bid]
			remS -= e.w * e.k
			continue
		} else {
			if len(h) == 0 {
				break
			}
			i = h[0].i
			last := len(h) - 1
			h[0] = h[last]
			h = h[:last]
			siftDown(h, 0)
			r.order = append(r.order, i)
		}
		e := r.ent[i]
		v := r.valF[e.bid]
		k := float64(e.k)
		left := c - paid
		lhs := left * k
		rhs := v * float64(remS)
		eLeft := errPaid + float64(n+4)*2*eps*(c+math.Abs(paid))
		margin := eLeft*k + r.errF[e.bid]*float64(remS) + 8*eps*(math.Abs(lhs)+math.Abs(rhs))
		if lhs < rhs-margin {
			if eLeft > 1e-11*left {
				return 0, false
			}
			r.poor = n
			r.scanned = p
			return left / float64(remS), true
		}
		if lhs <= rhs+margin {
			return 0, false
		}
		w := float64(e.w)
		paid += w * v
		errPaid += w * r.errF[e.bid]
		remS -= e.w * e.k
	}
	return 0, false
}

// siftDown restores the min-heap order of h below i.
func siftDown(h []keyed, i int) {
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h[r].key < h[l].key {
			m = r
		}
		if !(h[m].key < h[i].key) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// exactPrice returns p's exact price ρ (after aggregate).
func (r *mesRun) exactPrice(p int) *big.Rat {
	rho := r.exactPriceP(p)
	return rho.Quo(rho, r.m.st.u[p])
}

// exactPriceP returns the exact ρ' of an affordable project: the least x with
// Σ min(budget, x·k) ≥ cost over its supporters. When the float scan is sure
// who pays everything, only those voters' budgets are needed exactly.
func (r *mesRun) exactPriceP(p int) *big.Rat {
	ok := r.scanned == p
	if !ok {
		_, ok = r.scanFloat(p)
	}
	if ok {
		var remS int64
		for _, e := range r.ent {
			remS += e.w * e.k
		}
		// The poor pay all they hold. Each budget is share − Σ ρ'_r·k_r over
		// its history, so their total is a short integer combination of the
		// share and the past prices: a handful of exact operations however
		// many voters pay everything.
		if cap(r.coef) < len(r.rhos) {
			r.coef = make([]int64, len(r.rhos))
		}
		coef := r.coef[:len(r.rhos)]
		clear(coef)
		var wsum int64
		for _, i := range r.order[:r.poor] {
			e := r.ent[i]
			remS -= e.w * e.k
			if r.zero[e.bid] {
				continue
			}
			wsum += e.w
			for id := e.bid; id > 1; id = r.par[id] {
				coef[r.parR[id]] += e.w * r.parK[id]
			}
		}
		cost := r.m.inst.Projects[p].Cost
		if wsum == 0 {
			return new(big.Rat).Quo(cost, new(big.Rat).SetInt64(remS))
		}
		// (a/b − (wsum·cshare − Σ c·cnum)/cden) ÷ remS for cost = a/b
		// is (a·cden − b·(wsum·cshare − Σ c·cnum)) ÷ (b·cden·remS).
		var sum, t big.Int
		sum.Mul(t.SetInt64(wsum), r.cshare)
		for ri, c := range coef {
			if c != 0 {
				t.SetInt64(c)
				sum.Sub(&sum, t.Mul(&t, r.cnum[ri]))
			}
		}
		num := new(big.Int).Mul(cost.Num(), r.cden)
		num.Sub(num, sum.Mul(&sum, cost.Denom()))
		den := new(big.Int).Mul(cost.Denom(), r.cden)
		den.Mul(den, t.SetInt64(remS))
		return new(big.Rat).SetFrac(num, den)
	}
	// Too close to call in floats: sort exactly and scan.
	ent := r.ent
	// Budget ÷ k compared by cross-multiplying integers: no gcd.
	var a, b, t big.Int
	slices.SortFunc(r.order, func(x, y int32) int {
		vx, vy := r.exact(ent[x].bid), r.exact(ent[y].bid)
		a.Mul(vx.Num(), vy.Denom())
		a.Mul(&a, t.SetInt64(ent[y].k))
		b.Mul(vy.Num(), vx.Denom())
		b.Mul(&b, t.SetInt64(ent[x].k))
		return a.Cmp(&b)
	})
	cost := r.m.inst.Projects[p].Cost
	var remS int64
	for _, e := range r.ent {
		remS += e.w * e.k
	}
	paid := new(big.Rat)
	var left, lhs, rhs big.Rat
	for n, i := range r.order {
		e := r.ent[i]
		r.poor = n
		left.Sub(cost, paid)
		lhs.Mul(&left, new(big.Rat).SetInt64(e.k))
		rhs.Mul(r.exact(e.bid), new(big.Rat).SetInt64(remS))
		if lhs.Cmp(&rhs) <= 0 {
			return new(big.Rat).Quo(&left, new(big.Rat).SetInt64(remS))
		}
		rhs.SetInt64(e.w)
		rhs.Mul(&rhs, r.exact(e.bid))
		paid.Add(paid, &rhs)
		remS -= e.w * e.k
	}
	panic("pb: exactPriceP on an unaffordable project")
}

// buy selects p at price ρ' and charges its supporters: those holding at
// most ρ'·k pay everything, the others ρ'·k.
func (r *mesRun) buy(p int, rhoP *big.Rat, round int) {
	ri := int32(len(r.rhos))
	r.rhos = append(r.rhos, rhoP)
	if r.cden == nil {
		r.cden = new(big.Int).Set(r.share.Denom())
		r.cshare = new(big.Int).Set(r.share.Num())
	}
	var g, f big.Int
	g.GCD(nil, nil, r.cden, rhoP.Denom())
	if f.Quo(rhoP.Denom(), &g); !f.IsInt64() || f.Int64() != 1 {
		r.cden.Mul(r.cden, &f)
		r.cshare.Mul(r.cshare, &f)
		for _, n := range r.cnum {
			n.Mul(n, &f)
		}
	}
	cn := new(big.Int).Quo(r.cden, rhoP.Denom())
	r.cnum = append(r.cnum, cn.Mul(cn, rhoP.Num()))
	if r.tr != nil {
		r.rhoLo = r.priceLo()
	}
	rhoF, _ := rhoP.Float64()
	newID := make([]int32, len(r.ent))
	var minF, maxF float64 = math.Inf(1), math.Inf(-1)
	var minID, maxID int32 = -1, -1 // budget ids paying everything, or -1
	var minK, maxK int64
	for i, e := range r.ent {
		if r.zero[e.bid] && r.tr == nil {
			newID[i] = 0
			if 0 < minF {
				minF, minID = 0, 0
			}
			continue
		}
		v, ev := r.valF[e.bid], r.errF[e.bid]
		k := float64(e.k)
		payF := rhoF * k
		margin := ev + 4*eps*(math.Abs(v)+payF)
		var poor bool
		switch {
		case r.zero[e.bid]:
			poor = true
		case v < payF-margin:
			poor = true
		case v > payF+margin:
			poor = false
		default:
			r.tmp.SetInt64(e.k)
			r.tmp.Mul(&r.tmp, rhoP)
			poor = r.exact(e.bid).Cmp(&r.tmp) <= 0
		}
		paidF := payF
		if poor {
			newID[i] = 0
			paidF = v
			if r.tr != nil {
				// Broke now, but at a later step it may keep some money:
				// max(0, budget − ρ'·k) grows by at most sHi − k·ρ'Lo.
				newID[i] = r.newZero(max(0, up(r.tr.sHi[e.bid]-k*r.rhoLo)))
			}
		} else {
			if r.tr != nil {
				tr := r.tr
				tr.sLo = append(tr.sLo, tr.sLo[e.bid])
				tr.sHi = append(tr.sHi, up(tr.sHi[e.bid]-k*r.rhoLo))
			}
			id := int32(len(r.valF))
			newID[i] = id
			nv := v - payF
			r.valF = append(r.valF, nv)
			r.errF = append(r.errF, ev+4*eps*(math.Abs(v)+payF+math.Abs(nv)))
			r.val = append(r.val, nil)
			r.par = append(r.par, e.bid)
			r.parK = append(r.parK, e.k)
			r.parR = append(r.parR, ri)
			r.zero = append(r.zero, false)
		}
		if paidF < minF {
			minF, minID, minK = paidF, -1, e.k
			if poor {
				minID = e.bid
			}
		}
		if paidF > maxF {
			maxF, maxID, maxK = paidF, -1, e.k
			if poor {
				maxID = e.bid
			}
		}
	}
	paidExact := func(id int32, k int64) *big.Rat {
		if id >= 0 {
			return new(big.Rat).Set(r.exact(id))
		}
		x := new(big.Rat).SetInt64(k)
		return x.Mul(x, rhoP)
	}
	for j, s := range r.m.st.sup[p] {
		r.gb[s.ballot] = newID[r.entOf[j]]
	}
	r.alive[p] = false
	r.sel = append(r.sel, p)
	r.info[p] = projInfo{round: round, selected: true, rho: new(big.Rat).Quo(rhoP, r.m.st.u[p]), payMin: paidExact(minID, minK), payMax: paidExact(maxID, maxK)}
}

// newZero returns a budget id worth exactly zero now whose value may grow
// by up to hi per completion step. The bound is rounded up to five
// significant bits so that broke voters share few ids.
func (r *mesRun) newZero(hi float64) int32 {
	if hi > 0 {
		m, e := math.Frexp(hi)
		hi = math.Ldexp(math.Ceil(m*32)/32, e)
	}
	if id, ok := r.zeroID[hi]; ok {
		return id
	}
	id := int32(len(r.valF))
	r.val = append(r.val, new(big.Rat))
	r.valF = append(r.valF, 0)
	r.errF = append(r.errF, 0)
	r.par = append(r.par, 0)
	r.parK = append(r.parK, 0)
	r.parR = append(r.parR, 0)
	r.zero = append(r.zero, true)
	r.tr.sLo = append(r.tr.sLo, 0)
	r.tr.sHi = append(r.tr.sHi, hi)
	if r.zeroID == nil {
		r.zeroID = map[float64]int32{}
	}
	r.zeroID[hi] = id
	return id
}

// selection returns the selected projects in order.
func (r *mesRun) selection() []int { return r.sel }

// cost returns the total cost of the selection.
func (r *mesRun) cost() *big.Rat { return totalCost(r.m.inst, r.sel) }
