package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/counting"
)

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	path := fmt.Sprintf("/rounds/%d/proposals", e.round.ID)
	count := func() int {
		ps, _ := e.store.Proposals(context.Background(), comuna.ProposalFilter{RoundID: e.round.ID})
		return len(ps)
	}
	before := count()
	tests := []struct {
		name string
		rq   request
		want int
	}{
		{"form without token", request{method: "POST", path: path, user: "spokes", form: validProposalForm(), noCSRF: true}, http.StatusForbidden},
		{"form with another session's token", request{method: "POST", path: path, user: "spokes", noCSRF: true,
			form: url.Values{"csrf": {e.csrf["coord"]}, "council": {"K1"}}}, http.StatusForbidden},
		{"cross-site form", request{method: "POST", path: path, user: "spokes", form: validProposalForm(),
			header: http.Header{"Sec-Fetch-Site": {"cross-site"}}}, http.StatusForbidden},
		{"foreign origin", request{method: "POST", path: path, user: "spokes", form: validProposalForm(),
			header: http.Header{"Origin": {"https://evil.example"}}}, http.StatusForbidden},
		{"API by cookie without header", request{method: "POST", path: "/api/v1" + path, user: "spokes", noCSRF: true,
			json: `{"council":"K1"}`}, http.StatusForbidden},
		{"login without the pre-session cookie", request{method: "POST", path: "/login",
			form: url.Values{"username": {"admin"}, "password": {testPassword}}}, http.StatusForbidden},
	}
	for _, tt := range tests {
		if w := e.do(tt.rq); w.Code != tt.want {
			t.Errorf("%s: %s %s = %d, want %d\n%.300s", tt.name, tt.rq.method, tt.rq.path, w.Code, tt.want, w.Body.String())
		}
	}
	if after := count(); after != before {
		t.Errorf("proposals after refused requests = %d, want %d", after, before)
	}
	// An API token is exempt: no browser sends it by itself.
	w := e.do(request{method: "POST", path: "/api/v1" + path, user: "spokes", bearer: true,
		json: `{"council":"K1","title":"Cancha","category":"sport","cost":"5000","assembly_date":"2026-01-05","attendance":50,"quorum_met":true,"votes_for":40}`})
	if w.Code != http.StatusCreated {
		t.Errorf("API POST with a Bearer token = %d, want 201\n%s", w.Code, w.Body.String())
	}
}

// login fetches the login page for its CSRF cookie and posts the form.
func (e *env) login(username, password, remote string) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.loginTo(username, password, remote, "/rounds")
}

// loginTo logs in like login, with the form's next page.
func (e *env) loginTo(username, password, remote, next string) *httptest.ResponseRecorder {
	e.t.Helper()
	page := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(page, httptest.NewRequest("GET", "/login", nil))
	var csrf *http.Cookie
	for _, c := range page.Result().Cookies() {
		if c.Name == csrfCookie {
			csrf = c
		}
	}
	if csrf == nil {
		e.t.Fatal("GET /login set no CSRF cookie")
	}
	if !strings.Contains(page.Body.String(), csrf.Value) {
		e.t.Fatal("the login form does not carry the CSRF cookie's token")
	}
	form := url.Values{"username": {username}, "password": {password}, "csrf": {csrf.Value}, "next": {next}}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(csrf)
	req.RemoteAddr = remote
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, req)
	return w
}

func TestLoginLogout(t *testing.T) {
	e := newEnv(t)
	if w := e.login("admin", "wrong password", "192.0.2.7:1"); w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "incorrectos") {
		t.Errorf("login with a wrong password = %d, want 401 with the message", w.Code)
	}
	w := e.login("admin", testPassword, "192.0.2.7:1")
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/rounds" {
		t.Fatalf("login = %d to %q, want 303 to /rounds\n%s", w.Code, w.Header().Get("Location"), w.Body.String())
	}
	var sess *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == sessionCookie {
			sess = c
		}
	}
	if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie = %+v, want HttpOnly SameSite=Lax", sess)
	}
	if d := time.Until(sess.Expires); d < 11*time.Hour || d > 13*time.Hour {
		t.Errorf("session expires in %v, want 12h", d)
	}
	req := httptest.NewRequest("GET", "/account", nil)
	req.AddCookie(sess)
	page := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(page, req)
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "Test admin") {
		t.Fatalf("GET /account with the new session = %d", page.Code)
	}
	// Log out with the session's CSRF token, found in the page.
	body := page.Body.String()
	i := strings.Index(body, `name="csrf" value="`)
	token := body[i+19 : i+19+43]
	req = httptest.NewRequest("POST", "/logout", strings.NewReader(url.Values{"csrf": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(sess)
	out := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(out, req)
	if out.Code != http.StatusSeeOther {
		t.Fatalf("POST /logout = %d, want 303\n%s", out.Code, out.Body.String())
	}
	req = httptest.NewRequest("GET", "/account", nil)
	req.AddCookie(sess)
	after := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(after, req)
	if after.Code != http.StatusSeeOther || !strings.HasPrefix(after.Header().Get("Location"), "/login?next=%2Faccount") {
		t.Errorf("GET /account after logout = %d to %q, want a redirect to the login page", after.Code, after.Header().Get("Location"))
	}
}

func TestLoginRateLimit(t *testing.T) {
	e := newEnv(t)
	for i := range 5 {
		if w := e.login("admin", "wrong password", "192.0.2.9:1"); w.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d, want 401", i+1, w.Code)
		}
	}
	w := e.login("admin", testPassword, "192.0.2.9:1")
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("sixth attempt = %d, want 429", w.Code)
	}
	if !strings.Contains(w.Body.String(), "Demasiados intentos") || w.Header().Get("Retry-After") == "" {
		t.Errorf("429 lacks the message or Retry-After: %q", w.Header().Get("Retry-After"))
	}
	// The username is limited from any address too.
	if w := e.login("admin", testPassword, "203.0.113.5:1"); w.Code != http.StatusTooManyRequests {
		t.Errorf("attempt from another address for the same user = %d, want 429", w.Code)
	}
	if w := e.login("observer", testPassword, "203.0.113.6:1"); w.Code != http.StatusSeeOther {
		t.Errorf("another user from another address = %d, want 303", w.Code)
	}
}

func TestHeadersHealthStatic(t *testing.T) {
	e := newEnv(t)
	w := e.get("/", "")
	for h, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
	} {
		if got := w.Header().Get(h); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", h, got, want)
		}
	}
	if got := w.Header().Get("Content-Security-Policy"); !strings.Contains(got, "frame-ancestors 'none'") {
		t.Errorf("CSP = %q, want frame-ancestors 'none'", got)
	}
	if w := e.get("/healthz", ""); w.Code != http.StatusOK || w.Body.String() != "ok\n" {
		t.Errorf("GET /healthz = %d %q, want 200 ok", w.Code, w.Body.String())
	}
	url := e.srv.assets.url("style.css")
	w = e.get(url, "")
	if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/css") {
		t.Errorf("GET %s = %d %q %q, want 200 immutable text/css", url, w.Code, w.Header().Get("Cache-Control"), w.Header().Get("Content-Type"))
	}
	if !strings.Contains(e.get("/", "").Body.String(), url) {
		t.Error("pages do not link the hashed stylesheet")
	}
	if w := e.get("/static/old/style.css", ""); w.Header().Get("Cache-Control") != "no-cache" {
		t.Errorf("stale hash Cache-Control = %q, want no-cache", w.Header().Get("Cache-Control"))
	}
}

// downStore is a store whose database does not answer.
type downStore struct{ comuna.Store }

func (downStore) Ping(context.Context) error { return errors.New("connection refused") }

func TestHealthzDown(t *testing.T) {
	e := newEnv(t)
	srv, err := New(Config{Store: downStore{e.store}, Counting: counting.New(e.store)})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/healthz", nil))
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("GET /healthz with the database down = %d, want 503", w.Code)
	}
}

func TestPanicRecovered(t *testing.T) {
	e := newEnv(t)
	h := e.srv.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	for _, path := range []string{"/x", "/api/v1/x"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "boom") {
			t.Errorf("panic at %s = %d %q, want 500 without details", path, w.Code, w.Body.String())
		}
	}
}

func TestLanguage(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		header, cookie, query string
		want                  string
	}{
		{"", "", "", "Consultas populares"},
		{"en-GB,en;q=0.9", "", "", "Popular consultations"},
		{"fr-FR, en;q=0.5", "", "", "Popular consultations"},
		{"en", "es", "", "Consultas populares"},
		{"", "", "en", "Popular consultations"},
		{"en", "", "es", "Consultas populares"},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("GET", "/?lang="+tt.query, nil)
		if tt.header != "" {
			req.Header.Set("Accept-Language", tt.header)
		}
		if tt.cookie != "" {
			req.AddCookie(&http.Cookie{Name: langCookie, Value: tt.cookie})
		}
		w := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(w, req)
		if !strings.Contains(w.Body.String(), tt.want) {
			t.Errorf("Accept-Language %q cookie %q lang %q: page lacks %q", tt.header, tt.cookie, tt.query, tt.want)
		}
	}
}
