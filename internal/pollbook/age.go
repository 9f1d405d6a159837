package pollbook

import (
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// MaxPlausibleAge is the age above which a birth date is taken for a typing
// mistake rather than a voter.
const MaxPlausibleAge = 120

// Age returns a person's age in whole years on a day. Both times are read
// as calendar dates in their own location; the time of day is ignored. A
// person born on 29 February completes a year on 1 March in common years,
// the day the anniversary has certainly passed. A birth after the day gives
// a negative age.
func Age(birth, on time.Time) int {
	by, bm, bd := birth.Date()
	y, m, d := on.Date()
	age := y - by
	if m < bm || (m == bm && d < bd) {
		age--
	}
	return age
}

// Eligible returns nil if a person born on birth may vote on voteDate in a
// round for ages minAge to maxAge inclusive (maxAge 0 means no upper
// limit). Otherwise it returns an EInvalid *comuna.Error with Field
// "birth_date" saying why: no date, a date after the vote, an implausible
// age, too young or too old.
func Eligible(birth, voteDate time.Time, minAge, maxAge int) error {
	_, err := eligible(birth, voteDate, minAge, maxAge)
	return err
}

// eligible is Eligible that also tells whether the error is an age outside
// the round's range (the voter is turned away) rather than a bad date (the
// table should correct what it typed).
func eligible(birth, voteDate time.Time, minAge, maxAge int) (outside bool, err error) {
	const field = "birth_date"
	if birth.IsZero() {
		return false, comuna.FieldError(field, "the birth date is required")
	}
	day := voteDate.Format(time.DateOnly)
	age := Age(birth, voteDate)
	switch {
	case age < 0 || (age == 0 && birth.Format(time.DateOnly) > day):
		return false, comuna.FieldError(field, "birth date %s is after the vote date %s", birth.Format(time.DateOnly), day)
	case age > MaxPlausibleAge:
		return false, comuna.FieldError(field, "birth date %s is implausible: %d years old on %s", birth.Format(time.DateOnly), age, day)
	case age < minAge:
		return true, comuna.FieldError(field, "too young: %d years old on %s; the minimum age is %d", age, day, minAge)
	case maxAge > 0 && age > maxAge:
		return true, comuna.FieldError(field, "too old: %d years old on %s; this round is for ages %d to %d", age, day, minAge, maxAge)
	}
	return false, nil
}
