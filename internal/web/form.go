package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// Form carries a submitted form back to its page: the values as typed,
// an error per field, and an error for the form as a whole.
type Form struct {
	Values url.Values
	Errors map[string]string
	Error  string
	lang   string
}

// Option is one choice of a select field.
type Option struct {
	Value string
	Label string
}

// Field is what the "field" partial draws: a label, an input keeping the
// typed value, and the field's error next to it.
type Field struct {
	Name     string
	Type     string // text, number, date, password, textarea, select, checkbox
	Label    string
	Value    string
	Error    string
	Help     string
	Required bool
	Options  []Option
	Checked  bool
}

func newForm(r *http.Request) *Form {
	f := &Form{Values: url.Values{}, Errors: map[string]string{}, lang: reqInfoOf(r).lang}
	if r.Method == http.MethodPost {
		_ = r.ParseForm()
		f.Values = r.PostForm
	}
	return f
}

// Input describes a field for the page.
func (f *Form) Input(name, typ, labelKey string) Field {
	return Field{Name: name, Type: typ, Label: translate(f.lang, labelKey), Value: f.Values.Get(name),
		Error: f.Errors[name], Checked: f.Values.Get(name) != ""}
}

// Req is Input for a required field.
func (f *Form) Req(name, typ, labelKey string) Field {
	fl := f.Input(name, typ, labelKey)
	fl.Required = true
	return fl
}

// Choice describes a select field.
func (f *Form) Choice(name, labelKey string, opts []Option) Field {
	fl := f.Input(name, "select", labelKey)
	fl.Options = opts
	return fl
}

// HasErrors reports whether any field or the form failed.
func (f *Form) HasErrors() bool { return len(f.Errors) > 0 || f.Error != "" }

func (f *Form) str(name string) string { return strings.TrimSpace(f.Values.Get(name)) }

func (f *Form) bool(name string) bool {
	v := f.Values.Get(name)
	return v == "on" || v == "true" || v == "1" || v == "yes"
}

// int reads an optional whole number; blank is zero.
func (f *Form) int(name string) int {
	v := f.str(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f.fail(name, translate(f.lang, "form.whole"))
	}
	return n
}

// date reads a YYYY-MM-DD date; blank is the zero time.
func (f *Form) date(name string) time.Time {
	v := f.str(name)
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		f.fail(name, translate(f.lang, "form.date"))
	}
	return t
}

// cents reads an amount of money as the page's language writes it
// (12.500,50 or 12500,50 in Spanish, 12,500.50 in English); blank is zero.
// Ambiguous input is refused with a message naming the field by its label,
// never read one way or the other.
func (f *Form) cents(name, labelKey string) comuna.Cents {
	v := f.str(name)
	if v == "" {
		return 0
	}
	c, err := comuna.ParseCentsIn(v, notation(f.lang))
	if err != nil {
		var e *comuna.Error
		if asErr(err, &e) {
			f.fail(name, translate(f.lang, "form.money", translate(f.lang, labelKey), messageText(f.lang, e)))
		} else {
			f.fail(name, translate(f.lang, "form.amount"))
		}
	}
	return c
}

// notation is how lang writes amounts.
func notation(lang string) comuna.Notation {
	if lang == "en" {
		return comuna.NotationEN
	}
	return comuna.NotationES
}

func (f *Form) fail(name, msg string) {
	if _, ok := f.Errors[name]; !ok {
		f.Errors[name] = msg
	}
}

// take records a store or validation error on the form and reports
// whether it belongs there (an EInvalid, shown as 422); fields the page
// has no input for go to the form's general error.
func (f *Form) take(err error, fields ...string) bool {
	if comuna.ErrorCode(err) != comuna.EInvalid {
		return false
	}
	field := comuna.ErrorField(err)
	var e *comuna.Error
	msg := errorText(f.lang, err)
	if asErr(err, &e) {
		msg = messageText(f.lang, e)
	}
	for _, name := range fields {
		if name == field {
			f.fail(field, msg)
			return true
		}
	}
	f.Error = errorText(f.lang, err)
	return true
}
