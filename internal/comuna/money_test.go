package comuna

import (
	"strings"
	"testing"
)

// TestParseCentsIn reads amounts as a Spanish and an English page type
// them, and refuses what could be read two ways (issue 10: "12500,50" on a
// Spanish page was stored as 1,250,050.00).
func TestParseCentsIn(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    Notation
		want Cents
		key  string // the error's catalogue key, "" for none
	}{
		{"12.500,50", NotationES, 1250050, ""},
		{"12500,50", NotationES, 1250050, ""},
		{"12500,5", NotationES, 1250050, ""},
		{"12.500", NotationES, 1250000, ""},
		{"1.234.567,89", NotationES, 123456789, ""},
		{" 0,01 ", NotationES, 1, ""},
		{"12500", NotationES, 1250000, ""},
		{"12500.50", NotationES, 0, "money.ambiguous"},
		{"12,500.50", NotationES, 0, "money.ambiguous"},
		{"12,500", NotationES, 0, "money.ambiguous"},
		{"1.5", NotationES, 0, "money.ambiguous"},
		{"12.50", NotationES, 0, "money.ambiguous"},
		{"1234.567,00", NotationES, 0, "money.ambiguous"},
		{"12,5,0", NotationES, 0, "money.ambiguous"},
		{"12,5000", NotationES, 0, "money.decimals"},
		{"12,500.50", NotationEN, 1250050, ""},
		{"12500.50", NotationEN, 1250050, ""},
		{"12,500", NotationEN, 1250000, ""},
		{"12500,50", NotationEN, 0, "money.ambiguous"},
		{"12.500,50", NotationEN, 0, "money.ambiguous"},
		{"12.500", NotationEN, 0, "money.ambiguous"},
		{"12500.50", NotationPlain, 1250050, ""},
		{"12500,50", NotationPlain, 0, "money.ambiguous.plain"},
		{"12,500.50", NotationPlain, 0, "money.ambiguous.plain"},
		{"", NotationES, 0, "money.empty"},
		{"-5", NotationES, 0, "money.negative"},
		{"abc", NotationES, 0, "money.notnumber"},
		{"1e5", NotationEN, 0, "money.notnumber"},
		{"12 500", NotationES, 0, "money.notnumber"},
		{",50", NotationES, 0, "money.notnumber"},
		{"99999999999999999999", NotationES, 0, "money.toolarge"},
	} {
		got, err := ParseCentsIn(tt.in, tt.n)
		key := ""
		if e, ok := err.(*Error); ok {
			key = e.Key
		} else if err != nil {
			key = "not a *comuna.Error: " + err.Error()
		}
		if got != tt.want || key != tt.key {
			t.Errorf("ParseCentsIn(%q, %q) = %d, %v (key %q); want %d, key %q", tt.in, tt.n, got, err, key, tt.want, tt.key)
		}
	}
}

// FuzzParseCentsIn checks, for any input in either language, that an
// accepted amount is exactly what its digits say: writing it back in the
// same notation and reading it again gives the same cents, and the input
// holds the same digits as that writing, so nothing is scaled. Run with
// go test -fuzz=FuzzParseCentsIn ./internal/comuna.
func FuzzParseCentsIn(f *testing.F) {
	for _, s := range []string{"12.500,50", "12500,50", "12,500.50", "12500.50", "1.5", "12,500", "0,01", "-1", "", "1..2", "9999999999999999,99"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, spanish bool) {
		n := NotationEN
		if spanish {
			n = NotationES
		}
		c, err := ParseCentsIn(s, n)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("ParseCentsIn(%q) error %T is not a *comuna.Error", s, err)
			}
			return
		}
		if c < 0 {
			t.Fatalf("ParseCentsIn(%q) = %d, negative", s, c)
		}
		for _, grouped := range []bool{true, false} {
			out := c.In(n, grouped)
			back, err := ParseCentsIn(out, n)
			if err != nil || back != c {
				t.Fatalf("ParseCentsIn(%q) = %d, written %q, read back %d, %v", s, c, out, back, err)
			}
		}
		// The digits typed, without separators and padded to two
		// decimals, are the digits of the amount.
		t1 := strings.TrimSpace(s)
		whole, frac, _ := strings.Cut(t1, string(n.Decimal))
		whole = strings.ReplaceAll(whole, string(n.Group), "")
		for len(frac) < 2 {
			frac += "0"
		}
		typed := strings.TrimLeft(whole+frac, "0")
		wrote := strings.TrimLeft(strings.NewReplacer(string(n.Group), "", string(n.Decimal), "").Replace(c.In(n, false)), "0")
		if typed != wrote {
			t.Fatalf("ParseCentsIn(%q) = %d (%s): the digits changed", s, c, c.In(n, false))
		}
	})
}
