package tally

import (
	"strings"
)

// Sheet is a table's tally sheet, as written on paper when the polls close
// and entered twice, by two different people. Its JSON keys are the field
// names Reconcile and Compare report.
type Sheet struct {
	RoundID  int64  `json:"round_id"`
	Table    string `json:"table"`    // the table's code
	Circuit  string `json:"circuit"`  // the circuit the table serves
	Received int64  `json:"received"` // ballots the table received
	Cast     int64  `json:"cast"`     // ballots found in the box
	// Votes[i] counts ballots marked for ballot number i+1; a sheet lists
	// every number of its circuit's ballot, zeros included.
	Votes  []int64 `json:"votes"`
	Blank  int64   `json:"blank"`  // ballots cast unmarked
	Null   int64   `json:"null"`   // ballots cast spoiled or unreadable
	Unused int64   `json:"unused"` // ballots received but not cast
	// Members and Witnesses are the names of the table members and of the
	// witnesses present at the count, as signed on the sheet.
	Members   []string `json:"members"`
	Witnesses []string `json:"witnesses"`
	// PhotoSHA256 is the lower-case hex SHA-256 of the photo or scan of the
	// signed paper sheet, if one was taken.
	PhotoSHA256 string `json:"photo_sha256"`

	// Filled by the store, not part of the sheet's content: they are left
	// out of Canonical and Compare.
	EnteredBy      int64  `json:"entered_by,omitempty"`      // the user who entered this copy
	IdempotencyKey string `json:"idempotency_key,omitempty"` // chosen by the client; leave it out of open data
}

// Normalize tidies what was typed without changing its meaning: it trims
// the codes, collapses runs of white space in names to one space, and
// lower-cases the photo hash. The store calls it before Reconcile and
// Canonical, so the same paper sheet always encodes the same.
func (s *Sheet) Normalize() {
	s.Table = strings.TrimSpace(s.Table)
	s.Circuit = strings.TrimSpace(s.Circuit)
	s.Members = normalizeNames(s.Members)
	s.Witnesses = normalizeNames(s.Witnesses)
	s.PhotoSHA256 = strings.ToLower(strings.TrimSpace(s.PhotoSHA256))
}

func normalizeNames(names []string) []string {
	if names == nil {
		return nil
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.Join(strings.Fields(n), " ")
	}
	return out
}

// Valid counts the ballots that chose a project.
func (s *Sheet) Valid() int64 {
	var n int64
	for _, v := range s.Votes {
		n += v
	}
	return n
}

// Clone returns a copy of s that shares no slices with it.
func (s Sheet) Clone() Sheet {
	s.Votes = append([]int64(nil), s.Votes...)
	s.Members = append([]string(nil), s.Members...)
	s.Witnesses = append([]string(nil), s.Witnesses...)
	return s
}
