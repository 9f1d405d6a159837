package pb

import (
	"math/big"
	"sort"
)

func sortSlice(s []supporter) {
	sort.Slice(s, func(i, j int) bool {
		if s[i].k != s[j].k {
			return s[i].k < s[j].k
		}
		return s[i].ballot < s[j].ballot
	})
}

// ratString formats an exact amount for people: an integer as is, other
// values rounded to two decimals.
func ratString(r *big.Rat) string {
	if r == nil {
		return ""
	}
	if r.IsInt() {
		return r.Num().String()
	}
	return r.FloatString(2)
}

// exactString formats an exact amount without rounding where the decimal
// expansion is finite, as a fraction otherwise.
func exactString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	for digits := 1; digits <= 12; digits++ {
		s := r.FloatString(digits)
		if x, ok := new(big.Rat).SetString(s); ok && x.Cmp(r) == 0 {
			return s
		}
	}
	return r.RatString()
}

func totalCost(inst *Instance, sel []int) *big.Rat {
	c := new(big.Rat)
	for _, p := range sel {
		c.Add(c, inst.Projects[p].Cost)
	}
	return c
}

func ids(inst *Instance, sel []int) []string {
	out := make([]string, len(sel))
	for i, p := range sel {
		out[i] = inst.Projects[p].ID
	}
	return out
}
