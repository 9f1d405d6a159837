package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

// Attacks by insiders on vote day, from issue 8, through the HTTP API as
// a table member, a coordinator or an administrator would make them, on
// both backends.

// TestWalkInsAttack is finding 1: a table member posted 10,000 walk-ins
// four times, alone, with no reason, and the circuit showed 976 %
// turnout. Now each report needs a reason and a second member's
// confirmation, and never passes the table's cap.
func TestWalkInsAttack(t *testing.T) {
	backends(t, func(t *testing.T, open func(testing.TB) comuna.Store) {
		e := voteEnvOn(t, newEnvOn(t, open(t)))
		path := e.roundPath("/tables/T1/walkins")
		for i := range 4 {
			w := e.do(request{method: "POST", path: "/api/v1" + path, user: "table", bearer: true,
				json: fmt.Sprintf(`{"count":10000,"idempotency_key":"walk-attack-%04d"}`, i)})
			if w.Code != http.StatusBadRequest || apiError(t, w).Field != "reason" {
				t.Errorf("10,000 walk-ins without a reason #%d = %d %s, want 400 naming reason", i, w.Code, w.Body.String())
			}
			w = e.do(request{method: "POST", path: "/api/v1" + path, user: "table", bearer: true,
				json: fmt.Sprintf(`{"count":10000,"reason":"se cayó la red toda la mañana","idempotency_key":"walk-attack-%04d"}`, i)})
			if w.Code != http.StatusBadRequest || apiError(t, w).Field != "count" {
				t.Errorf("10,000 walk-ins with a reason #%d = %d %s, want 400 naming count (past the cap)", i, w.Code, w.Body.String())
			}
		}
		w := e.do(request{method: "POST", path: "/api/v1" + path, user: "table", bearer: true,
			json: "{\"count\":5,\"reason\":\"\u200b\u200b\u200b\u200b\u200b\",\"idempotency_key\":\"walk-zero-width-1\"}"})
		if w.Code != http.StatusBadRequest || apiError(t, w).Field != "reason" {
			t.Errorf("walk-ins with five zero-width spaces as reason = %d %s, want 400 naming reason", w.Code, w.Body.String())
		}
		var rep walkInJSON
		e.api("POST", e.roundPath("/tables/T1/walkins"), "table",
			`{"count":5,"reason":"se cayó la red de 8 a 9","idempotency_key":"walk-real-00001"}`, http.StatusAccepted, &rep)
		if rep.Status != "proposed" || rep.ProposedBy != "table" {
			t.Fatalf("walk-in report = %+v, want proposed by table", rep)
		}
		var table tableJSON
		e.api("GET", e.roundPath("/tables/T1"), "table", "", 200, &table)
		if table.WalkIns != 0 || table.WalkInCap != 75 || len(table.WalkInReports) != 1 {
			t.Errorf("table after a proposal = %+v, want 0 walk-ins of a cap of 75 and the report listed", table)
		}
		confirm := e.roundPath("/tables/T1/walkins/%d/confirm", rep.ID)
		w = e.do(request{method: "POST", path: "/api/v1" + confirm, user: "table", bearer: true, json: `{}`})
		if w.Code != http.StatusForbidden {
			t.Errorf("the proposer confirming their own walk-ins = %d %s, want 403", w.Code, w.Body.String())
		}
		w = e.do(request{method: "POST", path: "/api/v1" + confirm, user: "coord", bearer: true, json: `{}`})
		if w.Code != http.StatusForbidden {
			t.Errorf("a coordinator confirming a table's walk-ins = %d, want 403", w.Code)
		}
		e.api("POST", confirm, "table2", `{}`, 200, &rep)
		if rep.Status != "confirmed" || rep.DecidedBy != "table2" {
			t.Errorf("confirmed report = %+v, want confirmed by table2", rep)
		}
		e.api("GET", e.roundPath("/tables/T1"), "table", "", 200, &table)
		if table.WalkIns != 5 {
			t.Errorf("table after confirmation has %d walk-ins, want 5", table.WalkIns)
		}
		// The same through the pages: the second member sees the report and
		// confirms it; the proposer cannot.
		form := url.Values{"count": {"4"}, "reason": {"otra caída de la red a mediodía"}, "idempotency_key": {"walk-page-00001"}}
		if w := e.do(request{method: "POST", path: path, user: "table2", form: form}); w.Code != http.StatusSeeOther {
			t.Fatalf("walk-in form = %d %s", w.Code, w.Body.String())
		}
		page := e.get(e.roundPath("/tables/T1"), "table").Body.String()
		if !strings.Contains(page, "otra caída de la red") || !strings.Contains(page, "/confirm") {
			t.Errorf("the other member's table page lacks the report to confirm")
		}
		if page := e.get(e.roundPath("/tables/T1"), "table2").Body.String(); strings.Contains(page, "/confirm") {
			t.Errorf("the proposer's table page offers to confirm their own report")
		}
		var res struct {
			Node struct {
				WalkIns    int64 `json:"walk_ins"`
				OverCensus bool  `json:"over_census"`
			} `json:"node"`
		}
		e.api("GET", e.roundPath("/results/circuit/CI1"), "", "", 200, &res)
		if res.Node.WalkIns != 5 || res.Node.OverCensus {
			t.Errorf("circuit results = %+v, want 5 walk-ins and no census flag", res.Node)
		}
	})
}

// TestBlindDoubleEntry is finding 3: a mismatch answered with the other
// person's whole entry, so the second person could copy it. Now it names
// only the fields, says what is awaited, and a fresh entry settles it.
func TestBlindDoubleEntry(t *testing.T) {
	backends(t, func(t *testing.T, open func(testing.TB) comuna.Store) {
		e := voteEnvOn(t, newEnvOn(t, open(t)))
		e.closedTable(5)
		path := "/api/v1" + e.roundPath("/tables/T1/entries")
		w := e.do(request{method: "POST", path: path, user: "table", bearer: true, json: sheetBody(10, 5, 4, 1, 0, 5, "blind-first-0001"),
			header: http.Header{"Accept-Language": {"es"}}})
		if w.Code != 200 || !strings.Contains(w.Body.String(), "Falta la segunda carga") {
			t.Errorf("first entry = %d %s, want waiting: falta la segunda carga", w.Code, w.Body.String())
		}
		// The second person types something else to fish for the first entry.
		w = e.do(request{method: "POST", path: path, user: "table2", bearer: true, json: sheetBody(10, 5, 2, 3, 0, 5, "blind-second-001"),
			header: http.Header{"Accept-Language": {"en"}}})
		body := w.Body.String()
		if w.Code != 200 || !strings.Contains(body, `"mismatch"`) || !strings.Contains(body, "The entries differ in: votes.1, blank") {
			t.Fatalf("differing entry = %d %s, want a mismatch naming votes.1 and blank", w.Code, body)
		}
		if strings.Contains(body, `"other"`) || strings.Contains(body, `"this"`) || strings.Contains(body, `"votes"`) {
			t.Errorf("mismatch answer %s shows values; want only the fields", body)
		}
		var table tableJSON
		e.api("GET", e.roundPath("/tables/T1"), "table2", "", 200, &table)
		if fmt.Sprint(table.EntriesDiffer) != "[votes.1 blank]" {
			t.Errorf("table entries_differ = %v, want [votes.1 blank]", table.EntriesDiffer)
		}
		page := e.get(e.roundPath("/tables/T1/sheet"), "table2").Body.String()
		if !strings.Contains(page, "Las cargas difieren en estos campos") || strings.Contains(page, "La otra carga") {
			t.Errorf("sheet page after a mismatch: want the differing fields named and no other entry shown")
		}
		// The circuit's coordinator settles it with a fresh entry.
		var res entryJSON
		e.api("POST", e.roundPath("/tables/T1/entries"), "coord", sheetBody(10, 5, 2, 3, 0, 5, "blind-coord-0001"), 200, &res)
		if res.Status != "accepted" || res.Sheet == nil {
			t.Errorf("coordinator's fresh entry = %+v, want the sheet accepted", res)
		}
		w = e.do(request{method: "POST", path: "/api/v1" + e.roundPath("/tables/T4/entries"), user: "coord", bearer: true,
			json: sheetBody(0, 0, 0, 0, 0, 0, "blind-coord-0002")})
		if w.Code == http.StatusForbidden {
			t.Errorf("coordinator of CI1 at T4 (CI1) = 403, want allowed (409: still open)")
		}
		w = e.do(request{method: "POST", path: "/api/v1" + e.roundPath("/tables/T3/entries"), user: "coord", bearer: true,
			json: sheetBody(0, 0, 0, 0, 0, 0, "blind-coord-0003")})
		if w.Code != http.StatusForbidden {
			t.Errorf("coordinator of CI1 at T3 (CI3) = %d, want 403", w.Code)
		}
	})
}

// TestPhaseClosesStuckTables is finding 12: moving to counting left open
// tables unable to close (wrong phase) and unable to report (still
// open). Now the move closes them, says so, and lists them first.
func TestPhaseClosesStuckTables(t *testing.T) {
	backends(t, func(t *testing.T, open func(testing.TB) comuna.Store) {
		e := voteEnvOn(t, newEnvOn(t, open(t)))
		var a checkInJSON
		e.api("POST", e.roundPath("/tables/T1/checkins"), "table", checkInBody("10000001", "1990-01-01", "stuck-voter-0001"), 200, &a)
		e.api("POST", e.roundPath("/transitions"), "admin", `{"to":"counting"}`, 200, nil)
		var table tableJSON
		e.api("GET", e.roundPath("/tables/T1"), "table", "", 200, &table)
		if !table.Closed || !table.ClosedByPhase {
			t.Fatalf("T1 after the move to counting = %+v, want closed by the phase change", table)
		}
		page := e.get(e.roundPath(""), "admin").Body.String()
		first := strings.Index(page, "closed-by-phase")
		if first < 0 || !strings.Contains(page, e.roundPath("/tables/T1/sheet")) {
			t.Errorf("round page while counting lacks the tables the phase change closed")
		}
		if page := e.get(e.roundPath("/tables/T1"), "table").Body.String(); !strings.Contains(page, "al pasar la consulta a escrutinio") {
			t.Errorf("table page lacks that the phase change closed it")
		}
		e.api("POST", e.roundPath("/tables/T1/entries"), "table", sheetBody(10, 1, 1, 0, 0, 9, "stuck-entry-0001"), 200, nil)
		var res entryJSON
		e.api("POST", e.roundPath("/tables/T1/entries"), "table2", sheetBody(10, 1, 1, 0, 0, 9, "stuck-entry-0002"), 200, &res)
		if res.Status != "accepted" {
			t.Errorf("entries of a table the phase change closed = %+v, want accepted", res)
		}
	})
}
