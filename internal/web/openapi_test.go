package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// undocumentedYet are the API routes that landed while the description
// was being written and are not in it yet: debt, to be paid by adding each
// to apiOps (the test then says to drop it from here). No new route may
// join this list.
var undocumentedYet = map[string]bool{
	"GET /api/v1/rounds/{id}/tables/{code}/corrections":                true,
	"POST /api/v1/rounds/{id}/tables/{code}/corrections/{cid}/confirm": true,
	"POST /api/v1/rounds/{id}/tables/{code}/corrections/{cid}/refuse":  true,
	"POST /api/v1/rounds/{id}/circuits/{code}/reopen":                  true,
	"GET /api/v1/rounds/{id}/reopenings":                               true,
	"GET /api/v1/organs":                                               true,
	"POST /api/v1/organs":                                              true,
	"GET /api/v1/organs/{organ}":                                       true,
	"POST /api/v1/organs/{organ}/seats":                                true,
	"GET /api/v1/organs/{organ}/sessions":                              true,
	"POST /api/v1/organs/{organ}/sessions":                             true,
	"GET /api/v1/sessions/{session}":                                   true,
	"POST /api/v1/sessions/{session}/commands":                         true,
	"GET /api/v1/sessions/{session}/minutes":                           true,
	"POST /api/v1/sessions/{session}/minutes":                          true,
	"GET /api/v1/decisions":                                            true,
}

// TestOpenAPIDocumentsEveryRoute fails when an API route of routeTable is
// not in apiOps (or apiOps names a route that does not exist), and says
// exactly what to add.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	e := newEnv(t)
	routes := map[string]bool{}
	for _, rt := range e.srv.routeTable() {
		if !rt.API {
			continue
		}
		key := rt.Method + " " + rt.Pattern
		routes[key] = true
		if undocumentedYet[key] {
			if documented(rt.Method, rt.Pattern) {
				t.Errorf("%s is documented now: remove it from undocumentedYet in internal/web/openapi_test.go", key)
			}
			continue
		}
		if !documented(rt.Method, rt.Pattern) {
			path := strings.TrimPrefix(rt.Pattern, "/api/v1")
			t.Errorf("route %s %s is not in the OpenAPI description. Add to apiOps in internal/web/openapi.go:\n"+
				"\t{Method: %q, Path: %q, Tag: \"…\", Summary: \"…\", Body: yourInput{} /* or nil */, Status: 200 /* or 201 */, Reply: yourReplyJSON{}},\n"+
				"(Reply is a value of the type the handler writes; for a map, declare a small struct beside the others in openapi.go),\n"+
				"exercise it in TestOpenAPIResponses (internal/web/openapi_test.go) so its real response is validated,\n"+
				"and add a line to the endpoint table of internal/web/API.md.", rt.Method, rt.Pattern, rt.Method, path)
		}
	}
	for _, op := range apiOps {
		if !routes[op.Method+" /api/v1"+op.Path] {
			t.Errorf("apiOps documents %s %s, which routeTable does not serve: remove it or fix its path", op.Method, op.Path)
		}
	}
	api, err := os.ReadFile("API.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range apiOps {
		if line := "`" + op.Method + " /api/v1" + op.Path + "`"; !bytes.Contains(api, []byte(line)) {
			t.Errorf("API.md's endpoint table lacks %s", line)
		}
	}
}

// openAPIValidator parses the served description with libopenapi and
// returns a validator for responses.
func openAPIValidator(t *testing.T, e *env) validator.Validator {
	t.Helper()
	w := e.get("/api/v1/openapi.json", "")
	if w.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json = %d", w.Code)
	}
	doc, err := libopenapi.NewDocument(w.Body.Bytes())
	if err != nil {
		t.Fatalf("the description does not parse: %v", err)
	}
	if v := doc.GetSpecInfo().Version; v != "3.1.0" {
		t.Fatalf("openapi = %q, want 3.1.0", v)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, ve := range verrs {
			t.Errorf("the description is not valid OpenAPI 3.1: %s", ve.Error())
		}
		t.FailNow()
	}
	return v
}

// TestOpenAPIResponses plays a round through the API — every documented
// operation at least once — and validates each real response against the
// description.
func TestOpenAPIResponses(t *testing.T) {
	e := newEnv(t)
	v := openAPIValidator(t, e)
	covered := map[string]bool{}
	rid := fmt.Sprint(e.round.ID)
	call := func(method, op, path, user, body string, want int) string {
		t.Helper()
		covered[method+" "+op] = true
		rq := request{method: method, path: "/api/v1" + path, user: user, json: body, bearer: user != ""}
		w := e.do(rq)
		if w.Code != want {
			t.Fatalf("%s %s as %q = %d, want %d\n%s", method, path, user, w.Code, want, w.Body.String())
		}
		checkResponse(t, v, method, path, body, w)
		return w.Body.String()
	}
	var id struct {
		ID int64 `json:"id"`
	}
	decodeID := func(s string) int64 {
		decode(t, s, &id)
		return id.ID
	}

	call("GET", "/openapi.json", "/openapi.json", "", "", 200)
	call("GET", "/rounds", "/rounds", "", "", 200)
	newRound := decodeID(call("POST", "/rounds", "/rounds", "admin",
		`{"name":"Consulta juvenil","vote_date":"2031-08-01","max_age":35,"amount_per_project":"10000.50","tie_break":"ballot-number"}`, 201))
	call("GET", "/rounds/{id}", fmt.Sprintf("/rounds/%d", newRound), "", "", 200)
	call("GET", "/rounds/{id}/transitions", "/rounds/"+rid+"/transitions", "", "", 200)
	call("GET", "/territory/summary", "/territory/summary", "", "", 200)
	call("GET", "/territory/units", "/territory/units?level=council&parent=CI1", "", "", 200)
	call("GET", "/territory/units/{level}/{code}", "/territory/units/circuit/CI1", "", "", 200)

	pid := decodeID(call("POST", "/rounds/{id}/proposals", "/rounds/"+rid+"/proposals", "spokes",
		`{"council":"K1","title":"Cancha","category":"sport","cost":"5000","assembly_date":"2026-01-05","attendance":50,"quorum_met":true,"votes_for":40}`, 201))
	call("GET", "/rounds/{id}/proposals", "/rounds/"+rid+"/proposals", "", "", 200)
	call("GET", "/proposals/{id}", fmt.Sprintf("/proposals/%d", pid), "", "", 200)
	call("POST", "/rounds/{id}/transitions", "/rounds/"+rid+"/transitions", "admin", `{"to":"review"}`, 200)
	call("POST", "/proposals/{id}/review", fmt.Sprintf("/proposals/%d/review", pid), "reviewer", `{"accept":true,"reason":"Factible"}`, 200)
	e.round.Phase = "review"
	e.advance("ballots")
	ballot := "/rounds/" + rid + "/circuits/CI1/ballot"
	call("POST", "/rounds/{id}/circuits/{code}/ballot", ballot, "coord", fmt.Sprintf(`{"proposals":[%d]}`, pid), 201)
	call("POST", "/rounds/{id}/circuits/{code}/ballot/publish", ballot+"/publish", "coord", `{}`, 200)
	call("GET", "/rounds/{id}/circuits/{code}/ballot", ballot, "", "", 200)
	call("GET", "/rounds/{id}/circuits/{code}/ballot/versions", ballot+"/versions", "", "", 200)
	call("GET", "/rounds/{id}/circuits/{code}", "/rounds/"+rid+"/circuits/CI1", "", "", 200)

	e.advance("voting")
	table := "/rounds/" + rid + "/tables/T1"
	call("GET", "/rounds/{id}/tables", "/rounds/"+rid+"/tables", "", "", 200)
	call("POST", "/rounds/{id}/tables/{code}/checkins", table+"/checkins", "table", checkInBody("12345678", "1990-01-01", "key-checkin-1"), 200)
	wid := decodeID(call("POST", "/rounds/{id}/tables/{code}/walkins", table+"/walkins", "table", `{"count":1,"reason":"Votante con constancia de la autoridad","idempotency_key":"key-walkins-1"}`, 202))
	call("POST", "/rounds/{id}/tables/{code}/walkins/{rid}/confirm", fmt.Sprintf("%s/walkins/%d/confirm", table, wid), "admin", `{}`, 200)
	wid = decodeID(call("POST", "/rounds/{id}/tables/{code}/walkins", table+"/walkins", "table", `{"count":2,"reason":"Dos votantes más","idempotency_key":"key-walkins-2"}`, 202))
	call("POST", "/rounds/{id}/tables/{code}/walkins/{rid}/refuse", fmt.Sprintf("%s/walkins/%d/refuse", table, wid), "admin", `{}`, 200)
	call("POST", "/rounds/{id}/tables/{code}/close", table+"/close", "table", `{}`, 200)
	call("GET", "/rounds/{id}/tables/{code}", table, "table", "", 200)
	call("POST", "/rounds/{id}/tables/{code}/entries", table+"/entries", "table", sheetBody(10, 2, 2, 0, 0, 8, "key-entry-1"), 200)
	call("POST", "/rounds/{id}/tables/{code}/entries", table+"/entries", "admin", sheetBody(10, 2, 2, 0, 0, 8, "key-entry-2"), 200)
	e.advance("counting")
	call("POST", "/rounds/{id}/tables/{code}/corrections", table+"/corrections", "admin",
		strings.Replace(sheetBody(10, 2, 1, 0, 1, 8, "key-correct-1"), `"idempotency_key"`, `"reason":"Recuento: una nula","idempotency_key"`, 1), 202)
	call("GET", "/rounds/{id}/tables/{code}/sheets", table+"/sheets", "", "", 200)
	call("GET", "/rounds/{id}/sheets", "/rounds/"+rid+"/sheets", "", "", 200)
	call("GET", "/rounds/{id}/results", "/rounds/"+rid+"/results", "", "", 200)
	call("GET", "/rounds/{id}/results/{level}/{code}", "/rounds/"+rid+"/results/circuit/CI1", "", "", 200)
	call("GET", "/rounds/{id}/results/{level}/{code}", "/rounds/"+rid+"/results/state/S1", "", "", 200)
	call("GET", "/rounds/{id}/funded", "/rounds/"+rid+"/funded", "", "", 200)

	aid := decodeID(call("POST", "/rounds/{id}/audits", "/rounds/"+rid+"/audits", "admin", `{"kind":"draw","seed":"1 2 3 4 5 6","tables":1}`, 201))
	call("GET", "/rounds/{id}/audits", "/rounds/"+rid+"/audits", "", "", 200)
	call("GET", "/rounds/{id}/audits/{aid}", fmt.Sprintf("/rounds/%s/audits/%d", rid, aid), "", "", 200)
	e.addUser("junta-openapi", "auditor", fmt.Sprint(aid)) // recounts are the audit board's
	call("POST", "/rounds/{id}/audits/{aid}/tables/{code}", fmt.Sprintf("/rounds/%s/audits/%d/tables/T1", rid, aid), "junta-openapi", `{"counts":[1],"ballots":2}`, 200)

	fid := decodeID(call("POST", "/federations", "/federations", "admin", `{"name": "Federación Walk", "admit_by": "board"}`, 201))
	call("GET", "/federations", "/federations", "", "", 200)
	call("GET", "/federations/{fid}", fmt.Sprintf("/federations/%d", fid), "", "", 200)
	call("POST", "/federations/{fid}/entries", fmt.Sprintf("/federations/%d/entries", fid), "admin", `{"kind": "congress", "name": "Congreso"}`, 201)
	call("GET", "/federations/{fid}/elections/{eid}", fmt.Sprintf("/federations/%d/elections/1", fid), "", "", 404)

	call("GET", "/users", "/users", "admin", "", 200)
	uid := decodeID(call("POST", "/users", "/users", "admin", `{"username":"mesa2","name":"Mesa dos","role":"table_member","scope":"T2","password":"`+testPassword+`"}`, 201))
	call("POST", "/tokens", "/tokens", "admin", fmt.Sprintf(`{"name":"script","user_id":%d}`, uid), 201)
	call("GET", "/me", "/me", "observer", "", 200)

	// An error answer follows the description too.
	call("GET", "/rounds/{id}", "/rounds/999", "", "", 404)

	// Funded projects followed after the vote, on their own fixture.
	x, p := execEnv(t)
	xv := openAPIValidator(t, x)
	xcall := func(method, op, path, user, body string, want int) {
		t.Helper()
		covered[method+" "+op] = true
		w := x.do(request{method: method, path: "/api/v1" + path, user: user, json: body, bearer: user != ""})
		if w.Code != want {
			t.Fatalf("%s %s as %q = %d, want %d\n%s", method, path, user, w.Code, want, w.Body.String())
		}
		checkResponse(t, xv, method, path, body, w)
	}
	proj := fmt.Sprintf("/rounds/%d/execution/projects/%d", p.Round, p.ID)
	today := time.Now().UTC().Format(time.DateOnly)
	xcall("GET", "/rounds/{id}/execution", fmt.Sprintf("/rounds/%d/execution", p.Round), "", "", 200)
	xcall("GET", "/rounds/{id}/execution/projects/{pid}", proj, "", "", 200)
	xcall("POST", "/rounds/{id}/execution/projects/{pid}/payments", proj+"/payments", "fondo",
		`{"kind":"disbursement","date":"`+today+`","amount":"182500.00","currency":"VES","rate":"36.5","rate_source":"BCV tasa oficial","payer":"federal_fund","payee":"Consejo comunal K1","reference":"TX-1"}`, 201)
	xcall("POST", "/rounds/{id}/execution/projects/{pid}/entries", proj+"/entries", "finanzas",
		`{"kind":"milestone","title":"Techo","planned":"`+time.Now().AddDate(0, 1, 0).Format(time.DateOnly)+`","weight":"1"}`, 201)
	xcall("POST", "/rounds/{id}/execution/projects/{pid}/oversight", proj+"/oversight", "contralor",
		`{"kind":"finding","severity":"high","description":"faltan los recibos del cemento"}`, 201)
	// The fixture has no administrator: the refusal follows the description.
	xcall("POST", "/rounds/{id}/execution/projects/{pid}/corrections", proj+"/corrections", "observer", `{"kind":"correction","reason":"x"}`, 403)

	var missing []string
	for _, op := range apiOps {
		if !covered[op.Method+" "+op.Path] {
			missing = append(missing, op.Method+" "+op.Path)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("%s is documented but TestOpenAPIResponses never calls it: add a call so its real response is validated", m)
	}
}

// checkResponse validates one recorded response against the description.
func checkResponse(t *testing.T, v validator.Validator, method, path, body string, w *httptest.ResponseRecorder) {
	t.Helper()
	req := httptest.NewRequest(method, "http://comuna.test/api/v1"+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp := &http.Response{StatusCode: w.Code, Header: w.Header(), Body: io.NopCloser(bytes.NewReader(w.Body.Bytes())), Request: req}
	if ok, errs := v.ValidateHttpResponse(req, resp); !ok {
		for _, ve := range errs {
			msg := ve.Error()
			for _, se := range ve.SchemaValidationErrors {
				msg += "\n\t" + se.FieldPath + " (" + se.KeywordLocation + "): " + se.Reason
			}
			t.Errorf("%s %s: the response does not follow the description: %s", method, path, msg)
		}
		t.Logf("body: %.2000s", w.Body.String())
	}
}
