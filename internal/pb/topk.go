package pb

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
)

// TopK selects the k projects with the most votes (approvals; a choose-one
// ballot is an approval ballot of length one), ties broken by the tie-break.
// It is the consultations' rule: the budget plays no part, and Outcome.Cost
// only reports what the winners cost.
func TopK(inst *Instance, prof *Profile, k int, tb TieBreak) (*Outcome, error) {
	if err := Validate(inst, prof); err != nil {
		return nil, err
	}
	if k <= 0 {
		return nil, fmt.Errorf("%w: top-k needs k ≥ 1, got %d", ErrInvalid, k)
	}
	votes := approvals(inst, prof)
	rank := tb.ranks(inst)
	order := make([]int, len(inst.Projects))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool {
		p, q := order[i], order[j]
		if votes[p] != votes[q] {
			return votes[p] > votes[q]
		}
		return rank[p] < rank[q]
	})
	k = min(k, len(order))
	out := &Outcome{Rule: RuleTopK, Explanations: make(map[string]Explanation, len(order))}
	var lastWin, firstLose int64 = 0, 0
	if k > 0 {
		lastWin = votes[order[k-1]]
	}
	if k < len(order) {
		firstLose = votes[order[k]]
	}
	sel := order[:k]
	for r, p := range order {
		pr := inst.Projects[p]
		e := Explanation{Cost: exactString(pr.Cost), Voters: votes[p], Score: strconv.FormatInt(votes[p], 10), Rank: r + 1}
		if r < k {
			e.Selected, e.Position, e.Reason = true, r+1, "selected"
			e.Margin = votes[p] - firstLose
			if k < len(order) {
				e.Text = fmt.Sprintf("Selected: ranked %s of %d with %d votes, %d ahead of the first project left out.", ordinal(r+1), len(order), votes[p], e.Margin)
			} else {
				e.Text = fmt.Sprintf("Selected: ranked %s with %d votes; every project wins.", ordinal(r+1), votes[p])
			}
			if e.Margin == 0 {
				e.Text = fmt.Sprintf("Selected: ranked %s of %d with %d votes, tied with the first project left out and ahead of it by the tie-break.", ordinal(r+1), len(order), votes[p])
			}
		} else {
			e.Reason = "too-few-votes"
			e.Margin = lastWin - votes[p]
			e.Text = fmt.Sprintf("Not selected: ranked %s of %d with %d votes, %d behind the last of the %d winners.", ordinal(r+1), len(order), votes[p], e.Margin, k)
			if e.Margin == 0 {
				e.Text = fmt.Sprintf("Not selected: ranked %s of %d with %d votes, tied with the last winner and behind it by the tie-break.", ordinal(r+1), len(order), votes[p])
			}
		}
		out.Explanations[pr.ID] = e
	}
	out.Selected = ids(inst, sel)
	out.Cost = new(big.Rat).Set(totalCost(inst, sel))
	return out, nil
}
