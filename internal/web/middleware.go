package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/comuna"
)

// reqInfo is what the middleware learns about a request: who is asking,
// how, in which language, and through which route.
type reqInfo struct {
	route   *route
	api     bool
	user    *comuna.User
	session *comuna.Session
	bearer  bool // authenticated by an API token: exempt from CSRF checks
	lang    string
}

type infoKey struct{}

// reqInfoOf returns the request's info; a zero one outside the middleware.
func reqInfoOf(r *http.Request) *reqInfo {
	if info, ok := r.Context().Value(infoKey{}).(*reqInfo); ok {
		return info
	}
	return &reqInfo{lang: "es"}
}

// guard wraps a route's handler: it authenticates the caller, refuses the
// route's action unless comuna.Authorize allows it (for scoped actions:
// unless it could allow it somewhere in the caller's scope, the handler
// deciding with the resource's target), checks CSRF on state-changing
// requests, and maps any error through handleError.
func (s *Server) guard(rt *route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := reqInfoOf(r)
		if r.Context().Value(infoKey{}) == nil {
			r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		}
		info.route, info.api = rt, rt.API
		info.lang = s.language(w, r)
		if err := s.admit(w, r, rt, info); err != nil {
			s.handleError(w, r, err)
			return
		}
		if err := rt.h(w, r); err != nil {
			s.handleError(w, r, err)
		}
	})
}

func (s *Server) admit(w http.ResponseWriter, r *http.Request, rt *route, info *reqInfo) error {
	unsafe := !isSafeMethod(r.Method)
	if unsafe {
		limit := int64(1 << 20)
		if rt.MaxBody > 0 {
			limit = rt.MaxBody
		}
		if r.ContentLength > limit {
			return comuna.Errorf(comuna.ETooLarge, "the request is %d bytes; this page takes at most %d", r.ContentLength, limit)
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
	}
	if err := s.authenticate(w, r, info); err != nil {
		return err
	}
	target := comuna.Target{}
	if u := info.user; u != nil && rt.Scoped() {
		target = comuna.Target{Council: u.Scope, Circuit: u.Scope, Table: u.Scope, Commune: u.Scope, Audit: u.Scope}
	}
	if err := comuna.Authorize(info.user, rt.Action, target); err != nil {
		return err
	}
	if unsafe {
		return s.checkCSRF(r, info)
	}
	return nil
}

// authorize decides the current route's scoped action on a resource's
// target. Handlers of scoped routes call it before reading or changing
// anything the target guards.
func (s *Server) authorize(r *http.Request, t comuna.Target) error {
	info := reqInfoOf(r)
	if info.route == nil {
		return comuna.Errorf(comuna.EInternal, "authorize outside a route")
	}
	return comuna.Authorize(info.user, info.route.Action, t)
}

// can reports whether the caller may do a on t, for showing links and
// forms only to those who may use them.
func can(r *http.Request, a comuna.Action, t comuna.Target) bool {
	return comuna.Authorize(reqInfoOf(r).user, a, t) == nil
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// authenticate finds the caller: a Bearer API token on API routes, or a
// session cookie. A stale cookie is dropped; a bad token is refused.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, info *reqInfo) error {
	if h := r.Header.Get("Authorization"); h != "" && info.api {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || tok == "" {
			return comuna.Errorf(comuna.EUnauthorized, "the Authorization header must be \"Bearer <token>\"")
		}
		hash, now := auth.HashToken(tok), time.Now()
		u, ok := s.tokens.get(hash, now)
		if !ok {
			var err error
			u, err = s.store.APITokenUser(r.Context(), hash)
			if comuna.ErrorCode(err) == comuna.EUnauthorized || comuna.ErrorCode(err) == comuna.ENotFound {
				return comuna.Errorf(comuna.EUnauthorized, "invalid API token")
			} else if err != nil {
				return err
			}
			s.tokens.put(hash, u, now)
		}
		info.user, info.bearer = u, true
		return nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	sess, u, err := s.store.SessionUser(r.Context(), auth.HashToken(c.Value))
	switch comuna.ErrorCode(err) {
	case "":
		info.user, info.session = u, sess
	case comuna.EUnauthorized, comuna.ENotFound:
		s.clearCookie(w, sessionCookie)
	default:
		return err
	}
	return nil
}

// checkCSRF refuses a state-changing request that comes from another
// site (Origin and Sec-Fetch-Site), or that lacks the session's CSRF token
// (a form field "csrf" or an X-CSRF-Token header). Anonymous forms carry
// the token of a pre-session cookie instead. API-token calls are exempt.
func (s *Server) checkCSRF(r *http.Request, info *reqInfo) error {
	// A Bearer token is not sent by a browser on its own, so a cross-site
	// page cannot ride on it: API.md exempts such calls from both checks.
	if info.bearer {
		return nil
	}
	if err := s.origin.Check(r); err != nil {
		return comuna.Errorf(comuna.EForbidden, "cross-origin request refused")
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" && !info.api {
		if err := parseBody(r); err != nil {
			return err
		}
		got = r.PostFormValue("csrf")
	}
	want := ""
	if info.session != nil {
		want = info.session.CSRF
	} else if c, err := r.Cookie(csrfCookie); err == nil {
		want = c.Value
	}
	if got == "" || want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return comuna.Errorf(comuna.EForbidden, "the form's security token is missing or stale; reload the page and try again")
	}
	return nil
}

// securityHeaders sets headers that keep pages from being framed, sniffed
// or fed foreign scripts.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if s.secure {
			// Served over HTTPS (--secure-cookies): browsers must not fall
			// back to plain HTTP for a year.
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

// WriteHeader records the status and passes it on.
func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records an implicit 200 and passes the bytes on.
func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request with its status, duration and
// account.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &reqInfo{lang: "es"}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		path, user := r.URL.Path, ""
		if info.user != nil {
			user = info.user.Username
		}
		if isPollBook(info) {
			// Counted, and never a line naming the table and the member.
			if sw.status < 500 {
				s.pollLog.count(r.Context(), s.log, sw.status, s.now())
				return
			}
			path, user = info.route.Pattern, ""
		}
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		s.log.Log(r.Context(), level, "request", "method", r.Method, "path", path,
			"status", sw.status, "dur", time.Since(start).Round(time.Microsecond), "user", user)
	})
}

// recoverPanics turns a panic in a handler into a logged 500.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			if strings.HasPrefix(r.URL.Path, "/api/") {
				s.writeJSON(w, http.StatusInternalServerError, errorBody{Error: errorJSON{Code: comuna.EInternal, Message: "internal error"}})
				return
			}
			http.Error(w, "internal error", http.StatusInternalServerError)
		}()
		next.ServeHTTP(w, r)
	})
}

// parseBody parses a form body, multipart or not, so that a body over the
// route's limit is ETooLarge rather than a form without its CSRF token.
func parseBody(r *http.Request) error {
	var err error
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		err = r.ParseMultipartForm(32 << 20)
	} else {
		err = r.ParseForm()
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return comuna.Errorf(comuna.ETooLarge, "the request is larger than %d bytes", tooBig.Limit)
	}
	return nil
}
