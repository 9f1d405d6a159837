package tally

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/comuna/comuna/internal/comuna"
)

// Limits on a sheet's contents. No table handles anywhere near MaxCount
// ballots; the bound catches typing slips and keeps every sum far from
// overflow.
const (
	MaxCount     = 1_000_000
	MaxNames     = 20  // table members, and witnesses, on one sheet
	MaxNameRunes = 100 // characters in one name
)

// Reconcile checks a sheet before it is accepted and returns every problem
// found, each an EInvalid *comuna.Error naming its field, or nil when the
// sheet is sound. ballotSize is the number of projects on the circuit's
// ballot; checkIns and walkIns are the voters the poll book admitted at the
// table on line and on paper.
//
// Fields are named as a form names its inputs: "received", "cast",
// "votes", "votes.3" (ballot number 3), "blank", "null", "unused",
// "members", "members.2" (the second name), "witnesses.1", "photo_sha256",
// "round_id", "table" and "circuit". The rules are:
//
//   - no count is negative or above MaxCount;
//   - there is a count for each ballot number 1..ballotSize, and no other;
//   - votes + blank + null = cast (reported on "cast");
//   - cast ≤ check-ins + walk-ins (reported on "cast");
//   - cast + unused = received (reported on "received");
//   - at least one table member is named; every name is non-empty, at most
//     MaxNameRunes characters of printable text, and not repeated;
//   - the photo hash, when present, is 64 hexadecimal digits.
//
// The sums are checked only when every count is in range, so that one
// slip is not reported three times.
func Reconcile(s Sheet, ballotSize int, checkIns, walkIns int64) []*comuna.Error {
	var errs []*comuna.Error
	add := func(field, format string, args ...any) {
		errs = append(errs, comuna.FieldError(field, format, args...))
	}
	if s.RoundID <= 0 {
		add("round_id", "the sheet must name its consultation")
	}
	if !comuna.ValidCode(s.Table) {
		add("table", "table code %q must be 1 to 40 letters, digits, dots, dashes or underscores", s.Table)
	}
	if !comuna.ValidCode(s.Circuit) {
		add("circuit", "circuit code %q must be 1 to 40 letters, digits, dots, dashes or underscores", s.Circuit)
	}

	inRange := true
	count := func(field, label string, n int64) {
		switch {
		case n < 0:
			add(field, "%s cannot be negative (%d)", label, n)
			inRange = false
		case n > MaxCount:
			add(field, "%s of %d is not plausible for one table", label, n)
			inRange = false
		}
	}
	count("received", "ballots received", s.Received)
	count("cast", "ballots cast", s.Cast)
	for i, v := range s.Votes {
		field := fmt.Sprintf("votes.%d", i+1)
		switch {
		case v < 0:
			add(field, "votes for number %d cannot be negative (%d)", i+1, v)
			inRange = false
		case v > MaxCount:
			add(field, "votes for number %d of %d is not plausible for one table", i+1, v)
			inRange = false
		}
	}
	count("blank", "blank ballots", s.Blank)
	count("null", "null ballots", s.Null)
	count("unused", "unused ballots", s.Unused)
	switch {
	case len(s.Votes) > ballotSize:
		add("votes", "the ballot has %d projects, but the sheet has counts for %d numbers", ballotSize, len(s.Votes))
		inRange = false
	case len(s.Votes) < ballotSize:
		add("votes", "the ballot has %d projects; give a count for each, zero included (got %d)", ballotSize, len(s.Votes))
		inRange = false
	}

	if inRange {
		valid := s.Valid()
		if sum := valid + s.Blank + s.Null; sum != s.Cast {
			add("cast", "votes for projects (%d) + blank (%d) + null (%d) = %d, but ballots cast is %d", valid, s.Blank, s.Null, sum, s.Cast)
		}
		if s.Cast+s.Unused != s.Received {
			add("received", "ballots cast (%d) + unused (%d) = %d, but ballots received is %d", s.Cast, s.Unused, s.Cast+s.Unused, s.Received)
		}
	}
	if s.Cast > checkIns+walkIns {
		add("cast", "%d ballots cast, but only %d voters were admitted: %d checked in and %d on paper", s.Cast, checkIns+walkIns, checkIns, walkIns)
	}

	if len(s.Members) == 0 {
		add("members", "name at least one table member present at the count")
	}
	errs = checkNames(errs, "members", "table members", s.Members)
	errs = checkNames(errs, "witnesses", "witnesses", s.Witnesses)
	if s.PhotoSHA256 != "" && !isHexSHA256(s.PhotoSHA256) {
		add("photo_sha256", "the photo's hash must be 64 hexadecimal digits (SHA-256)")
	}
	return errs
}

func checkNames(errs []*comuna.Error, field, label string, names []string) []*comuna.Error {
	if len(names) > MaxNames {
		return append(errs, comuna.FieldError(field, "at most %d %s, not %d", MaxNames, label, len(names)))
	}
	seen := make(map[string]int, len(names))
	for i, n := range names {
		f := fmt.Sprintf("%s.%d", field, i+1)
		key := nameKey(n)
		switch {
		case key == "":
			errs = append(errs, comuna.FieldError(f, "the name is empty"))
		case !utf8.ValidString(n) || strings.ContainsFunc(n, func(r rune) bool { return !unicode.IsPrint(r) && !unicode.IsSpace(r) }):
			errs = append(errs, comuna.FieldError(f, "the name has characters that are not printable"))
		case utf8.RuneCountInString(n) > MaxNameRunes:
			errs = append(errs, comuna.FieldError(f, "the name is longer than %d characters", MaxNameRunes))
		case seen[key] > 0:
			errs = append(errs, comuna.FieldError(f, "%q is listed twice (also as name %d)", strings.TrimSpace(n), seen[key]))
		default:
			seen[key] = i + 1
		}
	}
	return errs
}

// nameKey is how two names are compared: case and spacing ignored.
func nameKey(n string) string {
	return strings.ToLower(strings.Join(strings.Fields(n), " "))
}

func isHexSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
			return false
		}
	}
	return true
}
