package web

import (
	"context"
	"fmt"
	"html"
	"math/big"
	"net/http"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

// TestFormatNumbers checks that counts, percentages and amounts are
// written the same way everywhere in a language: the page quoted in the
// issue showed "10,000.00 USD" beside "123.186" and "0,1 %", another page
// "USD 17500.00".
func TestFormatNumbers(t *testing.T) {
	const nb = "\u00a0"
	for _, tc := range []struct {
		name, lang, got, want string
	}{
		{"int es", "es", formatInt("es", 123186), "123.186"},
		{"int en", "en", formatInt("en", 123186), "123,186"},
		{"int small", "es", formatInt("es", 1234), "1.234"},
		{"negative", "es", formatInt("es", -1234567), "-1.234.567"},
		{"pct es", "es", formatPct("es", 0.001), "0,1" + nb + "%"},
		{"pct en", "en", formatPct("en", 0.5234), "52.3%"},
		{"money es", "es", formatMoney("es", 1_000_000, "USD"), "USD" + nb + "10.000,00"},
		{"money en", "en", formatMoney("en", 1_750_000, "USD"), "USD" + nb + "17,500.00"},
		{"money cents", "es", formatMoney("es", 1_250_050, "USD"), "USD" + nb + "12.500,50"},
		{"money unknown code", "es", formatMoney("es", 1_250_050, "XYZ"), "XYZ" + nb + "12.500,50"},
		{"rat", "es", formatRat("es", big.NewRat(35001, 2), "USD"), "USD" + nb + "17.500,50"},
		{"decimal", "en", formatFixed("en", 0.04999, 4), "0.0500"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

// TestMoneyByLocale submits a proposal's cost as each language types it:
// the page reads it by its own notation, refuses what could be read two
// ways with a message naming the field, and the API reads only its
// documented decimal string.
func TestMoneyByLocale(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	path := fmt.Sprintf("/rounds/%d/proposals", e.round.ID)
	for _, tc := range []struct {
		lang, cost string
		status     int
		want       comuna.Cents // stored, when accepted
		says       string       // in the page, when refused
	}{
		{"es", "12500,50", http.StatusSeeOther, 1250050, ""},
		{"es", "12.500,50", http.StatusSeeOther, 1250050, ""},
		{"en", "12,500.50", http.StatusSeeOther, 1250050, ""},
		{"en", "12500.50", http.StatusSeeOther, 1250050, ""},
		{"es", "12500.50", http.StatusUnprocessableEntity, 0, "Costo estimado: «12500.50» es ambiguo: escríbalo como 12.500,50 o 12500,50"},
		{"es", "12,500.50", http.StatusUnprocessableEntity, 0, "Costo estimado: «12,500.50» es ambiguo"},
		{"en", "12500,50", http.StatusUnprocessableEntity, 0, "Estimated cost: “12500,50” is ambiguous: write it as 12,500.50 or 12500.50"},
	} {
		f := validProposalForm()
		f.Set("cost", tc.cost)
		f.Set("cost_above_ok", "on") // 12.500,50 is above the fixture's amount per project
		f.Set("title", "Cancha "+tc.lang+" "+tc.cost)
		w := e.do(request{method: "POST", path: path, user: "spokes", form: f, header: http.Header{"Cookie": {langCookie + "=" + tc.lang}}})
		if w.Code != tc.status {
			t.Errorf("%s cost %q: status %d, want %d\n%.400s", tc.lang, tc.cost, w.Code, tc.status, w.Body.String())
			continue
		}
		if tc.says != "" {
			if body := html.UnescapeString(w.Body.String()); !strings.Contains(body, tc.says) {
				t.Errorf("%s cost %q: page does not say %q", tc.lang, tc.cost, tc.says)
			}
			continue
		}
		ps, err := e.store.Proposals(ctx, comuna.ProposalFilter{RoundID: e.round.ID})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range ps {
			if p.Title == f.Get("title") {
				found = true
				if p.Cost != tc.want {
					t.Errorf("%s cost %q stored as %d cents, want %d", tc.lang, tc.cost, p.Cost, tc.want)
				}
			}
		}
		if !found {
			t.Errorf("%s cost %q: no proposal stored", tc.lang, tc.cost)
		}
	}
	for _, tc := range []struct {
		cost   string
		status int
	}{
		{"12500.50", http.StatusCreated},
		{"12500,50", http.StatusBadRequest},
		{"12,500.50", http.StatusBadRequest},
	} {
		body := fmt.Sprintf(`{"council":"K1","title":"API %s","category":"sport","cost":%q,"assembly_date":"2026-01-05","attendance":50,"quorum_met":true,"votes_for":40}`, tc.cost, tc.cost)
		w := e.do(request{method: "POST", path: "/api/v1" + path, user: "spokes", bearer: true, json: body})
		if w.Code != tc.status {
			t.Errorf("API cost %q: status %d, want %d\n%s", tc.cost, w.Code, tc.status, w.Body.String())
			continue
		}
		if tc.status == http.StatusBadRequest {
			if got := apiError(t, w); got.Field != "cost" || !strings.Contains(got.Message, "ambiguous") {
				t.Errorf("API cost %q: error %+v, want field cost and a message saying it is ambiguous", tc.cost, got)
			}
		}
	}
}

// TestAmountsOnPages checks that a page writes an amount as its language
// does.
func TestAmountsOnPages(t *testing.T) {
	e := newEnv(t)
	path := fmt.Sprintf("/proposals/%d", e.proposal.ID)
	for lang, want := range map[string]string{"es": "USD\u00a09.000,00", "en": "USD\u00a09,000.00"} {
		w := e.do(request{method: "GET", path: path, header: http.Header{"Cookie": {langCookie + "=" + lang}}})
		if body := html.UnescapeString(w.Body.String()); !strings.Contains(body, want) {
			t.Errorf("GET %s in %s does not show %q", path, lang, want)
		}
	}
}
