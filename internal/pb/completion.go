package pb

import (
	"math/big"
)

// add1 is pabutools' MES with voter_budget_increment=1: rerun MES with one
// more currency unit per voter until the outcome no longer fits the budget
// (return the previous one) or no project MES could buy still fits beside it.
func (m *mesModel) add1() *mesRun {
	share := m.baseShare()
	one := big.NewRat(1, 1)
	var prev *mesRun
	for {
		r := m.run(share, nil)
		if r.cost().Cmp(m.inst.Budget) > 0 {
			if prev == nil {
				return r
			}
			return prev
		}
		if m.exhaustive(r, m.cand) {
			return r
		}
		prev = r
		share = new(big.Rat).Add(share, one)
	}
}

// increase is pabutools' exhaustion_by_budget_increase: rerun MES with the
// budget raised by 1% of the real budget per step until the outcome is
// exhaustive (no project at all fits beside it) or, when it exceeds the real
// budget, return the previous one.
func (m *mesModel) increase() *mesRun {
	step := new(big.Rat).Quo(m.inst.Budget, big.NewRat(100, 1))
	budget := new(big.Rat).Set(m.inst.Budget)
	bound := new(big.Rat).Mul(m.inst.Budget, new(big.Rat).SetInt64(m.n+1))
	all := make([]int, len(m.inst.Projects))
	for i := range all {
		all[i] = i
	}
	n := new(big.Rat).SetInt64(m.n)
	var prev *mesRun
	for budget.Cmp(bound) <= 0 {
		r := m.run(new(big.Rat).Quo(budget, n), nil)
		if r.cost().Cmp(m.inst.Budget) > 0 {
			if prev == nil {
				return m.emptyRun()
			}
			return prev
		}
		if m.exhaustive(r, all) {
			return r
		}
		prev = r
		budget.Add(budget, step)
		if step.Sign() == 0 {
			break
		}
	}
	if prev == nil {
		return m.emptyRun()
	}
	return prev
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
