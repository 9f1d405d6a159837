package tally

import (
	"reflect"
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Sheet)
		want []Difference
	}{
		{"same", func(*Sheet) {}, nil},
		{"store metadata is ignored", func(s *Sheet) { s.EnteredBy, s.IdempotencyKey = 99, "another-key" }, nil},
		{"names as sets", func(s *Sheet) {
			s.Members = []string{" luis  GÓMEZ", "Ana Pérez", "ana pérez"}
		}, nil},
		{"photo hash case", func(s *Sheet) { s.PhotoSHA256 = strings.ToUpper(s.PhotoSHA256) }, nil},
		{"one count", func(s *Sheet) { s.Votes[1] = 81 }, []Difference{{"votes.2", "80", "81"}}},
		{"several counts in paper order", func(s *Sheet) { s.Unused, s.Cast, s.Null = 51, 249, 7 }, []Difference{
			{"cast", "250", "249"}, {"null", "8", "7"}, {"unused", "50", "51"},
		}},
		{"a missing count is not a zero", func(s *Sheet) { s.Votes = s.Votes[:3] }, []Difference{{"votes.4", "0", ""}}},
		{"an extra count", func(s *Sheet) { s.Votes = append(s.Votes, 0) }, []Difference{{"votes.5", "", "0"}}},
		{"another member", func(s *Sheet) { s.Members = []string{"Ana Pérez", "Luisa Gómez"} }, []Difference{
			{"members", "Ana Pérez; Luis Gómez", "Ana Pérez; Luisa Gómez"},
		}},
		{"a witness left out", func(s *Sheet) { s.Witnesses = nil }, []Difference{{"witnesses", "José Rodríguez", ""}}},
		{"identity", func(s *Sheet) { s.RoundID, s.Table, s.Circuit = 13, "MESA-0002", "CC-0002" }, []Difference{
			{"round_id", "12", "13"}, {"table", "MESA-0001", "MESA-0002"}, {"circuit", "CC-0001", "CC-0002"},
		}},
		{"photo", func(s *Sheet) { s.PhotoSHA256 = "" }, []Difference{{"photo_sha256", strings.Repeat("ab", 32), ""}}},
	}
	for _, tt := range tests {
		a, b := goodSheet(), goodSheet()
		tt.edit(&b)
		got := Compare(a, b)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Compare =\n%q\nwant\n%q", tt.name, got, tt.want)
		}
		if agree := Agree(a, b); agree != (len(tt.want) == 0) {
			t.Errorf("%s: Agree = %v; want %v", tt.name, agree, len(tt.want) == 0)
		}
		// Compare is symmetric: swapping the entries swaps the values.
		back := Compare(b, a)
		for i := range back {
			back[i].A, back[i].B = back[i].B, back[i].A
		}
		if len(back) != len(got) || (len(got) > 0 && !reflect.DeepEqual(back, got)) {
			t.Errorf("%s: Compare(b, a) = %q; want the same fields with values swapped", tt.name, back)
		}
	}
}
