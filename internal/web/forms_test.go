package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

func validProposalForm() url.Values {
	return url.Values{"council": {"K1"}, "title": {"Cancha techada"}, "category": {"sport"}, "cost": {"5000"},
		"description": {"Techo para la cancha"}, "assembly_date": {"2026-01-05"}, "attendance": {"50"},
		"quorum_met": {"on"}, "votes_for": {"40"}, "votes_against": {"3"}, "votes_abstain": {"2"}}
}

// TestFormMissingField checks that a form with a missing or bad field
// answers 422, shows the message next to that field, keeps what was typed,
// and stores nothing.
func TestFormMissingField(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rid := fmt.Sprint(e.round.ID)
	proposals := func() int {
		ps, err := e.store.Proposals(ctx, comuna.ProposalFilter{RoundID: e.round.ID})
		if err != nil {
			t.Fatal(err)
		}
		return len(ps)
	}
	rounds := func() int {
		rs, err := e.store.Rounds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}
	users := func() int {
		us, err := e.store.Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(us)
	}
	without := func(v url.Values, key string, repl ...string) url.Values {
		out := url.Values{}
		for k, vs := range v {
			out[k] = vs
		}
		out.Del(key)
		if len(repl) > 0 {
			out.Set(key, repl[0])
		}
		return out
	}
	roundForm := url.Values{"name": {"Consulta juvenil"}, "vote_date": {"2030-07-01"}, "min_age": {"15"}, "max_age": {"35"},
		"ballot_size": {"7"}, "winners": {"2"}, "amount": {"10000"}, "currency": {"USD"}, "exchange_rate": {"36.5"},
		"tie_break": {"lottery"}, "tie_break_seed": {"semilla"}, "vote_rule": {"choose-one"}}
	tests := []struct {
		name    string
		path    string
		user    string
		form    url.Values
		field   string
		message string
		kept    string
		count   func() int
	}{
		{"proposal without title", "/rounds/" + rid + "/proposals", "spokes", without(validProposalForm(), "title"), "title", "el proyecto necesita un título", "Techo para la cancha", proposals},
		{"proposal with bad cost", "/rounds/" + rid + "/proposals", "spokes", without(validProposalForm(), "cost", "mil"), "cost", "no es un monto", "Cancha techada", proposals},
		{"proposal without quorum", "/rounds/" + rid + "/proposals", "spokes", without(validProposalForm(), "quorum_met"), "quorum_met", "sin quórum", "Cancha techada", proposals},
		{"proposal without assembly date", "/rounds/" + rid + "/proposals", "coord", without(validProposalForm(), "assembly_date"), "assembly_date", "fecha de la asamblea es obligatoria", "Cancha techada", proposals},
		{"proposal without council", "/rounds/" + rid + "/proposals", "coord", without(validProposalForm(), "council"), "council", "Elija el consejo", "Cancha techada", proposals},
		{"round without vote date", "/rounds", "admin", without(roundForm, "vote_date"), "vote_date", "obligatorio", "Consulta juvenil", rounds},
		{"round without name", "/rounds", "admin", without(roundForm, "name"), "name", "obligatorio", "semilla", rounds},
		{"round with ages reversed", "/rounds", "admin", without(roundForm, "max_age", "14"), "max_age", "menor que la mínima", "Consulta juvenil", rounds},
		{"round without seed", "/rounds", "admin", without(roundForm, "tie_break_seed"), "tie_break_seed", "necesita su semilla", "Consulta juvenil", rounds},
		{"user without scope", "/users", "admin", url.Values{"username": {"nueva"}, "role": {"coordinator"}, "password": {testPassword}}, "scope", "necesita el código", "nueva", users},
		{"user with short password", "/users", "admin", url.Values{"username": {"nueva"}, "role": {"observer"}, "password": {"corta"}}, "password", "at least 12", "nueva", users},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.count()
			w := e.do(request{method: "POST", path: tt.path, user: tt.user, form: tt.form})
			body := w.Body.String()
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("POST %s = %d, want 422\n%s", tt.path, w.Code, body)
			}
			// The message sits in the field's own error element.
			marker := `id="e-` + tt.field + `"`
			i := strings.Index(body, marker)
			if i < 0 {
				t.Fatalf("body has no error for field %q", tt.field)
			}
			if msg := body[i:min(len(body), i+300)]; !strings.Contains(msg, tt.message) {
				t.Errorf("error of %q = %.200q, want it to say %q", tt.field, msg, tt.message)
			}
			if !strings.Contains(body, tt.kept) {
				t.Errorf("the form lost the typed value %q", tt.kept)
			}
			if after := tt.count(); after != before {
				t.Errorf("records after = %d, want %d (nothing stored)", after, before)
			}
		})
	}
}

func TestFormsSucceed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rid := fmt.Sprint(e.round.ID)
	w := e.do(request{method: "POST", path: "/rounds/" + rid + "/proposals", user: "spokes", form: validProposalForm()})
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/proposals/") {
		t.Fatalf("POST proposal = %d %s, want 303 to the proposal\n%s", w.Code, w.Header().Get("Location"), w.Body.String())
	}
	// The spokesperson of another council may not submit for K1.
	if w := e.do(request{method: "POST", path: "/rounds/" + rid + "/proposals", user: "spokes-other", form: validProposalForm()}); w.Code != http.StatusForbidden {
		t.Errorf("POST proposal for K1 as the spokesperson of K4 = %d, want 403", w.Code)
	}
	// Review from the queue, then back to the queue.
	w = e.do(request{method: "POST", path: fmt.Sprintf("/proposals/%d/review", e.proposal.ID), user: "reviewer",
		form: url.Values{"decision": {"reject"}, "reason": {"Costo fuera de rango"}, "back": {"/rounds/" + rid + "/review"}}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/rounds/"+rid+"/review" {
		t.Fatalf("POST review = %d %s, want 303 to the queue", w.Code, w.Header().Get("Location"))
	}
	p, err := e.store.Proposal(ctx, e.proposal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != comuna.StatusRejected || p.Reason != "Costo fuera de rango" {
		t.Errorf("after review status %q reason %q, want rejected with the reason", p.Status, p.Reason)
	}
	// A review without a reason is refused by the field.
	w = e.do(request{method: "POST", path: fmt.Sprintf("/proposals/%d/review", e.proposal.ID), user: "reviewer",
		form: url.Values{"decision": {"accept"}, "reason": {""}}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="e-reason"`) {
		t.Errorf("POST review without reason = %d, want 422 with the reason's error", w.Code)
	}
	// The admin moves the round on; a stale form cannot skip a phase.
	// The first press only asks, saying what the move does and freezes.
	w = e.do(request{method: "POST", path: "/rounds/" + rid + "/transitions", user: "admin", form: url.Values{"from": {"proposals"}, "to": {"review"}}})
	if body := w.Body.String(); w.Code != http.StatusOK || !strings.Contains(body, "¿Pasar a la fase «Revisión»?") || !strings.Contains(body, "Qué congela:") ||
		!strings.Contains(body, `name="confirm" value="yes"`) {
		t.Fatalf("POST transition without confirm = %d, want 200 with the confirmation\n%s", w.Code, body)
	}
	if trs, _ := e.store.Transitions(ctx, e.round.ID); len(trs) != 1 {
		t.Fatalf("an unconfirmed press moved the round: %+v", trs)
	}
	w = e.do(request{method: "POST", path: "/rounds/" + rid + "/transitions", user: "admin", form: url.Values{"from": {"proposals"}, "to": {"review"}, "confirm": {"yes"}}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("POST transition = %d, want 303\n%s", w.Code, w.Body.String())
	}
	w = e.do(request{method: "POST", path: "/rounds/" + rid + "/transitions", user: "admin", form: url.Values{"from": {"proposals"}, "to": {"review"}, "confirm": {"yes"}}})
	if w.Code != http.StatusConflict {
		t.Errorf("repeated POST transition = %d, want 409", w.Code)
	}
	trs, _ := e.store.Transitions(ctx, e.round.ID)
	if len(trs) != 2 || trs[1].To != comuna.PhaseReview {
		t.Errorf("transitions = %+v, want draft→proposals→review", trs)
	}
	if w := e.get("/rounds/"+rid, ""); !strings.Contains(w.Body.String(), "por admin") {
		t.Error("round page does not say who moved the phase")
	}
	// A new round and a new user.
	w = e.do(request{method: "POST", path: "/rounds", user: "admin", form: url.Values{"name": {"Consulta juvenil"}, "vote_date": {"2030-07-01"}, "max_age": {"35"}, "tie_break_seed": {"x"}}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("POST round = %d\n%s", w.Code, w.Body.String())
	}
	w = e.do(request{method: "POST", path: "/users", user: "admin", form: url.Values{"username": {"Nueva.Vocera"}, "role": {"spokesperson"}, "scope": {"K3"}, "password": {testPassword}}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("POST user = %d\n%s", w.Code, w.Body.String())
	}
	if u, err := e.store.UserByUsername(ctx, "nueva.vocera"); err != nil || u.Scope != "K3" {
		t.Errorf("created user = %+v, %v; want nueva.vocera scoped to K3", u, err)
	}
	if w := e.do(request{method: "POST", path: "/users", user: "admin", form: url.Values{"username": {"nueva.vocera"}, "role": {"observer"}, "password": {testPassword}}}); w.Code != http.StatusConflict {
		t.Errorf("POST user with a taken username = %d, want 409", w.Code)
	}
}
