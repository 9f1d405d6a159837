package audit

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

const testSeed = "comuna round 7: 3 1 4 1 5 9 2 6"

func tableCodes(n int) []string {
	codes := make([]string, n)
	for i := range codes {
		codes[i] = fmt.Sprintf("T%02d", i+1)
	}
	return codes
}

func TestDrawKnownOutput(t *testing.T) {
	// Computed independently with Python's hashlib:
	// sorted(pop, key=lambda c: sha256((seed+":"+c).encode()).digest())[:5]
	want := []string{"T02", "T05", "T03", "T04", "T17"}
	if got := Draw(testSeed, tableCodes(20), 5); !slices.Equal(got, want) {
		t.Errorf("Draw(%q, T01…T20, 5) = %v, want %v", testSeed, got, want)
	}
}

func TestDrawIsDeterministicAndExtends(t *testing.T) {
	pop := tableCodes(300)
	all := Draw(testSeed, pop, 300)
	shuffled := slices.Clone(pop)
	slices.Reverse(shuffled)
	shuffled = append(shuffled, pop[:10]...) // duplicates are dropped
	for n := 0; n <= 300; n += 37 {
		got := Draw(testSeed, shuffled, n)
		if !slices.Equal(got, all[:n]) {
			t.Errorf("Draw(n=%d) of a reordered population = %v, want the first %d of the full draw", n, got, n)
		}
	}
	if got := Draw(testSeed, pop, 1000); len(got) != 300 {
		t.Errorf("Draw(n=1000) of 300 tables returned %d", len(got))
	}
	sorted := slices.Clone(all)
	slices.Sort(sorted)
	if !slices.Equal(sorted, slices.Sorted(slices.Values(pop))) {
		t.Errorf("Draw of every table is not a permutation of the tables")
	}
	if other := Draw(testSeed+" ", pop, 10); slices.Equal(other, all[:10]) {
		t.Errorf("Draw with another seed gave the same tables")
	}
	if got := Draw(testSeed, pop, -1); len(got) != 0 {
		t.Errorf("Draw(n=-1) = %v, want none", got)
	}
}

func TestDrawWeightedKnownOutput(t *testing.T) {
	// Computed independently with Python: X = int.from_bytes(sha256(
	// (seed+":draw-"+str(j)).encode()).digest(), "big") % 10 against the
	// running totals 1, 3, 6, 10 of A, B, C, D.
	want := []string{"B", "D", "D", "C", "B", "C", "D", "D", "B", "B"}
	got, err := DrawWeighted(testSeed, []string{"D", "B", "C", "A"}, []int64{4, 2, 3, 1}, 10)
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("DrawWeighted = %v, %v; want %v", got, err, want)
	}
	more, _ := DrawWeighted(testSeed, []string{"A", "B", "C", "D"}, []int64{1, 2, 3, 4}, 25)
	if !slices.Equal(more[:10], want) {
		t.Errorf("DrawWeighted(n=25)[:10] = %v, want the 10 draws %v", more[:10], want)
	}
}

func TestDrawWeightedFollowsWeights(t *testing.T) {
	got, err := DrawWeighted(testSeed, []string{"a", "b", "zero", "c"}, []int64{100, 300, 0, 600}, 20000)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, c := range got {
		count[c]++
	}
	for code, share := range map[string]float64{"a": 0.1, "b": 0.3, "c": 0.6, "zero": 0} {
		// Within 4 standard deviations of a binomial(20000, share).
		if got, want := float64(count[code]), 20000*share; got < want-4*math.Sqrt(want*(1-share))-0.5 || got > want+4*math.Sqrt(want*(1-share))+0.5 {
			t.Errorf("%s drawn %v times in 20000, want about %v", code, got, want)
		}
	}
}

func TestDrawWeightedRejectsBadInput(t *testing.T) {
	for _, tc := range []struct {
		codes   []string
		weights []int64
	}{
		{[]string{"a"}, []int64{1, 2}},
		{[]string{"a", "a"}, []int64{1, 2}},
		{[]string{"a", "b"}, []int64{1, -2}},
		{[]string{"a", "b"}, []int64{0, 0}},
		{[]string{"a", "b"}, []int64{1 << 62, 1 << 62}},
	} {
		if _, err := DrawWeighted(testSeed, tc.codes, tc.weights, 3); comuna.ErrorCode(err) != comuna.EInvalid {
			t.Errorf("DrawWeighted(%v, %v): error %v, want code %s", tc.codes, tc.weights, err, comuna.EInvalid)
		}
	}
}
