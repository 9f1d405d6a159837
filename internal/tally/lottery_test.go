package tally

import (
	"bytes"
	"encoding/hex"
	"slices"
	"testing"
)

// With seed "semilla-2025", round 12 and circuit CC-0001 the lottery
// orders ballot numbers 4, 3, 1, 5, 2, 6, 7 (see TestLotteryOrder).
const seed = "semilla-2025"

func TestLotteryRankGolden(t *testing.T) {
	got := LotteryRank(seed, 12, "CC-0001", 3)
	// printf 'comuna/tally/lottery/v1\n12\nCC-0001\n3' | openssl dgst -sha256 -hmac semilla-2025
	const want = "70adcf4a45620788dbae3ac29cbb954684d1e12e86e80ffd940100c0e9ea60bd"
	if hex.EncodeToString(got[:]) != want {
		t.Errorf("LotteryRank = %x; want %s", got, want)
	}
}

func TestLotteryOrder(t *testing.T) {
	numbers := []int{1, 2, 3, 4, 5, 6, 7}
	order := func(circuit string) []int {
		sums := LotteryRanks(seed, 12, circuit, numbers)
		for i, n := range numbers {
			if sums[i] != LotteryRank(seed, 12, circuit, n) {
				t.Errorf("LotteryRanks(%s)[%d] differs from LotteryRank", circuit, i)
			}
		}
		idx := []int{0, 1, 2, 3, 4, 5, 6}
		slices.SortFunc(idx, func(a, b int) int { return bytes.Compare(sums[a][:], sums[b][:]) })
		out := make([]int, len(idx))
		for i, k := range idx {
			out[i] = numbers[k]
		}
		return out
	}
	if got, want := order("CC-0001"), []int{4, 3, 1, 5, 2, 6, 7}; !slices.Equal(got, want) {
		t.Errorf("lottery order = %v; want %v", got, want)
	}
	if other := order("CC-0002"); other[0] == 4 && other[1] == 3 && other[2] == 1 {
		t.Errorf("circuit CC-0002 draws the same order as CC-0001; the circuit must be part of the draw")
	}
}
