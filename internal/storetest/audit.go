package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/comuna/comuna/internal/audit"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
)

func testAudits(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	var as audit.Store = s
	r, admin := CountedRound(t, s)

	bad := []struct {
		a     audit.Audit
		field string
	}{
		{audit.Audit{RoundID: r.ID, Kind: audit.KindRisk, Seed: "  ", RiskLimit: 0.05}, "seed"},
		{audit.Audit{RoundID: r.ID, Kind: audit.KindRisk, Seed: "1234", RiskLimit: 1.5}, "risk_limit"},
		{audit.Audit{RoundID: r.ID, Kind: audit.KindDraw, Seed: "1234"}, "tables"},
		{audit.Audit{RoundID: r.ID, Kind: "guess", Seed: "1234"}, "kind"},
	}
	for _, tt := range bad {
		err := as.CreateAudit(ctx, &tt.a)
		checkErr(t, "CreateAudit("+tt.field+")", err, comuna.EInvalid, tt.field)
	}
	err := as.CreateAudit(ctx, &audit.Audit{RoundID: r.ID + 99, Kind: audit.KindRisk, Seed: "1", RiskLimit: 0.05})
	checkErr(t, "CreateAudit(unknown round)", err, comuna.ENotFound, "")

	rla := &audit.Audit{RoundID: r.ID, Kind: audit.KindRisk, Seed: " 31415926535897932384 ", RiskLimit: 0.05, CreatedBy: admin.ID}
	if err := as.CreateAudit(ctx, rla); err != nil {
		t.Fatalf("CreateAudit(risk-limiting) = %v", err)
	}
	if rla.ID == 0 || rla.Seed != "31415926535897932384" || rla.Epoch == 0 || rla.Created.IsZero() {
		t.Fatalf("CreateAudit() set %+v, want an id, the trimmed seed, the results epoch and a time", rla)
	}
	draw := &audit.Audit{RoundID: r.ID, Kind: audit.KindDraw, Seed: "27182818284590452353", Tables: 2}
	if err := as.CreateAudit(ctx, draw); err != nil {
		t.Fatalf("CreateAudit(draw) = %v", err)
	}
	got, err := as.Audit(ctx, rla.ID)
	if err != nil || got.Seed != rla.Seed || got.RiskLimit != 0.05 || got.Kind != audit.KindRisk || got.CreatedBy != admin.ID || got.Epoch != rla.Epoch {
		t.Fatalf("Audit(%d) = %+v, %v; want %+v", rla.ID, got, err, rla)
	}
	_, err = as.Audit(ctx, draw.ID+10)
	checkErr(t, "Audit(unknown)", err, comuna.ENotFound, "")
	list, err := as.Audits(ctx, r.ID)
	if err != nil || len(list) != 2 || list[0].ID != draw.ID || list[1].ID != rla.ID {
		t.Fatalf("Audits() = %v, %v; want the draw, then the risk-limiting audit", list, err)
	}

	// Finding 4 of issue 8: the table's own members entered its recount and
	// overwrote each other. Now only the audit's board enters, twice and
	// blind, and an accepted recount never changes.
	enterAs := func(u *comuna.User, counts []int64, ballots int64) (*audit.EntryResult, error) {
		return as.EnterHandCount(ctx, &audit.HandCount{AuditID: rla.ID, Recount: audit.Recount{Table: "T1", Counts: counts, Ballots: ballots}, EnteredBy: u.ID})
	}
	member := Member(t, s, "T1", "mesa-t1-x")
	_, err = enterAs(member, []int64{5, 3, 2}, 11)
	checkErr(t, "EnterHandCount(by the table's member)", err, comuna.EForbidden, "")
	_, err = enterAs(admin, []int64{5, 3, 2}, 11)
	checkErr(t, "EnterHandCount(by the administrator)", err, comuna.EForbidden, "")
	auditor := func(name string, auditID int64) *comuna.User {
		u := &comuna.User{Username: name, Name: name, Role: comuna.RoleAuditor, Scope: fmt.Sprint(auditID), PasswordHash: "x"}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatalf("CreateUser(auditor %s) = %v", name, err)
		}
		return u
	}
	if err := s.CreateUser(ctx, &comuna.User{Username: "aud-bad", Name: "x", Role: comuna.RoleAuditor, Scope: "999", PasswordHash: "x"}); comuna.ErrorField(err) != "scope" {
		t.Errorf("CreateUser(auditor of an unknown audit) = %v, want an error naming scope", err)
	}
	a1, a2, other := auditor("aud-uno", rla.ID), auditor("aud-dos", rla.ID), auditor("aud-otra", draw.ID)
	_, err = enterAs(other, []int64{5, 3, 2}, 11)
	checkErr(t, "EnterHandCount(by another audit's auditor)", err, comuna.EForbidden, "")
	if res, err := enterAs(a1, []int64{5, 2, 2}, 11); err != nil || res.Status != audit.EntryWaiting {
		t.Fatalf("EnterHandCount(first) = %+v, %v; want waiting", res, err)
	}
	res, err := enterAs(a2, []int64{5, 3, 2}, 12)
	if err != nil || res.Status != audit.EntryMismatch || fmt.Sprint(res.Differences) != "[counts.2 ballots]" || res.Accepted != nil {
		t.Fatalf("EnterHandCount(differing) = %+v, %v; want a mismatch naming counts.2 and ballots only", res, err)
	}
	if res, err := enterAs(a1, []int64{5, 3, 2}, 12); err != nil || res.Status != audit.EntryAccepted || res.Accepted.FirstBy != a2.ID {
		t.Fatalf("EnterHandCount(agreeing) = %+v, %v; want accepted", res, err)
	}
	_, err = enterAs(a2, []int64{9, 9, 9}, 27)
	checkErr(t, "EnterHandCount(after acceptance)", err, comuna.EConflict, "")
	err = nil
	_, err = as.EnterHandCount(ctx, &audit.HandCount{AuditID: rla.ID, Recount: audit.Recount{Table: "T9", Counts: []int64{1}}, EnteredBy: a1.ID})
	checkErr(t, "EnterHandCount(unknown table)", err, comuna.ENotFound, "")
	_, err = as.EnterHandCount(ctx, &audit.HandCount{AuditID: rla.ID, Recount: audit.Recount{Table: "T2", Counts: []int64{-1, 0}}, EnteredBy: a1.ID})
	checkErr(t, "EnterHandCount(negative)", err, comuna.EInvalid, "counts")
	hs, err := as.HandCounts(ctx, rla.ID)
	if err != nil || len(hs) != 1 || !slices.Equal(hs[0].Counts, []int64{5, 3, 2}) || hs[0].Ballots != 12 || hs[0].EnteredBy != a1.ID {
		t.Fatalf("HandCounts() = %+v, %v; want T1's accepted recount only", hs, err)
	}
	{
		db := s
		for _, q := range []string{"UPDATE audit_recounts SET counts = '9 9 9'", "DELETE FROM audit_recounts"} {
			if _, err := db.SQL().ExecContext(ctx, q); err == nil {
				t.Errorf("%s succeeded; want recounts to be append-only", q)
			}
		}
	}
	if hs, err := as.HandCounts(ctx, draw.ID); err != nil || len(hs) != 0 {
		t.Fatalf("HandCounts(draw) = %v, %v; want none", hs, err)
	}
}

func testAuditPhase(t *testing.T, s *sqlstore.DB) {
	var as audit.Store = s
	r := openRound(t, s, comuna.PhaseProposals)
	err := as.CreateAudit(context.Background(), &audit.Audit{RoundID: r.ID, Kind: audit.KindRisk, Seed: "1", RiskLimit: 0.05})
	checkErr(t, "CreateAudit(proposals phase)", err, comuna.EConflict, "")
}
