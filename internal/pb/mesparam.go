package pb

import (
	"math"
)

// tracker follows how one MES run would change if every voter's starting
// share grew by delta per step, to find how many steps leave the selection
// unchanged. Within that range every budget, price and sum the run compares
// is a linear function of the step (the run's combinatorial choices being
// fixed), so each decision that matters gives a linear certificate, and the
// first step at which any certificate could fail is where the outcome can
// first change. Floats carry error bounds; every doubt shortens the range,
// never lengthens it, so skipping is exactly equivalent to stepping by one.
type tracker struct {
	delta float64
	sF    []float64 // slope per step of each budget id
	sErr  []float64 // bound on its error
	lbS   []float64 // slope of each project's lower price bound
	lbE   []float64
	steps float64 // steps certified so far: the outcome holds for t0 ≤ t < t0+steps
}

func newTracker(delta float64, nproj int) *tracker {
	return &tracker{delta: delta, sF: []float64{0, delta}, sErr: []float64{0, eps * delta}, lbS: make([]float64, nproj), lbE: make([]float64, nproj), steps: math.Inf(1)}
}

// cert records that sign·(f0 + f1·d) must stay positive (or non-negative
// when strict is false) for the steps d ahead; e0 and e1 bound the errors
// of f0 and f1.
func (tr *tracker) cert(f0, e0, f1, e1, sign float64, strict bool) {
	e0 = 2*e0 + 1e-12*math.Abs(f0)
	e1 = 2*e1 + 1e-12*math.Abs(f1)
	v0 := sign*f0 - e0
	if v0 < 0 || strict && v0 == 0 {
		tr.steps = 1
		return
	}
	v1 := sign*f1 - e1
	if v1 >= 0 {
		return
	}
	d := v0 / -v1
	tr.steps = min(tr.steps, max(1, math.Ceil(d*(1-1e-9))))
}

// affordCert certifies p's affordability (after aggregate): must stay
// affordable if ok, unaffordable otherwise.
func (r *mesRun) affordCert(p int, ok bool) {
	tr := r.tr
	var a0, e0, a1, e1 float64
	for _, e := range r.ent {
		w := float64(e.w)
		a0 += w * r.valF[e.bid]
		e0 += w * r.errF[e.bid]
		a1 += w * tr.sF[e.bid]
		e1 += w * tr.sErr[e.bid]
	}
	n := float64(len(r.ent) + 4)
	e0 += n * 2 * eps * (math.Abs(a0) + r.m.costF[p])
	e1 += n * 2 * eps * math.Abs(a1)
	if ok {
		tr.cert(a0-r.m.costF[p], e0, a1, e1, 1, false)
	} else {
		tr.cert(a0-r.m.costF[p], e0, a1, e1, -1, true)
	}
}

// priceSlope returns the slope per step of ρ' for the poor set r.order[:r.poor]
// (after a scan) and a bound on its error. With the poor set fixed ρ' is
// (cost − Σ poor budgets) ÷ (Σ rich weights): linear in the step; with any
// other set it is a lower bound on the true price.
func (r *mesRun) priceSlope() (s, e float64) {
	tr := r.tr
	var remS int64
	for _, en := range r.ent {
		remS += en.w * en.k
	}
	var sum, err, abs float64
	for _, i := range r.order[:r.poor] {
		en := r.ent[i]
		remS -= en.w * en.k
		w := float64(en.w)
		sum += w * tr.sF[en.bid]
		err += w * tr.sErr[en.bid]
		abs += w * math.Abs(tr.sF[en.bid])
	}
	if remS <= 0 {
		return 0, math.Inf(1)
	}
	rs := float64(remS)
	return -sum / rs, (err + float64(r.poor+4)*2*eps*abs) / rs
}
