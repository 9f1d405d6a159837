package storetest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/voteday"
)

// DocHash returns a stand-in for the keyed hash of voter n's document.
func DocHash(n int) [32]byte { return sha256.Sum256([]byte(fmt.Sprintf("V%08d", n))) }

// Key returns a well-formed idempotency key made of parts.
func Key(parts ...any) string { return fmt.Sprint(append([]any{"key"}, parts...)...) + "-0123456789" }

// votingRound returns a round in the voting phase whose circuit CI1
// (tables T1 and T4) has a published ballot of three projects.
func votingRound(t *testing.T, s *sqlstore.DB) *comuna.Round {
	t.Helper()
	r, acc, _, _, _ := ballotRound(t, s)
	if _, err := s.SaveBallot(context.Background(), comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1", Proposals: acc, Publish: true}); err != nil {
		t.Fatalf("SaveBallot(CI1) = %v", err)
	}
	MoveTo(t, s, r, comuna.PhaseVoting, 0)
	return r
}

// checkIn checks voter n in at a table with a fresh key and returns the
// answer.
func checkIn(t *testing.T, vd voteday.Store, roundID int64, table string, n int, key string) *voteday.CheckInResult {
	t.Helper()
	res, err := vd.CheckIn(context.Background(), voteday.CheckIn{RoundID: roundID, Table: table, DocHash: DocHash(n), IdempotencyKey: key})
	if err != nil {
		t.Fatalf("CheckIn(voter %d at %s, key %s) = %v", n, table, key, err)
	}
	return res
}

func testCheckIn(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	var vd voteday.Store = s
	r := votingRound(t, s)
	if res := checkIn(t, vd, r.ID, "T1", 1, Key(1)); res.Outcome != pollbook.OutcomeAccepted || res.CheckIns != 1 || res.Replayed || res.Centre != "" {
		t.Fatalf("CheckIn(first) = %+v, want accepted with 1 check-in", res)
	}
	// The same document at another centre names only the first centre.
	res := checkIn(t, vd, r.ID, "T3", 1, Key(2))
	want := voteday.CheckInResult{Outcome: pollbook.OutcomeAlreadyVoted, Centre: "E1", CentreName: "Escuela Bolivariana Catedral"}
	if *res != want {
		t.Errorf("CheckIn(same document at T3) = %+v, want %+v", res, want)
	}
	// A replay is answered as the first time and counted once.
	res = checkIn(t, vd, r.ID, "T1", 1, Key(1))
	if res.Outcome != pollbook.OutcomeAccepted || !res.Replayed || res.CheckIns != 1 {
		t.Errorf("CheckIn(replay) = %+v, want accepted, replayed, 1 check-in", res)
	}
	// The key again for another voter, or at another centre, is a conflict.
	_, err := vd.CheckIn(ctx, voteday.CheckIn{RoundID: r.ID, Table: "T1", DocHash: DocHash(2), IdempotencyKey: Key(1)})
	checkErr(t, "CheckIn(key reused for another document)", err, comuna.EConflict, "")
	_, err = vd.CheckIn(ctx, voteday.CheckIn{RoundID: r.ID, Table: "T3", DocHash: DocHash(1), IdempotencyKey: Key(1)})
	checkErr(t, "CheckIn(key reused at another centre)", err, comuna.EConflict, "")
	_, err = vd.CheckIn(ctx, voteday.CheckIn{RoundID: r.ID, Table: "T9", DocHash: DocHash(3), IdempotencyKey: Key(3)})
	checkErr(t, "CheckIn(unknown table)", err, comuna.ENotFound, "")
	_, err = vd.CheckIn(ctx, voteday.CheckIn{RoundID: r.ID + 100, Table: "T1", DocHash: DocHash(3), IdempotencyKey: Key(3)})
	checkErr(t, "CheckIn(unknown round)", err, comuna.ENotFound, "")
	_, err = vd.CheckIn(ctx, voteday.CheckIn{RoundID: r.ID, Table: "T1", DocHash: DocHash(3), IdempotencyKey: "short"})
	checkErr(t, "CheckIn(bad key)", err, comuna.EInvalid, "idempotency_key")
	if res := checkIn(t, vd, r.ID, "T4", 2, Key(4)); res.Outcome != pollbook.OutcomeAccepted || res.CheckIns != 1 {
		t.Errorf("CheckIn(voter 2 at T4) = %+v, want accepted with 1 check-in", res)
	}
	// A closed table turns voters away and stores nothing.
	if _, err := vd.CloseTable(ctx, r.ID, "T2", 0); err != nil {
		t.Fatalf("CloseTable(T2) = %v", err)
	}
	if res := checkIn(t, vd, r.ID, "T2", 3, Key(5)); res.Outcome != pollbook.OutcomeTableClosed || res.CheckIns != 0 {
		t.Errorf("CheckIn(at closed T2) = %+v, want table_closed", res)
	}
	if res := checkIn(t, vd, r.ID, "T1", 3, Key(6)); res.Outcome != pollbook.OutcomeAccepted || res.CheckIns != 2 {
		t.Errorf("CheckIn(voter turned away at T2, now at T1) = %+v, want accepted with 2 check-ins", res)
	}
	// Privacy by design: a check-in row holds nothing but these.
	{
		rows, err := s.SQL().QueryContext(ctx, "SELECT * FROM check_ins")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		rows.Close()
		if want := "[round_id doc_hash centre key_hash]"; fmt.Sprint(cols) != want {
			t.Errorf("check_ins columns = %v, want %s", cols, want)
		}
	}
	counts, err := vd.PollBookCounts(ctx, r.ID)
	wantCounts := map[string]voteday.TableCount{"T1": {CheckIns: 2}, "T2": {Closed: true}, "T3": {}, "T4": {CheckIns: 1}}
	if err != nil || fmt.Sprint(counts) != fmt.Sprint(wantCounts) {
		t.Errorf("PollBookCounts() = %v, %v; want %v", counts, err, wantCounts)
	}
}

func testCheckInPhase(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	var vd voteday.Store = s
	r, _, _, _, _ := ballotRound(t, s)
	if res := checkIn(t, vd, r.ID, "T1", 1, Key(1)); res.Outcome != pollbook.OutcomeWrongRound {
		t.Errorf("CheckIn(ballots phase) = %+v, want wrong_round", res)
	}
	_, err := vd.CloseTable(ctx, r.ID, "T1", 0)
	checkErr(t, "CloseTable(ballots phase)", err, comuna.EConflict, "")
	_, err = vd.ReportWalkIns(ctx, voteday.WalkIns{RoundID: r.ID, Table: "T1", Count: 1, Reason: "the network was down all morning",
		IdempotencyKey: Key(2), UserID: Member(t, s, "T1", "ana").ID})
	checkErr(t, "ReportWalkIns(ballots phase)", err, comuna.EConflict, "")
	MoveTo(t, s, r, comuna.PhaseVoting, 0)
	checkIn(t, vd, r.ID, "T1", 1, Key(3))
	MoveTo(t, s, r, comuna.PhaseCounting, 0)
	if res := checkIn(t, vd, r.ID, "T1", 2, Key(4)); res.Outcome != pollbook.OutcomeWrongRound {
		t.Errorf("CheckIn(counting phase) = %+v, want wrong_round", res)
	}
	// A check-in acknowledged while voting is replayed after it.
	if res := checkIn(t, vd, r.ID, "T1", 1, Key(3)); res.Outcome != pollbook.OutcomeAccepted || !res.Replayed {
		t.Errorf("CheckIn(replay in counting phase) = %+v, want accepted and replayed", res)
	}
	if st, err := vd.TableState(ctx, r.ID, "T1"); err != nil || st.CheckIns != 1 {
		t.Errorf("TableState(T1) = %+v, %v; want 1 check-in", st, err)
	}
}

func testCheckInRace(t *testing.T, s *sqlstore.DB) {
	var vd voteday.Store = s
	r := votingRound(t, s)
	tables := []string{"T1", "T2", "T3", "T4"}
	const n = 20
	outcomes := make([]pollbook.Outcome, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, err := vd.CheckIn(context.Background(), voteday.CheckIn{RoundID: r.ID, Table: tables[i%len(tables)],
				DocHash: DocHash(7), IdempotencyKey: Key("race", i)})
			if err == nil {
				outcomes[i] = res.Outcome
			}
			errs[i] = err
		}()
	}
	close(start)
	wg.Wait()
	accepted := 0
	for i := range n {
		if errs[i] != nil {
			t.Errorf("CheckIn(racer %d) = %v", i, errs[i])
		}
		switch outcomes[i] {
		case pollbook.OutcomeAccepted:
			accepted++
		case pollbook.OutcomeAlreadyVoted:
		default:
			t.Errorf("CheckIn(racer %d) outcome %q", i, outcomes[i])
		}
	}
	if accepted != 1 {
		t.Errorf("%d racers accepted, want exactly 1", accepted)
	}
	counts, err := vd.PollBookCounts(context.Background(), r.ID)
	var total int64
	for _, c := range counts {
		total += c.CheckIns
	}
	if err != nil || total != 1 {
		t.Errorf("PollBookCounts() = %v, %v; want one check-in in all", counts, err)
	}
}

func testTableState(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	var vd voteday.Store = s
	r := votingRound(t, s)
	st, err := vd.TableState(ctx, r.ID, "T3")
	want := voteday.TableState{RoundID: r.ID, Table: "T3", TableName: "Mesa 1", Centre: "E2", CentreName: "Liceo Petare", Circuit: "CI3",
		WalkInCap: 20} // 10% of CI3's census of 200, all at T3
	if err != nil || fmt.Sprintf("%+v", *st) != fmt.Sprintf("%+v", want) {
		t.Errorf("TableState(T3) = %+v, %v; want %+v", st, err, want)
	}
	_, err = vd.TableState(ctx, r.ID, "T9")
	checkErr(t, "TableState(unknown table)", err, comuna.ENotFound, "")
	_, err = vd.TableState(ctx, r.ID+100, "T1")
	checkErr(t, "TableState(unknown round)", err, comuna.ENotFound, "")
	_, err = vd.PollBookCounts(ctx, r.ID+100)
	checkErr(t, "PollBookCounts(unknown round)", err, comuna.ENotFound, "")
}

func testDestroyCheckIns(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	var vd voteday.Store = s
	r := votingRound(t, s)
	for i := range 5 {
		checkIn(t, vd, r.ID, []string{"T1", "T3"}[i%2], i, Key(i))
	}
	MoveTo(t, s, r, comuna.PhaseCounting, 0)
	_, err := vd.DestroyCheckIns(ctx, r.ID, 0)
	checkErr(t, "DestroyCheckIns(counting)", err, comuna.EConflict, "")
	before, _ := vd.PollBookCounts(ctx, r.ID)
	MoveTo(t, s, r, comuna.PhaseResults, 0)
	if n, err := vd.DestroyCheckIns(ctx, r.ID, 0); err != nil || n != 5 {
		t.Errorf("DestroyCheckIns() = %d, %v; want 5", n, err)
	}
	if n, err := vd.DestroyCheckIns(ctx, r.ID, 0); err != nil || n != 0 {
		t.Errorf("DestroyCheckIns(again) = %d, %v; want 0", n, err)
	}
	after, err := vd.PollBookCounts(ctx, r.ID)
	if err != nil || fmt.Sprint(after) != fmt.Sprint(before) || after["T1"].CheckIns != 3 {
		t.Errorf("PollBookCounts() after destruction = %v, %v; want %v", after, err, before)
	}
	// The round is past voting: a destroyed document cannot check in again.
	if res := checkIn(t, vd, r.ID, "T1", 0, Key("again")); res.Outcome != pollbook.OutcomeWrongRound {
		t.Errorf("CheckIn(after destruction) = %+v, want wrong_round", res)
	}
}
