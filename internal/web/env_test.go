package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/assemblies/parliament"
	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/counting"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/storetest"
	"github.com/comuna/comuna/internal/voteday"
)

// The fixture's accounts, by name: each role, with scoped roles both
// inside the fixture target (council K1, circuit CI1, table T1) and
// outside it.
var fixtureUsers = []struct {
	name  string
	role  comuna.Role
	scope string
}{
	{"admin", comuna.RoleAdmin, ""},
	{"coord", comuna.RoleCoordinator, "CI1"},
	{"coord-other", comuna.RoleCoordinator, "CI3"},
	{"reviewer", comuna.RoleReviewer, ""},
	{"spokes", comuna.RoleSpokesperson, "K1"},
	{"spokes-other", comuna.RoleSpokesperson, "K4"},
	{"table", comuna.RoleTableMember, "T1"},
	{"table2", comuna.RoleTableMember, "T1"},
	{"observer", comuna.RoleObserver, ""},
	{"secretary", comuna.RoleSecretary, "C1"},
	{"secretary-other", comuna.RoleSecretary, "C2"},
}

// fixtureTarget is what every route of the fixture touches: round 1's
// circuit CI1, its council K1 and table T1.
var fixtureTarget = comuna.Target{Council: "K1", Circuit: "CI1", Table: "T1", Commune: "C1"}

const testPassword = "correct horse battery"

// testPollBookKey is the electoral authority's key in tests.
var testPollBookKey = pollbook.Key{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}

var testHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// env is a server over a real SQLite store with the storetest territory,
// the fixture's accounts, each logged in, and one round in the proposals
// phase with one submitted proposal of council K1.
type env struct {
	t        *testing.T
	store    *sqlstore.DB
	vd       voteday.Store
	srv      *Server
	users    map[string]*comuna.User
	sessions map[string]string // user name → session cookie
	csrf     map[string]string // user name → the session's CSRF token
	tokens   map[string]string // user name → API token
	round    *comuna.Round
	proposal *comuna.Proposal
	organ    *parliament.Organ   // council K1's spokespeople
	session  *parliament.Session // a session of organ, convened
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOn(t, storetest.SQLite(t))
}

// backends runs f once on SQLite and once on PostgreSQL (skipped, and
// saying so, without COMUNA_TEST_POSTGRES), each with a fresh store.
func backends(t *testing.T, f func(t *testing.T, store func(testing.TB) *sqlstore.DB)) {
	t.Run("sqlite", func(t *testing.T) { f(t, storetest.SQLite) })
	t.Run("postgres", func(t *testing.T) { f(t, storetest.Postgres) })
}

// newEnvOn is newEnv over the store st.
func newEnvOn(t *testing.T, st *sqlstore.DB) *env {
	t.Helper()
	ctx := context.Background()
	storetest.Seed(t, st)
	cfg := testConfig(st)
	cfg.PollBookKey = testPollBookKey
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e := &env{t: t, store: st, srv: srv, vd: st, users: map[string]*comuna.User{},
		sessions: map[string]string{}, csrf: map[string]string{}, tokens: map[string]string{}}
	now := comuna.Now()
	for _, fu := range fixtureUsers {
		u := &comuna.User{Username: fu.name, Name: "Test " + fu.name, Role: fu.role, Scope: fu.scope, PasswordHash: testHash(), Created: now}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatalf("CreateUser(%s): %v", fu.name, err)
		}
		e.users[fu.name] = u
		tok, hash := auth.NewToken()
		csrf, _ := auth.NewToken()
		if err := st.CreateSession(ctx, &comuna.Session{TokenHash: hash, UserID: u.ID, CSRF: csrf, Created: now, Expires: now.Add(time.Hour)}); err != nil {
			t.Fatalf("CreateSession(%s): %v", fu.name, err)
		}
		e.sessions[fu.name], e.csrf[fu.name] = tok, csrf
		api, apiHash := auth.NewToken()
		if err := st.CreateAPIToken(ctx, &comuna.APIToken{TokenHash: apiHash, UserID: u.ID, Name: "test", Created: now}); err != nil {
			t.Fatalf("CreateAPIToken(%s): %v", fu.name, err)
		}
		e.tokens[fu.name] = api
	}
	r := storetest.NewRound("Consulta de prueba")
	r.CreatedBy = e.users["admin"].ID
	r.Defaults()
	if err := st.CreateRound(ctx, r); err != nil {
		t.Fatalf("CreateRound: %v", err)
	}
	if e.round, err = st.TransitionRound(ctx, r.ID, comuna.PhaseDraft, comuna.PhaseProposals, e.users["admin"].ID); err != nil {
		t.Fatalf("TransitionRound: %v", err)
	}
	e.proposal = newProposal(r.ID, "K1", "Tanque de agua para el sector", e.users["spokes"].ID)
	if err := st.SubmitProposal(ctx, e.proposal); err != nil {
		t.Fatalf("SubmitProposal: %v", err)
	}
	e.organ = &parliament.Organ{Kind: parliament.KindSpokespeople, UnitCode: "K1", Name: "Vocería La Ceiba", Size: 5, Weekday: time.Wednesday, Minute: 18 * 60}
	if err := st.CreateOrgan(ctx, e.organ); err != nil {
		t.Fatalf("CreateOrgan: %v", err)
	}
	for i, name := range []string{"Ana", "Beto", "Carla", "Dario", "Elena"} {
		if err := st.SaveSeat(ctx, &parliament.Seat{OrganID: e.organ.ID, Position: i + 1, Role: parliament.Principal, Holder: name,
			Start: time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatalf("SaveSeat: %v", err)
		}
	}
	if e.session, err = st.ScheduleSession(ctx, e.organ.ID, time.Date(2026, 3, 4, 22, 0, 0, 0, time.UTC)); err != nil {
		t.Fatalf("ScheduleSession: %v", err)
	}
	return e
}

// testConfig wires a server over db as the command line does: the store,
// the vote-day store, the audits, execution and the counting use cases over it,
// without a log.
func testConfig(db *sqlstore.DB) Config {
	return Config{Store: db, VoteDay: db, Audits: db, Execution: db, Federation: db, Parliament: db, Counting: counting.New(db),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func newProposal(round int64, council, title string, by int64) *comuna.Proposal {
	return &comuna.Proposal{RoundID: round, Council: council, Title: title, Description: "Un proyecto de prueba.",
		Category: "water", Cost: 900_000, Location: "Sector 1",
		Minutes:     comuna.Minutes{Date: time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC), Attendance: 80, QuorumMet: true, VotesFor: 70, Against: 5, Abstain: 5},
		SubmittedBy: by}
}

// advance moves the fixture round forward to phase to.
func (e *env) advance(to comuna.Phase) {
	e.t.Helper()
	for e.round.Phase != to {
		var err error
		e.round, err = e.store.TransitionRound(context.Background(), e.round.ID, e.round.Phase, comuna.NextPhase(e.round.Phase), e.users["admin"].ID)
		if err != nil {
			e.t.Fatalf("TransitionRound: %v", err)
		}
	}
}

// request is one request to the server as a user ("" is the public).
type request struct {
	method string
	path   string
	user   string
	form   url.Values // a form body; the user's CSRF token is added unless noCSRF
	json   string     // a JSON body
	bearer bool       // authenticate with the user's API token instead of the cookie
	noCSRF bool
	header http.Header
	remote string // the client address; a fixed one if ""
}

func (e *env) do(rq request) *httptest.ResponseRecorder {
	e.t.Helper()
	var body io.Reader
	if rq.form != nil {
		f := url.Values{}
		for k, v := range rq.form {
			f[k] = v
		}
		if rq.user != "" && !rq.noCSRF && !rq.bearer {
			f.Set("csrf", e.csrf[rq.user])
		}
		body = strings.NewReader(f.Encode())
	} else if rq.json != "" {
		body = strings.NewReader(rq.json)
	}
	req := httptest.NewRequest(rq.method, rq.path, body)
	req.RemoteAddr = "192.0.2.1:1234"
	if rq.remote != "" {
		req.RemoteAddr = rq.remote
	}
	if rq.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else if rq.json != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range rq.header {
		req.Header[k] = v
	}
	if rq.user != "" {
		if rq.bearer {
			req.Header.Set("Authorization", "Bearer "+e.tokens[rq.user])
		} else {
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: e.sessions[rq.user]})
			if rq.json != "" && !rq.noCSRF {
				req.Header.Set("X-CSRF-Token", e.csrf[rq.user])
			}
		}
	}
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, req)
	return w
}

// get fetches a page as a user.
func (e *env) get(path, user string) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.do(request{method: "GET", path: path, user: user})
}

// apiError decodes the API's error shape.
func apiError(t *testing.T, w *httptest.ResponseRecorder) errorJSON {
	t.Helper()
	var b errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
		t.Fatalf("error body %q is not the error shape: %v", w.Body.String(), err)
	}
	return b.Error
}
