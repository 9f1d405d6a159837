package execution

import (
	"fmt"
	"math/big"
	"strings"

	"golang.org/x/text/currency"

	"github.com/comuna/comuna/internal/comuna"
)

// MaxRateDecimals is the most decimals an exchange rate may carry; central
// banks publish theirs with up to eight.
const MaxRateDecimals = 8

// Rate is an exchange rate: how many units of the currency paid buy one
// unit of the currency committed (for a commitment in USD paid in VES at
// the central bank's 36.5 bolívars a dollar, the rate is 36.5). It is an
// exact decimal, so conversions never drift.
type Rate struct {
	r *big.Rat // nil is the zero Rate, which is invalid
}

// ParseRate reads a rate written with a point for decimals ("36.5",
// "1", "40.12345678"). It refuses zero, negative numbers, thousands
// separators and more than MaxRateDecimals decimals, naming field.
func ParseRate(field, s string) (Rate, error) {
	s = strings.TrimSpace(s)
	bad := func(format string, args ...any) (Rate, error) {
		return Rate{}, comuna.FieldError(field, format, args...)
	}
	if s == "" {
		return bad("the exchange rate is missing")
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || (hasFrac && frac == "") || !digits(whole) || !digits(frac) {
		return bad("the exchange rate %q must be a positive decimal number such as 36.5", s)
	}
	if len(frac) > MaxRateDecimals {
		return bad("the exchange rate %q has more than %d decimals", s, MaxRateDecimals)
	}
	if len(whole) > 12 {
		return bad("the exchange rate %q is too large", s)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || r.Sign() <= 0 {
		return bad("the exchange rate must be greater than zero")
	}
	return Rate{r: r}, nil
}

// MustRate is ParseRate for rates known to be good, as in tests and demos.
func MustRate(s string) Rate {
	r, err := ParseRate("rate", s)
	if err != nil {
		panic(err)
	}
	return r
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Valid reports whether the rate was parsed, so is greater than zero.
func (r Rate) Valid() bool { return r.r != nil && r.r.Sign() > 0 }

// String writes the rate as ParseRate reads it, without trailing zeros.
func (r Rate) String() string {
	if r.r == nil {
		return ""
	}
	s := r.r.FloatString(MaxRateDecimals)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// Convert turns an amount paid into the committed currency: paid / rate,
// rounded half away from zero to the cent.
func (r Rate) Convert(paid comuna.Cents) comuna.Cents {
	if !r.Valid() {
		return 0
	}
	q := new(big.Rat).SetInt64(int64(paid))
	q.Quo(q, r.r)
	return roundRat(q)
}

// Apply turns an amount in the committed currency into the currency paid:
// amount × rate, rounded half away from zero to the cent.
func (r Rate) Apply(amount comuna.Cents) comuna.Cents {
	if !r.Valid() {
		return 0
	}
	q := new(big.Rat).SetInt64(int64(amount))
	q.Mul(q, r.r)
	return roundRat(q)
}

func roundRat(q *big.Rat) comuna.Cents {
	num, den := new(big.Int).Set(q.Num()), q.Denom()
	neg := num.Sign() < 0
	num.Abs(num)
	quo, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	if rem.Lsh(rem, 1).Cmp(den) >= 0 {
		quo.Add(quo, big.NewInt(1))
	}
	if neg {
		quo.Neg(quo)
	}
	return comuna.Cents(quo.Int64())
}

// ParseCurrency reads an ISO 4217 code ("USD", "ves") and returns it in
// capitals; an unknown code is refused naming field.
func ParseCurrency(field, s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return "", comuna.FieldError(field, "the currency is missing (an ISO 4217 code such as USD or VES)")
	}
	if newerISO[s] {
		return s, nil
	}
	u, err := currency.ParseISO(s)
	if err != nil || u.String() != s || s == "XXX" || s == "XTS" {
		return "", comuna.FieldError(field, "%q is not an ISO 4217 currency code (such as USD or VES)", s)
	}
	return s, nil
}

// newerISO are ISO 4217 codes younger than golang.org/x/text's table: the
// bolívar soberano (VES, 2018) and the bolívar digital (VED, 2021).
var newerISO = map[string]bool{"VES": true, "VED": true}

// Money is an amount in a currency.
type Money struct {
	Amount   comuna.Cents
	Currency string
}

// String writes the amount and its currency, "10,000.00 USD".
func (m Money) String() string { return fmt.Sprintf("%s %s", m.Amount, m.Currency) }
