package comuna

import (
	"fmt"
	"strconv"
	"strings"
)

// Cents is an amount of money in hundredths of the currency's unit, so that
// sums are exact.
type Cents int64

// Notation is how a language writes an amount: its decimal separator and
// the separator of its groups of three digits (none for the plain form).
type Notation struct {
	Decimal, Group byte
}

// The notations Comuna reads. NotationPlain is the API's and files'
// decimal string ("12500.50"); the others are how people type on a page.
var (
	NotationPlain = Notation{Decimal: '.'}
	NotationES    = Notation{Decimal: ',', Group: '.'} // 12.500,50 or 12500,50
	NotationEN    = Notation{Decimal: '.', Group: ','} // 12,500.50 or 12500.50
)

// maxDigits bounds the whole part of an amount, far below overflow.
const maxDigits = 16

// ParseCents reads the plain decimal string of the API and of files:
// digits, then optionally a point and one or two decimals ("10000",
// "10000.5"). A comma anywhere is refused, never dropped: "12500,50" may be
// a decimal comma.
func ParseCents(s string) (Cents, error) { return ParseCentsIn(s, NotationPlain) }

// ParseCentsIn reads an amount written in notation n: the whole part, its
// digits optionally in groups of three separated by n.Group, then
// optionally n.Decimal and one or two decimals. Anything else that holds a
// separator — a group that is not three digits, three digits after the
// decimal separator, the other language's decimal point — is refused as
// ambiguous, never read one way or another, so an amount is never scaled
// silently. The *Error names no field; the caller sets it.
func ParseCentsIn(s string, n Notation) (Cents, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, Keyed(EInvalid, "", "money.empty", "enter an amount")
	}
	if t[0] == '-' {
		return 0, Keyed(EInvalid, "", "money.negative", "amount “%s” is negative", t)
	}
	whole, frac, hasFrac := strings.Cut(t, string(n.Decimal))
	if hasFrac {
		switch {
		case frac == "" || !allDigits(frac):
			if strings.ContainsAny(frac, ".,") {
				return 0, ambiguous(t, n)
			}
			return 0, Keyed(EInvalid, "", "money.notnumber", "“%s” is not an amount", t)
		case len(frac) == 3 && n.Group != 0:
			// "12,500" in Spanish or "12.500" in English: a thousands
			// separator of the other language, or three decimals.
			return 0, ambiguous(t, n)
		case len(frac) > 2:
			return 0, Keyed(EInvalid, "", "money.decimals", "“%s” has more than two decimals", t)
		}
	}
	digits := whole
	if n.Group != 0 && strings.IndexByte(whole, n.Group) >= 0 {
		groups := strings.Split(whole, string(n.Group))
		for i, g := range groups {
			if !allDigits(g) || (i == 0 && len(g) > 3) || (i > 0 && len(g) != 3) {
				if strings.ContainsAny(g, ".,") || allDigits(g) {
					return 0, ambiguous(t, n)
				}
				return 0, Keyed(EInvalid, "", "money.notnumber", "“%s” is not an amount", t)
			}
		}
		digits = strings.Join(groups, "")
	}
	if digits == "" || !allDigits(digits) {
		if strings.ContainsAny(digits, ".,") {
			return 0, ambiguous(t, n)
		}
		return 0, Keyed(EInvalid, "", "money.notnumber", "“%s” is not an amount", t)
	}
	if len(strings.TrimLeft(digits, "0")) > maxDigits {
		return 0, Keyed(EInvalid, "", "money.toolarge", "amount “%s” is too large", t)
	}
	w, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, Keyed(EInvalid, "", "money.toolarge", "amount “%s” is too large", t)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	return Cents(w*100 + f), nil
}

// ambiguous is the error of an amount whose separators could be read two
// ways in notation n.
func ambiguous(s string, n Notation) *Error {
	if n.Group == 0 {
		return Keyed(EInvalid, "", "money.ambiguous.plain",
			"“%s” is ambiguous: write the amount with a decimal point and no thousands separators, e.g. 12500.50", s)
	}
	return Keyed(EInvalid, "", "money.ambiguous",
		"“%s” is ambiguous: write it as %s or %s", s, Cents(1250050).In(n, true), Cents(1250050).In(n, false))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// In writes the amount in notation n with two decimals, its digits in
// groups of three when grouped is set and n has a group separator;
// ParseCentsIn reads it back.
func (c Cents) In(n Notation, grouped bool) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	whole := strconv.FormatInt(int64(c)/100, 10)
	var b strings.Builder
	for i := 0; i < len(whole); i++ {
		if grouped && n.Group != 0 && i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(n.Group)
		}
		b.WriteByte(whole[i])
	}
	return fmt.Sprintf("%s%s%c%02d", sign, b.String(), n.Decimal, int64(c)%100)
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
