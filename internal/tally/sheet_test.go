package tally

import (
	"reflect"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

// goodSheet reconciles with a ballot of 4 and 250 check-ins.
func goodSheet() Sheet {
	return Sheet{
		RoundID:     12,
		Table:       "MESA-0001",
		Circuit:     "CC-0001",
		Received:    300,
		Cast:        250,
		Votes:       []int64{120, 80, 30, 0},
		Blank:       12,
		Null:        8,
		Unused:      50,
		Members:     []string{"Ana Pérez", "Luis Gómez"},
		Witnesses:   []string{"José Rodríguez"},
		PhotoSHA256: strings.Repeat("ab", 32),
	}
}

func TestReconcile(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Sheet)
		walkIns int64
		want    []string // "field: message" of every error
	}{
		{"sound", func(*Sheet) {}, 0, nil},
		{"no photo", func(s *Sheet) { s.PhotoSHA256 = "" }, 0, nil},
		{"no witnesses", func(s *Sheet) { s.Witnesses = nil }, 0, nil},
		{"votes do not add up", func(s *Sheet) { s.Votes[1] = 85 }, 0, []string{
			"cast: votes for projects (235) + blank (12) + null (8) = 255, but ballots cast is 250",
		}},
		{"received does not add up", func(s *Sheet) { s.Unused = 40 }, 0, []string{
			"received: ballots cast (250) + unused (40) = 290, but ballots received is 300",
		}},
		{"more cast than admitted", func(s *Sheet) { s.Cast, s.Blank, s.Unused = 260, 22, 40 }, 0, []string{
			"cast: 260 ballots cast, but only 250 voters were admitted: 250 checked in and 0 on paper",
		}},
		{"walk-ins make up the difference", func(s *Sheet) { s.Cast, s.Blank, s.Unused = 260, 22, 40 }, 10, nil},
		{"negative counts", func(s *Sheet) { s.Blank, s.Votes[2] = -1, -30 }, 0, []string{
			"votes.3: votes for number 3 cannot be negative (-30)",
			"blank: blank ballots cannot be negative (-1)",
		}},
		{"implausible count", func(s *Sheet) { s.Received = MaxCount + 1 }, 0, []string{
			"received: ballots received of 1000001 is not plausible for one table",
		}},
		{"vote for a number not on the ballot", func(s *Sheet) { s.Votes = append(s.Votes, 0) }, 0, []string{
			"votes: the ballot has 4 projects, but the sheet has counts for 5 numbers",
		}},
		{"missing vote counts", func(s *Sheet) { s.Votes = s.Votes[:3] }, 0, []string{
			"votes: the ballot has 4 projects; give a count for each, zero included (got 3)",
		}},
		{"no members", func(s *Sheet) { s.Members = nil }, 0, []string{
			"members: name at least one table member present at the count",
		}},
		{"bad names", func(s *Sheet) {
			s.Members = []string{"Ana Pérez", "  ", "ana  PÉREZ", strings.Repeat("n", MaxNameRunes+1), "Luis\x00", "\xffLuis"}
			s.Witnesses = []string{""}
		}, 0, []string{
			"members.2: the name is empty",
			`members.3: "ana  PÉREZ" is listed twice (also as name 1)`,
			"members.4: the name is longer than 100 characters",
			"members.5: the name has characters that are not printable",
			"members.6: the name has characters that are not printable",
			"witnesses.1: the name is empty",
		}},
		{"too many witnesses", func(s *Sheet) { s.Witnesses = make([]string, MaxNames+1) }, 0, []string{
			"witnesses: at most 20 witnesses, not 21",
		}},
		{"long accented name is fine", func(s *Sheet) { s.Members = []string{strings.Repeat("é", MaxNameRunes)} }, 0, nil},
		{"bad photo hash", func(s *Sheet) { s.PhotoSHA256 = strings.Repeat("g", 64) }, 0, []string{
			"photo_sha256: the photo's hash must be 64 hexadecimal digits (SHA-256)",
		}},
		{"short photo hash", func(s *Sheet) { s.PhotoSHA256 = "abc" }, 0, []string{
			"photo_sha256: the photo's hash must be 64 hexadecimal digits (SHA-256)",
		}},
		{"upper-case photo hash", func(s *Sheet) { s.PhotoSHA256 = strings.Repeat("AB", 32) }, 0, nil},
		{"no identity", func(s *Sheet) { s.RoundID, s.Table, s.Circuit = 0, "", "bad code" }, 0, []string{
			"round_id: the sheet must name its consultation",
			`table: table code "" must be 1 to 40 letters, digits, dots, dashes or underscores`,
			`circuit: circuit code "bad code" must be 1 to 40 letters, digits, dots, dashes or underscores`,
		}},
		{"everything wrong at once", func(s *Sheet) { s.Votes[0], s.Unused, s.Members = 500, 0, nil }, 0, []string{
			"cast: votes for projects (610) + blank (12) + null (8) = 630, but ballots cast is 250",
			"received: ballots cast (250) + unused (0) = 250, but ballots received is 300",
			"members: name at least one table member present at the count",
		}},
	}
	for _, tt := range tests {
		s := goodSheet()
		tt.edit(&s)
		var got []string
		for _, e := range Reconcile(s, 4, 250, tt.walkIns) {
			if e.Code != comuna.EInvalid || e.Field == "" {
				t.Errorf("%s: error %q has code %q and field %q; want invalid with a field", tt.name, e, e.Code, e.Field)
			}
			got = append(got, e.Error())
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Reconcile errors\ngot  %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestNormalizeSheet(t *testing.T) {
	s := goodSheet()
	s.Table, s.Circuit = " MESA-0001\t", "CC-0001 "
	s.Members = []string{"  Ana\t Pérez ", "Luis\nGómez"}
	s.PhotoSHA256 = " " + strings.Repeat("AB", 32)
	s.Normalize()
	if want := goodSheet(); !reflect.DeepEqual(s, want) {
		t.Errorf("Normalize() =\n%+v\nwant\n%+v", s, want)
	}
}

func TestCloneSharesNothing(t *testing.T) {
	s := goodSheet()
	c := s.Clone()
	c.Votes[0], c.Members[0], c.Witnesses[0] = 1, "X", "Y"
	if !reflect.DeepEqual(s, goodSheet()) {
		t.Errorf("changing a clone changed the original: %+v", s)
	}
}
