package storetest

import (
	"context"
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

	h := &audit.HandCount{AuditID: rla.ID, Recount: audit.Recount{Table: "T1", Counts: []int64{5, 2, 2}, Ballots: 11}, EnteredBy: admin.ID}
	if err := as.SaveHandCount(ctx, h); err != nil {
		t.Fatalf("SaveHandCount(T1) = %v", err)
	}
	h.Counts = []int64{5, 3, 2}
	if err := as.SaveHandCount(ctx, h); err != nil {
		t.Fatalf("SaveHandCount(T1 again) = %v", err)
	}
	err = as.SaveHandCount(ctx, &audit.HandCount{AuditID: rla.ID, Recount: audit.Recount{Table: "T9", Counts: []int64{1}}})
	checkErr(t, "SaveHandCount(unknown table)", err, comuna.ENotFound, "")
	err = as.SaveHandCount(ctx, &audit.HandCount{AuditID: rla.ID, Recount: audit.Recount{Table: "T2", Counts: []int64{-1, 0}}})
	checkErr(t, "SaveHandCount(negative)", err, comuna.EInvalid, "counts")
	hs, err := as.HandCounts(ctx, rla.ID)
	if err != nil || len(hs) != 1 || !slices.Equal(hs[0].Counts, []int64{5, 3, 2}) || hs[0].Ballots != 11 || hs[0].EnteredBy != admin.ID {
		t.Fatalf("HandCounts() = %+v, %v; want T1's second recount only", hs, err)
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
