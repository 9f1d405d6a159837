package pb

import (
	"math"
	"math/big"
	"runtime"
	"sync"
)

// maxSteps bounds a completion whose outcome stops changing without ever
// becoming exhaustive or infeasible (pabutools would loop for ever).
const maxSteps = 1 << 40

// stepwise runs the unit-step procedure the completions share: at step t
// every voter starts with base + t·delta; stop(r) says whether run r ends
// the procedure and whether it is returned (true) or the previous step's
// outcome is (false). Instead of rerunning MES at every step it runs it at
// t, learns from the run's certificates for how many steps the selection
// stays the same, and jumps there: the result is identical to stepping by
// one, since the stop tests depend on the selection only.
//
// The runs at t+1, …, t+w−1 (w = GOMAXPROCS) are started speculatively
// beside the run at t, since the jump is often a single step; each run
// depends on its t only, so the outcome does not depend on which of them
// are used.
func (m *mesModel) stepwise(base, delta *big.Rat, limit int64, stop func(r *mesRun) (done, keep bool)) *mesRun {
	deltaF, _ := delta.Float64()
	share := func(t int64) *big.Rat {
		s := new(big.Rat).SetInt64(t)
		s.Mul(s, delta)
		return s.Add(s, base)
	}
	type result struct {
		r  *mesRun
		tr *tracker
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	pending := map[int64]chan result{}
	launch := func(t int64) chan result {
		if ch, ok := pending[t]; ok {
			return ch
		}
		ch := make(chan result, 1)
		pending[t] = ch
		wg.Add(1)
		go func() {
			defer wg.Done()
			tr := newTracker(deltaF, len(m.inst.Projects))
			ch <- result{m.run(share(t), tr), tr}
		}()
		return ch
	}
	workers := int64(max(1, runtime.GOMAXPROCS(0)))
	var t int64
	prevT := int64(-1)
	for t <= limit {
		ch := launch(t)
		for i := int64(1); i < workers && t+i <= limit; i++ {
			launch(t + i)
		}
		res := <-ch
		delete(pending, t)
		r, tr := res.r, res.tr
		done, keep := stop(r)
		if done {
			if keep {
				return r
			}
			if prevT < 0 {
				return nil
			}
			// The selection at t−1 is the one certified at prevT; rerun to
			// report its own payments.
			return m.run(share(t-1), nil)
		}
		prevT = t
		steps := tr.steps
		if math.IsInf(steps, 1) || steps > maxSteps {
			steps = maxSteps
		}
		t += int64(steps)
		for k := range pending {
			if k < t {
				delete(pending, k)
			}
		}
	}
	if prevT < 0 {
		return nil
	}
	return m.run(share(min(t-1, limit)), nil)
}

// add1 is pabutools' MES with voter_budget_increment=1: rerun MES with one
// more currency unit per voter until the outcome no longer fits the budget
// (return the previous one) or no project MES could buy still fits beside it.
func (m *mesModel) add1() *mesRun {
	r := m.stepwise(m.baseShare(), big.NewRat(1, 1), maxSteps, func(r *mesRun) (bool, bool) {
		if r.cost().Cmp(m.inst.Budget) > 0 {
			return true, false
		}
		return m.exhaustive(r, m.cand), true
	})
	if r == nil {
		return m.run(m.baseShare(), nil)
	}
	return r
}

// increase is pabutools' exhaustion_by_budget_increase: rerun MES with the
// budget raised by 1% of the real budget per step until the outcome is
// exhaustive (no project at all fits beside it) or, when it exceeds the real
// budget, return the previous one. pabutools stops raising the budget past
// budget × (voters + 1).
func (m *mesModel) increase() *mesRun {
	all := make([]int, len(m.inst.Projects))
	for i := range all {
		all[i] = i
	}
	n := new(big.Rat).SetInt64(m.n)
	delta := new(big.Rat).Quo(m.inst.Budget, big.NewRat(100, 1))
	delta.Quo(delta, n)
	limit := int64(maxSteps)
	if m.n < maxSteps/100 {
		limit = 100 * m.n
	}
	if delta.Sign() == 0 {
		limit = 0
	}
	r := m.stepwise(m.baseShare(), delta, limit, func(r *mesRun) (bool, bool) {
		if r.cost().Cmp(m.inst.Budget) > 0 {
			return true, false
		}
		return m.exhaustive(r, all), true
	})
	if r == nil {
		return m.emptyRun()
	}
	return r
}

// emptyRun is the outcome that selects nothing.
func (m *mesModel) emptyRun() *mesRun {
	return m.newRun(new(big.Rat))
}

// exhaustive reports whether no project of avail outside the run's
// selection fits in what the selection leaves of the real budget.
func (m *mesModel) exhaustive(r *mesRun, avail []int) bool {
	in := make([]bool, len(m.inst.Projects))
	for _, p := range r.sel {
		in[p] = true
	}
	left := new(big.Rat).Sub(m.inst.Budget, r.cost())
	for _, p := range avail {
		if !in[p] && m.inst.Projects[p].Cost.Cmp(left) <= 0 {
			return false
		}
	}
	return true
}
