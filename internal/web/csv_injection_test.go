package web

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/sqlstore"
)

// Member and witness names starting with = reached sheets.csv as formulas
// (finding 10): every cell that a spreadsheet would evaluate is now
// written with a leading quote.
func TestSheetsCSVNeutralisesFormulas(t *testing.T) {
	backends(t, func(t *testing.T, store func(testing.TB) *sqlstore.DB) {
		e := voteEnvOn(t, newEnvOn(t, store(t)))
		e.closedTable(10)
		body := func(key string) string {
			return `{"received":10,"cast":5,"votes":[4],"blank":1,"null":0,"unused":5,` +
				`"members":["=HYPERLINK(\"http://evil.example/\",\"ver\")","+1+cmd|' /C calc'!A0"],` +
				`"witnesses":["@SUM(1+1)","-2+3"],"idempotency_key":"` + key + `"}`
		}
		e.api("POST", e.roundPath("/tables/T1/entries"), "table", body("csv-entry-0001"), 200, nil)
		e.api("POST", e.roundPath("/tables/T1/entries"), "admin", body("csv-entry-0002"), 200, nil)
		w := e.get(e.roundPath("/sheets.csv"), "")
		recs, err := csv.NewReader(strings.NewReader(w.Body.String())).ReadAll()
		if w.Code != 200 || err != nil || len(recs) != 2 {
			t.Fatalf("sheets.csv = %d, %v\n%s", w.Code, err, w.Body.String())
		}
		found := false
		for _, rec := range recs {
			for _, c := range rec {
				if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
					t.Errorf("sheets.csv cell %q starts like a formula", c)
				}
				if strings.HasPrefix(c, "'=HYPERLINK") {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("sheets.csv lost the member's name\n%s", w.Body.String())
		}
	})
}
