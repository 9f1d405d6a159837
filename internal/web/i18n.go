package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// languages are the languages of the catalogue; the first is the default.
var languages = []string{"es", "en"}

// language picks the response language: ?lang= (remembered in a cookie),
// then the cookie, then Accept-Language, then Spanish.
func (s *Server) language(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); knownLang(l) {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && knownLang(c.Value) {
		return c.Value
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if knownLang(base) {
			return base
		}
	}
	return languages[0]
}

func knownLang(l string) bool { return l == "es" || l == "en" }

// translate returns the message for key in lang, formatted with args.
// A missing key shows itself, so it is noticed and added.
func translate(lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	msg := m[0]
	if lang == "en" {
		msg = m[1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

var monthsES = []string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}

// formatDate writes a date as people of the language read it.
func formatDate(lang string, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	if lang == "en" {
		return t.Format("2 January 2006")
	}
	return fmt.Sprintf("%d de %s de %d", t.Day(), monthsES[t.Month()-1], t.Year())
}

// formatTime writes a moment with its date and UTC time.
func formatTime(lang string, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return formatDate(lang, t) + " " + t.UTC().Format("15:04") + " UTC"
}

// formatInt writes an integer with the language's thousands separator.
func formatInt(lang string, n int64) string {
	sep := "."
	if lang == "en" {
		sep = ","
	}
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
