package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/storetest"
)

func TestLoadSmall(t *testing.T) { testLoadSmall(t, storetest.SQLite(t)) }

// TestLoadSmallPostgres runs when COMUNA_TEST_POSTGRES names a server.
func TestLoadSmallPostgres(t *testing.T) { testLoadSmall(t, storetest.Postgres(t)) }

func testLoadSmall(t *testing.T, st *sqlstore.DB) {
	ctx := context.Background()
	stages := map[string]int{}
	var order []string
	sum, err := Load(ctx, st, Small, func(stage string, done, total int) {
		if done > total {
			t.Errorf("progress(%s, %d, %d): done exceeds total", stage, done, total)
		}
		if _, ok := stages[stage]; !ok {
			order = append(order, stage)
		} else if order[len(order)-1] != stage {
			t.Errorf("progress returned to stage %s after %s", stage, order[len(order)-1])
		}
		stages[stage] = done
	})
	if err != nil {
		t.Fatalf("Load(small) = %v", err)
	}
	if len(order) != 7 {
		t.Errorf("stages = %q, want 7", order)
	}
	for stage, want := range map[string]int{
		StageTerritory: 531, StageAccounts: 11,
		"round 1": 4, "round 1 proposals": 216, "round 1 ballots": 36,
		"round 2": 2, "round 2 proposals": 12,
	} {
		if stages[stage] != want {
			t.Errorf("last progress of %s = %d, want %d", stage, stages[stage], want)
		}
	}

	// The territory and its census.
	v, err := st.EditableVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := st.TerritorySummary(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	d := Generate(Small)
	for _, l := range comuna.Levels {
		if got, want := ts.Counts[l], int64(d.Count(l)); got != want {
			t.Errorf("stored %d %s units, want %d", got, l, want)
		}
	}
	if ts.Census != d.Census() || sum.Census != d.Census() {
		t.Errorf("census stored %d, summary %d; want %d", ts.Census, sum.Census, d.Census())
	}

	// The rounds: phases, transitions recorded with the admin, proposals
	// and ballots.
	rounds, err := st.Rounds(ctx)
	if err != nil || len(rounds) != 2 {
		t.Fatalf("Rounds() = %d rounds, %v; want 2", len(rounds), err)
	}
	admin, err := st.UserByUsername(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		round       RoundSummary
		phase       comuna.Phase
		transitions int
		status      map[comuna.Status]int
		ballots     int
	}{
		{sum.Rounds[0], comuna.PhaseBallots, 3, nil, 36},
		{sum.Rounds[1], comuna.PhaseProposals, 1, map[comuna.Status]int{comuna.StatusSubmitted: 12}, 0},
	}
	for _, tt := range tests {
		r, err := st.Round(ctx, tt.round.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Phase != tt.phase || tt.round.Phase != tt.phase {
			t.Errorf("round %q is in %s (summary %s), want %s", r.Name, r.Phase, tt.round.Phase, tt.phase)
		}
		if r.TieBreak != comuna.TieLottery || r.TieBreakSeed == "" || r.BallotSize != 7 || r.WinnersPerCircuit != 2 ||
			r.AmountPerProject != 10_000_00 || r.MinAge != 15 || r.CreatedBy != admin.ID {
			t.Errorf("round %q settings = %+v", r.Name, r)
		}
		trs, err := st.Transitions(ctx, r.ID)
		if err != nil || len(trs) != tt.transitions {
			t.Fatalf("Transitions(%d) = %d, %v; want %d", r.ID, len(trs), err, tt.transitions)
		}
		for _, tr := range trs {
			if tr.UserID != admin.ID {
				t.Errorf("transition %s→%s by user %d, want the admin %d", tr.From, tr.To, tr.UserID, admin.ID)
			}
		}
		ps, err := st.Proposals(ctx, comuna.ProposalFilter{RoundID: r.ID})
		if err != nil || len(ps) != tt.round.Proposals {
			t.Fatalf("Proposals(round %d) = %d, %v; want %d", r.ID, len(ps), err, tt.round.Proposals)
		}
		status := map[comuna.Status]int{}
		for _, p := range ps {
			status[p.Status]++
			if p.Status == comuna.StatusRejected && p.Reason == "" {
				t.Errorf("rejected proposal %d has no reason", p.ID)
			}
		}
		if tt.status == nil {
			tt.status = map[comuna.Status]int{comuna.StatusAccepted: tt.round.Accepted, comuna.StatusRejected: tt.round.Rejected}
			if tt.round.Rejected == 0 || tt.round.Accepted+tt.round.Rejected != len(ps) {
				t.Errorf("round 1 summary: %d accepted, %d rejected of %d", tt.round.Accepted, tt.round.Rejected, len(ps))
			}
		}
		for s, n := range tt.status {
			if status[s] != n {
				t.Errorf("round %d: %d %s proposals, want %d", r.ID, status[s], s, n)
			}
		}
		if tt.ballots > 0 {
			b, err := st.Ballot(ctx, r.ID, "ZU-CC-0001")
			if err != nil {
				t.Fatal(err)
			}
			if !b.Published || len(b.Items) < 3 || len(b.Items) > 7 || b.Items[0].Title == "" {
				t.Errorf("ballot of ZU-CC-0001 = %+v, want 3 to 7 published items", b)
			}
		}
	}

	// Every demo login works with its documented password.
	for _, l := range sum.Logins {
		u, err := st.UserByUsername(ctx, l.Username)
		if err != nil {
			t.Fatalf("UserByUsername(%s) = %v", l.Username, err)
		}
		if !auth.CheckPassword(u.PasswordHash, l.Password) || u.Role != l.Role || u.Scope != l.Scope {
			t.Errorf("user %s = role %s scope %q, password ok %v; want %s %q and the documented password",
				l.Username, u.Role, u.Scope, auth.CheckPassword(u.PasswordHash, l.Password), l.Role, l.Scope)
		}
	}

	var out strings.Builder
	if err := sum.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	t.Logf("summary:\n%s", out.String())
	for _, want := range []string{"36 circuits", "288 councils", "admin", "comuna-admin", "phase ballots", "awaiting review",
		"mesa2        comuna-mesa2        table_member          ZU-VC-0001-1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}

	// A second load refuses and changes nothing.
	_, err = Load(ctx, st, Small, nil)
	if comuna.ErrorCode(err) != comuna.EConflict || !strings.Contains(err.Error(), "already has 2 rounds") {
		t.Errorf("second Load() = %v, want a conflict naming the 2 rounds", err)
	}
	if rounds, _ := st.Rounds(ctx); len(rounds) != 2 {
		t.Errorf("after the refused load there are %d rounds, want 2", len(rounds))
	}
}

func TestLoadRefusesNonEmpty(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		fill func(t *testing.T, st *sqlstore.DB)
		want string
	}{
		{"territory", func(t *testing.T, st *sqlstore.DB) {
			if _, err := st.ImportUnits(ctx, storetest.Source(comuna.Unit{Level: comuna.LevelState, Code: "X", Name: "X"}), nil); err != nil {
				t.Fatal(err)
			}
		}, "a territory of 1 unit"},
		{"account", func(t *testing.T, st *sqlstore.DB) {
			if err := st.CreateUser(ctx, &comuna.User{Username: "ana", Role: comuna.RoleObserver}); err != nil {
				t.Fatal(err)
			}
		}, "1 account"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := storetest.SQLite(t)
			tt.fill(t, st)
			_, err := Load(ctx, st, Small, nil)
			if comuna.ErrorCode(err) != comuna.EConflict || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load() = %v, want a conflict naming %q", err, tt.want)
			}
		})
	}
}
