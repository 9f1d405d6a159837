package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

// walkBodies gives each state-changing route a valid body aimed at the
// fixture target, so that an allowed caller is never refused for a bad
// request. A route missing here fails the walk.
func walkBodies(e *env, n int) map[string]any {
	pid := fmt.Sprint(e.proposal.ID)
	return map[string]any{
		"POST /login":                     url.Values{"username": {"observer"}, "password": {testPassword}},
		"POST /logout":                    url.Values{},
		"POST /federations/{fid}/entries": url.Values{"kind": {"congress"}, "name": {"Walk"}},
		"POST /federations/{fid}/elections/{eid}/ballot": url.Values{"code": {"AAAA-BBBB-CCCC"}},
		"POST /api/v1/federations":                       `{"name": "Walk", "admit_by": "board"}`,
		"POST /api/v1/federations/{fid}/entries":         `{"kind": "congress", "name": "Walk"}`,
		"POST /account/tokens":                           url.Values{"name": {"walk"}},
		"POST /rounds":                                   url.Values{"name": {fmt.Sprintf("Walk %d", n)}, "vote_date": {"2030-06-01"}, "tie_break_seed": {"s"}},
		"POST /rounds/{id}/transitions":                  url.Values{"to": {"review"}},
		"POST /rounds/{id}/proposals": url.Values{"council": {"K1"}, "title": {"Cancha"}, "category": {"sport"}, "cost": {"5000"},
			"assembly_date": {"2026-01-05"}, "attendance": {"50"}, "quorum_met": {"on"}, "votes_for": {"40"}},
		"POST /proposals/{id}/review":                      url.Values{"decision": {"accept"}, "reason": {"Factible"}},
		"POST /rounds/{id}/circuits/{code}/ballot":         url.Values{"pos_" + pid: {"1"}},
		"POST /rounds/{id}/circuits/{code}/ballot/publish": url.Values{},
		"POST /users":                                             url.Values{"username": {fmt.Sprintf("walk%d", n)}, "role": {"observer"}, "password": {testPassword}},
		"POST /api/v1/rounds":                                     fmt.Sprintf(`{"name":"Walk API %d","vote_date":"2030-06-01","tie_break_seed":"s"}`, n),
		"POST /api/v1/rounds/{id}/transitions":                    `{"to":"review"}`,
		"POST /api/v1/rounds/{id}/proposals":                      `{"council":"K1","title":"Cancha","category":"sport","cost":"5000","assembly_date":"2026-01-05","attendance":50,"quorum_met":true,"votes_for":40}`,
		"POST /api/v1/proposals/{id}/review":                      `{"accept":true,"reason":"Factible"}`,
		"POST /api/v1/rounds/{id}/circuits/{code}/ballot":         `{"proposals":[` + pid + `]}`,
		"POST /api/v1/rounds/{id}/circuits/{code}/ballot/publish": `{}`,
		"POST /api/v1/users":                                      fmt.Sprintf(`{"username":"walkapi%d","role":"observer","password":%q}`, n, testPassword),
		"POST /api/v1/tokens":                                     `{"name":"walk"}`,

		"POST /rounds/{id}/tables/{code}/checkins": url.Values{"document_type": {"V"}, "document_number": {fmt.Sprint(10_000_000 + n)},
			"birth_date": {"1990-01-01"}, "idempotency_key": {fmt.Sprintf("walk-checkin-%d", n)}},
		"POST /rounds/{id}/tables/{code}/walkins":                         url.Values{"count": {"1"}, "reason": {"sin conexión en la mañana"}, "idempotency_key": {fmt.Sprintf("walk-walkins-%d", n)}},
		"POST /rounds/{id}/tables/{code}/walkins/{rid}/confirm":           url.Values{},
		"POST /rounds/{id}/tables/{code}/walkins/{rid}/refuse":            url.Values{},
		"POST /rounds/{id}/tables/{code}/close":                           url.Values{"confirm": {"on"}},
		"POST /rounds/{id}/tables/{code}/sheet":                           walkSheetForm(n, ""),
		"POST /rounds/{id}/tables/{code}/sheet/corrections":               walkSheetForm(n, "Corrección de prueba"),
		"POST /rounds/{id}/tables/{code}/sheet/corrections/{cid}/confirm": walkSheetForm(n, ""),
		"POST /rounds/{id}/tables/{code}/sheet/corrections/{cid}/refuse":  url.Values{"reason": {"el acta en papel dice otra cosa"}},
		"POST /rounds/{id}/circuits/{code}/reopen":                        url.Values{"reason": {"denuncia de los testigos de la mesa"}},
		"POST /api/v1/rounds/{id}/tables/{code}/checkins": fmt.Sprintf(`{"document_type":"V","document_number":"%d","birth_date":"1990-01-01","idempotency_key":"walk-api-checkin-%d"}`,
			20_000_000+n, n),
		"POST /api/v1/rounds/{id}/tables/{code}/walkins":               fmt.Sprintf(`{"count":1,"reason":"sin conexión en la mañana","idempotency_key":"walk-api-walkins-%d"}`, n),
		"POST /api/v1/rounds/{id}/tables/{code}/walkins/{rid}/confirm": `{}`,
		"POST /api/v1/rounds/{id}/tables/{code}/walkins/{rid}/refuse":  `{}`,
		"POST /api/v1/rounds/{id}/tables/{code}/close":                 `{}`,
		"POST /api/v1/rounds/{id}/tables/{code}/entries":               fmt.Sprintf(`{%s,"idempotency_key":"walk-api-entry-%d"}`, walkSheetJSON, n),
		"POST /api/v1/rounds/{id}/tables/{code}/corrections":           fmt.Sprintf(`{%s,"reason":"Prueba","idempotency_key":"walk-api-fix-%d"}`, walkSheetJSON, n),
		"POST /rounds/{id}/audits":                                     url.Values{"kind": {"draw"}, "seed": {"12345"}, "tables": {"1"}},
		"POST /rounds/{id}/audits/{aid}/tables/{code}":                 url.Values{"votes.1": {"0"}, "ballots": {"0"}},
		"POST /api/v1/rounds/{id}/audits":                              `{"kind":"draw","seed":"12345","tables":1}`,
		"POST /api/v1/rounds/{id}/audits/{aid}/tables/{code}":          `{"counts":[0],"ballots":0}`,

		"POST /rounds/{id}/execution/fund":                                 url.Values{"paid_in": {"USD"}, "rate_source": {"BCV"}, "rate_date": {"2026-06-01"}, "planned_start": {"2026-06-01"}, "planned_end": {"2026-12-01"}},
		"POST /rounds/{id}/execution/projects/{pid}/evidence":              url.Values{"kind": {"photo"}},
		"POST /rounds/{id}/execution/policy":                               url.Values{"runner_up": {"on_completion"}},
		"POST /rounds/{id}/execution/projects/{pid}/payments":              url.Values{"kind": {"disbursement"}},
		"POST /rounds/{id}/execution/projects/{pid}/entries":               url.Values{"kind": {"milestone"}},
		"POST /rounds/{id}/execution/projects/{pid}/oversight":             url.Values{"kind": {"finding"}},
		"POST /rounds/{id}/execution/projects/{pid}/corrections":           url.Values{"kind": {"status"}},
		"POST /rounds/{id}/execution/projects/{pid}/reports":               url.Values{"report": {"la obra está parada"}},
		"POST /rounds/{id}/execution/projects/{pid}/reports/{rid}":         url.Values{"action": {"dismiss"}},
		"POST /api/v1/rounds/{id}/execution/projects/{pid}/payments":       `{"kind":"disbursement"}`,
		"POST /api/v1/rounds/{id}/execution/projects/{pid}/entries":        `{"kind":"milestone"}`,
		"POST /api/v1/rounds/{id}/execution/projects/{pid}/oversight":      `{"kind":"finding"}`,
		"POST /api/v1/rounds/{id}/execution/projects/{pid}/corrections":    `{"kind":"status"}`,
		"POST /api/v1/rounds/{id}/tables/{code}/corrections/{cid}/confirm": fmt.Sprintf(`{%s}`, walkSheetJSON),
		"POST /api/v1/rounds/{id}/tables/{code}/corrections/{cid}/refuse":  `{"reason":"el acta en papel dice otra cosa"}`,
		"POST /api/v1/rounds/{id}/circuits/{code}/reopen":                  `{"reason":"denuncia de los testigos de la mesa"}`,

		"POST /organs/{organ}/sessions":            url.Values{},
		"POST /sessions/{session}/commands":        url.Values{"op": {"add-item"}, "kind": {"report"}, "title": {fmt.Sprintf("Walk %d", n)}},
		"POST /sessions/{session}/minutes":         url.Values{"text": {"Walk"}},
		"POST /sessions/{session}/minutes/publish": url.Values{},
		"POST /api/v1/organs":                      fmt.Sprintf(`{"kind":"executive-council","unit":"C1","name":"Walk %d","size":5}`, n),
		"POST /api/v1/organs/{organ}/seats":        `{"position":1,"role":"alternate","holder":"Walk","start":"2026-01-01"}`,
		"POST /api/v1/organs/{organ}/sessions":     `{}`,
		"POST /api/v1/sessions/{session}/commands": fmt.Sprintf(`{"op":"add-item","kind":"report","title":"Walk %d"}`, n),
		"POST /api/v1/sessions/{session}/minutes":  `{"publish":true}`,
	}
}

// walkSheetJSON is a one-project sheet with nobody voting, for the walk.
const walkSheetJSON = `"received":10,"cast":0,"votes":[0],"blank":0,"null":0,"unused":10,"members":["Ana Pérez"],"witnesses":[]`

// walkSheetForm is walkSheetJSON as a form, with a reason for corrections.
func walkSheetForm(n int, reason string) url.Values {
	v := url.Values{"received": {"10"}, "cast": {"0"}, "votes.1": {"0"}, "blank": {"0"}, "null": {"0"}, "unused": {"10"},
		"members": {"Ana Pérez"}, "idempotency_key": {fmt.Sprintf("walk-sheet-%d", n)}}
	if reason != "" {
		v.Set("reason", reason)
	}
	return v
}

// walkPath fills a route pattern with the fixture: round 1, its proposal,
// circuit CI1, table T1.
func walkPath(e *env, pattern string) string {
	if strings.Contains(pattern, "/tables/{code}") {
		pattern = strings.Replace(pattern, "{code}", "T1", 1)
	}
	id := fmt.Sprint(e.round.ID)
	if strings.Contains(pattern, "/proposals/{id}") && !strings.Contains(pattern, "/rounds/") {
		id = fmt.Sprint(e.proposal.ID)
	}
	hash := e.srv.assets.byName["style.css"].hash
	r := strings.NewReplacer("{$}", "", "{organ}", fmt.Sprint(e.organ.ID), "{session}", fmt.Sprint(e.session.ID), "{pid}", "1", "{sha}", strings.Repeat("a", 64), "{fid}", "1", "{did}", "1", "{eid}", "1", "{id}", id, "{code}", "CI1", "{level}", "circuit", "{rid}", "999", "{cid}", "999", "{hash}", hash, "{name}", "style.css")
	p := r.Replace(pattern)
	if strings.HasSuffix(p, "/proposals/new") {
		p += "?circuit=CI1"
	}
	return p
}

// TestRouteAuthorization walks every route of the route table as every
// role and as the public, and checks that each request is refused (401 or
// 403, or a redirect to the login page) exactly when comuna.Authorize
// refuses the route's action on the fixture target.
func TestRouteAuthorization(t *testing.T) {
	e := newEnv(t)
	callers := []string{""}
	for _, fu := range fixtureUsers {
		callers = append(callers, fu.name)
	}
	routes := append([]route(nil), e.srv.routes...)
	// Logging out ends the sessions the walk uses: walk it last.
	for i, rt := range routes {
		if rt.Pattern == "/logout" {
			routes = append(append(routes[:i:i], routes[i+1:]...), rt)
			break
		}
	}
	n := 0
	checked := 0
	for _, rt := range routes {
		key := rt.Method + " " + rt.Pattern
		for _, caller := range callers {
			var u *comuna.User
			if caller != "" {
				u = e.users[caller]
			}
			allowed := comuna.Authorize(u, rt.Action, fixtureTarget) == nil
			modes := []bool{false}
			if rt.API && caller != "" {
				modes = []bool{false, true} // session cookie, then API token
			}
			for _, bearer := range modes {
				n++
				rq := request{method: rt.Method, path: walkPath(e, rt.Pattern), user: caller, bearer: bearer}
				if rt.Method == "POST" {
					body, ok := walkBodies(e, n)[key]
					if !ok {
						t.Fatalf("route %s has no body in walkBodies", key)
					}
					switch b := body.(type) {
					case url.Values:
						rq.form = b
					case string:
						rq.json = b
					}
				}
				w := e.doWalk(rq, n)
				refused := w.Code == http.StatusUnauthorized || w.Code == http.StatusForbidden ||
					(w.Code == http.StatusSeeOther && strings.HasPrefix(w.Header().Get("Location"), "/login"))
				if refused == allowed {
					t.Errorf("%s as %q (bearer %v) = %d %s, want allowed=%v (action %s)\n%.300s",
						key, caller, bearer, w.Code, w.Header().Get("Location"), allowed, rt.Action, w.Body.String())
				}
				// An allowed request may be refused for its content, or
				// find the service unconfigured (503), but never fail.
				if allowed && w.Code >= 500 && w.Code != http.StatusServiceUnavailable {
					t.Errorf("%s as %q (bearer %v) = %d, want an answer that is not a server error\n%.300s",
						key, caller, bearer, w.Code, w.Body.String())
				}
				checked++
			}
		}
	}
	t.Logf("checked %d requests over %d routes", checked, len(routes))
}

// doWalk sends a walk request from an address of its own, so that login
// attempts do not hit the rate limit, with the public's CSRF cookie.
func (e *env) doWalk(rq request, n int) *httptest.ResponseRecorder {
	e.t.Helper()
	if rq.user == "" && rq.form != nil {
		rq.header = http.Header{"Cookie": {csrfCookie + "=anon-csrf-token-of-the-walk-0123456789"}}
		f := url.Values{"csrf": {"anon-csrf-token-of-the-walk-0123456789"}}
		for k, v := range rq.form {
			f[k] = v
		}
		rq.form = f
	}
	rq.remote = fmt.Sprintf("198.51.100.%d:1", n%250+1)
	return e.do(rq)
}
