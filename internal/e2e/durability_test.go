package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/simulate"
	"github.com/comuna/comuna/internal/tally"
)

// TestDurabilitySQLite kills the server with SIGKILL in the middle of the
// check-ins and again in the middle of the tally entries of a simulated
// vote day on SQLite, restarts it each time on the same database, and
// proves that nothing acknowledged was lost or counted twice.
func TestDurabilitySQLite(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	testDurability(t, prepareVoteDay(t, bin, filepath.Join(dir, "durable.db")))
}

// TestDurabilityPostgres is TestDurabilitySQLite on a fresh PostgreSQL
// database, when COMUNA_TEST_POSTGRES names a server.
func TestDurabilityPostgres(t *testing.T) {
	dsn := postgresDSN(t)
	bin := buildBinary(t, t.TempDir())
	testDurability(t, prepareVoteDay(t, bin, dsn))
}

// testDurability plays a vote day in two runs of `comuna simulate` with
// the same seed. The first stops after the check-ins and has the server
// killed in their middle; while the round is still voting, every
// acknowledged check-in is checked. The second replays the check-ins
// (same keys), closes the tables and enters the sheets, with the server
// killed in the middle of the entries; then every acknowledged sheet and
// the results are checked.
func testDurability(t *testing.T, vd *voteDay) {
	addr := freeAddr(t)
	prog := vd.serve(t, addr)
	dir := t.TempDir()
	args := []string{"--tables", "40", "--voters-per-table", "15", "--concurrency", "2", "--retry-for", "45s", "--seed", "7"}

	acks1 := filepath.Join(dir, "checkins.jsonl")
	rep := vd.simulateKilled(t, &prog, addr, acks1, simulate.AckCheckIn, 50, append(args, "--until", "checkins")...)
	if !rep.OK() || rep.CheckIns.Retries == 0 {
		t.Errorf("check-ins across a crash: %d errors, %d retries (want 0 errors and some retries): %v", rep.Errors, rep.CheckIns.Retries, rep.Problems)
	}
	perTable := checkCheckIns(t, prog.URL, vd.tokens[0], readAcks(t, acks1))

	acks2 := filepath.Join(dir, "sheets.jsonl")
	rep = vd.simulateKilled(t, &prog, addr, acks2, simulate.AckEntry, 1, args...)
	if !rep.OK() || rep.Recount == nil {
		t.Errorf("simulate across a crash in the entries: %d errors, recount %+v: %v", rep.Errors, rep.Recount, rep.Problems)
	}
	if rep.Entries.Retries == 0 {
		t.Errorf("no entry was retried: the kill must fall inside the entries")
	}
	if got, want := rep.CheckIns.Outcomes["accepted"], rep.CheckIns.Replayed-rep.CheckIns.Outcomes["replay_accepted"]; got != want {
		t.Errorf("second run: %d check-ins accepted, %d as replays; every one must be a replay", got, want)
	}
	checkSheets(t, prog.URL, perTable, readAcks(t, acks2))
}

// simulateKilled runs `comuna simulate` with args and an ack log, kills
// the server with SIGKILL once the log holds n records of kind, restarts
// it on the same address and database, and returns the run's report once
// it finishes (its retries carry it over the restart).
func (vd *voteDay) simulateKilled(t *testing.T, prog **program, addr, ackFile, kind string, n int, args ...string) *simulate.Report {
	t.Helper()
	cmd := vd.simulateCmd((*prog).URL, append(args, "--ack-log", ackFile)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	deadline := time.Now().Add(30 * time.Second)
	for count(readAcks(t, ackFile), kind) < n {
		if time.Now().After(deadline) {
			t.Fatalf("not %d %s records in the ack log within 30s; simulate stderr:\n%s", n, kind, stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := (*prog).cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	(*prog).cmd.Wait()
	*prog = vd.serve(t, addr)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("comuna simulate: %v\n%s\n%s", err, stderr.String(), stdout.String())
		}
	case <-time.After(90 * time.Second):
		t.Fatalf("comuna simulate did not finish; stderr:\n%s", stderr.String())
	}
	return report(t, stdout.Bytes())
}

func count(acks []simulate.AckRecord, kind string) int {
	n := 0
	for _, a := range acks {
		if a.Kind == kind {
			n++
		}
	}
	return n
}

// readAcks reads the ack log as far as it is written; a last line cut in
// the middle is left for the next read.
func readAcks(t *testing.T, path string) []simulate.AckRecord {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	} else if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []simulate.AckRecord
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var a simulate.AckRecord
		if json.Unmarshal(sc.Bytes(), &a) == nil {
			out = append(out, a)
		}
	}
	return out
}

// checkCheckIns proves, while the round is voting, that the server has
// every check-in the log says it acknowledged, once: each replays under
// its key, refuses its document under a new key, and each table counts
// exactly its acknowledged check-ins. It returns those counts.
func checkCheckIns(t *testing.T, base, token string, acks []simulate.AckRecord) map[string]int64 {
	t.Helper()
	perTable := map[string]int64{}
	seen := map[string]bool{}
	var round int64
	for _, a := range acks {
		if a.Kind != simulate.AckCheckIn {
			continue
		}
		round = a.Round
		if seen[a.DocumentNumber] {
			t.Errorf("document %s acknowledged twice", a.DocumentNumber)
		}
		seen[a.DocumentNumber] = true
		perTable[a.Table]++
		path := fmt.Sprintf("/api/v1/rounds/%d/tables/%s/checkins", a.Round, a.Table)
		body := fmt.Sprintf(`{"document_type":"V","document_number":%q,"birth_date":%q,"idempotency_key":%q}`, a.DocumentNumber, a.BirthDate, a.Key)
		var ans struct {
			Outcome  string
			Replayed bool
		}
		postJSON(t, base+path, token, body, &ans)
		if ans.Outcome != "accepted" || !ans.Replayed {
			t.Errorf("replay of acknowledged check-in %s = %+v, want accepted, replayed", a.Key, ans)
		}
		body = strings.Replace(body, a.Key, a.Key+"-again", 1)
		postJSON(t, base+path, token, body, &ans)
		if ans.Outcome != "already_voted" {
			t.Errorf("acknowledged document %s under a new key = %+v, want already_voted", a.DocumentNumber, ans)
		}
	}
	if len(perTable) == 0 {
		t.Fatalf("the ack log has no check-in")
	}
	for table, n := range perTable {
		var st struct {
			CheckIns int64 `json:"check_ins"`
		}
		getAuth(t, fmt.Sprintf("%s/api/v1/rounds/%d/tables/%s", base, round, table), token, &st)
		if st.CheckIns != n {
			t.Errorf("table %s counts %d check-ins, %d were acknowledged", table, st.CheckIns, n)
		}
	}
	return perTable
}

// checkSheets proves that every sheet the log says was accepted is the
// table's stored sheet, casting the table's acknowledged check-ins, that
// no other sheet is stored, and that the national results equal a
// recount of the stored sheets.
func checkSheets(t *testing.T, base string, perTable map[string]int64, acks []simulate.AckRecord) {
	t.Helper()
	sheets := map[string]*tally.Sheet{}
	var round int64
	for _, a := range acks {
		if a.Kind == simulate.AckEntry && a.Status == "accepted" {
			sheets[a.Table], round = a.Sheet, a.Round
		}
	}
	if len(sheets) == 0 {
		t.Fatalf("the ack log has no accepted sheet")
	}
	var open struct {
		Sheets []struct {
			Version int
			Sheet   tally.Sheet
		}
	}
	getJSON(t, fmt.Sprintf("%s/api/v1/rounds/%d/sheets", base, round), &open)
	stored := map[string]tally.Sheet{}
	var cast, blank, null, valid int64
	for _, v := range open.Sheets {
		stored[v.Sheet.Table] = v.Sheet
		cast, blank, null = cast+v.Sheet.Cast, blank+v.Sheet.Blank, null+v.Sheet.Null
		for _, n := range v.Sheet.Votes {
			valid += n
		}
	}
	for table, want := range sheets {
		got, ok := stored[table]
		if !ok || got.Cast != want.Cast || got.Received != want.Received || got.Blank != want.Blank ||
			got.Null != want.Null || got.Unused != want.Unused || !slices.Equal(got.Votes, want.Votes) {
			t.Errorf("table %s: stored sheet %+v, acknowledged %+v", table, got, *want)
		}
		if n := perTable[table]; want.Cast != n {
			t.Errorf("table %s: acknowledged sheet casts %d, %d check-ins acknowledged", table, want.Cast, n)
		}
	}
	if len(stored) != len(sheets) {
		t.Errorf("%d sheets stored, %d acknowledged", len(stored), len(sheets))
	}
	var res struct {
		Nation struct {
			Cast, Blank, Null, Valid int64
			TablesReported           int `json:"tables_reported"`
		}
	}
	getJSON(t, fmt.Sprintf("%s/api/v1/rounds/%d/results", base, round), &res)
	n := res.Nation
	if n.Cast != cast || n.Blank != blank || n.Null != null || n.Valid != valid || n.TablesReported != len(stored) {
		t.Errorf("national results %+v; recount of stored sheets: cast %d blank %d null %d valid %d in %d tables",
			n, cast, blank, null, valid, len(stored))
	}
}

// postJSON posts body with a Bearer token and decodes a 200 answer.
func postJSON(t *testing.T, url, token, body string, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	doJSON(t, req, out)
}

// getAuth fetches a resource with a Bearer token.
func getAuth(t *testing.T, url, token string, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	doJSON(t, req, out)
}

func doJSON(t *testing.T, req *http.Request, out any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s = %d %s", req.Method, req.URL, resp.StatusCode, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("%s %s: decode %s: %v", req.Method, req.URL, data, err)
	}
}
