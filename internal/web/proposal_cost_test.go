package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/storetest"
)

// TestCostAboveAmount checks a cost above the round's amount per project:
// the form warns and asks to confirm, the confirmed proposal is flagged on
// its page and in the review queue, and a round that caps the cost refuses
// it on the form and in the API.
func TestCostAboveAmount(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	path := fmt.Sprintf("/rounds/%d/proposals", e.round.ID)
	es := http.Header{"Cookie": {langCookie + "=es"}}

	f := validProposalForm()
	f.Set("cost", "12.500,00")
	w := e.do(request{method: "POST", path: path, user: "spokes", form: f, header: es})
	body := html.UnescapeString(w.Body.String())
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "El costo, USD\u00a012.500,00, supera el monto por proyecto de la consulta, USD\u00a010.000,00") ||
		!strings.Contains(body, `name="cost_above_ok"`) {
		t.Fatalf("POST cost above the amount = %d, want 422 with a warning and a confirmation\n%.3000s", w.Code, body)
	}
	f.Set("cost_above_ok", "on")
	w = e.do(request{method: "POST", path: path, user: "spokes", form: f, header: es})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("POST confirmed cost above the amount = %d, want 303\n%.2000s", w.Code, w.Body.String())
	}
	flag := "Supera el monto por proyecto (USD\u00a010.000,00)"
	for _, p := range []string{w.Header().Get("Location"), fmt.Sprintf("/rounds/%d/review", e.round.ID)} {
		w := e.do(request{method: "GET", path: p, user: "reviewer", header: es})
		if !strings.Contains(html.UnescapeString(w.Body.String()), flag) {
			t.Errorf("GET %s = %d, does not flag the cost with %q", p, w.Code, flag)
		}
	}

	capped := storetest.NewRound("Consulta con tope")
	capped.CapCost = true
	if err := e.store.CreateRound(ctx, capped); err != nil {
		t.Fatal(err)
	}
	storetest.MoveTo(t, e.store, capped, comuna.PhaseProposals, e.users["admin"].ID)
	path = fmt.Sprintf("/rounds/%d/proposals", capped.ID)
	w = e.do(request{method: "POST", path: path, user: "spokes", form: f, header: es})
	body = html.UnescapeString(w.Body.String())
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "el costo 12.500,00 supera el monto por proyecto, 10.000,00 USD, y esta consulta no recibe propuestas de costo mayor") {
		t.Errorf("POST cost above a capped amount = %d, want 422 saying it is refused\n%.3000s", w.Code, body)
	}
	w = e.do(request{method: "GET", path: fmt.Sprintf("/rounds/%d/proposals/new?circuit=CI1", capped.ID), user: "spokes", header: es})
	if body := html.UnescapeString(w.Body.String()); !strings.Contains(body, "no recibe propuestas de costo mayor") {
		t.Errorf("the capped round's form does not say a higher cost is refused")
	}
	js := `{"council":"K1","title":"Caro","category":"sport","cost":"12500.00","assembly_date":"2026-01-05","attendance":50,"quorum_met":true,"votes_for":40}`
	w = e.do(request{method: "POST", path: "/api/v1" + path, user: "spokes", bearer: true, json: js})
	if got := apiError(t, w); w.Code != http.StatusBadRequest || got.Field != "cost" {
		t.Errorf("API cost above a capped amount = %d %+v, want 400 on cost", w.Code, got)
	}
}
