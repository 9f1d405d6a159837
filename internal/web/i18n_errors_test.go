package web

import (
	"fmt"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/tally"
)

// TestErrorText renders the domain errors the issue quotes in each
// language from the one catalogue, with the English text as the fallback
// for a message the catalogue does not know.
func TestErrorText(t *testing.T) {
	_, docErr := pollbook.Normalize("V", "12A45")
	sheet := tally.Sheet{RoundID: 1, Table: "T1", Circuit: "C1", Received: 10, Cast: 7, Votes: []int64{3, 1}, Blank: 3, Unused: 4, Members: []string{"Ana"}}
	reconcile := tally.Reconcile(sheet, 2, 7, 0)
	var received *comuna.Error
	for _, e := range reconcile {
		if e.Field == "received" {
			received = e
		}
	}
	if received == nil {
		t.Fatalf("Reconcile(%+v) = %v, want an error on received", sheet, reconcile)
	}
	for _, tc := range []struct {
		err    error
		es, en string
	}{
		{docErr, "Número de documento: el número de cédula lleva solo dígitos", "Document number: a cédula number has digits only"},
		{received, "Papeletas recibidas: papeletas depositadas (7) + sobrantes (4) = 11, pero las papeletas recibidas son 10", "Ballots received: ballots cast (7) + unused (4) = 11, but ballots received is 10"},
		{comuna.Authorize(&comuna.User{Role: comuna.RoleTableMember, Scope: "T9"}, comuna.ActionPollBook, comuna.Target{Table: "T1"}),
			"su cuenta (Miembro de mesa) no puede registrar votantes en el cuaderno de votación aquí", "your account (Table member) may not check voters in here"},
		{(&comuna.Proposal{Council: "K1", Title: "Cancha", Cost: 1}).Validate(), "Área: elija un área de la lista (se recibió \"\")", "Category: choose a category from the list (got \"\")"},
		{comuna.FieldError("x", "a message nobody translated yet (%d)", 3), "x: a message nobody translated yet (3)", "x: a message nobody translated yet (3)"},
		{&comuna.Error{Code: comuna.EInvalid, Line: 4, Message: "a record with the same key exists already"}, "línea 4: ya existe un registro con la misma clave", "line 4: a record with the same key exists already"},
		{fmt.Errorf("wrapped: %w", comuna.Errorf(comuna.ENotFound, "round %d not found", 7)), "no existe la consulta 7", "round 7 not found"},
		{fmt.Errorf("disk on fire"), "error interno", "internal error"},
	} {
		if got := errorText("es", tc.err); got != tc.es {
			t.Errorf("errorText(es, %v) = %q, want %q", tc.err, got, tc.es)
		}
		if got := errorText("en", tc.err); got != tc.en {
			t.Errorf("errorText(en, %v) = %q, want %q", tc.err, got, tc.en)
		}
	}
}

// TestErrorCatalogue checks that every message of the catalogue takes the
// same arguments in both languages, so that neither prints %!d(MISSING).
func TestErrorCatalogue(t *testing.T) {
	verbs := func(s string) int {
		n := 0
		for i := 0; i < len(s)-1; i++ {
			if s[i] == '%' {
				if s[i+1] == '%' {
					i++
					continue
				}
				n++
			}
		}
		return n
	}
	for k, m := range messages {
		if verbs(m[0]) != verbs(m[1]) {
			t.Errorf("messages[%q]: Spanish %q and English %q take different arguments", k, m[0], m[1])
		}
	}
}

// TestSheetErrorsInSpanish checks that every problem of a badly counted
// sheet reads in Spanish, the per-number vote counts included.
func TestSheetErrorsInSpanish(t *testing.T) {
	sheet := tally.Sheet{RoundID: 1, Table: "T1", Circuit: "C1", Received: 10, Cast: 7, Votes: []int64{-3, 1}, Unused: 4, Members: []string{"Ana"}}
	for _, e := range tally.Reconcile(sheet, 2, 7, 0) {
		if got := errorText("es", e); len(englishIn("<p>"+got+"</p>")) > 0 {
			t.Errorf("errorText(es, %v) = %q, reads in English", e, got)
		}
	}
}
