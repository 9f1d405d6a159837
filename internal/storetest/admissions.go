package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/voteday"
)

// Member returns the table member name of table, creating the account on
// first use.
func Member(t testing.TB, s *sqlstore.DB, table, name string) *comuna.User {
	t.Helper()
	ctx := context.Background()
	if u, err := s.UserByUsername(ctx, name); err == nil {
		return u
	}
	u := &comuna.User{Username: name, Name: name, Role: comuna.RoleTableMember, Scope: table, PasswordHash: "x"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatalf("CreateUser(%s) = %v", name, err)
	}
	return u
}

// WalkIns has proposer report count walk-ins at a table and confirmer
// confirm them, failing the test on any error.
func WalkIns(t testing.TB, vd voteday.Store, roundID int64, table string, count int64, proposer, confirmer *comuna.User) *voteday.WalkInReport {
	t.Helper()
	ctx := context.Background()
	rep, err := vd.ReportWalkIns(ctx, voteday.WalkIns{RoundID: roundID, Table: table, Count: count,
		Reason: "the network was down at the school", IdempotencyKey: Key(fmt.Sprintf("walk-%s-%d-%d-%d", table, count, proposer.ID, confirmer.ID)), UserID: proposer.ID})
	if err != nil {
		t.Fatalf("ReportWalkIns(%d at %s) = %v", count, table, err)
	}
	rep, err = vd.DecideWalkIns(ctx, voteday.WalkInDecision{RoundID: roundID, Table: table, ReportID: rep.ID, Confirm: true, UserID: confirmer.ID})
	if err != nil {
		t.Fatalf("DecideWalkIns(report %d) = %v", rep.ID, err)
	}
	return rep
}

// testWalkIns is finding 1 of issue 8: one person could add any number
// of walk-ins with no reason. Now a report needs a reason, counts only
// when a second person confirms it, and never past the table's cap.
func testWalkIns(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	var vd voteday.Store = s
	r := votingRound(t, s)
	ana, luis := Member(t, s, "T1", "ana"), Member(t, s, "T1", "luis")
	report := func(count int64, reason, key string, by *comuna.User) (*voteday.WalkInReport, error) {
		return vd.ReportWalkIns(ctx, voteday.WalkIns{RoundID: r.ID, Table: "T1", Count: count, Reason: reason, IdempotencyKey: key, UserID: by.ID})
	}
	decide := func(rep *voteday.WalkInReport, confirm bool, by *comuna.User) (*voteday.WalkInReport, error) {
		return vd.DecideWalkIns(ctx, voteday.WalkInDecision{RoundID: r.ID, Table: "T1", ReportID: rep.ID, Confirm: confirm, UserID: by.ID})
	}
	walkIns := func() int64 {
		t.Helper()
		st, err := vd.TableState(ctx, r.ID, "T1")
		if err != nil {
			t.Fatal(err)
		}
		return st.WalkIns
	}
	const why = "sin conexión de 8 a 10"
	// The attack: 10,000 walk-ins four times, by one person.
	for i := range 4 {
		_, err := report(10_000, why, Key("attack", i), ana)
		checkErr(t, fmt.Sprintf("ReportWalkIns(10000) #%d", i), err, comuna.EInvalid, "count")
	}
	_, err := report(3, "\u200b\u200b\u200b\u200b\u200b", Key(1), ana)
	checkErr(t, "ReportWalkIns(invisible reason)", err, comuna.EInvalid, "reason")
	rep, err := report(3, why, Key(1), ana)
	if err != nil || rep.Status != voteday.WalkInProposed || rep.ProposedBy != ana.ID || rep.Proposer != "ana" || rep.Reason != why {
		t.Fatalf("ReportWalkIns(3) = %+v, %v; want proposed by ana", rep, err)
	}
	if n := walkIns(); n != 0 {
		t.Errorf("walk-ins after a proposal = %d, want 0 until a second person confirms", n)
	}
	if again, err := report(3, why, Key(1), ana); err != nil || again.ID != rep.ID {
		t.Errorf("ReportWalkIns(replay) = %+v, %v; want report %d again", again, err, rep.ID)
	}
	_, err = report(4, why, Key(1), ana)
	checkErr(t, "ReportWalkIns(key reused)", err, comuna.EConflict, "")
	_, err = decide(rep, true, ana)
	checkErr(t, "DecideWalkIns(by the proposer)", err, comuna.EForbidden, "")
	if got, err := decide(rep, true, luis); err != nil || got.Status != voteday.WalkInConfirmed || got.Decider != "luis" {
		t.Fatalf("DecideWalkIns(by luis) = %+v, %v; want confirmed by luis", got, err)
	}
	if got, err := decide(rep, true, luis); err != nil || got.Status != voteday.WalkInConfirmed {
		t.Errorf("DecideWalkIns(retry) = %+v, %v; want the same answer", got, err)
	}
	_, err = decide(rep, false, Member(t, s, "T1", "rosa"))
	checkErr(t, "DecideWalkIns(already confirmed)", err, comuna.EConflict, "")
	if n := walkIns(); n != 3 {
		t.Errorf("walk-ins after confirmation = %d, want 3", n)
	}
	refused, err := report(2, why, Key(2), luis)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := decide(refused, false, ana); err != nil || got.Status != voteday.WalkInRefused {
		t.Errorf("DecideWalkIns(refuse) = %+v, %v; want refused", got, err)
	}
	// T1 serves CI1 (census 1,500, two tables): 750 expected, a cap of 75.
	st, err := vd.TableState(ctx, r.ID, "T1")
	if err != nil || st.WalkIns != 3 || st.WalkInCap != 75 || len(st.WalkInReports) != 2 || st.WalkInReports[0].ID != refused.ID {
		t.Fatalf("TableState(T1) = %+v, %v; want 3 walk-ins of a cap of 75 and both reports", st, err)
	}
	_, err = report(73, why, Key(3), ana)
	checkErr(t, "ReportWalkIns(past the cap)", err, comuna.EInvalid, "count")
	// Two proposals that each fit but not together: the second confirmation is refused.
	a, err := report(40, why, Key(4), ana)
	if err != nil {
		t.Fatal(err)
	}
	b, err := report(40, why, Key(5), ana)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decide(a, true, luis); err != nil {
		t.Fatal(err)
	}
	_, err = decide(b, true, luis)
	checkErr(t, "DecideWalkIns(past the cap)", err, comuna.EInvalid, "count")
	if n := walkIns(); n != 43 {
		t.Errorf("walk-ins = %d, want 43", n)
	}
	_, err = vd.ReportWalkIns(ctx, voteday.WalkIns{RoundID: r.ID, Table: "T9", Count: 1, Reason: why, IdempotencyKey: Key(6), UserID: ana.ID})
	checkErr(t, "ReportWalkIns(unknown table)", err, comuna.ENotFound, "")
	_, err = vd.ReportWalkIns(ctx, voteday.WalkIns{RoundID: r.ID, Table: "T1", Count: 1, Reason: why, IdempotencyKey: Key(7)})
	checkErr(t, "ReportWalkIns(nobody)", err, comuna.EInvalid, "user")
	checkIn(t, vd, r.ID, "T1", 1, Key(8))
	st, err = vd.CloseTable(ctx, r.ID, "T1", 0)
	if err != nil || !st.Closed || st.ClosedAt.IsZero() || st.ClosedByPhase || st.CheckIns != 1 || st.WalkIns != 43 {
		t.Fatalf("CloseTable(T1) = %+v, %v; want closed with 1 check-in and 43 walk-ins", st, err)
	}
	again, err := vd.CloseTable(ctx, r.ID, "T1", 0)
	if err != nil || !again.ClosedAt.Equal(st.ClosedAt) {
		t.Errorf("CloseTable(again) = %+v, %v; want the first close unchanged", again, err)
	}
	_, err = report(1, why, Key(9), ana)
	checkErr(t, "ReportWalkIns(closed table)", err, comuna.EConflict, "")
}

// testPhaseClosesTables is finding 12 of issue 8: moving to counting left
// open tables unable to close or report. Now the move closes them,
// marked as closed by the phase change, and each can report.
func testPhaseClosesTables(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	var vd voteday.Store = s
	r := votingRound(t, s)
	checkIn(t, vd, r.ID, "T1", 1, Key(1))
	checkIn(t, vd, r.ID, "T4", 2, Key(2))
	if _, err := vd.CloseTable(ctx, r.ID, "T4", 0); err != nil {
		t.Fatal(err)
	}
	MoveTo(t, s, r, comuna.PhaseCounting, 0)
	counts, err := vd.PollBookCounts(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]voteday.TableCount{
		"T1": {CheckIns: 1, Closed: true, ClosedByPhase: true},
		"T2": {Closed: true, ClosedByPhase: true}, // never used, closed all the same
		"T3": {Closed: true, ClosedByPhase: true},
		"T4": {CheckIns: 1, Closed: true},
	}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("PollBookCounts() after counting = %v, want %v", counts, want)
	}
	st, err := vd.TableState(ctx, r.ID, "T1")
	if err != nil || !st.Closed || !st.ClosedByPhase || st.ClosedAt.IsZero() {
		t.Fatalf("TableState(T1) = %+v, %v; want closed by the phase change", st, err)
	}
	sh := goodSheet(r.ID)
	sh.Received, sh.Cast, sh.Votes, sh.Blank, sh.Null, sh.Unused = 10, 1, []int64{1, 0, 0}, 0, 0, 9
	ana, luis := Member(t, s, "T1", "ana"), Member(t, s, "T1", "luis")
	enter(t, vd, sh, ana, Key("e1"))
	if res := enter(t, vd, sh, luis, Key("e2")); res.Status != voteday.EntryAccepted {
		t.Errorf("SubmitEntry(table closed by the phase change) = %+v, want accepted", res)
	}
}
