package pb_test

import (
	"fmt"
	"math/big"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/comuna/comuna/internal/pb"
)

// check verifies an outcome against the rule's definition with an
// independent, plainly exact implementation, for records the reference did
// not finish.
func check(t *testing.T, inst *pb.Instance, prof *pb.Profile, opts pb.Options, out *pb.Outcome) {
	t.Helper()
	if opts.Sat == "" {
		opts.Sat = pb.DefaultSat(prof.Kind)
	}
	switch opts.Rule {
	case pb.RuleGreedy:
		want := naiveGreedy(inst, prof, opts.Sat)
		if !slices.Equal(out.Selected, want) {
			t.Errorf("greedy: selected %v, independent greedy gives %v", out.Selected, want)
		}
	case pb.RuleMES:
		checkMES(t, inst, prof, opts, out)
	default:
		t.Fatalf("no checker for rule %s", opts.Rule)
	}
}

// checkMES reruns MES at the returned share and, for a completion, checks
// the stop condition: the outcome is exhaustive, or one step more would
// overspend the budget.
func checkMES(t *testing.T, inst *pb.Instance, prof *pb.Profile, opts pb.Options, out *pb.Outcome) {
	t.Helper()
	if out.Share == nil {
		t.Fatal("MES outcome without a share")
	}
	// For a completion, MES one step further is run at the same time, in
	// case the outcome turns out not to be exhaustive.
	var next []int
	var nextErr string
	var wg sync.WaitGroup
	var stop atomic.Bool
	var step *big.Rat
	switch opts.Completion {
	case pb.CompletionAdd1:
		step = big.NewRat(1, 1)
	case pb.CompletionIncrease:
		step = new(big.Rat).Quo(inst.Budget, new(big.Rat).SetInt64(100*prof.Voters()))
	}
	if step != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			next = naiveMES(&goFatal{msg: &nextErr}, inst, prof, opts.Sat, new(big.Rat).Add(out.Share, step), &stop)
		}()
	}
	defer wg.Wait()
	defer stop.Store(true)
	got := naiveMES(t, inst, prof, opts.Sat, out.Share, nil)
	sel := ids(inst, got)
	if !slices.Equal(out.Selected, sel) {
		t.Fatalf("MES at share %s: selected %v, independent MES gives %v", out.Share.FloatString(4), out.Selected, sel)
	}
	cost := costOf(inst, got)
	if cost.Cmp(inst.Budget) > 0 {
		t.Fatalf("outcome costs %s, over the budget %s", cost.FloatString(2), inst.Budget.FloatString(2))
	}
	avail := make([]int, 0, len(inst.Projects))
	switch opts.Completion {
	case pb.CompletionNone:
		return
	case pb.CompletionAdd1:
		for p := range inst.Projects {
			if inst.Projects[p].Cost.Sign() > 0 && supported(prof, p, opts.Sat) {
				avail = append(avail, p)
			}
		}
	case pb.CompletionIncrease:
		for p := range inst.Projects {
			avail = append(avail, p)
		}
	}
	left := new(big.Rat).Sub(inst.Budget, cost)
	exhaustive := true
	for _, p := range avail {
		if !slices.Contains(got, p) && inst.Projects[p].Cost.Cmp(left) <= 0 {
			exhaustive = false
		}
	}
	if exhaustive {
		return
	}
	wg.Wait()
	if nextErr != "" {
		t.Fatalf("MES one step further: %s", nextErr)
	}
	if costOf(inst, next).Cmp(inst.Budget) <= 0 {
		t.Errorf("outcome is neither exhaustive nor followed by an overspending step")
	}
}

// fataler is what naiveMES needs of a *testing.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// goFatal lets naiveMES run outside the test goroutine: Fatalf records the
// message and ends the goroutine, and the test reports it.
type goFatal struct{ msg *string }

func (g *goFatal) Helper() {}
func (g *goFatal) Fatalf(format string, args ...any) {
	*g.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func supported(prof *pb.Profile, p int, sat pb.Sat) bool {
	for _, b := range prof.Ballots {
		for pos, q := range b.Projects {
			if q == p && satOf(b, pos, sat, 1) > 0 {
				return true
			}
		}
	}
	return false
}

// satOf is a voter's satisfaction weight for the project at pos of a
// ballot, before the project-wide factor (the cost for SatCost).
func satOf(b pb.Ballot, pos int, sat pb.Sat, _ int) int64 {
	switch sat {
	case pb.SatPoints:
		return b.Points[pos]
	case pb.SatBorda:
		return int64(len(b.Projects) - pos - 1)
	}
	return 1
}

func ids(inst *pb.Instance, sel []int) []string {
	out := make([]string, len(sel))
	for i, p := range sel {
		out[i] = inst.Projects[p].ID
	}
	return out
}

func costOf(inst *pb.Instance, sel []int) *big.Rat {
	c := new(big.Rat)
	for _, p := range sel {
		c.Add(c, inst.Projects[p].Cost)
	}
	return c
}

// naiveGreedy is greedy utilitarian welfare written as plainly as possible.
func naiveGreedy(inst *pb.Instance, prof *pb.Profile, sat pb.Sat) []string {
	n := len(inst.Projects)
	score := make([]*big.Rat, n)
	for p := range score {
		score[p] = new(big.Rat)
	}
	for _, b := range prof.Ballots {
		for pos, p := range b.Projects {
			s := new(big.Rat).SetInt64(satOf(b, pos, sat, 0))
			if sat == pb.SatCost {
				s.Mul(s, inst.Projects[p].Cost)
			}
			score[p].Add(score[p], s)
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	density := func(p int) *big.Rat {
		c := inst.Projects[p].Cost
		if c.Sign() == 0 {
			return big.NewRat(1<<62, 1)
		}
		return new(big.Rat).Quo(score[p], c)
	}
	sort.Slice(order, func(i, j int) bool {
		if c := density(order[i]).Cmp(density(order[j])); c != 0 {
			return c > 0
		}
		return inst.Projects[order[i]].ID < inst.Projects[order[j]].ID
	})
	left := new(big.Rat).Set(inst.Budget)
	var sel []string
	for _, p := range order {
		if inst.Projects[p].Cost.Cmp(left) <= 0 {
			sel = append(sel, inst.Projects[p].ID)
			left.Sub(left, inst.Projects[p].Cost)
		}
	}
	return sel
}

// naiveMES is MES in exact arithmetic with no shortcuts: every round
// prices every remaining project from scratch. Voters who hold the same
// budget share one *big.Rat, so a project's supporters collapse into a few
// (budget, weight) classes. It checks as it goes that payments never exceed
// a voter's money and add up to each bought project's cost; it stops when no
// remaining project is affordable.
func naiveMES(t fataler, inst *pb.Instance, prof *pb.Profile, sat pb.Sat, share *big.Rat, stop *atomic.Bool) []int {
	t.Helper()
	type sup struct {
		voter int
		k     int64
	}
	budget := make([]*big.Rat, len(prof.Ballots))
	weight := make([]int64, len(prof.Ballots))
	supporters := make([][]sup, len(inst.Projects))
	for i, b := range prof.Ballots {
		budget[i], weight[i] = share, max(b.Count, 1)
		for pos, p := range b.Projects {
			if k := satOf(b, pos, sat, 0); k > 0 {
				supporters[p] = append(supporters[p], sup{i, k})
			}
		}
	}
	u := func(p int) *big.Rat {
		if sat == pb.SatCost {
			return inst.Projects[p].Cost
		}
		return big.NewRat(1, 1)
	}
	type class struct {
		b *big.Rat
		k int64
	}
	classes := func(p int) (map[class]int64, []class) {
		m := map[class]int64{}
		var keys []class
		for _, s := range supporters[p] {
			c := class{budget[s.voter], s.k}
			if _, ok := m[c]; !ok {
				keys = append(keys, c)
			}
			m[c] += weight[s.voter]
		}
		return m, keys
	}
	var sel, zero []int
	remaining := map[int]bool{}
	for p, pr := range inst.Projects {
		if len(supporters[p]) == 0 {
			continue
		}
		if pr.Cost.Sign() == 0 {
			zero = append(zero, p)
		} else {
			remaining[p] = true
		}
	}
	sort.Slice(zero, func(i, j int) bool { return inst.Projects[zero[i]].ID < inst.Projects[zero[j]].ID })
	sel = append(sel, zero...)
	// price returns the least ρ' with Σ w·min(budget, ρ'·k) ≥ cost, or nil
	// if the supporters hold less than the cost.
	price := func(p int) *big.Rat {
		w, cs := classes(p)
		have := new(big.Rat)
		for _, c := range cs {
			have.Add(have, new(big.Rat).Mul(big.NewRat(w[c], 1), c.b))
		}
		if have.Cmp(inst.Projects[p].Cost) < 0 {
			return nil
		}
		ratio := make(map[class]*big.Rat, len(cs))
		for _, c := range cs {
			ratio[c] = new(big.Rat).Quo(c.b, big.NewRat(c.k, 1))
		}
		sort.Slice(cs, func(i, j int) bool { return ratio[cs[i]].Cmp(ratio[cs[j]]) < 0 })
		left := new(big.Rat).Set(inst.Projects[p].Cost)
		var rest int64
		for _, c := range cs {
			rest += w[c] * c.k
		}
		for _, c := range cs {
			rho := new(big.Rat).Quo(left, big.NewRat(rest, 1))
			if new(big.Rat).Mul(rho, big.NewRat(c.k, 1)).Cmp(c.b) <= 0 {
				return rho
			}
			left.Sub(left, new(big.Rat).Mul(big.NewRat(w[c], 1), c.b))
			rest -= w[c] * c.k
		}
		t.Fatalf("project %s: affordable but no price", inst.Projects[p].ID)
		return nil
	}
	// As in pabutools' inner loop, a project's last price is a lower bound
	// on its next one (budgets only fall), so projects are priced in order
	// of that bound until it exceeds the best price found.
	lb := map[int]*big.Rat{}
	for p := range remaining {
		var total int64
		for _, s := range supporters[p] {
			total += weight[s.voter] * s.k
		}
		lb[p] = new(big.Rat).Quo(inst.Projects[p].Cost, new(big.Rat).Mul(big.NewRat(total, 1), u(p)))
	}
	for {
		if stop != nil && stop.Load() {
			return nil
		}
		best := -1
		var bestRho, bestP *big.Rat
		order := make([]int, 0, len(remaining))
		for p := range remaining {
			order = append(order, p)
		}
		sort.Slice(order, func(i, j int) bool { return lb[order[i]].Cmp(lb[order[j]]) < 0 })
		for _, p := range order {
			if best >= 0 && lb[p].Cmp(bestRho) > 0 {
				break
			}
			rhoP := price(p)
			if rhoP == nil {
				delete(remaining, p)
				continue
			}
			rho := new(big.Rat).Quo(rhoP, u(p))
			lb[p] = rho
			if c := 0; best >= 0 {
				c = rho.Cmp(bestRho)
				if c > 0 || c == 0 && inst.Projects[p].ID > inst.Projects[best].ID {
					continue
				}
			}
			best, bestRho, bestP = p, rho, rhoP
		}
		if best < 0 {
			break
		}
		paid := new(big.Rat)
		next := map[class]*big.Rat{}
		for _, s := range supporters[best] {
			c := class{budget[s.voter], s.k}
			nb, ok := next[c]
			if !ok {
				pay := new(big.Rat).Mul(bestP, big.NewRat(s.k, 1))
				if pay.Cmp(c.b) > 0 {
					pay.Set(c.b)
				}
				nb = new(big.Rat).Sub(c.b, pay)
				next[c] = nb
			}
			paid.Add(paid, new(big.Rat).Mul(big.NewRat(weight[s.voter], 1), new(big.Rat).Sub(c.b, nb)))
			budget[s.voter] = nb
		}
		if paid.Cmp(inst.Projects[best].Cost) != 0 {
			t.Fatalf("project %s: supporters paid %s for a cost of %s", inst.Projects[best].ID, paid.FloatString(4), inst.Projects[best].Cost.FloatString(4))
		}
		sel = append(sel, best)
		delete(remaining, best)
	}
	return sel
}
