package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
)

// NewProposal returns a valid proposal of council for round, not yet
// stored.
func NewProposal(roundID int64, council, title string) *comuna.Proposal {
	return &comuna.Proposal{
		RoundID:     roundID,
		Council:     council,
		Title:       title,
		Description: "Sustitución de la tubería principal del sector.",
		Category:    "water",
		Cost:        950_000,
		Location:    "Calle 3, sector El Carmen",
		Minutes: comuna.Minutes{
			Date:       time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC),
			Attendance: 120, QuorumMet: true, VotesFor: 100, Against: 10, Abstain: 5,
		},
	}
}

// openRound seeds the territory, creates a round and moves it to phase p.
func openRound(t *testing.T, s *sqlstore.DB, p comuna.Phase) *comuna.Round {
	t.Helper()
	Seed(t, s)
	r := NewRound("Consulta")
	if err := s.CreateRound(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	MoveTo(t, s, r, p, 0)
	return r
}

func submit(t *testing.T, s *sqlstore.DB, p *comuna.Proposal) *comuna.Proposal {
	t.Helper()
	if err := s.SubmitProposal(context.Background(), p); err != nil {
		t.Fatalf("SubmitProposal(%s) = %v", p.Title, err)
	}
	return p
}

func testSubmitProposal(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	r := openRound(t, s, comuna.PhaseProposals)
	u := &comuna.User{Username: "vocera", Role: comuna.RoleSpokesperson, Scope: "K1"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	p := NewProposal(r.ID, "K1", "Agua para La Ceiba")
	p.SubmittedBy = u.ID
	p.Circuit = "CI3" // ignored: the council's circuit wins
	p.Status = comuna.StatusAccepted
	submit(t, s, p)
	if p.ID == 0 || p.Circuit != "CI1" || p.Status != comuna.StatusSubmitted || p.Submitted.IsZero() {
		t.Errorf("SubmitProposal() set %+v, want id, circuit CI1, submitted status and time", p)
	}
	got, err := s.Proposal(ctx, p.ID)
	if err != nil {
		t.Fatalf("Proposal(%d) = %v", p.ID, err)
	}
	if !reflect.DeepEqual(got, p) {
		t.Errorf("Proposal(%d) = %+v\nwant %+v", p.ID, got, p)
	}
	_, err = s.Proposal(ctx, 999)
	checkErr(t, "Proposal(999)", err, comuna.ENotFound, "")
}

func testSubmitProposalErrors(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	r := openRound(t, s, comuna.PhaseProposals)
	draft := NewRound("Borrador")
	if err := s.CreateRound(ctx, draft); err != nil {
		t.Fatal(err)
	}
	// A council added after the round was created is not in its territory.
	if _, err := s.ImportUnits(ctx, Source(comuna.Unit{Level: comuna.LevelCouncil, Code: "K8", Parent: "CI1", Name: "Nuevo"}), nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mutate func(p *comuna.Proposal)
		code   string
		field  string
	}{
		{"no title", func(p *comuna.Proposal) { p.Title = "" }, comuna.EInvalid, "title"},
		{"bad category", func(p *comuna.Proposal) { p.Category = "fireworks" }, comuna.EInvalid, "category"},
		{"zero cost", func(p *comuna.Proposal) { p.Cost = 0 }, comuna.EInvalid, "cost"},
		{"no quorum", func(p *comuna.Proposal) { p.Minutes.QuorumMet = false }, comuna.EInvalid, "quorum_met"},
		{"unknown council", func(p *comuna.Proposal) { p.Council = "K99" }, comuna.EInvalid, "council"},
		{"circuit as council", func(p *comuna.Proposal) { p.Council = "CI1" }, comuna.EInvalid, "council"},
		{"council after snapshot", func(p *comuna.Proposal) { p.Council = "K8" }, comuna.EInvalid, "council"},
		{"unknown user", func(p *comuna.Proposal) { p.SubmittedBy = 999 }, comuna.EInvalid, "submitted_by"},
		{"unknown round", func(p *comuna.Proposal) { p.RoundID = 999 }, comuna.ENotFound, ""},
		{"draft round", func(p *comuna.Proposal) { p.RoundID = draft.ID }, comuna.EConflict, ""},
	}
	for _, tt := range tests {
		p := NewProposal(r.ID, "K1", "Proyecto")
		tt.mutate(p)
		checkErr(t, "SubmitProposal("+tt.name+")", s.SubmitProposal(ctx, p), tt.code, tt.field)
	}
	MoveTo(t, s, r, comuna.PhaseReview, 0)
	checkErr(t, "SubmitProposal(in review)", s.SubmitProposal(ctx, NewProposal(r.ID, "K1", "Tarde")), comuna.EConflict, "")
	if ps, _ := s.Proposals(ctx, comuna.ProposalFilter{}); len(ps) != 0 {
		t.Errorf("after failed submissions Proposals() = %d, want 0", len(ps))
	}
}

func testReviewProposal(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	r := openRound(t, s, comuna.PhaseProposals)
	rev := &comuna.User{Username: "revisora", Role: comuna.RoleReviewer}
	if err := s.CreateUser(ctx, rev); err != nil {
		t.Fatal(err)
	}
	a := submit(t, s, NewProposal(r.ID, "K1", "Agua"))
	b := submit(t, s, NewProposal(r.ID, "K2", "Vialidad"))
	got, err := s.ReviewProposal(ctx, comuna.Review{ProposalID: a.ID, Accept: true, Reason: "Costo razonable y factible", UserID: rev.ID})
	if err != nil {
		t.Fatalf("ReviewProposal(accept) = %v", err)
	}
	if got.Status != comuna.StatusAccepted || got.ReviewedBy != rev.ID || got.Reviewed.IsZero() || got.Reason != "Costo razonable y factible" {
		t.Errorf("ReviewProposal(accept) = %+v", got)
	}
	if stored, _ := s.Proposal(ctx, a.ID); !reflect.DeepEqual(stored, got) {
		t.Errorf("Proposal() after review = %+v\nwant %+v", stored, got)
	}
	MoveTo(t, s, r, comuna.PhaseReview, 0)
	got, err = s.ReviewProposal(ctx, comuna.Review{ProposalID: b.ID, Accept: false, Reason: "Fuera del circuito", UserID: rev.ID})
	if err != nil || got.Status != comuna.StatusRejected {
		t.Errorf("ReviewProposal(reject in review) = %+v, %v", got, err)
	}
	tests := []struct {
		name  string
		rv    comuna.Review
		code  string
		field string
	}{
		{"short reason", comuna.Review{ProposalID: a.ID, Accept: true, Reason: "ok"}, comuna.EInvalid, "reason"},
		{"unknown proposal", comuna.Review{ProposalID: 999, Accept: true, Reason: "razonable"}, comuna.ENotFound, ""},
		{"unknown reviewer", comuna.Review{ProposalID: a.ID, Accept: true, Reason: "razonable", UserID: 999}, comuna.EInvalid, "user"},
	}
	for _, tt := range tests {
		_, err := s.ReviewProposal(ctx, tt.rv)
		checkErr(t, "ReviewProposal("+tt.name+")", err, tt.code, tt.field)
	}
	MoveTo(t, s, r, comuna.PhaseBallots, 0)
	_, err = s.ReviewProposal(ctx, comuna.Review{ProposalID: b.ID, Accept: true, Reason: "Reconsiderado"})
	checkErr(t, "ReviewProposal(in ballots)", err, comuna.EConflict, "")
	if got, _ := s.Proposal(ctx, b.ID); got.Status != comuna.StatusRejected {
		t.Errorf("after a refused review the status is %s, want rejected", got.Status)
	}
}

func testProposals(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	r := openRound(t, s, comuna.PhaseProposals)
	ids := map[string]int64{}
	for _, x := range []struct{ council, title string }{{"K4", "d"}, {"K1", "a"}, {"K3", "c"}, {"K2", "b"}, {"K1", "a2"}} {
		ids[x.title] = submit(t, s, NewProposal(r.ID, x.council, x.title)).ID
	}
	if _, err := s.ReviewProposal(ctx, comuna.Review{ProposalID: ids["b"], Accept: true, Reason: "factible"}); err != nil {
		t.Fatal(err)
	}
	titles := func(ps []*comuna.Proposal) []string {
		ts := []string{}
		for _, p := range ps {
			ts = append(ts, p.Title)
		}
		return ts
	}
	tests := []struct {
		f    comuna.ProposalFilter
		want []string
	}{
		{comuna.ProposalFilter{RoundID: r.ID}, []string{"a", "b", "a2", "c", "d"}},
		{comuna.ProposalFilter{RoundID: r.ID, Circuit: "CI1"}, []string{"a", "b", "a2"}},
		{comuna.ProposalFilter{RoundID: r.ID, Council: "K1"}, []string{"a", "a2"}},
		{comuna.ProposalFilter{RoundID: r.ID, Status: comuna.StatusAccepted}, []string{"b"}},
		{comuna.ProposalFilter{RoundID: r.ID, Limit: 2, Offset: 1}, []string{"b", "a2"}},
		{comuna.ProposalFilter{RoundID: r.ID, Offset: 4}, []string{"d"}},
		{comuna.ProposalFilter{RoundID: r.ID + 1}, []string{}},
	}
	for _, tt := range tests {
		got, err := s.Proposals(ctx, tt.f)
		if err != nil {
			t.Errorf("Proposals(%+v) = %v", tt.f, err)
			continue
		}
		if !reflect.DeepEqual(titles(got), tt.want) {
			t.Errorf("Proposals(%+v) = %v, want %v", tt.f, titles(got), tt.want)
		}
	}
}

// testConcurrentWrites checks that writers racing each other all succeed:
// none fails with a lock or serialisation error.
func testConcurrentWrites(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	r := openRound(t, s, comuna.PhaseProposals)
	const workers, each = 6, 8
	errs := make(chan error, workers*each*2)
	done := make(chan struct{})
	for w := 0; w < workers; w++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < each; i++ {
				p := NewProposal(r.ID, []string{"K1", "K2", "K3", "K4"}[(w+i)%4], "Concurrente")
				if err := s.SubmitProposal(ctx, p); err != nil {
					errs <- err
					continue
				}
				if _, err := s.ReviewProposal(ctx, comuna.Review{ProposalID: p.ID, Accept: true, Reason: "revisado"}); err != nil {
					errs <- err
				}
				if _, err := s.Proposals(ctx, comuna.ProposalFilter{RoundID: r.ID, Circuit: "CI1"}); err != nil {
					errs <- err
				}
			}
		}()
	}
	for w := 0; w < workers; w++ {
		<-done
	}
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write = %v", err)
	}
	ps, err := s.Proposals(ctx, comuna.ProposalFilter{RoundID: r.ID, Status: comuna.StatusAccepted})
	if err != nil || len(ps) != workers*each {
		t.Errorf("Proposals(accepted) = %d, %v; want %d", len(ps), err, workers*each)
	}
}
