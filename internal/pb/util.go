package pb

import (
	"math/big"
	"slices"
	"sort"
	"strconv"
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
		if n := r.Num(); n.IsInt64() {
			return strconv.FormatInt(n.Int64(), 10)
		}
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

// mergeBallots returns a profile in which identical ballots are one ballot
// whose Count is the number of voters who cast it: the same projects in the
// same order with the same points (approval ballots without points are
// compared as sets). Rules treat every voter of a ballot alike, so outcomes
// do not change; large files have many repeated ballots. The profile itself
// is returned when no two ballots are the same.
func mergeBallots(prof *Profile) *Profile {
	nb := len(prof.Ballots)
	if nb < 2 {
		return prof
	}
	size := 1
	for size < 2*nb+2 {
		size <<= 1
	}
	table := make([]int32, size) // index into out + 1, or 0 if empty
	hashes := make([]uint64, 0, nb)
	out := make([]Ballot, 0, nb)
	var sorted []int
	for b := range prof.Ballots {
		bl := &prof.Ballots[b]
		ps := bl.Projects
		scratch := false
		if prof.Kind == Approval && bl.Points == nil && !slices.IsSorted(ps) {
			sorted = append(sorted[:0], ps...)
			slices.Sort(sorted)
			ps, scratch = sorted, true
		}
		h := uint64(14695981039346656037)
		for _, p := range ps {
			h ^= uint64(p) + 0x9e3779b97f4a7c15
			h *= 1099511628211
			h ^= h >> 29
		}
		if bl.Points != nil {
			h ^= 0x5bd1e995
			for _, x := range bl.Points {
				h ^= uint64(x) + 0x9e3779b97f4a7c15
				h *= 1099511628211
				h ^= h >> 29
			}
		}
		i := int(h>>7) & (size - 1)
		g := -1
		for table[i] != 0 {
			c := int(table[i] - 1)
			if hashes[c] == h && slices.Equal(out[c].Projects, ps) && (out[c].Points == nil) == (bl.Points == nil) && slices.Equal(out[c].Points, bl.Points) {
				g = c
				break
			}
			i = (i + 1) & (size - 1)
		}
		if g < 0 {
			g = len(out)
			table[i] = int32(g + 1)
			hashes = append(hashes, h)
			if scratch {
				ps = slices.Clone(ps)
			}
			out = append(out, Ballot{Projects: ps, Points: bl.Points})
		}
		out[g].Count += bl.count()
	}
	if len(out) == nb {
		return prof
	}
	return &Profile{Kind: prof.Kind, Ballots: out}
}
