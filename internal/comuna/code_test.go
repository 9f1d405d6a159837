package comuna

import (
	"regexp"
	"strings"
	"testing"
)

func TestValidCode(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"ZU", true},
		{"ZU-CC-0001-01", true},
		{"zu_cc.0001", true},
		{"7", true},
		{strings.Repeat("A", MaxCodeLen), true},
		{"", false},
		{strings.Repeat("A", MaxCodeLen+1), false},
		{"-ZU", false},
		{".ZU", false},
		{"_ZU", false},
		{"Z U", false},
		{"ZU/1", false},
		{"Zú", false},
		{"ZU\n", false},
	}
	for _, tt := range tests {
		if got := ValidCode(tt.code); got != tt.want {
			t.Errorf("ValidCode(%q) = %v, want %v", tt.code, got, tt.want)
		}
		u := Unit{Level: LevelState, Code: tt.code, Name: "Zulia"}
		if err := u.Validate(); (ErrorField(err) == "code") == tt.want {
			t.Errorf("Unit{Code: %q}.Validate() = %v; want the code refused: %v", tt.code, err, !tt.want)
		}
	}
}

// codeSyntax is the unit-code rule written as a pattern.
var codeSyntax = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

// FuzzValidCode checks ValidCode against the rule written as a pattern.
func FuzzValidCode(f *testing.F) {
	for _, s := range []string{"ZU-CC-0001", "", "-a", "a b", strings.Repeat("x", 41), "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ValidCode(s), codeSyntax.MatchString(s); got != want {
			t.Errorf("ValidCode(%q) = %v, want %v", s, got, want)
		}
	})
}
