package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Scale is how much demo data to generate.
type Scale string

// The scales. Small is for trying Comuna in a browser; National has the
// size of a real national consultation and is for measuring.
const (
	Small    Scale = "small"
	National Scale = "national"
)

// Scales lists the scales, smallest first.
var Scales = []Scale{Small, National}

// ParseScale reads a scale name; "" means Small.
func ParseScale(s string) (Scale, error) {
	switch Scale(s) {
	case "", Small:
		return Small, nil
	case National:
		return National, nil
	}
	return "", fmt.Errorf("unknown demo scale %q (want small or national)", s)
}

// span is a total to spread over parts, each between lo and hi.
type span struct{ total, lo, hi int }

// plan fixes the size of a scale's territory and rounds.
type plan struct {
	states      []stateInfo
	munis       int // municipalities per state; 0 means the real counts
	parishes    int
	communes    int
	circuits    int
	councils    span // per circuit
	tables      span // per circuit
	centres     span // per circuit
	proposals   span // per circuit, first round
	newCircuits int  // circuits with fresh proposals in the second round
}

func planFor(s Scale) plan {
	if s == National {
		return plan{
			states:      states,
			parishes:    1101,
			communes:    3650,
			circuits:    5336,
			councils:    span{49000, 4, 16},
			tables:      span{16000, 2, 5},
			centres:     span{10000, 1, 2},
			proposals:   span{36600, 3, 9},
			newCircuits: 6,
		}
	}
	return plan{
		states:      states[:3], // Zulia, Miranda, Lara
		munis:       2,
		parishes:    12,
		communes:    24,
		circuits:    36,
		councils:    span{288, 6, 10},
		tables:      span{108, 2, 4},
		centres:     span{54, 1, 2},
		proposals:   span{216, 3, 9},
		newCircuits: 6,
	}
}

// apportion splits total over parts in proportion to weights by the
// largest-remainder method, giving each part at least lo.
func apportion(total int, weights []float64, lo int) []int {
	out := make([]int, len(weights))
	rest := total - lo*len(weights)
	if rest < 0 {
		panic(fmt.Sprintf("demo: cannot split %d into %d parts of at least %d", total, len(weights), lo))
	}
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, len(weights))
	given := 0
	for i, w := range weights {
		exact := float64(rest) * w / sum
		out[i] = lo + int(math.Floor(exact))
		given += out[i] - lo
		rems[i] = rem{i, exact - math.Floor(exact)}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; given < rest; k++ {
		out[rems[k%len(rems)].i]++
		given++
	}
	return out
}

// scatter splits s.total over n parts at random, each between s.lo and
// s.hi, so that the parts vary the way real ones do.
func scatter(rng *rand.Rand, s span, n int) []int {
	if n*s.lo > s.total || n*s.hi < s.total {
		panic(fmt.Sprintf("demo: cannot split %d into %d parts between %d and %d", s.total, n, s.lo, s.hi))
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = 0.3 + rng.Float64()
	}
	out := apportion(s.total, w, s.lo)
	over := 0
	for i := range out {
		if out[i] > s.hi {
			over += out[i] - s.hi
			out[i] = s.hi
		}
	}
	for i := rng.IntN(n); over > 0; i = (i + 1) % n {
		if out[i] < s.hi {
			out[i]++
			over--
		}
	}
	return out
}
