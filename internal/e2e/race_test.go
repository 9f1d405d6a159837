package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestCheckInRace sends the same document to 20 tables of different
// centres at the same instant, through HTTP, several times over: exactly
// one table accepts each document, the others answer already_voted, and
// the tables' counts add up to one check-in per document.
func TestCheckInRace(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	vd := prepareVoteDay(t, bin, filepath.Join(dir, "race.db"))
	prog := vd.serve(t, "127.0.0.1:0")
	token := vd.tokens[0]
	postJSON(t, prog.URL+"/api/v1/rounds/1/transitions", token, `{"from":"ballots","to":"voting"}`, &struct{}{})

	var list struct {
		Tables []struct{ Table, Centre string }
	}
	getJSON(t, prog.URL+"/api/v1/rounds/1/tables", &list)
	var tables []string
	centres := map[string]bool{}
	for _, tb := range list.Tables {
		if !centres[tb.Centre] && len(tables) < 20 {
			centres[tb.Centre] = true
			tables = append(tables, tb.Table)
		}
	}
	if len(tables) < 20 {
		t.Fatalf("the demo has %d centres, want 20 tables at different centres", len(tables))
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: len(tables)}}
	const documents = 10
	for d := range documents {
		number := fmt.Sprint(23_456_000 + d)
		answers := make([]string, len(tables))
		var start, wg sync.WaitGroup
		start.Add(1)
		for i, table := range tables {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := fmt.Sprintf(`{"document_type":"V","document_number":%q,"birth_date":"1985-03-03","idempotency_key":"race-%s-%s"}`, number, number, table)
				req, _ := http.NewRequest(http.MethodPost, prog.URL+"/api/v1/rounds/1/tables/"+table+"/checkins", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+token)
				start.Wait()
				resp, err := client.Do(req)
				if err != nil {
					answers[i] = err.Error()
					return
				}
				defer resp.Body.Close()
				var a struct{ Outcome string }
				if err := decode(resp, &a); err != nil {
					answers[i] = err.Error()
					return
				}
				answers[i] = a.Outcome
			}()
		}
		start.Done()
		wg.Wait()
		got := map[string]int{}
		for _, a := range answers {
			got[a]++
		}
		if got["accepted"] != 1 || got["already_voted"] != len(tables)-1 {
			t.Errorf("document %s at %d tables at once: answers %v, want 1 accepted and %d already_voted", number, len(tables), got, len(tables)-1)
		}
	}
	var total int64
	for _, table := range tables {
		var st struct {
			CheckIns int64 `json:"check_ins"`
		}
		getAuth(t, prog.URL+"/api/v1/rounds/1/tables/"+table, token, &st)
		total += st.CheckIns
	}
	if total != documents {
		t.Errorf("the %d tables count %d check-ins together, want %d", len(tables), total, documents)
	}
}

// decode reads a 200 JSON answer into v.
func decode(resp *http.Response, v any) error {
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}
