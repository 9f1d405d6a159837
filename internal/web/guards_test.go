package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

// TestVotingReadiness: before voting opens the administrator sees the
// circuits without a published ballot and must exclude them explicitly,
// on the page and in the API.
func TestVotingReadiness(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.advance(comuna.PhaseReview)
	if _, err := e.store.ReviewProposal(ctx, comuna.Review{ProposalID: e.proposal.ID, Accept: true, Reason: "Factible", UserID: e.users["reviewer"].ID}); err != nil {
		t.Fatal(err)
	}
	e.advance(comuna.PhaseBallots)
	if _, err := e.store.SaveBallot(ctx, comuna.BallotDraft{RoundID: e.round.ID, Circuit: "CI1", Proposals: []int64{e.proposal.ID}, Publish: true, UserID: e.users["coord"].ID}); err != nil {
		t.Fatal(err)
	}
	rid := itoa(int(e.round.ID))
	page := e.get("/rounds/"+rid, "admin").Body.String()
	for _, want := range []string{"Verificación antes de abrir la votación", "2 de 3 circuitos no tienen papeleta publicada", "CI2", "CI3",
		"no tienen miembro de mesa", "La clave del cuaderno de votación está configurada"} {
		if !strings.Contains(page, want) {
			t.Errorf("round page before voting lacks %q", want)
		}
	}
	move := url.Values{"from": {"ballots"}, "to": {"voting"}}
	w := e.do(request{method: "POST", path: "/rounds/" + rid + "/transitions", user: "admin", form: move})
	if body := w.Body.String(); w.Code != http.StatusOK || !strings.Contains(body, "Excluir de esta votación los 2 circuitos") || !strings.Contains(body, `name="exclude" value="CI2 CI3"`) {
		t.Fatalf("first press = %d, want the confirmation with the exclusion tick\n%s", w.Code, body)
	}
	move.Set("confirm", "yes")
	move.Set("exclude", "CI2 CI3")
	w = e.do(request{method: "POST", path: "/rounds/" + rid + "/transitions", user: "admin", form: move})
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "marque la casilla para excluirlos") {
		t.Errorf("confirmed without the tick = %d, want 400 asking for it\n%s", w.Code, w.Body.String())
	}
	e.api("POST", "/rounds/"+rid+"/transitions", "admin", `{"to":"voting"}`, 400, nil)
	e.api("POST", "/rounds/"+rid+"/transitions", "admin", `{"to":"voting","exclude_circuits":["CI2"]}`, 400, nil)
	if r, _ := e.store.Round(ctx, e.round.ID); r.Phase != comuna.PhaseBallots {
		t.Fatalf("round moved to %s without excluding the circuits", r.Phase)
	}
	move.Set("exclude_ok", "1")
	w = e.do(request{method: "POST", path: "/rounds/" + rid + "/transitions", user: "admin", form: move})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("confirmed with the exclusion = %d, want 303\n%s", w.Code, w.Body.String())
	}

	// A table of an excluded circuit refuses check-ins, on the page and
	// in the API, and says why.
	w = e.get("/rounds/"+rid+"/tables/T2", "admin")
	if body := w.Body.String(); !strings.Contains(body, "El circuito CI2 no tiene papeleta publicada") || strings.Contains(body, `id="f-document_number"`) {
		t.Errorf("table page of an excluded circuit shows the check-in form or no reason:\n%s", body)
	}
	w = e.do(request{method: "POST", path: "/api/v1/rounds/" + rid + "/tables/T2/checkins", user: "admin", bearer: true, json: checkInBody("12345678", "1990-01-01", "key-noballot-1")})
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "CI2") {
		t.Errorf("check-in at a table without ballot = %d %s, want 409", w.Code, w.Body.String())
	}
	w = e.do(request{method: "POST", path: "/rounds/" + rid + "/tables/T2/checkins", user: "admin",
		form: url.Values{"document_type": {"V"}, "document_number": {"12345678"}, "birth_date": {"1990-01-01"}, "idempotency_key": {"key-noballot-2"}}})
	if w.Code != http.StatusConflict || strings.Contains(w.Body.String(), "Aceptado") {
		t.Errorf("check-in form at a table without ballot = %d, want 409 and no acceptance", w.Code)
	}
}

// TestDatesRefused: a new round's vote date in the past and an assembly
// dated in the future are refused, naming the field.
func TestDatesRefused(t *testing.T) {
	e := newEnv(t)
	rid := itoa(int(e.round.ID))
	w := e.do(request{method: "POST", path: "/api/v1/rounds", user: "admin", bearer: true, json: `{"name":"Vieja","vote_date":"2020-03-01","tie_break_seed":"s"}`})
	if got := apiError(t, w); w.Code != 400 || got.Field != "vote_date" || !strings.Contains(got.Message, "in the past") {
		t.Errorf("API round dated 2020 = %d %+v, want 400 on vote_date", w.Code, got)
	}
	w = e.do(request{method: "POST", path: "/rounds", user: "admin", form: url.Values{"name": {"Vieja"}, "vote_date": {"2020-03-01"}, "tie_break_seed": {"s"}}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "ya pasó") {
		t.Errorf("form round dated 2020 = %d, want 422 saying the date has passed", w.Code)
	}
	w = e.do(request{method: "POST", path: "/api/v1/rounds/" + rid + "/proposals", user: "spokes", bearer: true,
		json: `{"council":"K1","title":"Cancha","category":"sport","cost":"5000","assembly_date":"2099-01-05","attendance":50,"quorum_met":true,"votes_for":40}`})
	if got := apiError(t, w); w.Code != 400 || got.Field != "assembly_date" {
		t.Errorf("API assembly in 2099 = %d %+v, want 400 on assembly_date", w.Code, got)
	}
	w = e.do(request{method: "POST", path: "/rounds/" + rid + "/proposals", user: "spokes", form: url.Values{"council": {"K1"}, "title": {"Cancha"},
		"category": {"sport"}, "cost": {"5000"}, "assembly_date": {"2099-01-05"}, "attendance": {"50"}, "quorum_met": {"on"}, "votes_for": {"40"}}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "no puede tener fecha futura") {
		t.Errorf("form assembly in 2099 = %d, want 422", w.Code)
	}
}

// TestTableErrorsVisible: closing a table without the tick, or a bad
// walk-in count, shows the error at the top of the page and opens its
// panel, so something visibly happens.
func TestTableErrorsVisible(t *testing.T) {
	e := voteEnv(t)
	w := e.do(request{method: "POST", path: e.roundPath("/tables/T1/close"), user: "table", form: url.Values{}})
	body := w.Body.String()
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `role="alert" id="problem"`) || !strings.Contains(body, `<details class="panel" open>`) {
		t.Errorf("close without the tick = %d, want the error at the top and its panel open\n%s", w.Code, body)
	}
	w = e.do(request{method: "POST", path: e.roundPath("/tables/T1/walkins"), user: "table", form: url.Values{"count": {"-3"}, "idempotency_key": {"key-walkins-bad"}}})
	body = w.Body.String()
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="problem"`) || !strings.Contains(body, `<details class="panel" open>`) {
		t.Errorf("bad walk-ins = %d, want the error at the top and its panel open\n%s", w.Code, body)
	}
}
