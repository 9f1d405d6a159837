package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/sqlstore"
)

// After V-12345678 voted, E-12345678, P-12345678 and P-V12345678 were
// accepted (finding 8). By default a round takes V and E, one number
// under both is one person, and passports are off.
func TestOnePersonSeveralDocuments(t *testing.T) {
	backends(t, func(t *testing.T, store func(testing.TB) *sqlstore.DB) {
		e := voteEnvOn(t, newEnvOn(t, store(t)))
		path := e.roundPath("/tables/T1/checkins")
		body := func(typ, number, key string) string {
			return `{"document_type":"` + typ + `","document_number":"` + number + `","birth_date":"1990-05-01","idempotency_key":"` + key + `"}`
		}
		var a checkInJSON
		e.api("POST", path, "table", body("V", "12345678", "key-docs-0001"), 200, &a)
		if a.Outcome != "accepted" {
			t.Fatalf("V-12345678 = %+v, want accepted", a)
		}
		e.api("POST", path, "table", body("E", "12345678", "key-docs-0002"), 200, &a)
		if a.Outcome != "already_voted" {
			t.Errorf("E-12345678 after V-12345678 = %+v, want already_voted", a)
		}
		for i, number := range []string{"12345678", "V12345678"} {
			w := e.do(request{method: "POST", path: "/api/v1" + path, user: "table", bearer: true, json: body("P", number, "key-docs-p"+string(rune('0'+i))+"00000")})
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"document_type"`) {
				t.Errorf("P-%s = %d %s, want 400 naming document_type (passports are off)", number, w.Code, w.Body.String())
			}
		}
		var round roundJSON
		e.api("GET", e.roundPath(""), "", "", 200, &round)
		if strings.Join(round.DocTypes, "") != "VE" || round.SeparateVE {
			t.Errorf("round doc_types = %v, separate_ve_numbers = %v; want [V E], false", round.DocTypes, round.SeparateVE)
		}
	})
}
