package audit

import (
	"bytes"
	"crypto/sha256"
	"math/big"
	"sort"
	"strconv"

	"github.com/comuna/comuna/internal/comuna"
)

// Draw picks n of the table codes in population for a hand recount, in a
// way anyone can re-derive from the seed announced before the vote:
//
//  1. drop duplicate codes;
//  2. give each code the key SHA-256(seed ":" code), over the exact
//     bytes of seed and code (UTF-8, no normalisation, no newline);
//  3. order the codes by key, comparing the 32-byte digests as big-endian
//     numbers (ties, which SHA-256 makes practically impossible, by code);
//  4. the draw is the first n codes in that order (all of them if n is
//     larger).
//
// The result is in draw order, and a larger n extends a smaller one's draw,
// so a recount can grow without redrawing. This is a simple random sample
// without replacement, as in Rivest's SHA-256 sampler. The input order of
// population does not matter. Anyone can check a draw with a shell; for
// seed "1 2 3 4 5 6" this lists tables T1, T2 and T3 in draw order:
//
//	for c in T1 T2 T3; do
//		echo "$(printf '%s' "1 2 3 4 5 6:$c" | sha256sum | cut -c1-64) $c"
//	done | LC_ALL=C sort
func Draw(seed string, population []string, n int) []string {
	type keyed struct {
		key  [sha256.Size]byte
		code string
	}
	seen := make(map[string]bool, len(population))
	ks := make([]keyed, 0, len(population))
	for _, c := range population {
		if seen[c] {
			continue
		}
		seen[c] = true
		ks = append(ks, keyed{sha256.Sum256([]byte(seed + ":" + c)), c})
	}
	sort.Slice(ks, func(i, j int) bool {
		if c := bytes.Compare(ks[i].key[:], ks[j].key[:]); c != 0 {
			return c < 0
		}
		return ks[i].code < ks[j].code
	})
	n = max(0, min(n, len(ks)))
	out := make([]string, n)
	for i := range out {
		out[i] = ks[i].code
	}
	return out
}

// DrawWeighted makes n draws with replacement from population, each code
// drawn with probability proportional to its weight (PPS sampling: weight
// by ballots cast, or by an error bound as the risk-limiting audit does).
// Draw j, for j = 1, 2, …, n, is derived as:
//
//  1. sort the codes in byte order (codes must be distinct; weights ≥ 0,
//     total W > 0);
//  2. X = SHA-256(seed ":draw-" j), j in decimal, read as a 256-bit
//     big-endian unsigned number; r = X mod W;
//  3. draw j is the first code, in sorted order, whose running total of
//     weights exceeds r.
//
// A code may be drawn several times; each draw counts in the audit. As with
// Draw, a larger n extends a smaller one's draws. Bad input is an EInvalid
// error.
func DrawWeighted(seed string, population []string, weights []int64, n int) ([]string, error) {
	if len(population) != len(weights) {
		return nil, comuna.Errorf(comuna.EInvalid, "%d codes but %d weights", len(population), len(weights))
	}
	idx := make([]int, len(population))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(i, j int) bool { return population[idx[i]] < population[idx[j]] })
	cum := make([]int64, len(idx)) // running totals in sorted order
	var total int64
	for k, i := range idx {
		if k > 0 && population[i] == population[idx[k-1]] {
			return nil, comuna.Errorf(comuna.EInvalid, "table %q appears twice", population[i])
		}
		if weights[i] < 0 || total+weights[i] < total {
			return nil, comuna.Errorf(comuna.EInvalid, "weight of table %q is negative or too large", population[i])
		}
		total += weights[i]
		cum[k] = total
	}
	if total <= 0 {
		return nil, comuna.Errorf(comuna.EInvalid, "the weights add up to zero")
	}
	w := big.NewInt(total)
	var x big.Int
	out := make([]string, 0, max(n, 0))
	for j := 1; j <= n; j++ {
		h := sha256.Sum256([]byte(seed + ":draw-" + strconv.Itoa(j)))
		r := x.SetBytes(h[:]).Mod(&x, w).Int64()
		k := sort.Search(len(cum), func(k int) bool { return cum[k] > r })
		out = append(out, population[idx[k]])
	}
	return out, nil
}
