package web

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/demo"
	"github.com/comuna/comuna/internal/storetest"
)

// TestDemoInSpanish walks every page route of the route table over the
// small demo, in Spanish, as the public and as every demo account, in the
// demo's phases and once more with the current round voting and then
// counting; it sends every form empty and with the slips people make, and
// fails on any page or error that reads in English. New routes are walked
// as they are added to the route table; one whose path has a parameter the
// walk cannot fill fails the test.
func TestDemoInSpanish(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the small demo")
	}
	w := newDemoWalk(t)
	w.walk("as loaded")
	w.advance(comuna.PhaseVoting)
	w.walk("voting")
	w.advance(comuna.PhaseCounting)
	w.walk("counting")
	for _, f := range w.findings() {
		t.Error(f)
	}
	t.Logf("walked %d requests", w.requests)
}

// demoWalk is a server over the small demo with a session for each demo
// account.
type demoWalk struct {
	t        *testing.T
	srv      *Server
	store    comuna.Store
	sessions map[string]*comuna.Session // username → session (token in TokenHash's place)
	tokens   map[string]string
	round    *comuna.Round // the demo's round in the ballots phase
	next     *comuna.Round // the demo's round taking proposals
	vals     map[string]string
	found    map[string]bool
	requests int
}

func newDemoWalk(t *testing.T) *demoWalk {
	ctx := context.Background()
	st := storetest.SQLite(t)
	if _, err := demo.Load(ctx, st, demo.Small, nil); err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	cfg := testConfig(st)
	cfg.PollBookKey, cfg.Log = testPollBookKey, st
	// As before the wiring was shared: the federation pages are not
	// walked yet (their version notes are still English domain text).
	cfg.Federation = nil
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	w := &demoWalk{t: t, srv: srv, store: st, sessions: map[string]*comuna.Session{}, tokens: map[string]string{}, found: map[string]bool{}}
	users, err := st.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := comuna.Now()
	for _, u := range users {
		tok, hash := auth.NewToken()
		csrf, _ := auth.NewToken()
		s := &comuna.Session{TokenHash: hash, UserID: u.ID, CSRF: csrf, Created: now, Expires: now.Add(time.Hour)}
		if err := st.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		w.sessions[u.Username], w.tokens[u.Username] = s, tok
	}
	rounds, err := st.Rounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rounds {
		switch r.Phase {
		case comuna.PhaseBallots:
			w.round = r
		case comuna.PhaseProposals:
			w.next = r
		}
	}
	if w.round == nil || w.next == nil {
		t.Fatalf("the demo has no round in the ballots phase and one taking proposals")
	}
	coord, err := st.UserByUsername(ctx, "coordinador")
	if err != nil {
		t.Fatal(err)
	}
	table, err := st.UserByUsername(ctx, "mesa")
	if err != nil {
		t.Fatal(err)
	}
	spokes, err := st.UserByUsername(ctx, "vocero")
	if err != nil {
		t.Fatal(err)
	}
	w.vals = map[string]string{"circuit": coord.Scope, "table": table.Scope, "council": spokes.Scope}
	for _, r := range []*comuna.Round{w.round, w.next} {
		ps, err := st.Proposals(ctx, comuna.ProposalFilter{RoundID: r.ID, Circuit: coord.Scope})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			w.vals[fmt.Sprintf("proposal.%d", r.ID)] = fmt.Sprint(p.ID)
			if p.Status == comuna.StatusSubmitted {
				w.vals[fmt.Sprintf("submitted.%d", r.ID)] = fmt.Sprint(p.ID)
			}
		}
	}
	return w
}

// advance moves the demo's current round forward to phase to.
func (w *demoWalk) advance(to comuna.Phase) {
	w.t.Helper()
	admin, err := w.store.UserByUsername(context.Background(), "admin")
	if err != nil {
		w.t.Fatal(err)
	}
	for w.round.Phase != to {
		w.round, err = w.store.TransitionRound(context.Background(), w.round.ID, w.round.Phase, comuna.NextPhase(w.round.Phase), admin.ID)
		if err != nil {
			w.t.Fatalf("TransitionRound: %v", err)
		}
	}
}

// paths fills a route pattern for each round of the demo; it fails the
// test for a parameter it does not know.
func (w *demoWalk) paths(pattern string) []string {
	var out []string
	for _, r := range []*comuna.Round{w.round, w.next} {
		id := fmt.Sprint(r.ID)
		p := pattern
		p = strings.ReplaceAll(p, "{$}", "")
		if strings.HasPrefix(p, "/proposals/{id}") {
			pid := w.vals[fmt.Sprintf("proposal.%d", r.ID)]
			if strings.HasSuffix(p, "/review") && w.vals[fmt.Sprintf("submitted.%d", r.ID)] != "" {
				pid = w.vals[fmt.Sprintf("submitted.%d", r.ID)]
			}
			p = strings.Replace(p, "{id}", pid, 1)
		}
		p = strings.Replace(p, "{id}", id, 1)
		if strings.Contains(p, "/tables/{code}") {
			p = strings.Replace(p, "{code}", w.vals["table"], 1)
		}
		if strings.Contains(p, "/territory/{level}/{code}") {
			p = strings.Replace(strings.Replace(p, "{level}", "council", 1), "{code}", w.vals["council"], 1)
		}
		p = strings.NewReplacer("{organ}", "1", "{session}", "1", "{level}", "circuit", "{code}", w.vals["circuit"], "{aid}", "1", "{pid}", "1", "{sha}", strings.Repeat("a", 64), "{rid}", "1", "{cid}", "1", "{n}", "0", "{fid}", "1", "{did}", "1", "{eid}", "1").Replace(p)
		if strings.Contains(p, "{") {
			w.t.Fatalf("route %s: the walk cannot fill %s; teach demoWalk.paths the parameter", pattern, p)
		}
		if strings.HasSuffix(p, "/proposals/new") {
			p += "?circuit=" + w.vals["circuit"]
		}
		out = append(out, p)
		if !strings.Contains(pattern, "{id}") {
			break
		}
	}
	if pattern == "/territory" {
		out = append(out, "/territory?q=zzzz", "/territory?q=ZU-CC")
	}
	if pattern == "/rounds/{id}/proposals" {
		out = append(out, fmt.Sprintf("/rounds/%d/proposals?status=rejected", w.next.ID))
	}
	return out
}

// slips are forms with the mistakes people make, beside the empty form
// every POST route gets.
func (w *demoWalk) slips(pattern string) []url.Values {
	switch pattern {
	case "/login":
		return []url.Values{{"username": {"admin"}, "password": {"wrong"}}}
	case "/rounds":
		return []url.Values{{"name": {"X"}, "vote_date": {"2020-13-01"}, "min_age": {"x"}, "amount_per_project": {"12,5,0"}, "tie_break": {"coin"}}}
	case "/rounds/{id}/transitions":
		return []url.Values{{"to": {"closed"}}, {"to": {"nonsense"}}}
	case "/rounds/{id}/proposals":
		return []url.Values{
			{"council": {w.vals["council"]}, "title": {"x"}, "category": {""}, "cost": {"12.500.50"}, "attendance": {"-1"}, "assembly_date": {"2030-01-01"}},
			{"council": {"NOPE"}, "title": {"Cancha techada"}, "category": {"sport"}, "cost": {"0"}, "attendance": {"10"}, "votes_for": {"40"}, "assembly_date": {"2026-01-05"}},
		}
	case "/proposals/{id}/review":
		return []url.Values{{"decision": {"reject"}, "reason": {""}}, {"decision": {"maybe"}}}
	case "/rounds/{id}/circuits/{code}/ballot":
		return []url.Values{{"pos_1": {"x"}}, {"reason": {"x"}}}
	case "/rounds/{id}/tables/{code}/checkins":
		return []url.Values{
			{"document_type": {"V"}, "document_number": {"12A45"}, "birth_date": {"1990-01-01"}, "idempotency_key": {"walk-slip-1"}},
			{"document_type": {"X"}, "document_number": {""}, "birth_date": {"2024-01-01"}, "idempotency_key": {"walk-slip-2"}},
			{"document_type": {"V"}, "document_number": {"12345678"}, "birth_date": {"2020-01-01"}, "idempotency_key": {"walk-slip-3"}},
		}
	case "/rounds/{id}/tables/{code}/close":
		return []url.Values{{"confirm": {"on"}}}
	case "/rounds/{id}/tables/{code}/walkins":
		return []url.Values{{"count": {"-3"}, "idempotency_key": {"walk-slip-4"}}}
	case "/rounds/{id}/tables/{code}/sheet", "/rounds/{id}/tables/{code}/sheet/corrections":
		return []url.Values{
			{"received": {"10"}, "cast": {"7"}, "votes.1": {"3"}, "votes.2": {"1"}, "blank": {"9"}, "null": {"0"}, "unused": {"4"}, "members": {""}, "reason": {"x"}, "idempotency_key": {"walk-slip-5"}},
			{"received": {"-1"}, "cast": {"x"}, "members": {"Ana\nAna"}, "witnesses": {strings.Repeat("n", 200)}, "idempotency_key": {"walk-slip-6"}},
		}
	case "/rounds/{id}/audits":
		return []url.Values{{"kind": {"risk"}, "seed": {" "}, "risk_limit": {"150"}}, {"kind": {"draw"}, "seed": {"1"}, "tables": {"x"}}}
	case "/users":
		return []url.Values{{"username": {"a b"}, "role": {"king"}, "password": {"short"}}, {"username": {"admin"}, "role": {"observer"}, "password": {testPassword}},
			{"username": {"nuevo"}, "role": {"coordinator"}, "scope": {"NOPE"}, "password": {testPassword}}}
	case "/account/tokens":
		return []url.Values{{"name": {strings.Repeat("t", 200)}}}
	}
	return nil
}

// walk requests every page route as every caller and checks each HTML
// answer.
func (w *demoWalk) walk(stage string) {
	callers := []string{""}
	for name := range w.sessions {
		callers = append(callers, name)
	}
	sort.Strings(callers)
	for _, rt := range w.srv.routes {
		if rt.API || rt.Pattern == "/logout" || strings.HasPrefix(rt.Pattern, "/static/") {
			continue
		}
		for _, p := range w.paths(rt.Pattern) {
			for _, caller := range callers {
				if rt.Method == http.MethodGet {
					w.check(stage, rt, caller, w.do("GET", p, caller, nil))
					continue
				}
				forms := append([]url.Values{{}}, w.slips(rt.Pattern)...)
				for _, f := range forms {
					w.check(stage, rt, caller, w.do("POST", p, caller, f))
				}
			}
		}
	}
}

func (w *demoWalk) do(method, path, caller string, form url.Values) *httptest.ResponseRecorder {
	w.requests++
	var body io.Reader
	if form != nil {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		csrf := "anon-csrf-token-of-the-walk-0123456789"
		if caller != "" {
			csrf = w.sessions[caller].CSRF
		}
		f.Set("csrf", csrf)
		body = strings.NewReader(f.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	req.RemoteAddr = fmt.Sprintf("198.51.100.%d:1", w.requests%250+1)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept-Language", "es-VE,es;q=0.9")
	if caller != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: w.tokens[caller]})
	} else {
		req.AddCookie(&http.Cookie{Name: csrfCookie, Value: "anon-csrf-token-of-the-walk-0123456789"})
	}
	rec := httptest.NewRecorder()
	w.srv.Handler().ServeHTTP(rec, req)
	return rec
}

func (w *demoWalk) check(stage string, rt route, caller string, rec *httptest.ResponseRecorder) {
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		if rec.Code >= 400 && strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
			w.note(fmt.Sprintf("%s %s as %q (%s): %d in plain text: %.200q", rt.Method, rt.Pattern, caller, stage, rec.Code, rec.Body.String()))
		}
		return
	}
	if rec.Code == http.StatusInternalServerError {
		w.note(fmt.Sprintf("%s %s as %q (%s): status %d", rt.Method, rt.Pattern, caller, stage, rec.Code))
	}
	for _, s := range englishIn(rec.Body.String()) {
		w.note(fmt.Sprintf("%s %s (%s): English on a Spanish page: %q", rt.Method, rt.Pattern, stage, s))
	}
}

// note records a finding once, however many callers meet it.
func (w *demoWalk) note(f string) { w.found[f] = true }

func (w *demoWalk) findings() []string {
	var out []string
	for f := range w.found {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

var (
	hiddenRE    = regexp.MustCompile(`(?is)<(script|style|code|pre|kbd|samp|svg)\b.*?</(script|style|code|pre|kbd|samp|svg)>|<!--.*?-->`)
	attrTextRE  = regexp.MustCompile(`(?i)\s(?:placeholder|title|aria-label|alt)="([^"]*)"`)
	tagRE       = regexp.MustCompile(`(?s)<[^>]*>`)
	englishRE   = regexp.MustCompile(`(?i)\b(the|is|are|was|must|may|cannot|can't|unknown|give|but|and|with|has|have|only|this|that|of|to|for|from|should|here|there|which|ballots?|votes?|received|unused|empty|required|invalid|not|at least|at most|number|already|yet|please|none)\b`)
	segmentSplt = regexp.MustCompile(`\s*\n\s*|\s{2,}`)
)

// englishIn returns the pieces of a page's visible text (and of the
// attributes people read: placeholder, title, aria-label, alt) that hold
// English words.
func englishIn(page string) []string {
	page = hiddenRE.ReplaceAllString(page, " ")
	var texts []string
	for _, m := range attrTextRE.FindAllStringSubmatch(page, -1) {
		texts = append(texts, html.UnescapeString(m[1]))
	}
	body := tagRE.ReplaceAllString(page, "\n")
	texts = append(texts, segmentSplt.Split(html.UnescapeString(body), -1)...)
	var out []string
	for _, s := range texts {
		s = strings.TrimSpace(s)
		if s != "" && englishRE.MatchString(s) {
			out = append(out, s)
		}
	}
	return out
}

// TestEnglishIn checks the detector on sentences the pages showed.
func TestEnglishIn(t *testing.T) {
	for _, tc := range []struct {
		page string
		want int
	}{
		{`<p>a cédula number has digits only</p>`, 1},
		{`<p class="error">unknown category ""</p>`, 1},
		{`<p>ballots cast (7) + unused (4) = 11, but ballots received is 10</p>`, 1},
		{`<h1>No permitido</h1><p>a table_member may not poll-book here</p>`, 1},
		{`<p>El número de cédula solo lleva dígitos.</p><input placeholder="Nombre o código">`, 0},
		{`<script>if (a && the) {}</script><code>Authorization: Bearer</code>`, 0},
		{`<input placeholder="Search the territory">`, 1},
	} {
		if got := englishIn(tc.page); len(got) != tc.want {
			t.Errorf("englishIn(%q) = %q, want %d pieces", tc.page, got, tc.want)
		}
	}
}
