package storetest

import (
	"context"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
)

// ballotRound returns a round in the ballots phase with accepted
// proposals: three of circuit CI1 (ids in acc), and one rejected
// proposal of CI1, one submitted of CI1 and one accepted of CI2.
func ballotRound(t *testing.T, s *sqlstore.DB) (r *comuna.Round, acc []int64, rejected, submitted, otherCircuit int64) {
	t.Helper()
	ctx := context.Background()
	r = openRound(t, s, comuna.PhaseProposals)
	review := func(id int64, accept bool) {
		if _, err := s.ReviewProposal(ctx, comuna.Review{ProposalID: id, Accept: accept, Reason: "revisado"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, title := range []string{"Agua", "Vialidad", "Salud"} {
		p := submit(t, s, NewProposal(r.ID, "K1", title))
		review(p.ID, true)
		acc = append(acc, p.ID)
	}
	rejected = submit(t, s, NewProposal(r.ID, "K2", "Rechazado")).ID
	review(rejected, false)
	submitted = submit(t, s, NewProposal(r.ID, "K2", "Pendiente")).ID
	otherCircuit = submit(t, s, NewProposal(r.ID, "K3", "Otro circuito")).ID
	review(otherCircuit, true)
	MoveTo(t, s, r, comuna.PhaseBallots, 0)
	return r, acc, rejected, submitted, otherCircuit
}

func testSaveBallot(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	r, acc, _, _, _ := ballotRound(t, s)
	coord := &comuna.User{Username: "coord", Role: comuna.RoleCoordinator, Scope: "CI1"}
	if err := s.CreateUser(ctx, coord); err != nil {
		t.Fatal(err)
	}
	_, err := s.Ballot(ctx, r.ID, "CI1")
	checkErr(t, "Ballot(before any)", err, comuna.ENotFound, "")

	b, err := s.SaveBallot(ctx, comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1", Proposals: []int64{acc[2], acc[0]}, UserID: coord.ID})
	if err != nil {
		t.Fatalf("SaveBallot() = %v", err)
	}
	if b.ID == 0 || b.Version != 1 || b.Published || b.CreatedBy != coord.ID || b.Created.IsZero() || len(b.Items) != 2 {
		t.Fatalf("SaveBallot() = %+v", b)
	}
	want := []comuna.BallotItem{
		{Number: 1, ProposalID: acc[2], Title: "Salud", Council: "K1", Cost: 950_000},
		{Number: 2, ProposalID: acc[0], Title: "Agua", Council: "K1", Cost: 950_000},
	}
	for i, it := range b.Items {
		if it != want[i] {
			t.Errorf("SaveBallot() item %d = %+v, want %+v", i, it, want[i])
		}
	}
	// An unpublished ballot may change without a reason.
	b2, err := s.SaveBallot(ctx, comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1", Proposals: acc})
	if err != nil || b2.Version != 2 {
		t.Fatalf("SaveBallot(second draft) = %+v, %v; want version 2", b2, err)
	}
	pub, err := s.PublishBallot(ctx, r.ID, "CI1", coord.ID)
	if err != nil || !pub.Published || pub.PublishedAt.IsZero() || pub.Version != 2 || len(pub.Items) != 3 {
		t.Fatalf("PublishBallot() = %+v, %v", pub, err)
	}
	_, err = s.PublishBallot(ctx, r.ID, "CI1", coord.ID)
	checkErr(t, "PublishBallot(again)", err, comuna.EConflict, "")
	got, err := s.Ballot(ctx, r.ID, "CI1")
	if err != nil || got.Version != 2 || !got.Published || len(got.Items) != 3 || got.Items[2].Title != "Salud" {
		t.Errorf("Ballot() = %+v, %v; want published version 2 with 3 items", got, err)
	}
	_, err = s.PublishBallot(ctx, r.ID, "CI2", coord.ID)
	checkErr(t, "PublishBallot(no ballot)", err, comuna.ENotFound, "")
	// Published and saved at once.
	b3, err := s.SaveBallot(ctx, comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1", Proposals: acc[:1], Reason: "El proyecto de vialidad fue retirado", Publish: true})
	if err != nil || !b3.Published || b3.Version != 3 || b3.Reason != "El proyecto de vialidad fue retirado" {
		t.Errorf("SaveBallot(publish) = %+v, %v", b3, err)
	}
	MoveTo(t, s, r, comuna.PhaseVoting, 0)
	_, err = s.PublishBallot(ctx, r.ID, "CI1", 0)
	checkErr(t, "PublishBallot(in voting)", err, comuna.EConflict, "")
	if got, err := s.Ballot(ctx, r.ID, "CI1"); err != nil || got.Version != 3 {
		t.Errorf("Ballot() in voting = %+v, %v; want version 3 still readable", got, err)
	}
}

func testSaveBallotErrors(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	r, acc, rejected, submitted, other := ballotRound(t, s)
	many := []int64{acc[0], acc[1], acc[2]}
	for i := 0; i < 5; i++ {
		many = append(many, int64(1000+i))
	}
	tests := []struct {
		name  string
		d     comuna.BallotDraft
		code  string
		field string
	}{
		{"empty", comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1"}, comuna.EInvalid, "proposals"},
		{"too many", comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1", Proposals: many}, comuna.EInvalid, "proposals"},
		{"twice", comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1", Proposals: []int64{acc[0], acc[0]}}, comuna.EInvalid, "proposals"},
		{"rejected", comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1", Proposals: []int64{acc[0], rejected}}, comuna.EInvalid, "proposals"},
		{"not reviewed", comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1", Proposals: []int64{submitted}}, comuna.EInvalid, "proposals"},
		{"other circuit", comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1", Proposals: []int64{other}}, comuna.EInvalid, "proposals"},
		{"missing project", comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1", Proposals: []int64{4242}}, comuna.EInvalid, "proposals"},
		{"unknown circuit", comuna.BallotDraft{RoundID: r.ID, Circuit: "CI9", Proposals: acc[:1]}, comuna.EInvalid, "circuit"},
		{"council as circuit", comuna.BallotDraft{RoundID: r.ID, Circuit: "K1", Proposals: acc[:1]}, comuna.EInvalid, "circuit"},
		{"unknown round", comuna.BallotDraft{RoundID: 999, Circuit: "CI1", Proposals: acc[:1]}, comuna.ENotFound, ""},
		{"unknown user", comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1", Proposals: acc[:1], UserID: 999}, comuna.EInvalid, "user"},
	}
	for _, tt := range tests {
		_, err := s.SaveBallot(ctx, tt.d)
		checkErr(t, "SaveBallot("+tt.name+")", err, tt.code, tt.field)
	}
	if vs, err := s.BallotVersions(ctx, r.ID, "CI1"); err != nil || len(vs) != 0 {
		t.Errorf("after failed saves BallotVersions() = %d, %v; want none", len(vs), err)
	}
	// A proposal of another round is refused too.
	r2 := NewRound("Otra")
	if err := s.CreateRound(ctx, r2); err != nil {
		t.Fatal(err)
	}
	MoveTo(t, s, r2, comuna.PhaseBallots, 0)
	_, err := s.SaveBallot(ctx, comuna.BallotDraft{RoundID: r2.ID, Circuit: "CI1", Proposals: acc[:1]})
	checkErr(t, "SaveBallot(project of another round)", err, comuna.EInvalid, "proposals")
	// Outside the ballots phase.
	r3 := NewRound("Temprana")
	if err := s.CreateRound(ctx, r3); err != nil {
		t.Fatal(err)
	}
	MoveTo(t, s, r3, comuna.PhaseReview, 0)
	_, err = s.SaveBallot(ctx, comuna.BallotDraft{RoundID: r3.ID, Circuit: "CI1", Proposals: acc[:1]})
	checkErr(t, "SaveBallot(in review)", err, comuna.EConflict, "")
}

// testBallotVersions checks that a published ballot cannot be replaced
// without a reason and that old versions stay visible.
func testBallotVersions(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	r, acc, _, _, _ := ballotRound(t, s)
	if _, err := s.SaveBallot(ctx, comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1", Proposals: acc, Publish: true}); err != nil {
		t.Fatal(err)
	}
	_, err := s.SaveBallot(ctx, comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1", Proposals: acc[:2], Reason: "  "})
	checkErr(t, "SaveBallot(replace published without reason)", err, comuna.EInvalid, "reason")
	if _, err := s.SaveBallot(ctx, comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1", Proposals: acc[:2], Reason: "Salud pasa a la gobernación"}); err != nil {
		t.Fatalf("SaveBallot(replace with reason) = %v", err)
	}
	vs, err := s.BallotVersions(ctx, r.ID, "CI1")
	if err != nil {
		t.Fatalf("BallotVersions() = %v", err)
	}
	if len(vs) != 2 {
		t.Fatalf("BallotVersions() = %d versions, want 2", len(vs))
	}
	if vs[0].Version != 2 || vs[0].Published || len(vs[0].Items) != 2 || vs[0].Reason != "Salud pasa a la gobernación" {
		t.Errorf("BallotVersions()[0] = %+v, want unpublished version 2 with 2 items and the reason", vs[0])
	}
	if vs[1].Version != 1 || !vs[1].Published || len(vs[1].Items) != 3 {
		t.Errorf("BallotVersions()[1] = %+v, want published version 1 with its 3 items unchanged", vs[1])
	}
	if vs, err := s.BallotVersions(ctx, r.ID, "CI3"); err != nil || len(vs) != 0 {
		t.Errorf("BallotVersions(CI3) = %v, %v; want none", vs, err)
	}
	_, err = s.BallotVersions(ctx, 999, "CI1")
	checkErr(t, "BallotVersions(round 999)", err, comuna.ENotFound, "")
	_, err = s.Ballot(ctx, 999, "CI1")
	checkErr(t, "Ballot(round 999)", err, comuna.ENotFound, "")
}
