package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

func TestTallyDoubleEntry(t *testing.T) {
	e := voteEnv(t)
	e.closedTable(5)
	path := e.roundPath("/tables/T1/entries")

	// A sheet that does not reconcile: every problem named, nothing stored.
	w := e.do(request{method: "POST", path: "/api/v1" + path, user: "table", bearer: true, json: sheetBody(10, 6, 4, 1, 0, 5, "entry-bad-0001")})
	var bad struct {
		Error  errorJSON   `json:"error"`
		Errors []errorJSON `json:"errors"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &bad); err != nil || w.Code != 422 {
		t.Fatalf("non-reconciling sheet = %d %s, want 422", w.Code, w.Body.String())
	}
	fields := map[string]bool{}
	for _, x := range bad.Errors {
		fields[x.Field] = true
	}
	if !fields["cast"] || !fields["received"] || bad.Error.Field != "cast" {
		t.Errorf("non-reconciling sheet errors = %+v, want cast and received named", bad)
	}
	if st, err := e.vd.TableState(context.Background(), e.round.ID, "T1"); err != nil || len(st.Entries) != 0 || st.Sheet != nil {
		t.Errorf("after a refused sheet TableState = %+v, %v; want no entry stored", st, err)
	}

	var first entryJSON
	e.api("POST", path, "table", sheetBody(10, 5, 4, 1, 0, 5, "entry-first-001"), 200, &first)
	if first.Status != "waiting" {
		t.Fatalf("first entry = %+v, want waiting", first)
	}
	var second entryJSON
	e.api("POST", path, "admin", sheetBody(10, 5, 3, 2, 0, 5, "entry-second-01"), 200, &second)
	if second.Status != "mismatch" || fmt.Sprint(second.Differences) != "[{votes.1} {blank}]" {
		t.Fatalf("disagreeing entry = %+v, want mismatch on votes.1 and blank", second)
	}
	var third entryJSON
	e.api("POST", path, "admin", sheetBody(10, 5, 4, 1, 0, 5, "entry-third-001"), 200, &third)
	if third.Status != "accepted" || third.Sheet == nil || third.Sheet.Version != 1 || third.Sheet.Sheet.Cast != 5 {
		t.Fatalf("agreeing entry = %+v, want accepted version 1", third)
	}

	// Results show the sheet at once, down to the circuit.
	var res struct {
		Nation nodeJSON   `json:"nation"`
		States []nodeJSON `json:"states"`
	}
	e.api("GET", e.roundPath("/results"), "", "", 200, &res)
	if res.Nation.Cast != 5 || res.Nation.TablesReported != 1 || res.Nation.TablesExpected != 4 {
		t.Errorf("national results = cast %d, tables %d of %d; want 5, 1 of 4", res.Nation.Cast, res.Nation.TablesReported, res.Nation.TablesExpected)
	}
	page := e.get(e.roundPath("/results/circuit/CI1"), "")
	body := page.Body.String()
	if page.Code != 200 || !strings.Contains(body, "Tanque de agua para el sector") || !strings.Contains(body, "PROVISIONAL") ||
		!strings.Contains(body, e.roundPath("/tables/T1/sheets")) {
		t.Errorf("circuit results page = %d, want the project, PROVISIONAL (T4 has not reported) and T1's sheet link\n%.2000s", page.Code, body)
	}
	if page := e.get(e.roundPath("/results"), ""); page.Code != 200 || !strings.Contains(page.Body.String(), "/results/state/S1") {
		t.Errorf("national results page = %d, want a link to state S1", page.Code)
	}

	csv := e.get(e.roundPath("/sheets.csv"), "")
	lines := strings.Split(strings.TrimSpace(csv.Body.String()), "\n")
	if csv.Code != 200 || len(lines) != 2 || !strings.HasPrefix(lines[1], "1,T1,CI1,1,") || strings.Contains(csv.Body.String(), "entry-") {
		t.Errorf("sheets.csv = %d\n%s\nwant a header and T1's sheet, without idempotency keys", csv.Code, csv.Body.String())
	}
	var open struct {
		Sheets []versionJSON `json:"sheets"`
	}
	e.api("GET", e.roundPath("/sheets"), "", "", 200, &open)
	if len(open.Sheets) != 1 || open.Sheets[0].Sheet.Votes[0] != 4 || open.Sheets[0].Signer != "" {
		t.Errorf("open data JSON = %+v, want T1's sheet with 4 votes and no signer", open.Sheets)
	}
}

func TestTallyCorrection(t *testing.T) {
	e := voteEnv(t)
	e.closedTable(5)
	path := e.roundPath("/tables/T1/entries")
	e.api("POST", path, "table", sheetBody(10, 5, 4, 1, 0, 5, "entry-first-001"), 200, nil)
	e.api("POST", path, "admin", sheetBody(10, 5, 4, 1, 0, 5, "entry-second-01"), 200, nil)
	e.advance(comuna.PhaseCounting)

	w := e.do(request{method: "POST", path: "/api/v1" + e.roundPath("/tables/T1/corrections"), user: "table", bearer: true,
		json: strings.Replace(sheetBody(10, 5, 3, 2, 0, 5, "fix-key-000001"), "{", `{"reason":"",`, 1)})
	if w.Code != 400 || apiError(t, w).Field != "reason" {
		t.Errorf("correction without a reason = %d %s, want 400 naming reason", w.Code, w.Body.String())
	}
	var p correctionJSON
	fix := strings.Replace(sheetBody(10, 5, 3, 2, 0, 5, "fix-key-000002"), "{", `{"reason":"Un voto nulo fue leído como voto por el 1",`, 1)
	e.api("POST", e.roundPath("/tables/T1/corrections"), "table", fix, 202, &p)
	var dec struct {
		Correction correctionJSON `json:"correction"`
		Sheet      *versionJSON   `json:"sheet"`
	}
	e.api("POST", e.roundPath("/tables/T1/corrections/%d/confirm", p.ID), "table2", fix, 201, &dec)
	v := dec.Sheet
	if v == nil || v.Version != 2 || v.Sheet.Votes[0] != 3 || dec.Correction.Status != "confirmed" {
		t.Fatalf("confirmed correction = %+v, want version 2 with 3 votes", dec)
	}
	var vs struct {
		Versions []versionJSON `json:"versions"`
	}
	e.api("GET", e.roundPath("/tables/T1/sheets"), "", "", 200, &vs)
	if len(vs.Versions) != 2 || vs.Versions[0].Version != 2 || vs.Versions[1].Version != 1 || vs.Versions[1].Sheet.Votes[0] != 4 {
		t.Errorf("versions = %+v, want 2 then 1, version 1 unchanged", vs.Versions)
	}
	page := e.get(e.roundPath("/tables/T1/sheets"), "")
	if body := page.Body.String(); page.Code != 200 || !strings.Contains(body, "Versión 1") || !strings.Contains(body, "Versión 2") ||
		!strings.Contains(body, "Un voto nulo") {
		t.Errorf("public sheet versions page = %d, want both versions and the reason", page.Code)
	}
	var res struct {
		Node nodeJSON `json:"node"`
	}
	e.api("GET", e.roundPath("/results/circuit/CI1"), "", "", 200, &res)
	if len(res.Node.Projects) != 1 || res.Node.Projects[0].Votes != 3 {
		t.Errorf("circuit results after the correction = %+v, want 3 votes for project 1", res.Node.Projects)
	}
}

func TestSheetForm(t *testing.T) {
	e := voteEnv(t)
	e.closedTable(2)
	if w := e.get(e.roundPath("/tables/T1/sheet"), "table"); w.Code != 200 || !strings.Contains(w.Body.String(), `name="votes.1"`) {
		t.Fatalf("sheet page = %d, want a vote field for project 1", w.Code)
	}
	form := url.Values{"received": {"10"}, "cast": {"3"}, "votes.1": {"1"}, "blank": {"0"}, "null": {"0"}, "unused": {"7"},
		"members": {"Ana Pérez\nLuis Gómez"}, "idempotency_key": {"form-sheet-0001"}}
	w := e.do(request{method: "POST", path: e.roundPath("/tables/T1/sheet"), user: "table", form: form})
	if w.Code != 422 || !strings.Contains(w.Body.String(), `id="e-cast"`) {
		t.Errorf("non-reconciling sheet form = %d, want 422 with the error next to cast", w.Code)
	}
	form.Set("cast", "1")
	form.Set("unused", "9")
	w = e.do(request{method: "POST", path: e.roundPath("/tables/T1/sheet"), user: "table", form: form})
	if w.Code != 200 || !strings.Contains(w.Body.String(), "outcome-waiting") {
		t.Errorf("first sheet form = %d, want the waiting banner\n%.1500s", w.Code, w.Body.String())
	}
	form.Set("votes.1", "0")
	form.Set("blank", "1")
	form.Set("idempotency_key", "form-sheet-0002")
	w = e.do(request{method: "POST", path: e.roundPath("/tables/T1/sheet"), user: "admin", form: form})
	if body := w.Body.String(); w.Code != 200 || !strings.Contains(body, "outcome-mismatch") || !strings.Contains(body, `id="e-votes.1"`) ||
		!strings.Contains(body, `id="e-blank"`) {
		t.Errorf("disagreeing sheet form = %d, want the differing fields marked", w.Code)
	}
	if w := e.get(e.roundPath("/tables/T1/sheet"), "table"); w.Code != 200 {
		t.Errorf("sheet page after entries = %d", w.Code)
	}
	if w := e.get(e.roundPath("/tables/T1/sheet"), "observer"); w.Code != 403 {
		t.Errorf("observer on the sheet page = %d, want 403", w.Code)
	}
}

func TestRoundPagePollBook(t *testing.T) {
	e := voteEnv(t)
	e.closedTable(1)
	if body := e.get(e.roundPath(""), "observer").Body.String(); !strings.Contains(body, "Mesas cerradas: 1 de 4") {
		t.Errorf("round page for an observer while voting lacks the poll-book progress")
	}
	if body := e.get(e.roundPath(""), "table").Body.String(); !strings.Contains(body, e.roundPath("/tables/T1")) {
		t.Errorf("round page for a table member lacks the link to the table")
	}
	if body := e.get(e.roundPath(""), "").Body.String(); strings.Contains(body, "Mesas cerradas") || !strings.Contains(body, e.roundPath("/results")) {
		t.Errorf("round page for the public: want the results link and no poll-book progress")
	}
}
