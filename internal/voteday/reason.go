package voteday

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/comuna/comuna/internal/comuna"
)

// CleanReason returns a reason as it is stored: invisible characters
// (zero-width spaces and joiners, format and control characters, blank
// fillers) removed and runs of white space collapsed to one space. It is
// EInvalid, naming field, unless what remains has at least
// MinReasonWords words with a letter or digit and MinReason characters,
// and at most MaxReason bytes: five zero-width spaces are no reason.
func CleanReason(field, reason string) (string, error) {
	var b strings.Builder
	for _, r := range reason {
		switch {
		case r == utf8.RuneError:
			continue
		case unicode.IsSpace(r):
			b.WriteRune(' ')
		case invisible(r):
			continue
		default:
			b.WriteRune(r)
		}
	}
	words := strings.Fields(b.String())
	clean := strings.Join(words, " ")
	n := 0
	for _, w := range words {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	if n < MinReasonWords || utf8.RuneCountInString(clean) < MinReason {
		return "", comuna.FieldError(field, "give the reason in a few words (at least %d words and %d characters)", MinReasonWords, MinReason)
	}
	if len(clean) > MaxReason {
		return "", comuna.FieldError(field, "the reason is longer than %d characters", MaxReason)
	}
	return clean, nil
}

// invisible reports whether r prints nothing: control and format
// characters (U+200B…U+200F, U+2060…U+206F, U+FEFF, soft hyphens),
// unassigned and private-use code points, combining marks on their own,
// and the fillers that render blank (Hangul fillers, the braille blank).
func invisible(r rune) bool {
	switch r {
	case '\u115F', '\u1160', '\u3164', '\uFFA0', '\u2800', '\u180E':
		return true
	}
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs) || !unicode.IsPrint(r) && !unicode.IsSpace(r)
}
