package tally

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Difference is one field on which the two entries of a sheet disagree,
// with both values as entered, so a page can show them side by side.
type Difference struct {
	Field string // named as Reconcile names fields: "cast", "votes.3", "members"
	A, B  string
}

// Compare returns every difference between two entries of the same sheet,
// in the order the fields appear on paper; none means they agree. Counts
// must be equal; a missing vote count differs from an explicit zero; member
// and witness lists are compared as sets of names, ignoring order, case and
// spacing; the photo hash ignores case. Who entered each copy and its
// idempotency key are not compared.
func Compare(a, b Sheet) []Difference {
	var diffs []Difference
	num := func(field string, x, y int64) {
		if x != y {
			diffs = append(diffs, Difference{field, strconv.FormatInt(x, 10), strconv.FormatInt(y, 10)})
		}
	}
	str := func(field, x, y string, same bool) {
		if !same {
			diffs = append(diffs, Difference{field, x, y})
		}
	}
	num("round_id", a.RoundID, b.RoundID)
	str("table", a.Table, b.Table, strings.TrimSpace(a.Table) == strings.TrimSpace(b.Table))
	str("circuit", a.Circuit, b.Circuit, strings.TrimSpace(a.Circuit) == strings.TrimSpace(b.Circuit))
	num("received", a.Received, b.Received)
	num("cast", a.Cast, b.Cast)
	for i := range max(len(a.Votes), len(b.Votes)) {
		field := fmt.Sprintf("votes.%d", i+1)
		switch {
		case i >= len(a.Votes):
			diffs = append(diffs, Difference{field, "", strconv.FormatInt(b.Votes[i], 10)})
		case i >= len(b.Votes):
			diffs = append(diffs, Difference{field, strconv.FormatInt(a.Votes[i], 10), ""})
		default:
			num(field, a.Votes[i], b.Votes[i])
		}
	}
	num("blank", a.Blank, b.Blank)
	num("null", a.Null, b.Null)
	num("unused", a.Unused, b.Unused)
	str("members", strings.Join(a.Members, "; "), strings.Join(b.Members, "; "), sameNames(a.Members, b.Members))
	str("witnesses", strings.Join(a.Witnesses, "; "), strings.Join(b.Witnesses, "; "), sameNames(a.Witnesses, b.Witnesses))
	str("photo_sha256", a.PhotoSHA256, b.PhotoSHA256, strings.EqualFold(strings.TrimSpace(a.PhotoSHA256), strings.TrimSpace(b.PhotoSHA256)))
	return diffs
}

// Agree reports whether two entries of a sheet agree on everything Compare
// compares.
func Agree(a, b Sheet) bool { return len(Compare(a, b)) == 0 }

// sameNames reports whether two lists hold the same set of names.
func sameNames(a, b []string) bool {
	return slices.Equal(nameSet(a), nameSet(b))
}

func nameSet(names []string) []string {
	keys := make([]string, 0, len(names))
	for _, n := range names {
		keys = append(keys, nameKey(n))
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}
