package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
)

func testImportProposals(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	r := openRound(t, s, comuna.PhaseDraft) // bulk loads ignore the phase
	rev := Admin(t, s)
	councils := []string{"K1", "K2", "K3", "K4"}
	var ps []*comuna.Proposal
	for i := 0; i < 1234; i++ {
		p := NewProposal(0, councils[i%4], fmt.Sprintf("Proyecto %d", i))
		if i%3 == 0 {
			p.Status, p.Reason, p.ReviewedBy = comuna.StatusAccepted, "factible", rev.ID
		}
		ps = append(ps, p)
	}
	var calls []int
	if err := s.ImportProposals(ctx, r.ID, ps, func(n int) { calls = append(calls, n) }); err != nil {
		t.Fatalf("ImportProposals() = %v", err)
	}
	if len(calls) < 3 || calls[len(calls)-1] != len(ps) {
		t.Errorf("progress calls = %v, want several ending in %d", calls, len(ps))
	}
	for _, i := range []int{0, 1, 617, 1233} {
		got, err := s.Proposal(ctx, ps[i].ID)
		if err != nil {
			t.Fatalf("Proposal(%d) = %v", ps[i].ID, err)
		}
		if got.Title != ps[i].Title || got.Council != ps[i].Council || got.Status != ps[i].Status || got.RoundID != r.ID {
			t.Errorf("Proposal(%d) = %+v, want the imported %q", ps[i].ID, got, ps[i].Title)
		}
	}
	if ps[5].Circuit != "CI1" || ps[6].Circuit != "CI2" || ps[7].Circuit != "CI3" {
		t.Errorf("ImportProposals() circuits = %s %s %s, want CI1 CI2 CI3", ps[5].Circuit, ps[6].Circuit, ps[7].Circuit)
	}
	acc, err := s.Proposals(ctx, comuna.ProposalFilter{RoundID: r.ID, Status: comuna.StatusAccepted})
	if err != nil || len(acc) != 412 {
		t.Errorf("Proposals(accepted) = %d, %v; want 412", len(acc), err)
	}

	// All or nothing: one bad item stores none.
	bad := func(mutate func(p *comuna.Proposal)) []*comuna.Proposal {
		var ps []*comuna.Proposal
		for i := 0; i < 700; i++ {
			ps = append(ps, NewProposal(0, "K1", "Otro"))
		}
		mutate(ps[650])
		return ps
	}
	tests := []struct {
		name    string
		ps      []*comuna.Proposal
		code    string
		field   string
		roundID int64
	}{
		{"unknown council", bad(func(p *comuna.Proposal) { p.Council = "K77" }), comuna.EInvalid, "council", r.ID},
		{"invalid", bad(func(p *comuna.Proposal) { p.Minutes.Attendance = 0 }), comuna.EInvalid, "attendance", r.ID},
		{"bad status", bad(func(p *comuna.Proposal) { p.Status = "maybe" }), comuna.EInvalid, "status", r.ID},
		{"unknown reviewer", bad(func(p *comuna.Proposal) { p.ReviewedBy = 999 }), comuna.EInvalid, "reviewed_by", r.ID},
		{"unknown round", bad(func(*comuna.Proposal) {}), comuna.ENotFound, "", 999},
	}
	for _, tt := range tests {
		err := s.ImportProposals(ctx, tt.roundID, tt.ps, nil)
		checkErr(t, "ImportProposals("+tt.name+")", err, tt.code, tt.field)
		if tt.roundID == r.ID && !strings.Contains(err.Error(), "proposal 651") {
			t.Errorf("ImportProposals(%s) = %q, want it to name proposal 651", tt.name, err)
		}
	}
	all, err := s.Proposals(ctx, comuna.ProposalFilter{RoundID: r.ID})
	if err != nil || len(all) != len(ps) {
		t.Errorf("after failed imports Proposals() = %d, %v; want %d", len(all), err, len(ps))
	}
}

func testImportBallots(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	r := openRound(t, s, comuna.PhaseDraft)
	var ps []*comuna.Proposal
	for i := 0; i < 30; i++ {
		p := NewProposal(0, []string{"K1", "K3", "K4"}[i%3], fmt.Sprintf("P%d", i))
		p.Status = comuna.StatusAccepted
		ps = append(ps, p)
	}
	rejected := NewProposal(0, "K1", "Rechazado")
	rejected.Status = comuna.StatusRejected
	ps = append(ps, rejected)
	if err := s.ImportProposals(ctx, r.ID, ps, nil); err != nil {
		t.Fatal(err)
	}
	byCircuit := map[string][]int64{}
	for _, p := range ps[:30] {
		byCircuit[p.Circuit] = append(byCircuit[p.Circuit], p.ID)
	}
	items := func(ids ...int64) []comuna.BallotItem {
		var its []comuna.BallotItem
		for _, id := range ids {
			its = append(its, comuna.BallotItem{ProposalID: id})
		}
		return its
	}
	bs := []*comuna.Ballot{
		{Circuit: "CI1", Version: 1, Items: items(byCircuit["CI1"][:7]...), Published: true},
		{Circuit: "CI1", Version: 2, Items: items(byCircuit["CI1"][1:4]...), Reason: "retirado"},
		{Circuit: "CI2", Version: 1, Items: items(byCircuit["CI2"][:5]...), Published: true},
		{Circuit: "CI3", Version: 1, Items: items(byCircuit["CI3"][:3]...)},
	}
	var calls []int
	if err := s.ImportBallots(ctx, r.ID, bs, func(n int) { calls = append(calls, n) }); err != nil {
		t.Fatalf("ImportBallots() = %v", err)
	}
	if len(calls) == 0 || calls[len(calls)-1] != len(bs) {
		t.Errorf("progress calls = %v, want the last to be %d", calls, len(bs))
	}
	vs, err := s.BallotVersions(ctx, r.ID, "CI1")
	if err != nil || len(vs) != 2 || vs[0].Version != 2 || len(vs[0].Items) != 3 || vs[1].Version != 1 || len(vs[1].Items) != 7 || !vs[1].Published || vs[1].PublishedAt.IsZero() {
		t.Fatalf("BallotVersions(CI1) = %+v, %v", vs, err)
	}
	if vs[0].Items[0].ProposalID != byCircuit["CI1"][1] || vs[0].Items[0].Number != 1 || vs[0].Items[2].Number != 3 {
		t.Errorf("imported items = %+v", vs[0].Items)
	}

	tests := []struct {
		name  string
		b     comuna.Ballot
		field string
	}{
		{"unknown circuit", comuna.Ballot{Circuit: "CI9", Version: 1, Items: items(byCircuit["CI1"][0])}, "circuit"},
		{"rejected project", comuna.Ballot{Circuit: "CI1", Version: 3, Reason: "x", Items: items(rejected.ID)}, "proposals"},
		{"other circuit", comuna.Ballot{Circuit: "CI2", Version: 2, Reason: "x", Items: items(byCircuit["CI1"][0])}, "proposals"},
		{"too many", comuna.Ballot{Circuit: "CI1", Version: 3, Reason: "x", Items: items(byCircuit["CI1"][:8]...)}, "proposals"},
		{"no reason", comuna.Ballot{Circuit: "CI2", Version: 2, Items: items(byCircuit["CI2"][0])}, "reason"},
		{"version gap", comuna.Ballot{Circuit: "CI3", Version: 5, Items: items(byCircuit["CI3"][0])}, "version"},
		{"bad numbering", comuna.Ballot{Circuit: "CI3", Version: 2, Items: []comuna.BallotItem{{Number: 2, ProposalID: byCircuit["CI3"][0]}}}, "items"},
	}
	for _, tt := range tests {
		ok := &comuna.Ballot{Circuit: "CI3", Version: 2, Items: items(byCircuit["CI3"][3])}
		b := tt.b
		err := s.ImportBallots(ctx, r.ID, []*comuna.Ballot{ok, &b}, nil)
		checkErr(t, "ImportBallots("+tt.name+")", err, comuna.EInvalid, tt.field)
	}
	dup := []*comuna.Ballot{{Circuit: "CI2", Version: 1, Items: items(byCircuit["CI2"][0])}}
	// A version that exists already conflicts.
	err = s.ImportBallots(ctx, r.ID, dup, nil)
	if code := comuna.ErrorCode(err); code != comuna.EConflict && code != comuna.EInvalid {
		t.Errorf("ImportBallots(existing version) = %v, want a conflict or invalid error", err)
	}
	if vs, _ := s.BallotVersions(ctx, r.ID, "CI3"); len(vs) != 1 {
		t.Errorf("after failed imports CI3 has %d versions, want 1", len(vs))
	}
	checkErr(t, "ImportBallots(round 999)", s.ImportBallots(ctx, 999, bs, nil), comuna.ENotFound, "")
}
