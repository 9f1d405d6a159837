package web

import (
	"fmt"
	"math"
	"math/big"
	"net/http"
	"strings"
	"time"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/comuna/comuna/internal/comuna"
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

// Numbers, percentages and amounts are written in one place, here, by
// golang.org/x/text's CLDR data for each language of the catalogue:
// Venezuelan Spanish (1.234.567,89) and English (1,234,567.89).
var numberTags = map[string]language.Tag{"es": language.MustParse("es-VE"), "en": language.English}

// printer returns a number printer for lang; printers are cheap and not
// shared between requests.
func printer(lang string) *message.Printer {
	tag, ok := numberTags[lang]
	if !ok {
		tag = numberTags[languages[0]]
	}
	return message.NewPrinter(tag)
}

// formatInt writes an integer with the language's thousands separator.
func formatInt(lang string, n int64) string {
	return printer(lang).Sprint(number.Decimal(n))
}

// formatFixed writes x with exactly digits decimals.
func formatFixed(lang string, x float64, digits int) string {
	return printer(lang).Sprint(number.Decimal(x, number.MinFractionDigits(digits), number.MaxFractionDigits(digits)))
}

// formatPct writes a fraction from 0 to 1 as a percentage with one
// decimal: 0,1 % in Spanish, 0.1% in English.
func formatPct(lang string, x float64) string {
	return printer(lang).Sprint(number.Percent(x, number.MinFractionDigits(1), number.MaxFractionDigits(1)))
}

// formatMoney writes an amount with its currency's code, as the language
// writes it: "USD 12.500,50" in Spanish, "USD 12,500.50" in English. A code
// the currency tables do not know still leads, with two decimals.
func formatMoney(lang string, c comuna.Cents, code string) string {
	amount := float64(c) / 100
	if cur, err := currency.ParseISO(code); err == nil {
		// x/text puts a plain space after the code; a no-break space keeps
		// the code on the amount's line.
		return strings.Replace(printer(lang).Sprint(currency.ISO(cur.Amount(amount))), " ", "\u00a0", 1)
	}
	n := formatFixed(lang, amount, 2)
	if code == "" {
		return n
	}
	return code + "\u00a0" + n
}

// formatRat writes an exact amount (an allocation's budget or cost) with
// two decimals and its currency's code.
func formatRat(lang string, x *big.Rat, code string) string {
	if x == nil {
		return "—"
	}
	f, _ := x.Float64()
	return formatMoney(lang, comuna.Cents(math.Round(f*100)), code)
}
