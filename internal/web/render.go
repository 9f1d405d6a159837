package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math/big"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/comuna"
)

//go:embed templates
var templateFS embed.FS

// parseTemplates parses the layout and partials once, then each page on a
// clone of them: templates/NAME.html becomes page NAME.
func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"count": func(s *comuna.Summary, l comuna.Level) int64 {
			if s == nil {
				return 0
			}
			return s.Counts[l]
		},
		"unitRef": func(l comuna.Level, code string) comuna.Unit { return comuna.Unit{Level: l, Code: code} },
		"chartOf": func(p *Page, title string, svg template.HTML, rows []chartRow, value string) chartData {
			return chartData{Page: p, Title: title, SVG: svg, Rows: rows, Value: value}
		},
		"reviewItem": func(p *Page, rd *comuna.Round, pr *comuna.Proposal, back string) reviewItem {
			return reviewItem{Page: p, Round: rd, P: pr, Back: back}
		},
		"join": strings.Join,
	}
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := make(map[string]*template.Template)
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", f, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// Page is what every template gets: the caller, the language and helpers.
// Page-specific data embeds it.
type Page struct {
	Title string
	Nav   string // the active section of the header
	Lang  string
	User  *comuna.User
	CSRF  string
	r     *http.Request
	s     *Server
}

// page returns the common data for a page titled by the catalogue key.
func (s *Server) page(r *http.Request, titleKey, nav string) *Page {
	info := reqInfoOf(r)
	p := &Page{Nav: nav, Lang: info.lang, User: info.user, r: r, s: s}
	p.Title = p.T(titleKey)
	if info.session != nil {
		p.CSRF = info.session.CSRF
	}
	return p
}

// anonCSRF makes sure an anonymous browser has a CSRF cookie and puts its
// value in the page, for the login form.
func (s *Server) anonCSRF(w http.ResponseWriter, r *http.Request, p *Page) {
	if p.CSRF != "" {
		return
	}
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		p.CSRF = c.Value
		return
	}
	tok, _ := auth.NewToken()
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: tok, Path: "/", HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteStrictMode, MaxAge: 24 * 3600})
	p.CSRF = tok
}

// T translates a catalogue key into the page's language.
func (p *Page) T(key string, args ...any) string { return translate(p.Lang, key, args...) }

// L translates a domain value (a phase, status, role, category, level…)
// under its kind, e.g. L "phase" "draft".
func (p *Page) L(kind string, v any) string {
	key := fmt.Sprintf("%s.%v", kind, v)
	if _, ok := messages[key]; !ok {
		return fmt.Sprint(v)
	}
	return p.T(key)
}

// Asset returns the content-hashed URL of a static file.
func (p *Page) Asset(name string) string { return p.s.assets.url(name) }

// Date formats a date in the page's language.
func (p *Page) Date(t time.Time) string { return formatDate(p.Lang, t) }

// Time formats a moment in the page's language.
func (p *Page) Time(t time.Time) string { return formatTime(p.Lang, t) }

// Int formats a count with thousands separators.
func (p *Page) Int(n any) string {
	switch v := n.(type) {
	case int:
		return formatInt(p.Lang, int64(v))
	case int64:
		return formatInt(p.Lang, v)
	}
	return fmt.Sprint(n)
}

// Money writes an amount (comuna.Cents, or an exact *big.Rat) with its
// currency's code in the page's language.
func (p *Page) Money(amount any, code string) string {
	switch v := amount.(type) {
	case comuna.Cents:
		return formatMoney(p.Lang, v, code)
	case *big.Rat:
		return formatRat(p.Lang, v, code)
	case int64:
		return formatMoney(p.Lang, comuna.Cents(v), code)
	}
	return fmt.Sprint(amount)
}

// Amount writes an amount without its currency, for a column headed by
// it.
func (p *Page) Amount(c comuna.Cents) string { return formatFixed(p.Lang, float64(c)/100, 2) }

// Percent writes a fraction from 0 to 1 as a percentage with one decimal.
func (p *Page) Percent(x float64) string { return formatPct(p.Lang, x) }

// Can reports whether the caller may do action a on the given units.
func (p *Page) Can(a comuna.Action, council, circuit, table string) bool {
	return can(p.r, a, comuna.Target{Council: council, Circuit: circuit, Table: table})
}

// LangURL returns the current URL switched to language l.
func (p *Page) LangURL(l string) string {
	u := *p.r.URL
	q := u.Query()
	q.Set("lang", l)
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// Here returns the current path, to come back to after logging in.
func (p *Page) Here() string { return p.r.URL.Path }

// render executes page name with data and writes it with status. Pages
// render into a buffer first, so a template error is a clean 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("web: no template %q", name)
	}
	root := "layout"
	if t.Lookup("document") != nil {
		root = "document"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, root, data); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
	return nil
}

type errorPage struct {
	*Page
	Status  int
	Code    string
	Message string
}

// renderError shows an error page; if even that fails, plain text.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	p := &errorPage{Page: s.page(r, "error."+code, ""), Status: status, Code: code, Message: msg}
	if err := s.render(w, r, status, "error", p); err != nil {
		s.log.Error("render error page", "err", err)
		http.Error(w, msg, status)
	}
}

// Pager links the pages of a long list. The list fetches one row more
// than it shows to know whether a next page exists.
type Pager struct {
	Param   string // the query parameter holding the page number
	Page    int
	Size    int
	HasNext bool
	prev    string
	next    string
}

// PrevURL is the link to the previous page, "" on the first.
func (p *Pager) PrevURL() string { return p.prev }

// NextURL is the link to the next page, "" on the last.
func (p *Pager) NextURL() string { return p.next }

// Offset is where the current page starts.
func (p *Pager) Offset() int { return (p.Page - 1) * p.Size }

// newPager reads ?page= from the request.
func newPager(r *http.Request, size int) *Pager { return newPagerParam(r, size, "page") }

// newPagerParam reads the page number from the named query parameter, for
// pages with more than one long list.
func newPagerParam(r *http.Request, size int, param string) *Pager {
	n, err := strconv.Atoi(r.URL.Query().Get(param))
	if err != nil || n < 1 || n > 1_000_000 {
		n = 1
	}
	return &Pager{Param: param, Page: n, Size: size}
}

// Done trims the extra row fetched and sets the links; it returns how many
// rows to keep.
func (p *Pager) Done(r *http.Request, got int) int {
	link := func(n int) string {
		u := *r.URL
		q := u.Query()
		q.Set(p.Param, strconv.Itoa(n))
		u.RawQuery = q.Encode()
		return u.RequestURI()
	}
	if p.Page > 1 {
		p.prev = link(p.Page - 1)
	}
	if got > p.Size {
		p.HasNext = true
		p.next = link(p.Page + 1)
		return p.Size
	}
	return got
}

// redirect sends a browser to another page after a successful POST.
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// pathID reads a numeric path value such as {id}.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id < 1 {
		return 0, comuna.Errorf(comuna.ENotFound, "no %s %q", name, r.PathValue(name))
	}
	return id, nil
}

func asErr(err error, target **comuna.Error) bool { return errors.As(err, target) }

func itoa(n int) string { return strconv.Itoa(n) }
