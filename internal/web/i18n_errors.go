package web

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/comuna/comuna/internal/comuna"
)

// errorText is err as a person reads it on a page in lang: the line and
// field at fault, then the message from the catalogue. An error the
// catalogue does not know reads in English, its own text; an error that is
// not a *comuna.Error reads "internal error", so that details of a failure
// never leak.
func errorText(lang string, err error) string {
	if err == nil {
		return ""
	}
	var e *comuna.Error
	if !errors.As(err, &e) {
		return translate(lang, "error.internal.text")
	}
	msg := messageText(lang, e)
	if e.Field != "" {
		msg = translate(lang, "error.withfield", fieldLabel(lang, e.Field), msg)
	}
	if e.Line > 0 {
		msg = translate(lang, "error.withline", e.Line, msg)
	}
	return msg
}

// messageText is e's message alone, in lang, for a page that shows it
// beside its field.
func messageText(lang string, e *comuna.Error) string {
	key, args := e.MessageKey()
	m, ok := messages[key]
	if !ok {
		return e.Message
	}
	msg := m[0]
	if lang == "en" {
		msg = m[1]
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, localArgs(lang, args)...)
}

// localArgs renders a message's parameters in lang: an error by its own
// message, and a string that is itself a catalogue key (a label such as
// "ballots received" that the domain passes into a sentence) by its
// translation. Anything else is left for the message's verbs.
func localArgs(lang string, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case comuna.Cents:
			out[i] = formatFixed(lang, float64(v)/100, 2)
		case comuna.Role:
			out[i] = translateOr(lang, "role."+string(v), string(v))
		case comuna.Phase:
			out[i] = translateOr(lang, "phase."+string(v), string(v))
		case []comuna.Phase:
			var b strings.Builder
			for j, p := range v {
				if j > 0 {
					b.WriteString(translate(lang, "error.or"))
				}
				b.WriteString(translateOr(lang, "phase."+string(p), string(p)))
			}
			out[i] = b.String()
		case comuna.Level:
			out[i] = lowerFirst(translateOr(lang, "level."+string(v), string(v)))
		case comuna.Status:
			out[i] = translateOr(lang, "status."+string(v), string(v))
		case comuna.Action:
			out[i] = translateOr(lang, "action."+string(v), string(v))
		case *comuna.Error:
			out[i] = messageText(lang, v)
		case error:
			var e *comuna.Error
			if errors.As(v, &e) {
				out[i] = messageText(lang, e)
			} else {
				out[i] = v
			}
		case string:
			if _, ok := messages[v]; ok {
				out[i] = translate(lang, v)
			} else {
				out[i] = v
			}
		default:
			out[i] = a
		}
	}
	return out
}

// translateOr is translate, or fallback when the catalogue lacks key.
func translateOr(lang, key, fallback string) string {
	if _, ok := messages[key]; !ok {
		return fallback
	}
	return translate(lang, key)
}

// lowerFirst lower-cases a label's first letter, for use inside a
// sentence.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// sentence makes a message a sentence: capital first letter, final stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

// fieldLabel names a field in lang: "field.<name>" from the catalogue, a
// numbered field ("votes.3", "members.2") by its base's label and number,
// or the name itself.
func fieldLabel(lang, field string) string {
	if _, ok := messages["field."+field]; ok {
		return translate(lang, "field."+field)
	}
	if base, n, ok := strings.Cut(field, "."); ok {
		if _, known := messages["field."+base]; known {
			return translate(lang, "field."+base) + " " + n
		}
	}
	return field
}
