package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/record"
	"github.com/comuna/comuna/internal/sqlstore"
)

// Attacks by insiders on vote day, from issue 8, through the HTTP API as
// a table member, a coordinator or an administrator would make them, on
// both backends.

// TestWalkInsAttack is finding 1: a table member posted 10,000 walk-ins
// four times, alone, with no reason, and the circuit showed 976 %
// turnout. Now each report needs a reason and a second member's
// confirmation, and never passes the table's cap.
func TestWalkInsAttack(t *testing.T) {
	backends(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
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
	backends(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
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
	backends(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
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

// TestCorrectionAttack is finding 2: after acceptance, mesa alone posted
// a correction raising a project to 40,000 votes with a reason of five
// zero-width spaces, and in the results phase flipped the ranking. Now a
// correction needs a real reason and a second, different person's
// confirmation of the same values, and in results an administrator's
// reopening of the circuit first; every step is public and logged.
func TestCorrectionAttack(t *testing.T) {
	backends(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := voteEnvOn(t, newEnvOn(t, open(t)))
		e.closedTable(5)
		e.api("POST", e.roundPath("/tables/T1/entries"), "table", sheetBody(10, 5, 4, 1, 0, 5, "fix-entry-00001"), 200, nil)
		e.api("POST", e.roundPath("/tables/T1/entries"), "table2", sheetBody(10, 5, 4, 1, 0, 5, "fix-entry-00002"), 200, nil)
		e.advance(comuna.PhaseCounting)
		path := "/api/v1" + e.roundPath("/tables/T1/corrections")
		body := func(reason string, votes int, key string) string {
			return strings.Replace(sheetBody(40_005, 40_005, votes, 1, 0, 0, key), "{", fmt.Sprintf(`{"reason":%q,`, reason), 1)
		}
		w := e.do(request{method: "POST", path: path, user: "table", bearer: true,
			json: body("\u200b\u200b\u200b\u200b\u200b", 40_004, "fix-attack-0001")})
		if w.Code != http.StatusBadRequest || apiError(t, w).Field != "reason" {
			t.Errorf("correction with five zero-width spaces = %d %s, want 400 naming reason", w.Code, w.Body.String())
		}
		// 40,000 votes do not reconcile with 5 voters admitted.
		w = e.do(request{method: "POST", path: path, user: "table", bearer: true, json: body("recuento de la mesa uno", 40_004, "fix-attack-0002")})
		if w.Code != http.StatusUnprocessableEntity {
			t.Errorf("correction to 40,000 votes = %d %s, want 422", w.Code, w.Body.String())
		}
		fix := strings.Replace(sheetBody(10, 5, 3, 2, 0, 5, "fix-real-000001"), "{", `{"reason":"una papeleta nula leída como voto",`, 1)
		var p correctionJSON
		e.api("POST", e.roundPath("/tables/T1/corrections"), "table", fix, http.StatusAccepted, &p)
		if p.Status != "proposed" || p.ProposedBy != "table" {
			t.Fatalf("proposal = %+v, want proposed by table", p)
		}
		var res struct {
			Node nodeJSON `json:"node"`
		}
		e.api("GET", e.roundPath("/results/circuit/CI1"), "", "", 200, &res)
		if res.Node.Projects[0].Votes != 4 {
			t.Errorf("results after a proposal alone show %d votes, want 4 (unchanged)", res.Node.Projects[0].Votes)
		}
		confirm := "/api/v1" + e.roundPath("/tables/T1/corrections/%d/confirm", p.ID)
		if w := e.do(request{method: "POST", path: confirm, user: "table", bearer: true, json: fix}); w.Code != http.StatusForbidden {
			t.Errorf("the proposer confirming their own correction = %d %s, want 403", w.Code, w.Body.String())
		}
		other := sheetBody(10, 5, 5, 0, 0, 5, "fix-other-00001")
		if w := e.do(request{method: "POST", path: confirm, user: "table2", bearer: true, json: other}); w.Code != http.StatusBadRequest ||
			apiError(t, w).Field != "votes.1" {
			t.Errorf("confirming other values = %d %s, want 400 naming votes.1", w.Code, w.Body.String())
		}
		var dec struct {
			Correction correctionJSON `json:"correction"`
			Sheet      *versionJSON   `json:"sheet"`
		}
		e.api("POST", e.roundPath("/tables/T1/corrections/%d/confirm", p.ID), "coord", fix, http.StatusCreated, &dec)
		if dec.Sheet == nil || dec.Sheet.Version != 2 || dec.Correction.DecidedBy != "coord" {
			t.Fatalf("coordinator's confirmation = %+v, want version 2", dec)
		}
		// In results, nobody corrects without a reopening, logged.
		e.advance(comuna.PhaseResults)
		fix2 := strings.Replace(sheetBody(10, 5, 4, 1, 0, 5, "fix-real-000002"), "{", `{"reason":"el primer conteo era el correcto",`, 1)
		if w := e.do(request{method: "POST", path: path, user: "table", bearer: true, json: fix2}); w.Code != http.StatusConflict {
			t.Errorf("correction in results without a reopening = %d %s, want 409", w.Code, w.Body.String())
		}
		reopen := "/api/v1" + e.roundPath("/circuits/CI1/reopen")
		if w := e.do(request{method: "POST", path: reopen, user: "coord", bearer: true, json: `{"reason":"denuncia de testigos de la mesa"}`}); w.Code != http.StatusForbidden {
			t.Errorf("a coordinator reopening a circuit = %d, want 403", w.Code)
		}
		var o reopeningJSON
		e.api("POST", e.roundPath("/circuits/CI1/reopen"), "admin", `{"reason":"denuncia de testigos de la mesa"}`, http.StatusCreated, &o)
		e.api("POST", e.roundPath("/tables/T1/corrections"), "table", fix2, http.StatusAccepted, &p)
		var refused struct {
			Correction correctionJSON `json:"correction"`
		}
		e.api("POST", e.roundPath("/tables/T1/corrections/%d/refuse", p.ID), "table2", `{"reason":"el acta en papel dice tres"}`, 200, &refused)
		if refused.Correction.Status != "refused" || refused.Correction.ReopeningID != o.ID {
			t.Errorf("refusal = %+v, want refused, having used reopening %d", refused.Correction, o.ID)
		}
		var list struct {
			Corrections []correctionJSON `json:"corrections"`
		}
		e.api("GET", e.roundPath("/tables/T1/corrections"), "", "", 200, &list)
		if len(list.Corrections) != 2 || list.Corrections[0].Status != "refused" || list.Corrections[1].Status != "confirmed" {
			t.Errorf("public corrections = %+v, want the refused and the confirmed one", list.Corrections)
		}
		var ros struct {
			Reopenings []reopeningJSON `json:"reopenings"`
		}
		e.api("GET", e.roundPath("/reopenings"), "", "", 200, &ros)
		if len(ros.Reopenings) != 1 || ros.Reopenings[0].OpenedBy != "admin" {
			t.Errorf("public reopenings = %+v, want the admin's", ros.Reopenings)
		}
		if page := e.get(e.roundPath("/tables/T1/sheets"), "").Body.String(); !strings.Contains(page, "el acta en papel dice tres") ||
			!strings.Contains(page, "Rechazada") || !strings.Contains(page, "Confirmada") {
			t.Errorf("public sheet page lacks the corrections and their decisions")
		}
		// Every step is in the transparency log.
		kinds := map[string]int{}
		vd := e.store
		n, err := vd.LogSize(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			data, err := vd.LogRecord(context.Background(), i)
			if err != nil {
				t.Fatal(err)
			}
			rec, err := record.Decode(data)
			if err != nil {
				t.Fatalf("log record %d: %v", i, err)
			}
			kinds[rec.Kind()]++
		}
		want := map[string]int{record.KindCorrectionProposed: 2, record.KindCorrectionConfirmed: 1, record.KindCorrectionRefused: 1,
			record.KindReopening: 1, record.KindCorrection: 1}
		for k, c := range want {
			if kinds[k] != c {
				t.Errorf("log has %d %s records, want %d (all: %v)", kinds[k], k, c, kinds)
			}
		}
	})
}
