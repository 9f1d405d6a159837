package storetest

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

// testLiveCounts checks that LiveCounts reads what CurrentSheets and
// PollBookCounts read one by one, and moves with a correction.
func testLiveCounts(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	var vd voteday.Store = s
	r, admin := CountedRound(t, s)
	check := func(when string) *voteday.Counts {
		t.Helper()
		got, err := vd.LiveCounts(ctx, r.ID)
		if err != nil {
			t.Fatalf("LiveCounts(%s) = %v", when, err)
		}
		sheets, epoch, err := vd.CurrentSheets(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		counts, err := vd.PollBookCounts(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Sheets, sheets) || got.Epoch != epoch || !reflect.DeepEqual(got.PollBook, counts) {
			t.Errorf("LiveCounts(%s) = %+v; want sheets %+v, epoch %d, counters %v", when, got, sheets, epoch, counts)
		}
		return got
	}
	before := check("counted")
	var tables []string
	for _, v := range before.Sheets {
		tables = append(tables, v.Table)
	}
	if want := []string{"T1", "T2", "T3", "T4"}; !reflect.DeepEqual(tables, want) {
		t.Errorf("LiveCounts().Sheets tables = %v, want %v", tables, want)
	}
	wantPolled := map[string]int64{}
	for table := range CountedVotes {
		wantPolled[table] = CountedSheet(r.ID, table).Cast
	}
	if got := before.Polled(); !reflect.DeepEqual(got, wantPolled) {
		t.Errorf("LiveCounts().Polled() = %v, want %v", got, wantPolled)
	}

	sh := CountedSheet(r.ID, "T1")
	sh.Votes = []int64{4, 4, 2}
	v := CorrectCounted(t, s, r, sh, admin)
	after := check("corrected")
	if after.Epoch != v.ID || after.Epoch <= before.Epoch {
		t.Errorf("LiveCounts().Epoch after a correction = %d, want the correction's id %d (before: %d)", after.Epoch, v.ID, before.Epoch)
	}
	if got := after.Sheets[0]; got.Table != "T1" || got.Version != 2 || !reflect.DeepEqual(got.Sheet.Votes, sh.Votes) {
		t.Errorf("LiveCounts().Sheets[0] after a correction = %s version %d votes %v, want T1 version 2 votes %v",
			got.Table, got.Version, got.Sheet.Votes, sh.Votes)
	}

	_, err := vd.LiveCounts(ctx, r.ID+100)
	checkErr(t, "LiveCounts(unknown round)", err, comuna.ENotFound, "")
}

// CorrectCounted corrects a sheet of CountedRound with four eyes: the
// administrator proposes, the table's first member (mesa-t1-0 for T1)
// confirms. It returns the new version.
func CorrectCounted(t testing.TB, s *sqlstore.DB, r *comuna.Round, sh tally.Sheet, admin *comuna.User) *voteday.SheetVersion {
	t.Helper()
	ctx := context.Background()
	p, err := s.ProposeCorrection(ctx, voteday.Correction{Sheet: sh, Reason: "recuento en mesa", IdempotencyKey: Key("correct", sh.Table, strings.Trim(strings.Join(strings.Fields(fmt.Sprint(sh.Votes)), "-"), "[]")), UserID: admin.ID})
	if err != nil {
		t.Fatalf("ProposeCorrection(%s) = %v", sh.Table, err)
	}
	member, err := s.UserByUsername(ctx, "mesa-"+strings.ToLower(sh.Table)+"-0")
	if err != nil {
		t.Fatal(err)
	}
	_, v, err := s.DecideCorrection(ctx, voteday.CorrectionDecision{RoundID: r.ID, Table: sh.Table, ProposalID: p.ID, Confirm: true, Sheet: sh, UserID: member.ID})
	if err != nil {
		t.Fatalf("DecideCorrection(%s) = %v", sh.Table, err)
	}
	return v
}
