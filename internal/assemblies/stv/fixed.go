package stv

import (
	"math/bits"
	"strconv"
	"strings"
)

// fixed is a rule's fixed-point decimal arithmetic: a value v stands for
// v / 10^digits. Every rule here names its own precision and rounding, and
// these helpers do exactly one rounding each, on 128-bit intermediates so
// that 9-digit products of vote totals never overflow.
type fixed struct {
	digits int
	scale  int64
}

func newFixed(digits int) fixed {
	s := int64(1)
	for i := 0; i < digits; i++ {
		s *= 10
	}
	return fixed{digits: digits, scale: s}
}

// of converts a whole number.
func (f fixed) of(n int64) int64 { return n * f.scale }

// mul returns a*b, truncated, or rounded up when up is set. a, b ≥ 0.
func (f fixed) mul(a, b int64, up bool) int64 { return muldiv(a, b, f.scale, up) }

// div returns a/b, truncated, or rounded up when up is set. a ≥ 0, b > 0.
func (f fixed) div(a, b int64, up bool) int64 { return muldiv(a, f.scale, b, up) }

// muldiv returns a*b/c with one rounding (down, or up when up is set), the
// product kept at full precision. a, b ≥ 0, c > 0.
func muldiv(a, b, c int64, up bool) int64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, r := bits.Div64(hi, lo, uint64(c))
	if up && r != 0 {
		q++
	}
	return int64(q)
}

// format writes v with the rule's number of decimals, as the reference does.
func (f fixed) format(v int64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v/f.scale, 10)
	if f.digits > 0 {
		frac := strconv.FormatInt(v%f.scale, 10)
		s += "." + strings.Repeat("0", f.digits-len(frac)) + frac
	}
	if neg {
		s = "-" + s
	}
	return s
}
