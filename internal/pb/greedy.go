package pb

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
)

// Greedy runs greedy utilitarian welfare: projects in decreasing order of
// total satisfaction per unit of cost (ties by the tie-break), each taken if
// it still fits in what is left of the budget, the others skipped. Projects
// nobody supports come last but are taken if they fit, as in pabutools; a
// supported project of zero cost comes first.
func Greedy(inst *Instance, prof *Profile, sat Sat, tb TieBreak) (*Outcome, error) {
	if err := Validate(inst, prof); err != nil {
		return nil, err
	}
	st, err := buildSat(inst, prof, sat)
	if err != nil {
		return nil, err
	}
	return greedyFrom(inst, st, sat, tb.ranks(inst), nil, RuleGreedy)
}

// greedyFrom runs greedy after an initial selection (nil for none) and
// explains the projects it considers.
func greedyFrom(inst *Instance, st *satTable, sat Sat, rank []int, initial []int, rule Rule) (*Outcome, error) {
	np := len(inst.Projects)
	taken := make([]bool, np)
	for _, p := range initial {
		taken[p] = true
	}
	// score[p] = total satisfaction = u[p] × total[p].
	score := make([]*big.Rat, np)
	class := make([]int, np) // 2: infinite density, 1: positive, 0: zero
	var order []int
	for p := 0; p < np; p++ {
		if taken[p] {
			continue
		}
		order = append(order, p)
		score[p] = new(big.Rat).Mul(st.u[p], new(big.Rat).SetInt64(st.total[p]))
		cost := inst.Projects[p].Cost
		switch {
		case cost.Sign() == 0 && (score[p].Sign() > 0 || sat == SatBorda):
			// pabutools' non-additive greedy (used for Borda) gives every
			// zero-cost project infinite density.
			class[p] = 2
		case score[p].Sign() > 0:
			class[p] = 1
		}
	}
	var a, b big.Int
	sort.Slice(order, func(i, j int) bool {
		p, q := order[i], order[j]
		if class[p] != class[q] {
			return class[p] > class[q]
		}
		if class[p] == 1 {
			// score[p]/cost[p] vs score[q]/cost[q], cross-multiplied.
			cp, cq := inst.Projects[p].Cost, inst.Projects[q].Cost
			a.Mul(score[p].Num(), cq.Num())
			a.Mul(&a, score[q].Denom())
			a.Mul(&a, cp.Denom())
			b.Mul(score[q].Num(), cp.Num())
			b.Mul(&b, score[p].Denom())
			b.Mul(&b, cq.Denom())
			if c := a.Cmp(&b); c != 0 {
				return c > 0
			}
		}
		return rank[p] < rank[q]
	})
	left := new(big.Rat).Sub(inst.Budget, totalCost(inst, initial))
	out := &Outcome{Rule: rule, Explanations: make(map[string]Explanation, np)}
	sel := append([]int(nil), initial...)
	for _, p := range order {
		pr := inst.Projects[p]
		e := Explanation{Cost: exactString(pr.Cost), Voters: st.voters[p], Score: exactString(score[p]), BudgetLeft: exactString(left)}
		if pr.Cost.Cmp(left) <= 0 {
			sel = append(sel, p)
			e.Selected, e.Position, e.Reason = true, len(sel), "selected"
			e.Text = fmt.Sprintf("Selected %s: considered with %s of the budget left, it cost %s.", ordinal(len(sel)), ratString(left), ratString(pr.Cost))
			left.Sub(left, pr.Cost)
		} else {
			e.Reason = "did-not-fit"
			e.MaxCost = exactString(left)
			e.Text = fmt.Sprintf("Not selected: when its turn came only %s of the budget was left and it cost %s; it would have fit at a cost of at most %s.", ratString(left), ratString(pr.Cost), ratString(left))
		}
		out.Explanations[pr.ID] = e
	}
	out.Selected = ids(inst, sel)
	out.Cost = totalCost(inst, sel)
	return out, nil
}

// ordinal writes 1 as "1st", 2 as "2nd" and so on.
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}
