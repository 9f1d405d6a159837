package execution

import (
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// Payer is who a disbursement comes from.
type Payer string

// The payers of the consultations' money.
const (
	FederalFund  Payer = "federal_fund" // the federal government council's fund
	Governorship Payer = "state"        // a governor's office
	Municipality Payer = "municipality" // a mayor's office
)

// Payers lists the payers in display order.
var Payers = []Payer{FederalFund, Governorship, Municipality}

// ParsePayer reads a payer code.
func ParsePayer(s string) (Payer, error) {
	for _, p := range Payers {
		if string(p) == s {
			return p, nil
		}
	}
	return "", comuna.FieldError("payer", "unknown payer %q (want federal_fund, state or municipality)", s)
}

// Commitment is the money promised to a funded project: an amount in a
// currency and, when it will be paid in another, the exchange rate that
// turns it into the currency paid, with the rate's source and date.
type Commitment struct {
	Amount     comuna.Cents
	Currency   string    // ISO 4217, e.g. USD
	PaidIn     string    // the currency disbursements are expected in, e.g. VES
	Rate       Rate      // PaidIn units per Currency unit at commitment
	RateSource string    // e.g. "Banco Central de Venezuela, tasa oficial"
	RateDate   time.Time // the date the rate was published
}

// Validate checks a commitment.
func (c Commitment) Validate() error {
	if c.Amount <= 0 {
		return comuna.FieldError("amount", "the committed amount must be greater than zero")
	}
	if _, err := ParseCurrency("currency", c.Currency); err != nil {
		return err
	}
	if c.PaidIn == "" || c.PaidIn == c.Currency {
		return nil
	}
	if _, err := ParseCurrency("paid_in", c.PaidIn); err != nil {
		return err
	}
	if !c.Rate.Valid() {
		return comuna.FieldError("rate", "the exchange rate to %s must be greater than zero", c.PaidIn)
	}
	if strings.TrimSpace(c.RateSource) == "" {
		return comuna.FieldError("rate_source", "say where the exchange rate comes from (e.g. the central bank's official rate)")
	}
	if c.RateDate.IsZero() {
		return comuna.FieldError("rate_date", "the date of the exchange rate is missing")
	}
	return nil
}

// InPaidCurrency is the committed amount in the currency it is paid in.
func (c Commitment) InPaidCurrency() Money {
	if c.PaidIn == "" || c.PaidIn == c.Currency {
		return Money{c.Amount, c.Currency}
	}
	return Money{c.Rate.Apply(c.Amount), c.PaidIn}
}

// Disbursement is one payment to a funded project. It is recorded by a
// fund officer and counts only once the payee's finance spokesperson, a
// different person, has confirmed receiving it.
type Disbursement struct {
	ID          int
	Date        time.Time
	Amount      comuna.Cents
	Currency    string // the currency paid
	Rate        Rate   // Currency units per committed-currency unit on Date; 1 when they are the same
	RateSource  string
	Payer       Payer
	Payee       string // the executing body, as named by the bank
	Reference   string // the bank's reference, unique per payer
	RecordedBy  string
	RecordedAt  time.Time
	ConfirmedBy string // "" while awaiting confirmation
	ConfirmedAt time.Time
}

// Confirmed reports whether the payee has confirmed the disbursement.
func (d Disbursement) Confirmed() bool { return d.ConfirmedBy != "" }

// Committed returns the disbursement's amount in the committed currency.
func (d Disbursement) Committed(c Commitment) comuna.Cents {
	if d.Currency == c.Currency {
		return d.Amount
	}
	return d.Rate.Convert(d.Amount)
}

// Validate checks a new disbursement against the project's commitment and
// window: a known currency, a rate when it differs from the committed one,
// a date not before the project was committed nor in the future, a
// reference.
func (d Disbursement) Validate(c Commitment, committedOn, today time.Time) error {
	if d.Amount <= 0 {
		return comuna.FieldError("amount", "the amount must be greater than zero")
	}
	cur, err := ParseCurrency("currency", d.Currency)
	if err != nil {
		return err
	}
	if cur != c.Currency {
		if !d.Rate.Valid() {
			return comuna.FieldError("rate", "a payment in %s to a commitment in %s needs the exchange rate of its date, greater than zero", cur, c.Currency)
		}
		if strings.TrimSpace(d.RateSource) == "" {
			return comuna.FieldError("rate_source", "say where the exchange rate comes from (e.g. the central bank's official rate)")
		}
	}
	if _, err := ParsePayer(string(d.Payer)); err != nil {
		return err
	}
	if strings.TrimSpace(d.Payee) == "" {
		return comuna.FieldError("payee", "the payee is missing")
	}
	if strings.TrimSpace(d.Reference) == "" {
		return comuna.FieldError("reference", "the bank reference is missing")
	}
	if d.Date.IsZero() {
		return comuna.FieldError("date", "the date is missing")
	}
	if !committedOn.IsZero() && d.Date.Before(truncDay(committedOn)) {
		return comuna.FieldError("date", "the payment is dated before the project was committed (%s)", committedOn.Format("2006-01-02"))
	}
	if !today.IsZero() && d.Date.After(endOfDay(today)) {
		return comuna.FieldError("date", "the payment is dated in the future")
	}
	return nil
}

func truncDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// CanConfirm says whether user may confirm d: someone other than who
// recorded it, and only once.
func CanConfirm(d Disbursement, user string) error {
	if d.Confirmed() {
		return comuna.Errorf(comuna.EConflict, "the disbursement was confirmed already by %s", d.ConfirmedBy)
	}
	if user == d.RecordedBy {
		return comuna.Errorf(comuna.EForbidden, "a disbursement is confirmed by someone other than who recorded it")
	}
	return nil
}

// Totals are a project's confirmed payments: in each currency paid and in
// the committed currency, with what still awaits confirmation.
type Totals struct {
	Committed Money
	Paid      map[string]comuna.Cents // confirmed, by currency paid
	InCommit  comuna.Cents            // confirmed, in the committed currency
	Pending   int                     // disbursements awaiting confirmation
	Financial Percent                 // InCommit / Committed
}

// Sum adds up the confirmed disbursements of a project.
func Sum(c Commitment, ds []Disbursement) Totals {
	t := Totals{Committed: Money{c.Amount, c.Currency}, Paid: map[string]comuna.Cents{}}
	for _, d := range ds {
		if !d.Confirmed() {
			t.Pending++
			continue
		}
		t.Paid[d.Currency] += d.Amount
		t.InCommit += d.Committed(c)
	}
	t.Financial = share(int64(t.InCommit), int64(c.Amount))
	return t
}
