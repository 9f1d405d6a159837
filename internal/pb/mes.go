package pb

import (
	"fmt"
	"math/big"
	"sort"
)

// MESOptions configures EqualShares.
type MESOptions struct {
	Sat        Sat
	Completion Completion
	Fill       Fill
	TieBreak   TieBreak
}

// mesModel is what every run of MES on one instance and profile shares.
type mesModel struct {
	inst  *Instance
	prof  *Profile
	sat   Sat
	st    *satTable
	rank  []int
	n     int64   // number of voters
	w     []int64 // ballot multiplicities
	cand  []int   // projects MES can buy: supported, positive cost
	zero  []int   // supported projects of zero cost, taken first
	costF []float64
	uF    []float64
}

func newMESModel(inst *Instance, prof *Profile, sat Sat, tb TieBreak) (*mesModel, error) {
	if err := Validate(inst, prof); err != nil {
		return nil, err
	}
	st, err := buildSat(inst, prof, sat)
	if err != nil {
		return nil, err
	}
	m := &mesModel{inst: inst, prof: prof, sat: sat, st: st, rank: tb.ranks(inst), n: prof.Voters()}
	m.w = make([]int64, len(prof.Ballots))
	for i := range prof.Ballots {
		m.w[i] = prof.Ballots[i].count()
	}
	np := len(inst.Projects)
	m.costF = make([]float64, np)
	m.uF = make([]float64, np)
	for p, pr := range inst.Projects {
		m.costF[p], _ = pr.Cost.Float64()
		m.uF[p], _ = st.u[p].Float64()
		if st.total[p] == 0 {
			continue
		}
		if pr.Cost.Sign() == 0 {
			m.zero = append(m.zero, p)
		} else {
			m.cand = append(m.cand, p)
		}
	}
	sort.Slice(m.zero, func(i, j int) bool { return m.rank[m.zero[i]] < m.rank[m.zero[j]] })
	return m, nil
}

// EqualShares runs the Method of Equal Shares as pabutools defines it: every
// voter starts with budget ÷ voters; in each round the project whose
// supporters can pay for it at the lowest price per unit of satisfaction is
// bought (ties by the tie-break), each supporter paying min(money, price ×
// satisfaction); a project is dropped once its supporters hold less than its
// cost. Opts can add a completion and a greedy fill.
func EqualShares(inst *Instance, prof *Profile, opts MESOptions) (*Outcome, error) {
	if opts.Sat == "" {
		opts.Sat = DefaultSat(prof.Kind)
	}
	if err := Validate(inst, prof); err != nil {
		return nil, err
	}
	if opts.Completion != CompletionNone && opts.Completion != "" {
		// A completion reruns MES many times: merging identical ballots
		// first pays for itself (a single run it only slows down).
		prof = mergeBallots(prof)
	}
	m, err := newMESModel(inst, prof, opts.Sat, opts.TieBreak)
	if err != nil {
		return nil, err
	}
	if prof.Voters() == 0 {
		return nil, fmt.Errorf("%w: MES needs at least one voter", ErrInvalid)
	}
	var r *mesRun
	switch opts.Completion {
	case CompletionNone, "":
		r = m.run(m.baseShare(), nil)
	case CompletionAdd1:
		r = m.add1()
	case CompletionIncrease:
		r = m.increase()
	default:
		return nil, fmt.Errorf("%w: unknown completion %q", ErrInvalid, opts.Completion)
	}
	out := r.outcome(opts.Completion)
	switch opts.Fill {
	case FillNone, "":
	case FillGreedy:
		if out, err = m.fillGreedy(r, out); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: unknown fill %q", ErrInvalid, opts.Fill)
	}
	return out, nil
}

// baseShare is budget ÷ voters, each voter's starting money.
func (m *mesModel) baseShare() *big.Rat {
	return new(big.Rat).Quo(m.inst.Budget, new(big.Rat).SetInt64(m.n))
}

// fillGreedy spends what the MES outcome left with greedy utilitarian
// welfare under cost satisfaction.
func (m *mesModel) fillGreedy(r *mesRun, out *Outcome) (*Outcome, error) {
	st, err := buildSat(m.inst, m.prof, SatCost)
	if err != nil {
		return nil, err
	}
	g, err := greedyFrom(m.inst, st, SatCost, m.rank, r.selection(), RuleMES)
	if err != nil {
		return nil, err
	}
	for id, e := range g.Explanations {
		if e.Selected {
			e.Reason = "selected"
			e.Text = fmt.Sprintf("Selected %s by the greedy fill after MES: it had %d supporters and fit in the %s left.", ordinal(e.Position), e.Voters, e.BudgetLeft)
			out.Explanations[id] = e
		} else if old, ok := out.Explanations[id]; ok {
			old.BudgetLeft = e.BudgetLeft
			old.Text += fmt.Sprintf(" The greedy fill then passed it over: only %s was left.", ratString(mustRat(e.BudgetLeft)))
			out.Explanations[id] = old
		}
	}
	out.Selected = g.Selected
	out.Cost = g.Cost
	return out, nil
}

func mustRat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return new(big.Rat)
	}
	return r
}
