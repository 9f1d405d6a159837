package pb

import (
	"math"
)

// tracker follows how one MES run would change if every voter's starting
// share grew by delta per step, to find how many steps leave the selection
// unchanged, so that a completion can jump over them.
//
// While the selection sequence stays the same, every budget is a continuous,
// piecewise linear, nondecreasing function of the step d ≥ 0; the tracker
// keeps for each budget id an interval [sLo, sHi] of slopes that bounds it:
// value(d) lies between value(0)+sLo·d and value(0)+sHi·d. Then the winner's
// price can only fall (its supporters only get richer), and every other
// price has a linear lower bound: with any fixed set P of supporters who pay
// all they hold, ρ' ≥ (cost − Σ_P budgets) ÷ (Σ_{not P} weights). A round's
// choice stays the same while the winner stays affordable, every other
// candidate's lower bound stays above the winner's price, and every dropped
// project stays unaffordable. Each is a linear certificate; float errors are
// bounded and every doubt shortens the range, so skipping is exactly
// equivalent to stepping by one.
type tracker struct {
	sLo, sHi []float64 // slope bounds per budget id
	lbLo     []float64 // lower slope of each project's recorded lower bound
	steps    float64   // the selection holds for t0 ≤ t < t0+steps
}

func newTracker(delta float64, nproj int) *tracker {
	return &tracker{
		sLo:   []float64{0, delta * (1 - 4*eps)},
		sHi:   []float64{0, delta * (1 + 4*eps)},
		lbLo:  make([]float64, nproj),
		steps: math.Inf(1),
	}
}

// keep records that v0 + v1·d must stay positive for the steps d ahead,
// where v0 and v1 are already worst cases.
func (tr *tracker) keep(v0, v1 float64) {
	tr.steps = min(tr.steps, stepsFor(v0, v1))
}

// stepsFor returns how many steps v0 + v1·d stays positive, like keep.
func stepsFor(v0, v1 float64) float64 {
	if !(v0 > 0) {
		return 1
	}
	if v1 >= 0 {
		return math.Inf(1)
	}
	return max(1, math.Ceil(v0/-v1*(1-1e-9)))
}

// winnerHi returns an upper bound y on the slope of the winner's ρ' per
// step (after its scan) and for how many steps it holds. With P the voters
// who pay all they hold: for x = ρ'0 + y·d with y = −Σ_P w·sLo ÷ Σ_rich w·k,
// the rich still pay x·k and each member of P at least its budget's lower
// bound as long as x·k stays above that bound, so the supporters still raise
// the cost at price x.
func (r *mesRun) winnerHi(rhoF float64) (y, steps float64) {
	tr := r.tr
	var remS int64
	for _, en := range r.ent {
		remS += en.w * en.k
	}
	var sum float64
	for _, i := range r.order[:r.poor] {
		en := r.ent[i]
		remS -= en.w * en.k
		sum += float64(en.w) * tr.sLo[en.bid]
	}
	if remS <= 0 {
		return 0, 1
	}
	y = up(-down(sum) / float64(remS))
	if y > 0 {
		return 0, 1
	}
	steps = math.Inf(1)
	for _, i := range r.order[:r.poor] {
		en := r.ent[i]
		k := float64(en.k)
		v := r.valF[en.bid]
		gap := rhoF*k - v - r.errF[en.bid] - 8*eps*(rhoF*k+math.Abs(v))
		steps = min(steps, stepsFor(down(gap), down(y*k-tr.sLo[en.bid])))
	}
	return y, steps
}

// down and up widen a float bound by its rounding error.
func down(x float64) float64 { return x - 1e-12*math.Abs(x) - 1e-300 }
func up(x float64) float64   { return x + 1e-12*math.Abs(x) + 1e-300 }

// affordCert certifies p's affordability (after aggregate): that it stays
// affordable if ok, unaffordable otherwise.
func (r *mesRun) affordCert(p int, ok bool) {
	tr := r.tr
	var a0, e0, lo, hi float64
	for _, e := range r.ent {
		w := float64(e.w)
		a0 += w * r.valF[e.bid]
		e0 += w * r.errF[e.bid]
		lo += w * tr.sLo[e.bid]
		hi += w * tr.sHi[e.bid]
	}
	c := r.m.costF[p]
	e0 += float64(len(r.ent)+4) * 2 * eps * (math.Abs(a0) + c)
	if ok {
		// a0 − c ≥ 0 and slopes ≥ 0 keep it so; require a margin anyway.
		tr.keep(up(a0-c+e0)+1e-300, down(lo))
		if a0-c-e0 < 0 || lo < 0 {
			tr.steps = 1
		}
		return
	}
	tr.keep(down(c-a0-e0), -up(hi))
}

// priceLo returns a lower bound on the slope of ρ' per step, for the poor
// set r.order[:r.poor] left by the last scan.
func (r *mesRun) priceLo() float64 {
	tr := r.tr
	var remS int64
	for _, en := range r.ent {
		remS += en.w * en.k
	}
	var sum float64
	for _, i := range r.order[:r.poor] {
		en := r.ent[i]
		remS -= en.w * en.k
		sum += float64(en.w) * tr.sHi[en.bid]
	}
	if remS <= 0 {
		return math.Inf(-1)
	}
	return down(-up(sum) / float64(remS))
}

// supportersGrow reports whether every supporter of the aggregated project
// has a nondecreasing budget, which makes its price nonincreasing.
func (r *mesRun) supportersGrow() bool {
	for _, e := range r.ent {
		if r.tr.sLo[e.bid] < 0 {
			return false
		}
	}
	return true
}
