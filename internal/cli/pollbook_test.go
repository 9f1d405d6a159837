package cli

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/sqlite"
	"github.com/comuna/comuna/internal/storetest"
	"github.com/comuna/comuna/internal/voteday"
)

func TestPollBookKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "authority.key")
	code, out, errOut := run(t, tempDB(t), "", "pollbook", "key", "--out", path)
	if code != 0 {
		t.Fatalf("pollbook key = exit %d, stderr %q", code, errOut)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	k, err := pollbook.ParseKey(string(b))
	if err != nil {
		t.Fatalf("the written key does not parse: %v", err)
	}
	if !strings.Contains(out, "wrote poll-book key "+k.Fingerprint()+" to "+path) {
		t.Errorf("pollbook key printed %q, want the fingerprint %s and the file", out, k.Fingerprint())
	}
	if strings.Contains(out, k.Hex()) || strings.Contains(errOut, k.Hex()) {
		t.Error("pollbook key printed the key itself")
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("key file mode = %o, want 600", mode)
	}

	// A second key never replaces the first.
	code, _, errOut = run(t, tempDB(t), "", "pollbook", "key", "--out", path)
	if code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("pollbook key over an existing file = exit %d, stderr %q; want exit 1, already exists", code, errOut)
	}
	if again, _ := os.ReadFile(path); string(again) != string(b) {
		t.Error("pollbook key changed an existing key file")
	}
}

func TestPollBookDestroy(t *testing.T) {
	ctx := context.Background()
	db := tempDB(t)
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Seed(t, st)
	admin := storetest.Admin(t, st)
	r := storetest.NewRound("Consulta de prueba")
	r.CreatedBy = admin.ID
	if err := st.CreateRound(ctx, r); err != nil {
		t.Fatal(err)
	}
	storetest.MoveTo(t, st, r, comuna.PhaseVoting, admin.ID)
	var vd voteday.Store = st
	for i, table := range []string{"T1", "T1", "T3"} {
		res, err := vd.CheckIn(ctx, voteday.CheckIn{RoundID: r.ID, Table: table, DocHash: storetest.DocHash(i), IdempotencyKey: storetest.Key(i)})
		if err != nil || res.Outcome != pollbook.OutcomeAccepted {
			t.Fatalf("CheckIn(%d) = %+v, %v", i, res, err)
		}
	}
	storetest.WalkIns(t, vd, r.ID, "T1", 2, storetest.Member(t, st, "T1", "ana"), storetest.Member(t, st, "T1", "luis"))
	st.Close()
	round := strconv.FormatInt(r.ID, 10)

	// While voting, destroy refuses before asking anything.
	code, out, errOut := run(t, db, "yes\n", "pollbook", "destroy", "--round", round)
	if code != 1 || !strings.Contains(errOut, "voting phase") || !strings.Contains(errOut, "nothing was destroyed") || strings.Contains(errOut, "Type yes") {
		t.Errorf("destroy while voting = exit %d, stdout %q, stderr %q; want exit 1 naming the phase, no prompt", code, out, errOut)
	}
	code, _, errOut = run(t, db, "", "pollbook", "destroy", "--round", "99", "--yes")
	if code != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("destroy of an unknown round = exit %d, stderr %q; want exit 1, not found", code, errOut)
	}
	code, _, errOut = run(t, db, "", "pollbook", "destroy")
	if code != 2 || !strings.Contains(errOut, "--round is required") {
		t.Errorf("destroy without --round = exit %d, stderr %q; want exit 2", code, errOut)
	}

	st, err = sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	storetest.MoveTo(t, st, r, comuna.PhaseResults, admin.ID)
	st.Close()

	// Anything but yes keeps the hashes.
	code, out, errOut = run(t, db, "no\n", "pollbook", "destroy", "--round", round)
	if code != 1 || !strings.Contains(errOut, "Type yes") || !strings.Contains(errOut, "nothing was destroyed") {
		t.Errorf("destroy answered no = exit %d, stdout %q, stderr %q; want a prompt and exit 1", code, out, errOut)
	}
	if !strings.Contains(out, "3 check-ins and 2 walk-ins at 4 tables") {
		t.Errorf("destroy did not show what it would keep: %q", out)
	}

	code, out, errOut = run(t, db, "yes\n", "pollbook", "destroy", "--round", round)
	if code != 0 || !strings.Contains(out, "destroyed 3 document hashes of round "+round) || !strings.Contains(out, "per-table counts were kept") {
		t.Fatalf("destroy answered yes = exit %d, stdout %q, stderr %q; want 3 hashes destroyed, counts kept", code, out, errOut)
	}
	code, out, _ = run(t, db, "", "pollbook", "destroy", "--round", round, "--yes")
	if code != 0 || !strings.Contains(out, "destroyed 0 document hashes") {
		t.Errorf("destroy again = exit %d, stdout %q; want 0 hashes", code, out)
	}

	// The counts survive; the hashes do not, so nothing remains to match.
	st, err = sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	counts, err := st.PollBookCounts(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c := counts["T1"]; c.CheckIns != 2 || c.WalkIns != 2 {
		t.Errorf("T1 counts after destroy = %+v, want 2 check-ins and 2 walk-ins", c)
	}
	if c := counts["T3"]; c.CheckIns != 1 {
		t.Errorf("T3 counts after destroy = %+v, want 1 check-in", c)
	}
}

func TestPollBookUsage(t *testing.T) {
	for _, args := range [][]string{{"pollbook"}, {"pollbook", "burn"}, {"pollbook", "key", "extra"}} {
		code, _, errOut := run(t, tempDB(t), "", args...)
		if code != 2 || errOut == "" {
			t.Errorf("comuna %s = exit %d, stderr %q; want exit 2 with a reason", strings.Join(args, " "), code, errOut)
		}
	}
}
