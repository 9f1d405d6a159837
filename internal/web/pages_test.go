package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/storetest"
)

func TestPagesRender(t *testing.T) {
	e := newEnv(t)
	rid := fmt.Sprint(e.round.ID)
	pid := fmt.Sprint(e.proposal.ID)
	tests := []struct {
		path, user string
		want       []string
	}{
		{"/", "", []string{"Consultas populares", "Consulta de prueba", "Propuestas", "Cifras nacionales", "2.000"}},
		{"/?lang=en", "", []string{"Popular consultations", "National figures", "2,000"}},
		{"/rounds", "", []string{"Consulta de prueba", "phase-proposals"}},
		{"/rounds/" + rid, "", []string{"Consulta de prueba", "Historial de fases", "Circuito Uno", "stepper", "Resultados"}},
		{"/rounds/" + rid, "admin", []string{"Pasar a la fase «Revisión»", `name="csrf"`}},
		{"/rounds/" + rid + "?q=Dos", "", []string{"Circuito Dos"}},
		{"/rounds/new", "admin", []string{"Nueva consulta", `name="vote_date"`, `value="15"`}},
		{"/territory", "", []string{"Distrito Capital", "Miranda"}},
		{"/territory?q=ceiba", "", []string{"Consejo Comunal La Ceiba"}},
		{"/territory/state/S1", "", []string{"Distrito Capital", "Libertador", "Municipios"}},
		{"/territory/parish/P1", "", []string{"Catedral", "Comuna El Panal", "Escuela Bolivariana Catedral", "Centros de votación"}},
		{"/territory/circuit/CI1", "", []string{"Circuito Uno", "La Ceiba", "El Samán", "Mesa 1", "Mesa 3", "1.500"}},
		{"/territory/council/K1?round=" + rid, "", []string{"La Ceiba", "Circuito Uno", "Territorio congelado"}},
		{"/rounds/" + rid + "/circuits/CI1", "", []string{"Circuito Uno", "Tanque de agua para el sector", "Enviada", "aún no tiene boleta"}},
		{"/rounds/" + rid + "/circuits/CI1", "spokes", []string{"Proponer un proyecto"}},
		{"/rounds/" + rid + "/proposals", "", []string{"Tanque de agua para el sector"}},
		{"/rounds/" + rid + "/proposals/new?circuit=CI1", "spokes", []string{"Proponer un proyecto", "La Ceiba", `name="assembly_date"`}},
		{"/rounds/" + rid + "/proposals/new", "coord", []string{"La Ceiba", "El Samán"}},
		{"/proposals/" + pid, "", []string{"Tanque de agua para el sector", "Acta de la asamblea", "70 a favor"}},
		{"/proposals/" + pid, "reviewer", []string{"Revisar la propuesta", `value="accept"`}},
		{"/rounds/" + rid + "/review", "reviewer", []string{"Cola de revisión", "Tanque de agua para el sector"}},
		{"/rounds/" + rid + "/circuits/CI1/ballot/edit", "coord", []string{"Consolidar la boleta", "No hay propuestas aceptadas"}},
		{"/users", "admin", []string{"spokes-other", "Vocería de consejo", "K4"}},
		{"/users/new", "admin", []string{"Nuevo usuario", `name="password"`}},
		{"/login", "", []string{"Entrar", `name="csrf"`, `name="password"`}},
		{"/account", "observer", []string{"Mi cuenta", "Tokens de la API"}},
	}
	for _, tt := range tests {
		w := e.get(tt.path, tt.user)
		if w.Code != http.StatusOK {
			t.Errorf("GET %s as %q = %d, want 200; body:\n%s", tt.path, tt.user, w.Code, w.Body.String())
			continue
		}
		body := w.Body.String()
		for _, s := range tt.want {
			if !strings.Contains(body, s) {
				t.Errorf("GET %s as %q: body lacks %q", tt.path, tt.user, s)
			}
		}
	}
}

func TestNotFound(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/nope", "/rounds/999", "/rounds/abc", "/territory/state/ZZ", "/territory/planet/X", "/proposals/999"} {
		if w := e.get(path, ""); w.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, w.Code)
		}
	}
}

func TestBallotAndPrint(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	second := newProposal(e.round.ID, "K2", "Muro de contención", e.users["spokes"].ID)
	if err := e.store.SubmitProposal(ctx, second); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{e.proposal.ID, second.ID} {
		if _, err := e.store.ReviewProposal(ctx, comuna.Review{ProposalID: id, Accept: true, Reason: "Factible y bien costeado", UserID: e.users["reviewer"].ID}); err != nil {
			t.Fatal(err)
		}
	}
	e.advance(comuna.PhaseBallots)
	base := fmt.Sprintf("/rounds/%d/circuits/CI1", e.round.ID)
	// The coordinator numbers the second project first and publishes.
	w := e.do(request{method: "POST", path: base + "/ballot", user: "coord", form: map[string][]string{
		"pos_" + fmt.Sprint(second.ID): {"1"}, "pos_" + fmt.Sprint(e.proposal.ID): {"2"}, "publish": {"on"}}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("POST ballot = %d, want 303; body:\n%s", w.Code, w.Body.String())
	}
	b, err := e.store.Ballot(ctx, e.round.ID, "CI1")
	if err != nil {
		t.Fatal(err)
	}
	if got := []int64{b.Items[0].ProposalID, b.Items[1].ProposalID}; got[0] != second.ID || got[1] != e.proposal.ID || !b.Published {
		t.Errorf("ballot = %v published %v, want [%d %d] published", got, b.Published, second.ID, e.proposal.ID)
	}
	// Changing a published ballot without a reason is refused, naming the field.
	w = e.do(request{method: "POST", path: base + "/ballot", user: "coord", form: map[string][]string{
		"pos_" + fmt.Sprint(second.ID): {"1"}}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "indique el motivo") {
		t.Errorf("POST ballot without reason = %d, want 422 with the reason message; body:\n%s", w.Code, w.Body.String())
	}
	if vs, _ := e.store.BallotVersions(ctx, e.round.ID, "CI1"); len(vs) != 1 {
		t.Errorf("after a refused change %d versions, want 1", len(vs))
	}
	w = e.do(request{method: "POST", path: base + "/ballot", user: "coord", form: map[string][]string{
		"pos_" + fmt.Sprint(second.ID): {"1"}, "reason": {"El consejo retiró el tanque"}}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("POST ballot with reason = %d, want 303; body:\n%s", w.Code, w.Body.String())
	}
	w = e.get(base, "")
	for _, s := range []string{"Versión 2", "El consejo retiró el tanque", "Todas las versiones (2)", "Boleta para imprimir"} {
		if !strings.Contains(w.Body.String(), s) {
			t.Errorf("circuit page lacks %q", s)
		}
	}
	// The printable ballot shows the published version, numbered.
	w = e.get(base+"/ballot/print", "")
	body := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("GET print = %d", w.Code)
	}
	for _, s := range []string{"Consulta de prueba", "Circuito Uno", "Muro de contención", "Tanque de agua", `class="box"`, "Versión 1", "1 de marzo de 2026"} {
		if !strings.Contains(body, s) {
			t.Errorf("printable ballot lacks %q", s)
		}
	}
	if strings.Contains(body, "BORRADOR") {
		t.Error("printable ballot of a published version says BORRADOR")
	}
}

// TestReviewAllRounds: /review is the queue of every round that takes
// reviews, not only the newest one.
func TestReviewAllRounds(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	newer := storetest.NewRound("Consulta más nueva")
	newer.CreatedBy = e.users["admin"].ID
	newer.Defaults()
	if err := e.store.CreateRound(ctx, newer); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.TransitionRound(ctx, newer.ID, comuna.PhaseDraft, comuna.PhaseProposals, e.users["admin"].ID); err != nil {
		t.Fatal(err)
	}
	w := e.get("/review", "reviewer")
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, "Consulta de prueba: 1 por revisar") || !strings.Contains(body, "Tanque de agua para el sector") {
		t.Errorf("GET /review = %d, want the older round's pending proposal:\n%s", w.Code, body)
	}
	if strings.Contains(body, "Consulta más nueva:") {
		t.Error("/review lists a round with nothing to review")
	}
	if !strings.Contains(e.get("/", "reviewer").Body.String(), `href="/review"`) {
		t.Error("a reviewer's header lacks the review link")
	}
	if strings.Contains(e.get("/", "observer").Body.String(), `href="/review"`) {
		t.Error("an observer's header shows the review link")
	}
}
