package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

// TestLoginLandsOnTasks: after logging in without ?next= every role is
// sent to "Mis tareas"; a ?next= still wins.
func TestLoginLandsOnTasks(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct{ next, want string }{{"", "/tasks"}, {"/", "/tasks"}, {"/rounds", "/rounds"}} {
		w := e.loginTo("spokes", testPassword, "192.0.2.8:1", tt.next)
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != tt.want {
			t.Errorf("login with next=%q = %d to %q, want 303 to %s", tt.next, w.Code, w.Header().Get("Location"), tt.want)
		}
	}
}

// TestTasksByRole: each role's tasks page names what it may do now.
func TestTasksByRole(t *testing.T) {
	e := newEnv(t)
	rid := itoa(int(e.round.ID))
	check := func(user string, want ...string) {
		t.Helper()
		w := e.get("/tasks", user)
		if w.Code != http.StatusOK {
			t.Fatalf("GET /tasks as %s = %d\n%s", user, w.Code, w.Body)
		}
		body := w.Body.String()
		for _, s := range want {
			if !strings.Contains(body, s) {
				t.Errorf("/tasks as %s lacks %q", user, s)
			}
		}
	}
	// Proposals phase.
	check("spokes", "Mis tareas", "La convocatoria de propuestas está abierta para su consejo K1", `href="/rounds/`+rid+`/proposals/new"`,
		"Su consejo presentó 1 propuestas: 1 por revisar")
	check("reviewer", "1 propuestas esperan su revisión", `href="/rounds/`+rid+`/review"`)
	check("admin", "Fase actual: Propuestas. Siguiente: Revisión", `href="/rounds/new"`)
	check("coord", "La convocatoria de propuestas está abierta en su circuito CI1")
	if w := e.get("/tasks", ""); w.Code != http.StatusSeeOther && w.Code != http.StatusUnauthorized {
		t.Errorf("GET /tasks without an account = %d, want a login", w.Code)
	}

	// Ballots phase: the coordinator's ballot, the table's vote day.
	e.advance(comuna.PhaseBallots)
	check("coord", "El circuito CI1 aún no tiene papeleta", `href="/rounds/`+rid+`/circuits/CI1/ballot/edit"`)
	check("table", "Su mesa T1, el día de la votación", "La votación abre el ", `href="/rounds/`+rid+`/tables/T1"`)
	check("reviewer", "No tiene tareas pendientes")

	e.advance(comuna.PhaseVoting)
	check("table", "La votación está abierta en su mesa T1", "Registrar votantes")
	check("observer", "Siga los resultados en vivo")
}
