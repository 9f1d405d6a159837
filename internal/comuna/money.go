package comuna

import (
	"fmt"
	"strconv"
	"strings"
)

// Cents is an amount of money in hundredths of the currency's unit, so that
// sums are exact.
type Cents int64

// ParseCents reads an amount such as "10000", "10000.5" or "10,000.50".
func ParseCents(s string) (Cents, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" {
		return 0, fmt.Errorf("empty amount")
	}
	neg := strings.HasPrefix(s, "-")
	if neg {
		return 0, fmt.Errorf("amount %q is negative", s)
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if hasFrac && (len(frac) == 0 || len(frac) > 2) {
		return 0, fmt.Errorf("amount %q must have at most two decimals", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 {
		return 0, fmt.Errorf("amount %q is not a number", s)
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("amount %q is not a number", s)
	}
	if w > (1<<62)/100 {
		return 0, fmt.Errorf("amount %q is too large", s)
	}
	return Cents(w*100 + f), nil
}

// String formats the amount with two decimals and thousands separators.
func (c Cents) String() string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	whole := strconv.FormatInt(int64(c)/100, 10)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%s%s.%02d", sign, b.String(), int64(c)%100)
}

// Plain formats the amount without separators, as ParseCents reads it back.
func (c Cents) Plain() string {
	return fmt.Sprintf("%d.%02d", int64(c)/100, int64(c)%100)
}
