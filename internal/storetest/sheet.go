package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

// closedTable returns a voting round whose table T1 (circuit CI1, ballot
// of three) closed with 10 check-ins and 2 walk-ins, and three table
// members who enter sheets.
func closedTable(t *testing.T, s *sqlstore.DB) (*comuna.Round, []*comuna.User) {
	t.Helper()
	ctx := context.Background()
	var vd voteday.Store = s
	r := votingRound(t, s)
	for i := range 10 {
		checkIn(t, vd, r.ID, "T1", i, Key("voter", i))
	}
	var us []*comuna.User
	for _, name := range []string{"ana", "luis", "rosa"} {
		us = append(us, Member(t, s, "T1", name))
	}
	WalkIns(t, vd, r.ID, "T1", 2, us[0], us[1])
	if _, err := vd.CloseTable(ctx, r.ID, "T1", 0); err != nil {
		t.Fatal(err)
	}
	return r, us
}

// goodSheet returns a sheet of T1 that reconciles with closedTable.
func goodSheet(roundID int64) tally.Sheet {
	return tally.Sheet{RoundID: roundID, Table: "T1", Received: 14, Cast: 12, Votes: []int64{5, 3, 2}, Blank: 1, Null: 1,
		Unused: 2, Members: []string{"Ana Pérez", "Luis Díaz"}, Witnesses: []string{"Rosa Gil"}}
}

func enter(t *testing.T, vd voteday.Store, sh tally.Sheet, u *comuna.User, key string) *voteday.EntryResult {
	t.Helper()
	res, err := vd.SubmitEntry(context.Background(), voteday.Entry{Sheet: sh, IdempotencyKey: key, UserID: u.ID})
	if err != nil {
		t.Fatalf("SubmitEntry(by %s, key %s) = %v", u.Username, key, err)
	}
	return res
}

func testDoubleEntry(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	var vd voteday.Store = s
	r, us := closedTable(t, s)
	ana, luis, rosa := us[0], us[1], us[2]
	typo := goodSheet(r.ID)
	typo.Votes = []int64{4, 4, 2}
	if res := enter(t, vd, typo, ana, Key("e1")); res.Status != voteday.EntryWaiting {
		t.Fatalf("SubmitEntry(first) = %+v, want waiting", res)
	}
	// The same person again replaces their entry and is not a second one.
	if res := enter(t, vd, goodSheet(r.ID), ana, Key("e2")); res.Status != voteday.EntryWaiting {
		t.Fatalf("SubmitEntry(same person again) = %+v, want waiting", res)
	}
	st, err := vd.TableState(ctx, r.ID, "T1")
	if err != nil || len(st.Entries) != 1 || st.Entries[0].UserID != ana.ID || st.Entries[0].Username != "ana" ||
		len(st.EntriesDiffer) != 0 || st.Sheet != nil {
		t.Fatalf("TableState() = %+v, %v; want ana's latest entry pending and no sheet", st, err)
	}
	// Finding 3 of issue 8: a mismatch names the fields, never the other
	// person's values, in the answer, its replay and the table's state.
	res := enter(t, vd, typo, luis, Key("e3"))
	if res.Status != voteday.EntryMismatch || res.Sheet != nil {
		t.Fatalf("SubmitEntry(differing) = %+v, want mismatch against ana's entry", res)
	}
	wantDiffs := []string{"votes.1", "votes.2"}
	if fmt.Sprint(res.Differences) != fmt.Sprint(wantDiffs) {
		t.Errorf("SubmitEntry(differing) differences = %v, want %v", res.Differences, wantDiffs)
	}
	if replay := enter(t, vd, typo, luis, Key("e3")); !replay.Replayed || fmt.Sprint(replay.Differences) != fmt.Sprint(wantDiffs) ||
		strings.Contains(fmt.Sprintf("%+v", replay), "5 3 2") {
		t.Errorf("SubmitEntry(replayed mismatch) = %+v, want the same fields and no values", replay)
	}
	st, err = vd.TableState(ctx, r.ID, "T1")
	if err != nil || len(st.Entries) != 2 || fmt.Sprint(st.EntriesDiffer) != fmt.Sprint(wantDiffs) {
		t.Errorf("TableState(after a mismatch) = %+v, %v; want two entries differing on %v", st, err, wantDiffs)
	}
	// A fresh entry by a third person (the coordinator, say) settles it.
	if res := enter(t, vd, goodSheet(r.ID), rosa, Key("e3b")); res.Status != voteday.EntryMismatch ||
		fmt.Sprint(res.Differences) != fmt.Sprint(wantDiffs) {
		t.Errorf("SubmitEntry(third person, as ana) = %+v; want a mismatch against luis's latest entry", res)
	}
	res = enter(t, vd, goodSheet(r.ID), luis, Key("e4"))
	if res.Status != voteday.EntryAccepted || res.Sheet == nil {
		t.Fatalf("SubmitEntry(agreeing) = %+v, want accepted", res)
	}
	v := res.Sheet
	if v.ID == 0 || v.Version != 1 || v.SignedBy != luis.ID || v.Signer != "luis" || v.Circuit != "CI1" || v.Table != "T1" ||
		fmt.Sprint(v.EnteredBy) != fmt.Sprint([]int64{rosa.ID, luis.ID}) || v.Sheet.Circuit != "CI1" || v.Accepted.IsZero() {
		t.Errorf("accepted version = %+v", v)
	}
	replay := enter(t, vd, goodSheet(r.ID), luis, Key("e4"))
	if replay.Status != voteday.EntryAccepted || !replay.Replayed || replay.Sheet == nil || replay.Sheet.ID != v.ID {
		t.Errorf("SubmitEntry(replay) = %+v, want the accepted answer replayed", replay)
	}
	_, err = vd.SubmitEntry(ctx, voteday.Entry{Sheet: goodSheet(r.ID), IdempotencyKey: Key("e5"), UserID: ana.ID})
	checkErr(t, "SubmitEntry(after acceptance)", err, comuna.EConflict, "")
	_, err = vd.SubmitEntry(ctx, voteday.Entry{Sheet: goodSheet(r.ID), IdempotencyKey: Key("e1"), UserID: ana.ID})
	checkErr(t, "SubmitEntry(key reused for another sheet)", err, comuna.EConflict, "")
	st, err = vd.TableState(ctx, r.ID, "T1")
	if err != nil || len(st.Entries) != 0 || st.Sheet == nil || st.Sheet.ID != v.ID {
		t.Errorf("TableState() = %+v, %v; want no pending entries and version 1", st, err)
	}
}

func testEntryErrors(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	var vd voteday.Store = s
	r, us := closedTable(t, s)
	ana := us[0]
	submit := func(sh tally.Sheet, key string) error {
		_, err := vd.SubmitEntry(ctx, voteday.Entry{Sheet: sh, IdempotencyKey: key, UserID: ana.ID})
		return err
	}
	bad := goodSheet(r.ID)
	bad.Cast, bad.Received = 13, 15 // votes add up to 12; 12 voters admitted
	err := submit(bad, Key(1))
	checkErr(t, "SubmitEntry(not reconciling)", err, comuna.EInvalid, "cast")
	if errs := voteday.ReconcileErrors(err); len(errs) != 2 {
		t.Errorf("SubmitEntry(not reconciling) = %v; want two problems listed", err)
	}
	short := goodSheet(r.ID)
	short.Votes = short.Votes[:2]
	checkErr(t, "SubmitEntry(too few numbers)", submit(short, Key(2)), comuna.EInvalid, "votes")
	if st, err := vd.TableState(ctx, r.ID, "T1"); err != nil || len(st.Entries) != 0 {
		t.Errorf("TableState() = %+v, %v; want nothing stored", st, err)
	}
	// The key of a refused entry is free for the corrected one.
	if err := submit(goodSheet(r.ID), Key(1)); err != nil {
		t.Errorf("SubmitEntry(corrected, same key) = %v", err)
	}
	open := goodSheet(r.ID)
	open.Table = "T4"
	checkErr(t, "SubmitEntry(open table)", submit(open, Key(3)), comuna.EConflict, "")
	unknown := goodSheet(r.ID)
	unknown.Table = "T9"
	checkErr(t, "SubmitEntry(unknown table)", submit(unknown, Key(4)), comuna.ENotFound, "")
	_, err = vd.SubmitEntry(ctx, voteday.Entry{Sheet: goodSheet(r.ID), IdempotencyKey: Key(5)})
	checkErr(t, "SubmitEntry(nobody)", err, comuna.EInvalid, "user")
	checkErr(t, "SubmitEntry(bad key)", submit(goodSheet(r.ID), "k"), comuna.EInvalid, "idempotency_key")
}

func testCorrections(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	var vd voteday.Store = s
	r, us := closedTable(t, s)
	ana, luis, rosa := us[0], us[1], us[2]
	fixed := goodSheet(r.ID)
	fixed.Votes, fixed.Blank = []int64{5, 4, 2}, 0
	_, err := vd.ProposeCorrection(ctx, voteday.Correction{Sheet: fixed, Reason: "recount of number 2", IdempotencyKey: Key("c0"), UserID: rosa.ID})
	checkErr(t, "ProposeCorrection(before acceptance)", err, comuna.EConflict, "")
	if epoch, err := vd.ResultsEpoch(ctx, r.ID); err != nil || epoch != 0 {
		t.Errorf("ResultsEpoch(no sheets) = %d, %v; want 0", epoch, err)
	}
	enter(t, vd, goodSheet(r.ID), ana, Key("e1"))
	v1 := enter(t, vd, goodSheet(r.ID), luis, Key("e2")).Sheet
	_, err = vd.ProposeCorrection(ctx, voteday.Correction{Sheet: fixed, Reason: "recount of number 2", IdempotencyKey: Key("c1"), UserID: rosa.ID})
	checkErr(t, "ProposeCorrection(voting phase)", err, comuna.EConflict, "")
	MoveTo(t, s, r, comuna.PhaseCounting, 0)
	v2 := Correct(t, vd, fixed, "recount of number 2", rosa, ana)
	if v2.Version != 2 || v2.ID <= v1.ID || v2.Reason != "recount of number 2" || v2.SignedBy != ana.ID || v2.Signer != "ana" ||
		v2.Sheet.Votes[1] != 4 || fmt.Sprint(v2.EnteredBy) != fmt.Sprint([]int64{rosa.ID, ana.ID}) {
		t.Fatalf("confirmed correction = %+v; want version 2 proposed by rosa, signed by ana", v2)
	}
	vs, err := vd.SheetVersions(ctx, r.ID, "T1")
	if err != nil || len(vs) != 2 || vs[0].ID != v2.ID || vs[1].ID != v1.ID || vs[1].Sheet.Votes[1] != 3 {
		t.Fatalf("SheetVersions() = %+v, %v; want versions 2 and 1, the first unchanged", vs, err)
	}
	cur, epoch, err := vd.CurrentSheets(ctx, r.ID)
	if err != nil || len(cur) != 1 || cur[0].ID != v2.ID || epoch != v2.ID {
		t.Errorf("CurrentSheets() = %+v, %d, %v; want version 2 only, epoch %d", cur, epoch, err, v2.ID)
	}
	if got, err := vd.ResultsEpoch(ctx, r.ID); err != nil || got != v2.ID {
		t.Errorf("ResultsEpoch() = %d, %v; want %d", got, err, v2.ID)
	}
	MoveTo(t, s, r, comuna.PhaseResults, 0)
	_, err = vd.ProposeCorrection(ctx, voteday.Correction{Sheet: goodSheet(r.ID), Reason: "the first count was right", IdempotencyKey: Key("c2"), UserID: rosa.ID})
	checkErr(t, "ProposeCorrection(in results, not reopened)", err, comuna.EConflict, "")
	admin := Admin(t, s)
	if _, err := vd.ReopenCircuit(ctx, r.ID, "CI1", "ok", admin.ID); comuna.ErrorCode(err) != comuna.EInvalid {
		t.Errorf("ReopenCircuit(short reason) = %v, want invalid", err)
	}
	o, err := vd.ReopenCircuit(ctx, r.ID, "CI1", "witnesses report a misread sheet", admin.ID)
	if err != nil || o.Circuit != "CI1" || o.Opener != admin.Username || o.CorrectionID != 0 {
		t.Fatalf("ReopenCircuit() = %+v, %v", o, err)
	}
	v3 := Correct(t, vd, goodSheet(r.ID), "the first count was right", rosa, luis)
	if v3.Version != 3 || v3.ID <= v2.ID {
		t.Errorf("correction in results after a reopening = %+v; want version 3", v3)
	}
	// The reopening admitted one correction; the next needs another.
	_, err = vd.ProposeCorrection(ctx, voteday.Correction{Sheet: fixed, Reason: "recount of number 2 again", IdempotencyKey: Key("c3"), UserID: rosa.ID})
	checkErr(t, "ProposeCorrection(reopening used)", err, comuna.EConflict, "")
	if os, err := vd.Reopenings(ctx, r.ID); err != nil || len(os) != 1 || os[0].CorrectionID == 0 {
		t.Errorf("Reopenings() = %+v, %v; want one, used", os, err)
	}
	MoveTo(t, s, r, comuna.PhaseExecution, 0)
	_, err = vd.ProposeCorrection(ctx, voteday.Correction{Sheet: fixed, Reason: "too late for this one", IdempotencyKey: Key("c4"), UserID: rosa.ID})
	checkErr(t, "ProposeCorrection(execution phase)", err, comuna.EConflict, "")
	_, err = vd.ReopenCircuit(ctx, r.ID, "CI1", "too late for this one", admin.ID)
	checkErr(t, "ReopenCircuit(execution phase)", err, comuna.EConflict, "")
	_, _, err = vd.CurrentSheets(ctx, r.ID+100)
	checkErr(t, "CurrentSheets(unknown round)", err, comuna.ENotFound, "")
	// Versions are append-only in the database itself.
	{
		for _, q := range []string{"UPDATE sheet_versions SET reason = 'changed'", "DELETE FROM sheet_versions"} {
			if _, err := s.SQL().ExecContext(ctx, q); err == nil {
				t.Errorf("%s succeeded; want sheet versions to be append-only", q)
			}
		}
	}
}

// Correct has proposer propose sh as a correction with reason and
// confirmer confirm it, failing the test on any error, and returns the
// new version.
func Correct(t testing.TB, vd voteday.Store, sh tally.Sheet, reason string, proposer, confirmer *comuna.User) *voteday.SheetVersion {
	t.Helper()
	ctx := context.Background()
	p, err := vd.ProposeCorrection(ctx, voteday.Correction{Sheet: sh, Reason: reason,
		IdempotencyKey: Key(fmt.Sprintf("fix-%s-%d-%d", sh.Table, proposer.ID, time.Now().UnixNano())), UserID: proposer.ID})
	if err != nil {
		t.Fatalf("ProposeCorrection(by %s) = %v", proposer.Username, err)
	}
	_, v, err := vd.DecideCorrection(ctx, voteday.CorrectionDecision{RoundID: sh.RoundID, Table: sh.Table, ProposalID: p.ID,
		Confirm: true, Sheet: sh, UserID: confirmer.ID})
	if err != nil || v == nil {
		t.Fatalf("DecideCorrection(confirm by %s) = %+v, %v", confirmer.Username, v, err)
	}
	return v
}
