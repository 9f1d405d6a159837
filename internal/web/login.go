package web

import (
	"net"
	"net/http"
	"strings"

	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/comuna"
)

// Cookie names.
const (
	sessionCookie = "comuna_session"
	csrfCookie    = "comuna_csrf" // the CSRF token of a browser not yet logged in
	langCookie    = "comuna_lang"
)

type loginPage struct {
	*Page
	Next     string
	Username string
	Error    string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	p := &loginPage{Page: s.page(r, "login.title", "login"), Next: safeNext(r.URL.Query().Get("next"))}
	s.anonCSRF(w, r, p.Page)
	return s.render(w, r, http.StatusOK, "login", p)
}

// login checks a username and password, limited per client address and
// per username, and starts a session: a random token in an HttpOnly
// cookie, stored only as its hash.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	username := strings.ToLower(strings.TrimSpace(r.PostFormValue("username")))
	password := r.PostFormValue("password")
	p := &loginPage{Page: s.page(r, "login.title", "login"), Next: safeNext(r.PostFormValue("next")), Username: username}
	s.anonCSRF(w, r, p.Page)
	ip := clientIP(r)
	if !s.ipLimit.Allow("ip:"+ip) || !s.userLimit.Allow("user:"+username) {
		wait := max(s.ipLimit.RetryAfter("ip:"+ip), s.userLimit.RetryAfter("user:"+username))
		secs := int(wait.Seconds()) + 1
		w.Header().Set("Retry-After", itoa(secs))
		p.Error = p.T("login.ratelimited", secs)
		return s.render(w, r, http.StatusTooManyRequests, "login", p)
	}
	u, err := s.store.UserByUsername(r.Context(), username)
	ok := false
	switch comuna.ErrorCode(err) {
	case "":
		ok = auth.CheckPassword(u.PasswordHash, password) && !u.Disabled
	case comuna.ENotFound:
		auth.CheckNoPassword(password)
	default:
		return err
	}
	if !ok {
		p.Error = p.T("login.failed")
		return s.render(w, r, http.StatusUnauthorized, "login", p)
	}
	s.userLimit.Reset("user:" + username)
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	next := p.Next
	if next == "/" {
		// Every role lands on its tasks; a page the login was asked
		// from (?next=) wins.
		next = "/tasks"
	}
	return redirect(w, r, next)
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *comuna.User) error {
	tok, hash := auth.NewToken()
	csrf, _ := auth.NewToken()
	now := s.now()
	sess := &comuna.Session{TokenHash: hash, UserID: u.ID, CSRF: csrf, Created: now, Expires: now.Add(s.sessionTTL)}
	if err := s.store.CreateSession(r.Context(), sess); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: tok, Path: "/", Expires: sess.Expires,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
	s.clearCookie(w, csrfCookie)
	return nil
}

// logout ends the session, if any, and goes home.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if info := reqInfoOf(r); info.session != nil {
		if err := s.store.DeleteSession(r.Context(), info.session.TokenHash); err != nil {
			return err
		}
	}
	s.clearCookie(w, sessionCookie)
	return redirect(w, r, "/")
}

func (s *Server) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

// clientIP is the address the request came from. Behind a proxy this is
// the proxy's, which limits all clients together: safe, if strict.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type accountPage struct {
	*Page
	Token     string
	TokenName string
	Error     string
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "account", &accountPage{Page: s.page(r, "account.title", "account")})
}

// accountToken issues an API token for the logged-in account and shows
// it once.
func (s *Server) accountToken(w http.ResponseWriter, r *http.Request) error {
	p := &accountPage{Page: s.page(r, "account.title", "account"), TokenName: strings.TrimSpace(r.PostFormValue("name"))}
	if p.TokenName == "" || len(p.TokenName) > 100 {
		p.Error = p.T("account.token.name.required")
		return s.render(w, r, http.StatusUnprocessableEntity, "account", p)
	}
	tok, err := s.issueToken(r, p.User.ID, p.TokenName)
	if err != nil {
		return err
	}
	p.Token = tok
	return s.render(w, r, http.StatusOK, "account", p)
}

func (s *Server) issueToken(r *http.Request, userID int64, name string) (string, error) {
	tok, hash := auth.NewToken()
	t := &comuna.APIToken{TokenHash: hash, UserID: userID, Name: name, Created: s.now()}
	if err := s.store.CreateAPIToken(r.Context(), t); err != nil {
		return "", err
	}
	return tok, nil
}
