package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/counting"
	"github.com/comuna/comuna/internal/sqlstore"
)

// The smaller findings (14), each through the real handler.

func TestSafeNext(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/rounds", "/rounds"},
		{"/rounds/1?tab=x", "/rounds/1?tab=x"},
		{"", "/"},
		{"https://evil.example/", "/"},
		{"//evil.example/", "/"},
		{"/\\evil.example/", "/"},
		{"/\t/evil.example/", "/"},
		{"/\n/evil.example/", "/"},
		{"/\r/evil.example", "/"},
		{"/%09/evil.example", "/%09/evil.example"}, // still encoded: a path on this site
	}
	for _, tt := range tests {
		if got := safeNext(tt.in); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// next=/%09/evil used to send a logged-in user to //evil after login.
func TestLoginOpenRedirect(t *testing.T) {
	e := newEnv(t)
	page := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(page, httptest.NewRequest("GET", "/login", nil))
	var csrf *http.Cookie
	for _, c := range page.Result().Cookies() {
		if c.Name == csrfCookie {
			csrf = c
		}
	}
	body := "username=observer&password=" + url.QueryEscape(testPassword) + "&csrf=" + csrf.Value + "&next=/%09/evil.example"
	req := httptest.NewRequest("POST", "/login", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(csrf)
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, req)
	// An unsafe next falls back to the account's landing page, its tasks.
	if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || loc != "/tasks" {
		t.Errorf("login with next=/%%09/evil = %d to %q, want 303 to /tasks", w.Code, loc)
	}
}

// A birth date after today, before a vote date still to come, used to be
// answered outside_age (a voter turned away) instead of a 400 asking the
// table to correct the date.
func TestCheckInBirthDateAfterToday(t *testing.T) {
	backends(t, func(t *testing.T, store func(testing.TB) *sqlstore.DB) {
		e := voteEnvOn(t, newEnvOn(t, store(t)))
		today := e.round.VoteDate.AddDate(0, -1, 0) // a month before the vote
		srv, err := New(Config{Store: e.store, VoteDay: e.vd, Counting: counting.New(e.store), PollBookKey: testPollBookKey, Now: func() time.Time { return today }})
		if err != nil {
			t.Fatal(err)
		}
		e.srv = srv
		birth := today.AddDate(0, 0, 3).Format(time.DateOnly)
		w := e.do(request{method: "POST", path: "/api/v1" + e.roundPath("/tables/T1/checkins"), user: "table", bearer: true,
			json: checkInBody("12345678", birth, "key-future-0001")})
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"birth_date"`) {
			t.Errorf("check-in born %s, today %s = %d %s; want 400 naming birth_date", birth, today.Format(time.DateOnly), w.Code, w.Body.String())
		}
	})
}

// Duplicate and case-variant keys were accepted (encoding/json keeps the
// last and ignores case); a body without Content-Type was accepted too.
func TestStrictJSON(t *testing.T) {
	backends(t, func(t *testing.T, store func(testing.TB) *sqlstore.DB) {
		e := voteEnvOn(t, newEnvOn(t, store(t)))
		path := "/api/v1" + e.roundPath("/tables/T1/checkins")
		tests := []struct {
			name, body, ctype string
			want              int
			field             string
		}{
			{"duplicate key", `{"document_type":"V","document_number":"12345678","document_number":"23456789","birth_date":"1990-01-01","idempotency_key":"key-strict-0001"}`, "application/json", 400, "document_number"},
			{"case-variant key", `{"Document_Type":"V","document_number":"12345678","birth_date":"1990-01-01","idempotency_key":"key-strict-0002"}`, "application/json", 400, "Document_Type"},
			{"unknown key", `{"document_type":"V","document_number":"12345678","birth_date":"1990-01-01","idempotency_key":"key-strict-0003","table":"T4"}`, "application/json", 400, "table"},
			{"no content type", `{"document_type":"V","document_number":"12345678","birth_date":"1990-01-01","idempotency_key":"key-strict-0004"}`, "", 400, ""},
			{"form content type", `{"document_type":"V","document_number":"12345678","birth_date":"1990-01-01","idempotency_key":"key-strict-0005"}`, "text/plain", 400, ""},
			{"well formed", `{"document_type":"V","document_number":"12345678","birth_date":"1990-01-01","idempotency_key":"key-strict-0006"}`, "application/json", 200, ""},
		}
		for _, tt := range tests {
			req := httptest.NewRequest("POST", path, strings.NewReader(tt.body))
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			req.Header.Set("Authorization", "Bearer "+e.tokens["table"])
			w := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(w, req)
			var got errorBody
			_ = json.Unmarshal(w.Body.Bytes(), &got)
			if w.Code != tt.want || got.Error.Field != tt.field {
				t.Errorf("%s: %d field %q, want %d field %q\n%s", tt.name, w.Code, got.Error.Field, tt.want, tt.field, w.Body.String())
			}
		}
		// Nested objects: a key repeated inside, and the same key in two
		// sibling objects (allowed).
		var v struct {
			A []struct {
				B int `json:"b"`
			} `json:"a"`
		}
		if err := checkKeys([]byte(`{"a":[{"b":1},{"b":2}]}`), &v); err != nil {
			t.Errorf("checkKeys(siblings) = %v", err)
		}
		if err := checkKeys([]byte(`{"a":[{"b":1,"b":2}]}`), &v); comuna.ErrorField(err) != "b" {
			t.Errorf("checkKeys(nested duplicate) = %v, want field b", err)
		}
		if err := checkKeys([]byte(`{"a":[{"B":1}]}`), &v); comuna.ErrorField(err) != "B" {
			t.Errorf("checkKeys(nested case variant) = %v, want field B", err)
		}
	})
}

// A 17 MB photo was answered 403 (the form's CSRF token was never read)
// instead of 413.
func TestPhotoTooLarge(t *testing.T) {
	backends(t, func(t *testing.T, store func(testing.TB) *sqlstore.DB) {
		e := voteEnvOn(t, newEnvOn(t, store(t)))
		e.closedTable(3)
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.WriteField("csrf", e.csrf["table"])
		mw.WriteField("received", "10")
		fw, _ := mw.CreateFormFile("photo", "acta.jpg")
		fw.Write(bytes.Repeat([]byte{0xff}, 17<<20))
		mw.Close()
		for _, chunked := range []bool{false, true} {
			req := httptest.NewRequest("POST", e.roundPath("/tables/T1/sheet"), bytes.NewReader(b.Bytes()))
			if chunked {
				req.ContentLength = -1
			}
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: e.sessions["table"]})
			w := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(w, req)
			if w.Code != http.StatusRequestEntityTooLarge {
				t.Errorf("17 MB photo (length known: %v) = %d, want 413", !chunked, w.Code)
			}
		}
	})
}

// A Bearer call with a cross-site Origin was refused 403; API.md exempts
// Bearer calls from the browser checks (a browser never adds the token on
// its own). A cookie call from another site is still refused.
func TestBearerCrossOrigin(t *testing.T) {
	backends(t, func(t *testing.T, store func(testing.TB) *sqlstore.DB) {
		e := voteEnvOn(t, newEnvOn(t, store(t)))
		evil := http.Header{"Origin": {"https://evil.example"}, "Sec-Fetch-Site": {"cross-site"}}
		w := e.do(request{method: "POST", path: "/api/v1" + e.roundPath("/tables/T1/checkins"), user: "table", bearer: true,
			json: checkInBody("12345678", "1990-01-01", "key-origin-0001"), header: evil})
		if w.Code != http.StatusOK {
			t.Errorf("Bearer check-in with a cross-site Origin = %d %s, want 200", w.Code, w.Body.String())
		}
		w = e.do(request{method: "POST", path: "/api/v1" + e.roundPath("/tables/T1/checkins"), user: "table",
			json: checkInBody("23456789", "1990-01-01", "key-origin-0002"), header: evil})
		if w.Code != http.StatusForbidden {
			t.Errorf("cookie check-in with a cross-site Origin = %d, want 403", w.Code)
		}
	})
}

// --secure-cookies served no HSTS header.
func TestHSTS(t *testing.T) {
	e := newEnv(t)
	if got := e.get("/", "").Header().Get("Strict-Transport-Security"); got != "" {
		t.Errorf("HSTS without secure cookies = %q, want none", got)
	}
	srv, err := New(Config{Store: e.store, VoteDay: e.vd, Counting: counting.New(e.store), SecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	if got := e.get("/", "").Header().Get("Strict-Transport-Security"); !strings.Contains(got, "max-age=31536000") {
		t.Errorf("HSTS with secure cookies = %q, want max-age=31536000", got)
	}
}

// Passwords of 8 characters and common ones were accepted.
func TestWeakPasswordsRefused(t *testing.T) {
	backends(t, func(t *testing.T, store func(testing.TB) *sqlstore.DB) {
		e := newEnvOn(t, store(t))
		for i, pw := range []string{"password", "corta123", "password1234", "qwertyuiop12", "nueva.usuaria"} {
			body := fmt.Sprintf(`{"username":"nueva.usuaria","name":"Nueva Usuaria","role":"observer","password":%q}`, pw)
			w := e.do(request{method: "POST", path: "/api/v1/users", user: "admin", bearer: true, json: body})
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"password"`) {
				t.Errorf("password %d %q = %d %s, want 400 naming password", i, pw, w.Code, w.Body.String())
			}
		}
		w := e.do(request{method: "POST", path: "/api/v1/users", user: "admin", bearer: true,
			json: `{"username":"nueva.usuaria","name":"Nueva Usuaria","role":"observer","password":"rueda tambor lluvia cobre"}`})
		if w.Code != http.StatusCreated && w.Code != http.StatusOK {
			t.Errorf("a strong password = %d %s, want it accepted", w.Code, w.Body.String())
		}
		if _, err := e.store.UserByUsername(context.Background(), "nueva.usuaria"); err != nil {
			t.Errorf("the account with a strong password was not created: %v", err)
		}
	})
}
