package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to make a fresh database

	"github.com/comuna/comuna/internal/simulate"
)

// voteDay is a database with the small demo, a poll-book key file and two
// administrators' API tokens, ready for `comuna serve` and `comuna
// simulate`.
type voteDay struct {
	bin, dsn, keyFile string
	tokens            [2]string
}

// prepareVoteDay loads the small demo into dsn with the real binary and
// makes two administrators with a token each.
func prepareVoteDay(t *testing.T, bin, dsn string) *voteDay {
	t.Helper()
	dir := t.TempDir()
	vd := &voteDay{bin: bin, dsn: dsn, keyFile: filepath.Join(dir, "pollbook.key")}
	key := make([]byte, 32)
	rand.Read(key)
	if err := os.WriteFile(vd.keyFile, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, bin, "demo", "--db", dsn)
	for i, name := range []string{"sim.uno", "sim.dos"} {
		run(t, bin, "user", "create", "--db", dsn, "--username", name, "--name", "Simulador "+name, "--role", "admin")
		vd.tokens[i] = strings.TrimSpace(run(t, bin, "user", "token", "--db", dsn, "--username", name))
	}
	return vd
}

// serve starts the server on addr (host:port; port 0 picks one).
func (vd *voteDay) serve(t *testing.T, addr string) *program {
	t.Helper()
	return startProgram(t, vd.bin, "--addr", addr, "--db", vd.dsn, "--pollbook-key-file", vd.keyFile)
}

// simulate runs `comuna simulate` against url with extra flags and
// returns its report and error.
func (vd *voteDay) simulateCmd(url string, extra ...string) *exec.Cmd {
	args := append([]string{"simulate", "--url", url, "--token", vd.tokens[0], "--second-token", vd.tokens[1], "--json"}, extra...)
	return exec.Command(vd.bin, args...)
}

// report decodes a simulate run's JSON report.
func report(t *testing.T, out []byte) *simulate.Report {
	t.Helper()
	var rep simulate.Report
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("simulate report: %v\n%s", err, out)
	}
	return &rep
}

// run runs the binary and returns its standard output, failing on error.
func run(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("comuna %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// freeAddr returns a loopback address with a port free at the moment, so
// that a restarted server can listen where its clients expect it.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// postgresDSN makes a fresh database on the COMUNA_TEST_POSTGRES server,
// dropped at cleanup, and returns its URL; it skips without the variable.
func postgresDSN(t *testing.T) string {
	t.Helper()
	base := os.Getenv("COMUNA_TEST_POSTGRES")
	if base == "" {
		t.Skip("COMUNA_TEST_POSTGRES is not set")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("COMUNA_TEST_POSTGRES: %v", err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	name := "comuna_e2e_" + strings.ToLower(rand.Text()[:10])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	u.Path = "/" + name
	return u.String()
}

// TestSimulateSmallDemo plays the small demo's vote day with `comuna
// simulate` on SQLite: every answer as expected, and the results equal a
// recount of the submitted and the published sheets.
func TestSimulateSmallDemo(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	vd := prepareVoteDay(t, bin, filepath.Join(dir, "sim.db"))
	prog := vd.serve(t, "127.0.0.1:0")
	cmd := vd.simulateCmd(prog.URL, "--voters-per-table", "6", "--concurrency", "8", "--duplicates", "0.1", "--underage", "0.05")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("comuna simulate: %v\n%s\n%s", err, stderr.String(), out)
	}
	rep := report(t, out)
	if !rep.OK() || rep.Recount == nil {
		t.Errorf("simulate: not OK (%d errors, recount %+v): %v", rep.Errors, rep.Recount, rep.Problems)
	}
	if want := int64(rep.Tables * 6); rep.CheckIns.Outcomes["accepted"] != want || rep.Recount.Results.CheckIns != want {
		t.Errorf("accepted %d check-ins, results count %d; want %d", rep.CheckIns.Outcomes["accepted"], rep.Recount.Results.CheckIns, want)
	}
	if rep.CheckIns.Outcomes["already_voted"] == 0 || rep.CheckIns.Outcomes["outside_age"] == 0 || rep.CheckIns.Replayed == 0 {
		t.Errorf("check-in outcomes %v, %d replays; want duplicates, under-age attempts and replays", rep.CheckIns.Outcomes, rep.CheckIns.Replayed)
	}
	if rep.Entries.Outcomes["accepted"] != int64(rep.Tables) || rep.Recount.Results.Tables != int64(rep.Tables) {
		t.Errorf("entries %v, %d tables reported; want %d sheets accepted", rep.Entries.Outcomes, rep.Recount.Results.Tables, rep.Tables)
	}
	var round struct{ Phase string }
	getJSON(t, fmt.Sprintf("%s/api/v1/rounds/%d", prog.URL, rep.Round), &round)
	if round.Phase != "counting" {
		t.Errorf("round %d is in %s after the simulation, want counting", rep.Round, round.Phase)
	}
	// A second run with the same seed finds the round counting and stops.
	if out, err := vd.simulateCmd(prog.URL, "--round", fmt.Sprint(rep.Round)).CombinedOutput(); err == nil {
		t.Errorf("simulate on a counting round succeeded:\n%s", out)
	}
}
