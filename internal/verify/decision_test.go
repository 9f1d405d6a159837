package verify_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/storetest"
	"github.com/comuna/comuna/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

func TestDecisionAgreesSQLite(t *testing.T) { testDecisionAgrees(t, storetest.SQLite(t)) }

func TestDecisionAgreesPostgres(t *testing.T) { testDecisionAgrees(t, storetest.Postgres(t)) }

// greedyOutcome is what storetest.GreedyRound funds by its greedy rule,
// by circuit, in order, with amounts; top-1 would fund 1, 1 and 2.
var greedyOutcome = map[string][]string{
	"CI1": {"1 10000.00", "2 4000.00"},
	"CI2": {"2 5000.00"},
	"CI3": {"2 9000.00"},
}

// testDecisionAgrees plays a round whose greedy rule and top-k disagree
// through the store and serves it: the circuit pages, the API, the
// national totals, the open data and the verifier all show the greedy
// outcome. Then the rule is changed behind Comuna's back, and the
// verifier names the circuits whose published outcome no longer follows
// from the logged rule; forging the logged rule too breaks the log.
func testDecisionAgrees(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	st := db
	r, _ := storetest.GreedyRound(t, st)
	skey, vkey, err := translog.GenerateKey("comuna.test")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PublishLogKey(ctx, vkey); err != nil {
		t.Fatal(err)
	}
	p := &published{db: db, round: r, signer: signer, vkey: vkey, state: filepath.Join(t.TempDir(), "state")}
	base := p.serve(t)
	id := strconv.FormatInt(r.ID, 10)

	// The API: each circuit's decision, and its projects marked alike.
	for circuit, want := range greedyOutcome {
		var got struct {
			Node struct {
				Projects []struct {
					Number int    `json:"number"`
					Won    bool   `json:"won"`
					Amount string `json:"amount"`
				} `json:"projects"`
				Decision struct {
					Rule   string `json:"rule"`
					Funded []struct {
						Number int    `json:"number"`
						Amount string `json:"amount"`
					} `json:"funded"`
					Explanations []struct {
						Number  int    `json:"number"`
						Reason  string `json:"reason"`
						Spanish string `json:"explanation_es"`
						English string `json:"explanation_en"`
					} `json:"explanations"`
				} `json:"decision"`
			} `json:"node"`
		}
		getJSON(t, base+"/api/v1/rounds/"+id+"/results/circuit/"+circuit, &got)
		var funded, marked []string
		for _, f := range got.Node.Decision.Funded {
			funded = append(funded, strconv.Itoa(f.Number)+" "+f.Amount)
		}
		for _, p := range got.Node.Projects {
			if p.Won {
				marked = append(marked, strconv.Itoa(p.Number)+" "+p.Amount)
			}
		}
		slices.Sort(marked)
		if got.Node.Decision.Rule != "greedy" || !slices.Equal(funded, want) || !slices.Equal(marked, want) {
			t.Errorf("API %s: rule %s, funded %q, projects marked funded %q; want greedy, %q", circuit, got.Node.Decision.Rule, funded, marked, want)
		}
		for _, e := range got.Node.Decision.Explanations {
			if e.Spanish == "" || e.English == "" || e.Spanish == e.English {
				t.Errorf("API %s project %d: explanations %q / %q", circuit, e.Number, e.Spanish, e.English)
			}
		}
	}

	// The page: one section says how it was decided, and it is greedy's.
	body := getBody(t, base+"/rounds/"+id+"/results/circuit/CI2?lang=es")
	if n := strings.Count(body, "<h2>Cómo se decidió</h2>"); n != 1 || strings.Contains(body, "Asignación</h2>") {
		t.Errorf("CI2 page has %d 'Cómo se decidió' sections (and Asignación: %v), want one and none", n, strings.Contains(body, "Asignación</h2>"))
	}
	if !strings.Contains(body, `<ol class="decision-funded"><li><span class="num-box">2</span>`) ||
		!strings.Contains(body, "No financiado: cuando le tocó solo quedaban USD 15.000 del presupuesto y costaba USD 20.000") {
		t.Errorf("CI2 page does not fund number 2 alone by greedy, or lacks why number 1 did not fit:\n%s", body)
	}

	// National totals: four projects, 28,000, in the API and on the page.
	if page := getBody(t, base+"/rounds/"+id+"/results?lang=es"); !strings.Contains(page, "<dd>USD 28.000</dd>") {
		t.Errorf("national page lacks the amount committed, USD 28.000:\n%s", page)
	}
	var nat struct {
		Nation struct {
			Funded       int    `json:"funded"`
			FundedAmount string `json:"funded_amount"`
		} `json:"nation"`
	}
	getJSON(t, base+"/api/v1/rounds/"+id+"/results", &nat)
	if nat.Nation.Funded != 4 || nat.Nation.FundedAmount != "28000.00" {
		t.Errorf("nation funds %d projects, %s; want 4, 28000.00", nat.Nation.Funded, nat.Nation.FundedAmount)
	}

	// Open data, CSV and JSON.
	rows, err := csv.NewReader(strings.NewReader(getBody(t, base+"/rounds/"+id+"/funded.csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	csvFunded := map[string][]string{}
	for _, row := range rows[1:] { // round_id circuit number … funded position amount
		if row[8] == "true" {
			csvFunded[row[1]] = append(csvFunded[row[1]], row[2]+" "+row[10])
		}
	}
	var od struct {
		Funded       int    `json:"funded"`
		FundedAmount string `json:"funded_amount"`
		Projects     []struct {
			Circuit  string `json:"circuit"`
			Number   int    `json:"number"`
			Funded   bool   `json:"funded"`
			Position int    `json:"position"`
			Amount   string `json:"amount"`
		} `json:"projects"`
	}
	getJSON(t, base+"/api/v1/rounds/"+id+"/funded", &od)
	jsonFunded := map[string][]string{}
	for _, p := range od.Projects {
		if p.Funded {
			jsonFunded[p.Circuit] = append(jsonFunded[p.Circuit], strconv.Itoa(p.Number)+" "+p.Amount)
		}
	}
	for circuit, want := range greedyOutcome {
		if !slices.Equal(csvFunded[circuit], want) || !slices.Equal(jsonFunded[circuit], want) {
			t.Errorf("open data %s: CSV funds %q, JSON %q; want %q", circuit, csvFunded[circuit], jsonFunded[circuit], want)
		}
	}
	if od.Funded != 4 || od.FundedAmount != "28000.00" {
		t.Errorf("open data totals %d, %s; want 4, 28000.00", od.Funded, od.FundedAmount)
	}

	// The verifier recomputes the greedy outcome from the log.
	rep := p.verify(t, base)
	if !rep.OK() || rep.Rounds[0].Funded != 4 || rep.Rounds[0].Compared != 3 {
		t.Fatalf("verify on an honest greedy round:\n%s\nwant PASS with 4 funded in 3 circuits compared", text(rep))
	}

	// The rule is changed in the database: the server now publishes top-1,
	// which the logged rule does not give: other projects in CI1 and CI2,
	// another amount (the round's amount per project) in CI3.
	p.attack(t, []string{"UPDATE rounds SET alloc_rule = 'topk', alloc_budget = 0 WHERE id = " + id},
		[]string{"UPDATE rounds SET alloc_rule = 'topk', alloc_budget = 0 WHERE id = " + id})
	base = p.serve(t)
	rep = p.verify(t, base)
	var named []string
	for _, m := range rep.Mismatches {
		if strings.Contains(m.Message, "logged rule (greedy)") {
			named = append(named, m.Circuit)
		}
	}
	slices.Sort(named)
	named = slices.Compact(named)
	if rep.OK() || !slices.Equal(named, []string{"CI1", "CI2", "CI3"}) || !strings.HasSuffix(text(rep), "FAIL\n") {
		t.Fatalf("verify after the rule was changed to top-k names %q:\n%s\nwant FAIL naming CI1, CI2 and CI3", named, text(rep))
	}

	// Forging the logged rule to match breaks the log itself.
	idx := roundRecordIndex(t, db, r.ID)
	data, err := db.LogRecord(ctx, idx)
	if err != nil {
		t.Fatal(err)
	}
	forged := bytes.Replace(data, []byte(`alloc_rule "greedy"`), []byte(`alloc_rule "topk"`), 1)
	n := strconv.FormatInt(idx, 10)
	p.attack(t,
		[]string{"DROP TRIGGER log_records_no_update", "UPDATE log_records SET data = x'" + hex.EncodeToString(forged) + "' WHERE idx = " + n},
		[]string{"ALTER TABLE log_records DISABLE TRIGGER log_records_append_only",
			`UPDATE log_records SET data = '\x` + hex.EncodeToString(forged) + "' WHERE idx = " + n})
	rep = p.verify(t, base)
	if rep.OK() || rep.LogError == nil || !slices.Contains(rep.LogError.Records, idx) {
		t.Fatalf("verify after the logged rule was forged:\n%s\nwant record %d named", text(rep), idx)
	}
}

// roundRecordIndex finds the log record of a round's rules.
func roundRecordIndex(t *testing.T, db *sqlstore.DB, roundID int64) int64 {
	t.Helper()
	want := []byte("comuna round v1\nround_id " + strconv.FormatInt(roundID, 10) + "\n")
	for i := int64(0); i < 100; i++ {
		data, err := db.LogRecord(context.Background(), i)
		if err != nil {
			break
		}
		if bytes.Contains(data, want) {
			return i
		}
	}
	t.Fatalf("no round record of round %d in the log", roundID)
	return -1
}

func getBody(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %s\n%s", u, resp.Status, b)
	}
	return string(b)
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(getBody(t, u)), v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}
