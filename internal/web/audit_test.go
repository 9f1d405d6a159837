package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/audit"
	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/storetest"
	"github.com/comuna/comuna/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// newAuditEnv serves a round counted through the store (storetest.
// CountedRound) with its log, logged in as its admin and as table members
// mesa-t1-0 (table T1) and mesa-t2-0 (table T2).
func newAuditEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st := storetest.SQLite(t)
	r, admin := storetest.CountedRound(t, st)
	db := st
	skey, _, err := translog.GenerateKey("comuna.test")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(db)
	cfg.Log, cfg.LogSigner = db, signer
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, store: st, srv: srv, vd: db, round: r, users: map[string]*comuna.User{"admin": admin},
		sessions: map[string]string{}, csrf: map[string]string{}, tokens: map[string]string{}}
	for _, name := range []string{"mesa-t1-0", "mesa-t2-0"} {
		u, err := st.UserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		e.users[name] = u
	}
	now := comuna.Now()
	for name, u := range e.users {
		tok, hash := auth.NewToken()
		csrf, _ := auth.NewToken()
		if err := st.CreateSession(ctx, &comuna.Session{TokenHash: hash, UserID: u.ID, CSRF: csrf, Created: now, Expires: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		e.sessions[name], e.csrf[name] = tok, csrf
		api, apiHash := auth.NewToken()
		if err := st.CreateAPIToken(ctx, &comuna.APIToken{TokenHash: apiHash, UserID: u.ID, Name: "test", Created: now}); err != nil {
			t.Fatal(err)
		}
		e.tokens[name] = api
	}
	return e
}

func TestAuditPages(t *testing.T) {
	e := newAuditEnv(t)
	base := "/rounds/1/audits"
	if w := e.do(request{method: "GET", path: base}); w.Code != http.StatusOK || strings.Contains(w.Body.String(), `name="seed"`) {
		t.Fatalf("GET %s (public) = %d, want 200 without the create form", base, w.Code)
	}
	if w := e.do(request{method: "GET", path: base, user: "admin"}); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `name="seed"`) {
		t.Fatalf("GET %s (admin) = %d, want the create form", base, w.Code)
	}
	w := e.do(request{method: "POST", path: base, user: "admin", form: url.Values{"kind": {"risk-limiting"}, "seed": {""}}})
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("POST %s (no seed) = %d, want 422", base, w.Code)
	}
	w = e.do(request{method: "POST", path: base, user: "admin", form: url.Values{"kind": {"risk-limiting"}, "seed": {"31415926535897932384"}, "risk_limit": {"5"}}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != base+"/1" {
		t.Fatalf("POST %s = %d %s, want a redirect to audit 1", base, w.Code, w.Header().Get("Location"))
	}
	w = e.do(request{method: "GET", path: base + "/1"})
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, "31415926535897932384") || !strings.Contains(body, "CI1") {
		t.Fatalf("GET %s/1 = %d, want the seed and circuit CI1:\n%.2000s", base, w.Code, body)
	}

	// The recount form of T1: its table member may enter it, T2's may not.
	form := base + "/1/tables/T1"
	if w := e.do(request{method: "GET", path: form, user: "mesa-t1-0"}); w.Code != http.StatusOK || strings.Contains(w.Body.String(), ">5<") {
		t.Fatalf("GET %s = %d, want the blind form", form, w.Code)
	}
	if w := e.do(request{method: "GET", path: form, user: "mesa-t2-0"}); w.Code != http.StatusForbidden {
		t.Fatalf("GET %s (another table's member) = %d, want 403", form, w.Code)
	}
	w = e.do(request{method: "POST", path: form, user: "mesa-t1-0", form: url.Values{"votes.1": {"5"}, "votes.2": {"2"}, "votes.3": {"3"}, "ballots": {"12"}}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("POST %s = %d, want a redirect:\n%.1000s", form, w.Code, w.Body.String())
	}
	w = e.do(request{method: "POST", path: form, user: "mesa-t1-0", form: url.Values{"votes.1": {"5"}}})
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("POST %s (missing counts) = %d, want 422", form, w.Code)
	}

	// The API shows the discrepancy at T1, reported against recounted.
	w = e.do(request{method: "GET", path: "/api/v1" + base + "/1"})
	var got auditJSON
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != http.StatusOK {
		t.Fatalf("GET /api/v1%s/1 = %d, %v", base, w.Code, err)
	}
	var ci1 *circuitAuditJSON
	for i := range got.Circuits {
		if got.Circuits[i].Circuit == "CI1" {
			ci1 = &got.Circuits[i]
		}
	}
	if ci1 == nil || len(ci1.Discrepancies) != 1 || ci1.Discrepancies[0].Table != "T1" ||
		!slices.Equal(ci1.Discrepancies[0].Reported, []int64{5, 3, 2}) || !slices.Equal(ci1.Discrepancies[0].Recounted, []int64{5, 2, 3}) {
		t.Fatalf("audit JSON CI1 = %+v, want T1's discrepancy 5 3 2 → 5 2 3", ci1)
	}
	if w := e.do(request{method: "GET", path: base + "/1"}); !strings.Contains(w.Body.String(), "[5 2 3]") {
		t.Errorf("the audit page does not show T1's recount")
	}
}

func TestAuditDrawAPI(t *testing.T) {
	e := newAuditEnv(t)
	var drawn [][]string
	for range 2 {
		w := e.do(request{method: "POST", path: "/api/v1/rounds/1/audits", user: "admin", bearer: true,
			json: `{"kind":"draw","seed":"1 2 3 4 5 6","tables":3}`})
		var got auditJSON
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != http.StatusCreated || got.Draw == nil {
			t.Fatalf("POST draw = %d %s, %v", w.Code, w.Body.String(), err)
		}
		drawn = append(drawn, got.Draw.Tables)
	}
	want := audit.Draw("1 2 3 4 5 6", []string{"T1", "T2", "T3", "T4"}, 3)
	if !slices.Equal(drawn[0], want) || !slices.Equal(drawn[1], want) {
		t.Fatalf("draws = %v, want %v twice: anyone re-derives the draw from the seed", drawn, want)
	}
	w := e.do(request{method: "POST", path: "/api/v1/rounds/1/audits", user: "mesa-t1-0", bearer: true, json: `{"kind":"draw","seed":"x","tables":1}`})
	if w.Code != http.StatusForbidden {
		t.Fatalf("POST draw as a table member = %d, want 403", w.Code)
	}
	w = e.do(request{method: "POST", path: "/api/v1/rounds/1/audits/1/tables/T1", user: "mesa-t1-0", bearer: true, json: `{"counts":[5,3],"ballots":12}`})
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"field": "counts"`) {
		t.Fatalf("POST recount with two counts for three projects = %d %s, want 400 naming counts", w.Code, w.Body.String())
	}
}

func TestVerifyCircuitPage(t *testing.T) {
	e := newAuditEnv(t)
	e.do(request{method: "POST", path: "/rounds/1/audits", user: "admin", form: url.Values{"kind": {"risk-limiting"}, "seed": {"99"}}})
	w := e.do(request{method: "GET", path: "/rounds/1/results/circuit/CI1/verify"})
	body := w.Body.String()
	for _, want := range []string{"comuna verify --url http://example.com", "/log/record/", "/log/proof/record/", "?size=", "/log/checkpoint", "T4", "/rounds/1/audits/1"} {
		if !strings.Contains(body, want) {
			t.Errorf("verify page lacks %q", want)
		}
	}
	if w.Code != http.StatusOK {
		t.Fatalf("GET verify page = %d:\n%.2000s", w.Code, body)
	}
	if w := e.do(request{method: "GET", path: "/rounds/1/results/circuit/NOPE/verify"}); w.Code != http.StatusNotFound {
		t.Errorf("GET verify page of an unknown circuit = %d, want 404", w.Code)
	}
}
