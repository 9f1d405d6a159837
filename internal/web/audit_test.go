package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/audit"
	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/record"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/storetest"
	"github.com/comuna/comuna/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// newAuditEnv serves a round counted through the store (storetest.
// CountedRound) with its log, logged in as its admin and as table members
// mesa-t1-0 (table T1) and mesa-t2-0 (table T2).
func newAuditEnv(t *testing.T) *env {
	t.Helper()
	return newAuditEnvOn(t, storetest.SQLite(t))
}

// newAuditEnvOn is newAuditEnv over an empty store.
func newAuditEnvOn(t *testing.T, st *sqlstore.DB) *env {
	t.Helper()
	ctx := context.Background()
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

	// Finding 4 of issue 8: the table's own members entered its recount
	// and overwrote each other. Now the audit's board enters it, twice
	// and blind; nobody else may.
	form := base + "/1/tables/T1"
	e.addUser("aud-uno", comuna.RoleAuditor, "1")
	e.addUser("aud-dos", comuna.RoleAuditor, "1")
	for _, who := range []string{"mesa-t1-0", "mesa-t2-0", "admin"} {
		if w := e.do(request{method: "GET", path: form, user: who}); w.Code != http.StatusForbidden {
			t.Fatalf("GET %s as %s = %d, want 403", form, who, w.Code)
		}
		w := e.do(request{method: "POST", path: "/api/v1" + form, user: who, bearer: true, json: `{"counts":[5,2,3],"ballots":12}`})
		if w.Code != http.StatusForbidden {
			t.Fatalf("POST recount as %s = %d, want 403", who, w.Code)
		}
	}
	if w := e.do(request{method: "GET", path: form, user: "aud-uno"}); w.Code != http.StatusOK || strings.Contains(w.Body.String(), ">5<") {
		t.Fatalf("GET %s = %d, want the blind form", form, w.Code)
	}
	w = e.do(request{method: "POST", path: form, user: "aud-uno", form: url.Values{"votes.1": {"5"}, "votes.2": {"2"}, "votes.3": {"3"}, "ballots": {"12"}}})
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "outcome-waiting") {
		t.Fatalf("POST %s (first entry) = %d, want waiting:\n%.1000s", form, w.Code, w.Body.String())
	}
	w = e.do(request{method: "POST", path: "/api/v1" + form, user: "aud-dos", bearer: true, json: `{"counts":[5,3,3],"ballots":12}`})
	if body := w.Body.String(); w.Code != http.StatusOK || !strings.Contains(body, `"mismatch"`) || !strings.Contains(body, "counts.2") ||
		strings.Contains(body, "[5,2,3]") || strings.Contains(body, `"audit"`) {
		t.Fatalf("POST recount (differing) = %d %s, want a blind mismatch naming counts.2", w.Code, body)
	}
	w = e.do(request{method: "POST", path: form, user: "aud-dos", form: url.Values{"votes.1": {"5"}, "votes.2": {"2"}, "votes.3": {"3"}, "ballots": {"12"}}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("POST %s (agreeing) = %d, want a redirect:\n%.1000s", form, w.Code, w.Body.String())
	}
	w = e.do(request{method: "POST", path: "/api/v1" + form, user: "aud-uno", bearer: true, json: `{"counts":[9,9,9],"ballots":27}`})
	if w.Code != http.StatusConflict {
		t.Fatalf("POST recount after acceptance = %d, want 409 (append-only)", w.Code)
	}
	w = e.do(request{method: "POST", path: form, user: "aud-uno", form: url.Values{"votes.1": {"5"}}})
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
	e.addUser("aud-tres", comuna.RoleAuditor, "1")
	w = e.do(request{method: "POST", path: "/api/v1/rounds/1/audits/1/tables/T1", user: "aud-tres", bearer: true, json: `{"counts":[5,3],"ballots":12}`})
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

// addUser creates an account with a session and an API token in e.
func (e *env) addUser(name string, role comuna.Role, scope string) {
	e.t.Helper()
	ctx := context.Background()
	u := &comuna.User{Username: name, Name: "Test " + name, Role: role, Scope: scope, PasswordHash: testHash(), Created: comuna.Now()}
	if err := e.store.CreateUser(ctx, u); err != nil {
		e.t.Fatalf("CreateUser(%s): %v", name, err)
	}
	e.users[name] = u
	now := comuna.Now()
	tok, hash := auth.NewToken()
	csrf, _ := auth.NewToken()
	if err := e.store.CreateSession(ctx, &comuna.Session{TokenHash: hash, UserID: u.ID, CSRF: csrf, Created: now, Expires: now.Add(time.Hour)}); err != nil {
		e.t.Fatal(err)
	}
	e.sessions[name], e.csrf[name] = tok, csrf
	api, apiHash := auth.NewToken()
	if err := e.store.CreateAPIToken(ctx, &comuna.APIToken{TokenHash: apiHash, UserID: u.ID, Name: "test", Created: now}); err != nil {
		e.t.Fatal(err)
	}
	e.tokens[name] = api
}

// TestRecountAttack is finding 4 of issue 8 through the API on both
// backends: the table's own member entered its hand recount and two
// members overwrote each other, last write winning.
func TestRecountAttack(t *testing.T) {
	backends(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newAuditEnvOn(t, open(t))
		e.api("POST", "/rounds/1/audits", "admin", `{"kind":"draw","seed":"1 2 3 4 5 6","tables":4}`, http.StatusCreated, nil)
		path := "/api/v1/rounds/1/audits/1/tables/T1"
		if w := e.do(request{method: "POST", path: path, user: "mesa-t1-0", bearer: true, json: `{"counts":[9,0,0],"ballots":12}`}); w.Code != http.StatusForbidden {
			t.Errorf("the table's member entering its recount = %d, want 403", w.Code)
		}
		e.addUser("junta-a", comuna.RoleAuditor, "1")
		e.addUser("junta-b", comuna.RoleAuditor, "1")
		var res struct {
			Status      string   `json:"status"`
			Differences []string `json:"differences"`
		}
		e.api("POST", "/rounds/1/audits/1/tables/T1", "junta-a", `{"counts":[5,2,3],"ballots":12}`, 200, &res)
		if res.Status != "waiting" {
			t.Errorf("first entry = %+v, want waiting", res)
		}
		e.api("POST", "/rounds/1/audits/1/tables/T1", "junta-b", `{"counts":[5,2,4],"ballots":12}`, 200, &res)
		if res.Status != "mismatch" || fmt.Sprint(res.Differences) != "[counts.3]" {
			t.Errorf("differing entry = %+v, want a mismatch naming counts.3", res)
		}
		e.api("POST", "/rounds/1/audits/1/tables/T1", "junta-b", `{"counts":[5,2,3],"ballots":12}`, 200, &res)
		if res.Status != "accepted" {
			t.Errorf("agreeing entry = %+v, want accepted", res)
		}
		// Last write no longer wins: the recount never changes.
		if w := e.do(request{method: "POST", path: path, user: "junta-a", bearer: true, json: `{"counts":[12,0,0],"ballots":12}`}); w.Code != http.StatusConflict {
			t.Errorf("overwriting an accepted recount = %d, want 409", w.Code)
		}
		// The audit's seed and draw, and the recount, are in the log.
		db := e.vd.(*sqlstore.DB)
		n, err := db.LogSize(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var logged []*record.Audit
		recounts := 0
		for i := range n {
			data, err := db.LogRecord(context.Background(), i)
			if err != nil {
				t.Fatal(err)
			}
			switch rec, _ := record.Decode(data); x := rec.(type) {
			case *record.Audit:
				logged = append(logged, x)
			case *record.Recount:
				recounts++
				if x.Table != "T1" || fmt.Sprint(x.Counts) != "[5 2 3]" || x.FirstBy != "junta-a" || x.By != "junta-b" {
					t.Errorf("logged recount = %+v", x)
				}
			}
		}
		if len(logged) != 1 || logged[0].Seed != "1 2 3 4 5 6" || len(logged[0].Draw) != 4 || recounts != 1 {
			t.Errorf("log holds audits %+v and %d recounts; want the draw's seed and 4 tables drawn, and 1 recount", logged, recounts)
		}
	})
}
