package pb

import (
	"fmt"
	"math/big"
)

// satTable holds, for one satisfaction measure, every voter's satisfaction
// with every project as u[p] × k, where u[p] is shared by all voters (the
// project's cost for SatCost, 1 otherwise) and k is a positive integer per
// supporter. Voters with zero satisfaction are not supporters.
type satTable struct {
	u []*big.Rat
	// sup[p] lists the ballots supporting project p, sorted by k then ballot.
	sup [][]supporter
	// total[p] is Σ count × k over the supporters of p.
	total []int64
	// voters[p] is the number of voters supporting p.
	voters []int64
}

type supporter struct {
	ballot int32
	k      int64
}

// maxSum keeps sums of counts and points far from int64 overflow.
const maxSum = 1 << 62

func buildSat(inst *Instance, prof *Profile, sat Sat) (*satTable, error) {
	np := len(inst.Projects)
	t := &satTable{u: make([]*big.Rat, np), sup: make([][]supporter, np), total: make([]int64, np), voters: make([]int64, np)}
	one := big.NewRat(1, 1)
	for p := range t.u {
		t.u[p] = one
		if sat == SatCost {
			t.u[p] = inst.Projects[p].Cost
		}
	}
	switch sat {
	case SatCost, SatCard, SatBorda:
	case SatPoints:
		if prof.Kind != Cumulative && prof.Kind != Scoring {
			ok := false
			for i := range prof.Ballots {
				if prof.Ballots[i].Points != nil {
					ok = true
					break
				}
			}
			if !ok {
				return nil, fmt.Errorf("%w: satisfaction points needs ballots with points", ErrInvalid)
			}
		}
	default:
		return nil, fmt.Errorf("%w: unknown satisfaction %q", ErrInvalid, sat)
	}
	if sat == SatBorda && prof.Kind != Ordinal {
		return nil, fmt.Errorf("%w: Borda satisfaction needs ordinal ballots", ErrInvalid)
	}
	counts := make([]int, np)
	for i := range prof.Ballots {
		for _, p := range prof.Ballots[i].Projects {
			counts[p]++
		}
	}
	for p := range t.sup {
		t.sup[p] = make([]supporter, 0, counts[p])
	}
	for i := range prof.Ballots {
		b := &prof.Ballots[i]
		c := b.count()
		n := len(b.Projects)
		for pos, p := range b.Projects {
			var k int64 = 1
			switch sat {
			case SatPoints:
				if b.Points == nil {
					continue
				}
				k = b.Points[pos]
			case SatBorda:
				k = int64(n - pos - 1)
			}
			if k <= 0 {
				continue
			}
			if k > maxSum/c || t.total[p] > maxSum-k*c {
				return nil, fmt.Errorf("%w: project %q: satisfaction sum overflows", ErrInvalid, inst.Projects[p].ID)
			}
			t.total[p] += k * c
			t.voters[p] += c
			t.sup[p] = append(t.sup[p], supporter{ballot: int32(i), k: k})
		}
	}
	for p := range t.sup {
		s := t.sup[p]
		sorted := true
		for i := 1; i < len(s); i++ {
			if s[i].k < s[i-1].k {
				sorted = false
				break
			}
		}
		if !sorted {
			sortSupporters(s)
		}
	}
	return t, nil
}

// sortSupporters orders by k, then ballot; a counting pass keeps it linear
// for the small k ranges real ballots use.
func sortSupporters(s []supporter) {
	var maxK int64
	for _, x := range s {
		maxK = max(maxK, x.k)
	}
	if maxK > 1<<16 {
		sortSlice(s)
		return
	}
	cnt := make([]int, maxK+2)
	for _, x := range s {
		cnt[x.k+1]++
	}
	for i := 1; i < len(cnt); i++ {
		cnt[i] += cnt[i-1]
	}
	out := make([]supporter, len(s))
	for _, x := range s {
		out[cnt[x.k]] = x
		cnt[x.k]++
	}
	copy(s, out)
}

// approvals returns, per project, the number of voters whose ballot lists it.
func approvals(inst *Instance, prof *Profile) []int64 {
	a := make([]int64, len(inst.Projects))
	for i := range prof.Ballots {
		b := &prof.Ballots[i]
		for _, p := range b.Projects {
			a[p] += b.count()
		}
	}
	return a
}
