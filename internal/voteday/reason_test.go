package voteday

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/comuna/comuna/internal/comuna"
)

func TestCleanReason(t *testing.T) {
	tests := []struct {
		in, want string // want "" means refused
	}{
		{"\u200b\u200b\u200b\u200b\u200b", ""},
		{"ok", ""},
		{"   ", ""},
		{"\u200bx\u200b \u200by\u200b \u200bz\u200b", ""}, // three letters are not a reason
		{"a\u3164b\u3164c\u3164d e", ""},
		{"recount of number 2", "recount of number 2"},
		{"  Un voto nulo\u200b fue\u00a0leído\tcomo voto  ", "Un voto nulo fue leído como voto"},
		{"... --- !!! ???", ""},
		{"Recuento\u2060 público: papeleta doble", "Recuento público: papeleta doble"},
	}
	for _, tt := range tests {
		got, err := CleanReason("reason", tt.in)
		if tt.want == "" {
			if err == nil || comuna.ErrorField(err) != "reason" {
				t.Errorf("CleanReason(%q) = %q, %v; want an error naming reason", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CleanReason(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := CleanReason("reason", strings.Repeat("palabra ", 300)); err == nil {
		t.Errorf("CleanReason(2400 bytes) accepted, want too long")
	}
}

func FuzzCleanReason(f *testing.F) {
	for _, s := range []string{"recount of number 2", "\u200b\u200b\u200b", "a b c d e f", "\xff\xfe x y z w"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := CleanReason("reason", s)
		if err != nil {
			return
		}
		if !utf8.ValidString(got) || strings.TrimSpace(got) != got || strings.Contains(got, "  ") {
			t.Fatalf("CleanReason(%q) = %q: not clean", s, got)
		}
		for _, r := range got {
			if invisible(r) {
				t.Fatalf("CleanReason(%q) = %q keeps invisible %U", s, got, r)
			}
		}
		if again, err := CleanReason("reason", got); err != nil || again != got {
			t.Fatalf("CleanReason(CleanReason(%q)) = %q, %v; want it unchanged", s, again, err)
		}
	})
}
