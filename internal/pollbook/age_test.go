package pollbook

import (
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAge(t *testing.T) {
	tests := []struct {
		birth, on string
		want      int
	}{
		{"2010-06-15", "2025-06-15", 15},
		{"2010-06-15", "2025-06-14", 14},
		{"2010-06-15", "2025-06-16", 15},
		{"2010-12-31", "2025-01-01", 14},
		{"2008-02-29", "2023-02-28", 14}, // common year: the year completes on 1 March
		{"2008-02-29", "2023-03-01", 15},
		{"2008-02-29", "2024-02-28", 15},
		{"2008-02-29", "2024-02-29", 16}, // leap year: on the day itself
		{"2010-03-01", "2024-02-29", 13},
		{"2025-06-16", "2025-06-15", -1},
		{"2025-06-15", "2025-06-15", 0},
	}
	for _, tt := range tests {
		if got := Age(date(tt.birth), date(tt.on)); got != tt.want {
			t.Errorf("Age(%s, %s) = %d; want %d", tt.birth, tt.on, got, tt.want)
		}
	}
}

func TestAgeIgnoresTimeOfDay(t *testing.T) {
	caracas := time.FixedZone("VET", -4*3600)
	birth := time.Date(2010, 6, 15, 23, 59, 0, 0, caracas) // 03:59 UTC on the 16th
	vote := time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)
	if got := Age(birth, vote); got != 15 {
		t.Errorf("Age(15 June 23:59 VET, 15 June) = %d; want 15", got)
	}
}

func TestEligible(t *testing.T) {
	const vote = "2025-06-15"
	tests := []struct {
		birth    string
		min, max int
		wantErr  string // "" when eligible
		outside  bool
	}{
		{"2010-06-15", 15, 0, "", false},
		{"1930-01-01", 15, 0, "", false},
		{"1905-06-15", 15, 0, "", false}, // exactly 120
		{"2010-06-16", 15, 0, "birth_date: too young: 14 years old on 2025-06-15; the minimum age is 15", true},
		{"1989-06-16", 15, 35, "", false}, // 35 until the 16th
		{"1990-06-15", 15, 35, "", false},
		{"1989-06-15", 15, 35, "birth_date: too old: 36 years old on 2025-06-15; this round is for ages 15 to 35", true},
		{"2010-02-28", 15, 35, "", false},
		{"1904-06-15", 15, 0, "birth_date: birth date 1904-06-15 is implausible: 121 years old on 2025-06-15", false},
		{"2025-06-16", 15, 0, "birth_date: birth date 2025-06-16 is after the vote date 2025-06-15", false},
		{"2030-01-01", 15, 0, "birth_date: birth date 2030-01-01 is after the vote date 2025-06-15", false},
		{"2025-06-15", 15, 0, "birth_date: too young: 0 years old on 2025-06-15; the minimum age is 15", true},
		{"", 15, 0, "birth_date: the birth date is required", false},
	}
	for _, tt := range tests {
		var birth time.Time
		if tt.birth != "" {
			birth = date(tt.birth)
		}
		outside, err := eligible(birth, date(vote), tt.min, tt.max)
		got := ""
		if err != nil {
			got = err.Error()
			if comuna.ErrorCode(err) != comuna.EInvalid || comuna.ErrorField(err) != "birth_date" {
				t.Errorf("Eligible(%s) error has code %q field %q; want invalid birth_date", tt.birth, comuna.ErrorCode(err), comuna.ErrorField(err))
			}
		}
		if got != tt.wantErr || outside != tt.outside {
			t.Errorf("Eligible(%s, %s, %d, %d) = %q (outside %v); want %q (outside %v)", tt.birth, vote, tt.min, tt.max, got, outside, tt.wantErr, tt.outside)
		}
		if pub := Eligible(birth, date(vote), tt.min, tt.max); (pub == nil) != (err == nil) {
			t.Errorf("Eligible and eligible disagree for %s: %v, %v", tt.birth, pub, err)
		}
	}
}
