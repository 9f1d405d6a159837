package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

// statusOf maps an error code to its HTTP status: the one table.
var statusOf = map[string]int{
	comuna.EInvalid:      http.StatusBadRequest,
	comuna.ENotFound:     http.StatusNotFound,
	comuna.EConflict:     http.StatusConflict,
	comuna.EForbidden:    http.StatusForbidden,
	comuna.EUnauthorized: http.StatusUnauthorized,
	comuna.ERateLimited:  http.StatusTooManyRequests,
	comuna.ETooLarge:     http.StatusRequestEntityTooLarge,
	comuna.EUnavailable:  http.StatusServiceUnavailable,
	comuna.EInternal:     http.StatusInternalServerError,
}

// httpStatus returns the status for err.
func httpStatus(err error) int {
	if st, ok := statusOf[comuna.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// errorBody is the JSON error shape: {"error":{"code":…,"message":…}}.
type errorBody struct {
	Error errorJSON `json:"error"`
}

type errorJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// handleError writes err as the response: JSON for the API, a page
// otherwise, a redirect to the login page for an anonymous browser. It is
// the one place where errors become statuses; internal errors are logged
// and the client sees only "internal error".
func (s *Server) handleError(w http.ResponseWriter, r *http.Request, err error) {
	code := comuna.ErrorCode(err)
	status := httpStatus(err)
	if code == comuna.EInternal || code == comuna.EUnavailable {
		path := r.URL.Path
		if info := reqInfoOf(r); isPollBook(info) {
			path = info.route.Pattern // never the table of a check-in
		}
		s.log.Error("request failed", "method", r.Method, "path", path, "code", code, "err", err)
	}
	if errors.Is(err, http.ErrHandlerTimeout) {
		status = http.StatusServiceUnavailable
	}
	info := reqInfoOf(r)
	if info.api {
		if code == comuna.EUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="comuna"`)
		}
		s.writeJSON(w, status, errorBody{Error: errorJSON{
			Code:    code,
			Message: comuna.ErrorMessage(err),
			Field:   apiField(comuna.ErrorField(err)),
		}})
		return
	}
	if code == comuna.EUnauthorized && info.user == nil {
		next := r.URL.RequestURI()
		if r.Method != http.MethodGet {
			next = r.Header.Get("Referer")
			if u, perr := url.Parse(next); perr == nil {
				next = u.RequestURI()
			}
		}
		http.Redirect(w, r, "/login?next="+url.QueryEscape(safeNext(next)), http.StatusSeeOther)
		return
	}
	s.renderError(w, r, status, code, errorText(info.lang, err))
}

// apiField names a domain field as the API spells it.
func apiField(f string) string {
	switch f {
	case "winners":
		return "winners_per_circuit"
	case "amount":
		return "amount_per_project"
	}
	return f
}

// safeNext returns next if it is a path on this site, "/" otherwise, so
// the login page cannot be used to send people elsewhere.
func safeNext(next string) string {
	// Browsers drop tabs and line breaks from a URL and read a backslash
	// as a slash, so "/\t/evil.example" would lead off the site.
	for _, c := range next {
		if c < 0x20 || c == 0x7f || c == '\\' || c == 0x85 || c == 0x2028 || c == 0x2029 {
			return "/"
		}
	}
	if len(next) == 0 || next[0] != '/' || strings.HasPrefix(next, "//") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}
