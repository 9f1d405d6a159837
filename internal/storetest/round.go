package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
)

// Admin creates and returns an administrator.
func Admin(t testing.TB, s *sqlstore.DB) *comuna.User {
	t.Helper()
	u := &comuna.User{Username: "admin", Name: "Administración", Role: comuna.RoleAdmin, PasswordHash: "x"}
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("CreateUser(admin) = %v", err)
	}
	return u
}

// MoveTo moves a stored round forward phase by phase until it is in phase
// p.
func MoveTo(t testing.TB, s *sqlstore.DB, r *comuna.Round, p comuna.Phase, userID int64) {
	t.Helper()
	for r.Phase != p {
		next := comuna.NextPhase(r.Phase)
		got, err := s.TransitionRound(context.Background(), r.ID, r.Phase, next, userID)
		if err != nil {
			t.Fatalf("TransitionRound(%s → %s) = %v", r.Phase, next, err)
		}
		*r = *got
	}
}

func testCreateRound(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	Seed(t, s)
	admin := Admin(t, s)
	r := NewRound("Primera consulta 2026")
	r.CreatedBy = admin.ID
	r.MaxAge = 35
	if err := s.CreateRound(ctx, r); err != nil {
		t.Fatalf("CreateRound() = %v", err)
	}
	if r.ID == 0 || r.TerritoryVersion == 0 || r.Phase != comuna.PhaseDraft || r.Created.IsZero() {
		t.Errorf("CreateRound() set %+v, want id, territory version, draft phase and creation time", r)
	}
	got, err := s.Round(ctx, r.ID)
	if err != nil {
		t.Fatalf("Round(%d) = %v", r.ID, err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("Round(%d) = %+v\nwant %+v", r.ID, got, r)
	}
	editable, err := s.EditableVersion(ctx)
	if err != nil || editable.ID == r.TerritoryVersion {
		t.Errorf("round territory version %d, editable %v (%v): want a separate frozen copy", r.TerritoryVersion, editable, err)
	}
	r2 := NewRound("Segunda consulta")
	if err := s.CreateRound(ctx, r2); err != nil {
		t.Fatal(err)
	}
	rs, err := s.Rounds(ctx)
	if err != nil || len(rs) != 2 || rs[0].ID != r2.ID || rs[1].ID != r.ID {
		t.Errorf("Rounds() = %v, %v; want the two rounds newest first", rs, err)
	}

	bad := []struct {
		mutate func(r *comuna.Round)
		field  string
	}{
		{func(r *comuna.Round) { r.Name = " " }, "name"},
		{func(r *comuna.Round) { r.VoteDate = time.Time{} }, "vote_date"},
		{func(r *comuna.Round) { r.MaxAge = 10 }, "max_age"},
		{func(r *comuna.Round) { r.TieBreakSeed = "" }, "tie_break_seed"},
		{func(r *comuna.Round) { r.Currency = "usd" }, "currency"},
		{func(r *comuna.Round) { r.CreatedBy = 999 }, "created_by"},
	}
	for _, tt := range bad {
		r := NewRound("Mala")
		tt.mutate(r)
		checkErr(t, "CreateRound(bad "+tt.field+")", s.CreateRound(ctx, r), comuna.EInvalid, tt.field)
	}
	_, err = s.Round(ctx, 12345)
	checkErr(t, "Round(12345)", err, comuna.ENotFound, "")
}

// testRoundSnapshot checks that editing the territory after creating a
// round does not change the round's units.
func testRoundSnapshot(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	Seed(t, s)
	r := NewRound("Consulta")
	if err := s.CreateRound(ctx, r); err != nil {
		t.Fatal(err)
	}
	_, err := s.ImportUnits(ctx, Source(
		comuna.Unit{Level: comuna.LevelCouncil, Code: "K1", Parent: "CI2", Name: "Movido", Census: 9},
		comuna.Unit{Level: comuna.LevelCouncil, Code: "K5", Parent: "CI3", Name: "Nuevo", Census: 7},
	), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Unit(ctx, r.TerritoryVersion, comuna.LevelCouncil, "K1")
	if err != nil || p.Unit.Parent != "CI1" || p.Unit.Census != 1000 {
		t.Errorf("round's Unit(K1) = %+v, %v; want it unchanged in CI1 with census 1000", p, err)
	}
	_, err = s.Unit(ctx, r.TerritoryVersion, comuna.LevelCouncil, "K5")
	checkErr(t, "round's Unit(K5)", err, comuna.ENotFound, "")
	p, err = s.Unit(ctx, 0, comuna.LevelCouncil, "K1")
	if err != nil || p.Unit.Parent != "CI2" {
		t.Errorf("editable Unit(K1) = %+v, %v; want it moved to CI2", p, err)
	}
	sum, err := s.TerritorySummary(ctx, r.TerritoryVersion)
	if err != nil || sum.Census != 2000 || sum.Counts[comuna.LevelCouncil] != 4 {
		t.Errorf("round's TerritorySummary() = %+v, %v; want 4 councils, census 2000", sum, err)
	}
	// A second round after the change sees it; a third with no change
	// in between shares the second's copy.
	r2, r3 := NewRound("Dos"), NewRound("Tres")
	if err := s.CreateRound(ctx, r2); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateRound(ctx, r3); err != nil {
		t.Fatal(err)
	}
	if r2.TerritoryVersion == r.TerritoryVersion {
		t.Errorf("round after a territory change shares version %d with the round before it", r2.TerritoryVersion)
	}
	if _, err := s.Unit(ctx, r2.TerritoryVersion, comuna.LevelCouncil, "K5"); err != nil {
		t.Errorf("second round's Unit(K5) = %v", err)
	}
	if _, err := s.Unit(ctx, r3.TerritoryVersion, comuna.LevelCouncil, "K5"); err != nil {
		t.Errorf("third round's Unit(K5) = %v", err)
	}
}

func testUpdateRound(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	Seed(t, s)
	r := NewRound("Consulta")
	if err := s.CreateRound(ctx, r); err != nil {
		t.Fatal(err)
	}
	r.Name, r.BallotSize, r.WinnersPerCircuit, r.ExchangeRate = "Consulta juvenil", 5, 1, "36.50"
	r.Phase = comuna.PhaseClosed // ignored: phases move by transition only
	if err := s.UpdateRound(ctx, r); err != nil {
		t.Fatalf("UpdateRound() = %v", err)
	}
	got, err := s.Round(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Consulta juvenil" || got.BallotSize != 5 || got.WinnersPerCircuit != 1 || got.ExchangeRate != "36.50" || got.Phase != comuna.PhaseDraft {
		t.Errorf("Round() after update = %+v", got)
	}
	bad := *got
	bad.WinnersPerCircuit = 9
	checkErr(t, "UpdateRound(winners 9)", s.UpdateRound(ctx, &bad), comuna.EInvalid, "winners")
	missing := *got
	missing.ID = 999
	checkErr(t, "UpdateRound(id 999)", s.UpdateRound(ctx, &missing), comuna.ENotFound, "")
	MoveTo(t, s, got, comuna.PhaseProposals, 0)
	got.Name = "Otra"
	checkErr(t, "UpdateRound(in proposals)", s.UpdateRound(ctx, got), comuna.EConflict, "")
}

func testTransitionRound(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	Seed(t, s)
	admin := Admin(t, s)
	r := NewRound("Consulta")
	if err := s.CreateRound(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, err := s.TransitionRound(ctx, r.ID, comuna.PhaseDraft, comuna.PhaseProposals, admin.ID)
	if err != nil || got.Phase != comuna.PhaseProposals {
		t.Fatalf("TransitionRound(draft → proposals) = %+v, %v", got, err)
	}
	tests := []struct {
		from, to comuna.Phase
		code     string
	}{
		{comuna.PhaseDraft, comuna.PhaseProposals, comuna.EConflict}, // not in draft any more
		{comuna.PhaseProposals, comuna.PhaseBallots, comuna.EConflict},
		{comuna.PhaseProposals, comuna.PhaseDraft, comuna.EConflict},
		{comuna.PhaseProposals, "nowhere", comuna.EInvalid},
	}
	for _, tt := range tests {
		_, err := s.TransitionRound(ctx, r.ID, tt.from, tt.to, admin.ID)
		checkErr(t, "TransitionRound("+string(tt.from)+" → "+string(tt.to)+")", err, tt.code, "")
	}
	_, err = s.TransitionRound(ctx, 999, comuna.PhaseDraft, comuna.PhaseProposals, admin.ID)
	checkErr(t, "TransitionRound(round 999)", err, comuna.ENotFound, "")
	_, err = s.TransitionRound(ctx, r.ID, comuna.PhaseProposals, comuna.PhaseReview, 999)
	checkErr(t, "TransitionRound(user 999)", err, comuna.EInvalid, "user")

	MoveTo(t, s, got, comuna.PhaseClosed, 0)
	_, err = s.TransitionRound(ctx, r.ID, comuna.PhaseClosed, comuna.PhaseDraft, admin.ID)
	checkErr(t, "TransitionRound(closed → draft)", err, comuna.EConflict, "")

	ts, err := s.Transitions(ctx, r.ID)
	if err != nil {
		t.Fatalf("Transitions() = %v", err)
	}
	if len(ts) != len(comuna.Phases)-1 {
		t.Fatalf("Transitions() = %d entries, want %d", len(ts), len(comuna.Phases)-1)
	}
	first := ts[0]
	if first.From != comuna.PhaseDraft || first.To != comuna.PhaseProposals || first.UserID != admin.ID || first.User != "admin" || first.At.IsZero() || first.RoundID != r.ID {
		t.Errorf("Transitions()[0] = %+v, want draft → proposals by admin", first)
	}
	if last := ts[len(ts)-1]; last.To != comuna.PhaseClosed || last.UserID != 0 || last.User != "" {
		t.Errorf("Transitions() last = %+v, want → closed by nobody", last)
	}
	_, err = s.Transitions(ctx, 999)
	checkErr(t, "Transitions(999)", err, comuna.ENotFound, "")
}
