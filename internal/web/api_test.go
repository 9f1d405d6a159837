package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func decode(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
}

func TestAPIErrors(t *testing.T) {
	e := newEnv(t)
	rid := fmt.Sprint(e.round.ID)
	tests := []struct {
		name   string
		rq     request
		status int
		code   string
		field  string
	}{
		{"not found", request{method: "GET", path: "/api/v1/rounds/999"}, 404, "not_found", ""},
		{"no such endpoint", request{method: "GET", path: "/api/v1/nothing"}, 404, "not_found", ""},
		{"anonymous write", request{method: "POST", path: "/api/v1/rounds", json: `{}`}, 401, "unauthorized", ""},
		{"bad token", request{method: "GET", path: "/api/v1/me", header: http.Header{"Authorization": {"Bearer nope"}}}, 401, "unauthorized", ""},
		{"forbidden", request{method: "POST", path: "/api/v1/rounds", user: "observer", bearer: true, json: `{}`}, 403, "forbidden", ""},
		{"unknown field", request{method: "POST", path: "/api/v1/rounds", user: "admin", bearer: true, json: `{"name":"x","colour":"red"}`}, 400, "invalid", "colour"},
		{"wrong type", request{method: "POST", path: "/api/v1/rounds", user: "admin", bearer: true, json: `{"name":"x","ballot_size":"seven"}`}, 400, "invalid", "ballot_size"},
		{"malformed", request{method: "POST", path: "/api/v1/rounds", user: "admin", bearer: true, json: `{"name":`}, 400, "invalid", ""},
		{"trailing data", request{method: "POST", path: "/api/v1/rounds", user: "admin", bearer: true, json: `{"name":"x"} {}`}, 400, "invalid", ""},
		{"validation", request{method: "POST", path: "/api/v1/rounds", user: "admin", bearer: true, json: `{"name":"x","vote_date":"2030-05-01","winners_per_circuit":9,"tie_break_seed":"s"}`}, 400, "invalid", "winners_per_circuit"},
		{"bad date", request{method: "POST", path: "/api/v1/rounds", user: "admin", bearer: true, json: `{"name":"x","vote_date":"01/05/2026"}`}, 400, "invalid", "vote_date"},
		{"skipping a phase", request{method: "POST", path: "/api/v1/rounds/" + rid + "/transitions", user: "admin", bearer: true, json: `{"to":"voting"}`}, 409, "conflict", ""},
		{"scope", request{method: "POST", path: "/api/v1/rounds/" + rid + "/proposals", user: "spokes-other", bearer: true, json: `{"council":"K1"}`}, 403, "forbidden", ""},
		{"bad query", request{method: "GET", path: "/api/v1/territory/units?limit=lots"}, 400, "invalid", "limit"},
		{"no ballot", request{method: "GET", path: "/api/v1/rounds/" + rid + "/circuits/CI1/ballot"}, 404, "not_found", ""},
		{"review without decision", request{method: "POST", path: fmt.Sprintf("/api/v1/proposals/%d/review", e.proposal.ID), user: "reviewer", bearer: true, json: `{"reason":"bien"}`}, 400, "invalid", "accept"},
	}
	for _, tt := range tests {
		w := e.do(tt.rq)
		if w.Code != tt.status {
			t.Errorf("%s: %s %s = %d, want %d\n%s", tt.name, tt.rq.method, tt.rq.path, w.Code, tt.status, w.Body.String())
			continue
		}
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: Content-Type = %q, want JSON", tt.name, ct)
		}
		// Exactly {"error":{"code","message"[,"field"]}}.
		var raw map[string]map[string]string
		decode(t, w.Body.String(), &raw)
		got := raw["error"]
		if len(raw) != 1 || got == nil || got["message"] == "" {
			t.Errorf("%s: body %s is not the error shape", tt.name, w.Body.String())
		}
		if got["code"] != tt.code || got["field"] != tt.field {
			t.Errorf("%s: error = %v, want code %q field %q", tt.name, got, tt.code, tt.field)
		}
	}
}

func TestAPIFlow(t *testing.T) {
	e := newEnv(t)
	rid := fmt.Sprint(e.round.ID)
	call := func(rq request, want int) string {
		t.Helper()
		w := e.do(rq)
		if w.Code != want {
			t.Fatalf("%s %s = %d, want %d\n%s", rq.method, rq.path, w.Code, want, w.Body.String())
		}
		return w.Body.String()
	}
	var rounds struct {
		Rounds []roundJSON `json:"rounds"`
	}
	decode(t, call(request{method: "GET", path: "/api/v1/rounds"}, 200), &rounds)
	if len(rounds.Rounds) != 1 || rounds.Rounds[0].Phase != "proposals" || rounds.Rounds[0].VoteDate != "2026-03-01" || rounds.Rounds[0].NextPhase != "review" {
		t.Errorf("GET rounds = %+v", rounds)
	}
	var created roundJSON
	decode(t, call(request{method: "POST", path: "/api/v1/rounds", user: "admin", bearer: true,
		json: `{"name":"Consulta juvenil","vote_date":"2030-08-01","max_age":35,"amount_per_project":"10000.50","tie_break":"ballot-number"}`}, 201), &created)
	if created.MaxAge != 35 || created.MinAge != 15 || created.BallotSize != 7 || created.WinnersPerCircuit != 2 || created.AmountPerProject != "10000.50" || created.Phase != "draft" {
		t.Errorf("created round = %+v, want defaults filled", created)
	}
	call(request{method: "POST", path: fmt.Sprintf("/api/v1/rounds/%d/transitions", created.ID), user: "admin", bearer: true, json: `{"to":"proposals"}`}, 200)
	var trs struct {
		Transitions []transitionJSON `json:"transitions"`
	}
	decode(t, call(request{method: "GET", path: fmt.Sprintf("/api/v1/rounds/%d/transitions", created.ID)}, 200), &trs)
	if len(trs.Transitions) != 1 || trs.Transitions[0].User != "admin" || trs.Transitions[0].To != "proposals" {
		t.Errorf("transitions = %+v", trs)
	}

	var units struct {
		Units []unitJSON `json:"units"`
	}
	decode(t, call(request{method: "GET", path: "/api/v1/territory/units?level=council&parent=CI1"}, 200), &units)
	if len(units.Units) != 2 || units.Units[0].Code != "K1" || units.Units[0].Census != 1000 {
		t.Errorf("councils of CI1 = %+v", units.Units)
	}
	decode(t, call(request{method: "GET", path: "/api/v1/territory/units?q=samán"}, 200), &units)
	if len(units.Units) != 1 || units.Units[0].Code != "K2" {
		t.Errorf("search samán = %+v", units.Units)
	}
	var unit struct {
		Unit      unitJSON   `json:"unit"`
		Ancestors []unitJSON `json:"ancestors"`
		Stats     statsJSON  `json:"stats"`
	}
	decode(t, call(request{method: "GET", path: "/api/v1/territory/units/circuit/CI1"}, 200), &unit)
	if len(unit.Ancestors) != 4 || unit.Ancestors[0].Code != "S1" || unit.Stats.Census != 1500 || unit.Stats.Tables != 2 {
		t.Errorf("unit CI1 = %+v", unit)
	}

	// A spokesperson submits, a reviewer accepts, a coordinator builds
	// and publishes the ballot.
	var p proposalJSON
	decode(t, call(request{method: "POST", path: "/api/v1/rounds/" + rid + "/proposals", user: "spokes", bearer: true,
		json: `{"council":"K1","title":"Cancha","category":"sport","cost":"5000","assembly_date":"2026-01-05","attendance":50,"quorum_met":true,"votes_for":40}`}, 201), &p)
	if p.Circuit != "CI1" || p.Status != "submitted" || p.Cost != "5000.00" {
		t.Errorf("submitted proposal = %+v", p)
	}
	call(request{method: "POST", path: fmt.Sprintf("/api/v1/proposals/%d/review", p.ID), user: "reviewer", bearer: true, json: `{"accept":true,"reason":"Factible"}`}, 200)
	decode(t, call(request{method: "GET", path: fmt.Sprintf("/api/v1/proposals/%d", p.ID)}, 200), &p)
	if p.Status != "accepted" || p.Reason != "Factible" {
		t.Errorf("reviewed proposal = %+v", p)
	}
	e.advance("ballots")
	base := "/api/v1/rounds/" + rid + "/circuits/CI1/ballot"
	call(request{method: "POST", path: base, user: "coord", bearer: true, json: fmt.Sprintf(`{"proposals":[%d]}`, p.ID)}, 201)
	var b ballotJSON
	decode(t, call(request{method: "POST", path: base + "/publish", user: "coord", bearer: true, json: `{}`}, 200), &b)
	if !b.Published || len(b.Items) != 1 || b.Items[0].Number != 1 || b.Items[0].Title != "Cancha" {
		t.Errorf("published ballot = %+v", b)
	}
	call(request{method: "POST", path: base, user: "coord", bearer: true, json: fmt.Sprintf(`{"proposals":[%d]}`, p.ID)}, 400)
	call(request{method: "POST", path: base, user: "coord", bearer: true, json: fmt.Sprintf(`{"proposals":[%d],"reason":"Corrección"}`, p.ID)}, 201)
	var versions struct {
		Versions []ballotJSON `json:"versions"`
	}
	decode(t, call(request{method: "GET", path: base + "/versions"}, 200), &versions)
	if len(versions.Versions) != 2 || versions.Versions[0].Version != 2 || versions.Versions[0].Reason != "Corrección" {
		t.Errorf("versions = %+v", versions)
	}
	var circuit struct {
		Councils  []unitJSON     `json:"councils"`
		Proposals []proposalJSON `json:"proposals"`
		Ballot    *ballotJSON    `json:"ballot"`
	}
	decode(t, call(request{method: "GET", path: "/api/v1/rounds/" + rid + "/circuits/CI1"}, 200), &circuit)
	if len(circuit.Councils) != 2 || len(circuit.Proposals) != 2 || circuit.Ballot == nil || circuit.Ballot.Version != 2 {
		t.Errorf("circuit = %+v", circuit)
	}

	// Accounts and tokens.
	var u userJSON
	decode(t, call(request{method: "POST", path: "/api/v1/users", user: "admin", bearer: true,
		json: `{"username":"mesa2","name":"Mesa dos","role":"table_member","scope":"T2","password":"` + testPassword + `"}`}, 201), &u)
	if u.Role != "table_member" || u.Scope != "T2" {
		t.Errorf("created user = %+v", u)
	}
	var tok tokenJSON
	decode(t, call(request{method: "POST", path: "/api/v1/tokens", user: "admin", bearer: true, json: fmt.Sprintf(`{"name":"script","user_id":%d}`, u.ID)}, 201), &tok)
	var me userJSON
	decode(t, call(request{method: "GET", path: "/api/v1/me", header: http.Header{"Authorization": {"Bearer " + tok.Token}}}, 200), &me)
	if me.Username != "mesa2" {
		t.Errorf("GET me with the new token = %+v", me)
	}
	call(request{method: "POST", path: "/api/v1/tokens", user: "observer", bearer: true, json: fmt.Sprintf(`{"name":"x","user_id":%d}`, u.ID)}, 403)
	var users struct {
		Users []userJSON `json:"users"`
	}
	decode(t, call(request{method: "GET", path: "/api/v1/users", user: "admin", bearer: true}, 200), &users)
	if len(users.Users) != len(fixtureUsers)+1 {
		t.Errorf("users = %d, want %d", len(users.Users), len(fixtureUsers)+1)
	}
	if strings.Contains(call(request{method: "GET", path: "/api/v1/users", user: "admin", bearer: true}, 200), "argon2") {
		t.Error("GET users leaks password hashes")
	}
}
