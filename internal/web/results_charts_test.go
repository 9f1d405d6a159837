package web

import (
	"regexp"
	"strings"
	"testing"
)

// TestResultsCharts: the national, state and municipality pages draw the
// tile map (nation), bars, the evening's line and funded projects by
// category as SVG, each with its data table, in both languages.
func TestResultsCharts(t *testing.T) {
	e := newAuditEnv(t)
	for _, tt := range []struct {
		path string
		want []string
	}{
		{"/rounds/1/results", []string{`<svg class="chart tilemap"`, `<a href="/rounds/1/results/state/S1">`, "Participación por estado",
			"Proyectos financiados por estado", "Mesas con acta a lo largo de la noche", "Proyectos financiados por categoría", `<div class="sr"><table>`}},
		{"/rounds/1/results?lang=en", []string{"Turnout by state on a map", "Turnout by state", "Tables reported over the evening", "Projects funded by category"}},
		{"/rounds/1/results/state/S1", []string{"Participación por municipio", `<svg class="chart bars"`, `<svg class="chart line"`}},
		{"/rounds/1/results/municipality/M1", []string{"Participación por parroquia", `<svg class="chart bars"`}},
	} {
		w := e.get(tt.path, "")
		body := w.Body.String()
		if w.Code != 200 {
			t.Fatalf("GET %s = %d", tt.path, w.Code)
		}
		for _, s := range tt.want {
			if !strings.Contains(body, s) {
				t.Errorf("GET %s lacks %q", tt.path, s)
			}
		}
	}
	if body := e.get("/rounds/1/results/circuit/CI1", "").Body.String(); strings.Contains(body, "<svg class=\"chart") {
		t.Error("a circuit's page draws the unit charts")
	}
	// The verify page writes votes by ballot number, not Go's [3 2].
	body := e.get("/rounds/1/results/circuit/CI1/verify", "").Body.String()
	if regexp.MustCompile(`\[\d+( \d+)*\]`).MatchString(body) || !strings.Contains(body, "1: ") {
		t.Errorf("verify page prints votes as a Go slice:\n%.2000s", body)
	}
}

// TestFundedFiguresAgree: a provisional circuit shows its provisionally
// funded projects beside the final count, never "0 funded" alone beside
// rows tagged funded.
func TestFundedFiguresAgree(t *testing.T) {
	e := voteEnv(t)
	e.closedTable(2)
	e.api("POST", e.roundPath("/tables/T1/entries"), "table", sheetBody(10, 2, 2, 0, 0, 8, "agree-entry-01"), 200, nil)
	e.api("POST", e.roundPath("/tables/T1/entries"), "admin", sheetBody(10, 2, 2, 0, 0, 8, "agree-entry-02"), 200, nil)
	body := e.get(e.roundPath("/results/circuit/CI1"), "").Body.String()
	if !strings.Contains(body, "Financiado") {
		t.Fatalf("the circuit's project is not marked funded:\n%.3000s", body)
	}
	for _, want := range []string{"Proyectos financiados (circuitos definitivos)", "Financiados provisionalmente"} {
		if !strings.Contains(body, want) {
			t.Errorf("provisional circuit page lacks %q", want)
		}
	}
}
