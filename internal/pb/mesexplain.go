package pb

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
)

// outcome turns a finished run into an Outcome with explanations.
func (r *mesRun) outcome(c Completion) *Outcome {
	m := r.m
	out := &Outcome{Rule: RuleMES, Selected: ids(m.inst, r.sel), Cost: r.cost(), Explanations: make(map[string]Explanation, len(m.inst.Projects)), Share: r.share}
	pos := make(map[int]int, len(r.sel))
	for i, p := range r.sel {
		pos[p] = i + 1
	}
	share := ""
	if c == CompletionAdd1 || c == CompletionIncrease {
		share = fmt.Sprintf(" (in the completed run every voter started with %s)", ratString(r.share))
	}
	for p, pr := range m.inst.Projects {
		in := r.info[p]
		e := Explanation{Cost: exactString(pr.Cost), Voters: m.st.voters[p], Score: exactString(new(big.Rat).Mul(m.st.u[p], new(big.Rat).SetInt64(m.st.total[p]))), Round: in.round}
		switch {
		case in.selected && pr.Cost.Sign() == 0:
			e.Selected, e.Position, e.Reason = true, pos[p], "zero-cost"
			e.Text = "Selected first: it costs nothing and has supporters."
		case in.selected:
			e.Selected, e.Position, e.Reason = true, pos[p], "selected"
			e.Paid = exactString(pr.Cost)
			e.PayMin, e.PayMax = ratString(in.payMin), ratString(in.payMax)
			if in.payMin.Cmp(in.payMax) == 0 {
				e.Text = fmt.Sprintf("Selected in round %d: its %d supporters paid its cost of %s, %s each%s.", in.round, e.Voters, ratString(pr.Cost), ratString(in.payMax), share)
			} else {
				e.Text = fmt.Sprintf("Selected in round %d: its %d supporters paid its cost of %s, between %s and %s each%s.", in.round, e.Voters, ratString(pr.Cost), ratString(in.payMin), ratString(in.payMax), share)
			}
		case m.st.total[p] == 0:
			e.Reason = "no-support"
			e.Text = "Not selected: no voter supports it, so MES cannot buy it."
		case in.round > 0:
			e.Reason = "outbid"
			// Cents are rounded down, so MaxCost is a cost that would have been
			// affordable.
			avail := math.Floor(in.availableF*100) / 100
			e.Available = strconv.FormatFloat(avail, 'f', 2, 64)
			e.MaxCost = e.Available
			cost, _ := pr.Cost.Float64()
			e.Text = fmt.Sprintf("Not selected: by round %d its %d supporters had only %s left for its cost of %s%s; it could have stayed in the running only at a cost of at most %s, or with %s more among its supporters.", in.round, e.Voters, e.Available, ratString(pr.Cost), share, e.Available, strconv.FormatFloat(math.Ceil((cost-in.availableF)*100)/100, 'f', 2, 64))
		default:
			e.Reason = "outbid"
			e.Text = "Not selected: its supporters could never pay for it."
		}
		out.Explanations[pr.ID] = e
	}
	return out
}
