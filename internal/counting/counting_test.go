package counting_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/comuna/comuna/internal/audit"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/counting"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/storetest"
)

// backends runs a test on a fresh SQLite store and, when
// COMUNA_TEST_POSTGRES is set, on a fresh PostgreSQL one.
func backends(t *testing.T, test func(t *testing.T, db *sqlstore.DB)) {
	t.Run("sqlite", func(t *testing.T) { test(t, storetest.SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { test(t, storetest.Postgres(t)) })
}

func TestLiveResults(t *testing.T) { backends(t, testLiveResults) }

// testLiveResults counts a round through the store and reads its results
// through the service, then corrects a sheet: the next read shows the
// correction at once, under the new epoch.
func testLiveResults(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	r, admin := storetest.CountedRound(t, db)
	c := counting.New(db)
	var valid int64
	for _, votes := range storetest.CountedVotes {
		for _, v := range votes {
			valid += v
		}
	}
	res, epoch, err := c.LiveResults(ctx, r)
	if err != nil {
		t.Fatalf("LiveResults() = %v", err)
	}
	live, err := db.LiveCounts(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := res.Nation(); n.Valid != valid || n.TablesReported != 4 || n.CheckIns != valid+8 || epoch != live.Epoch {
		t.Errorf("LiveResults() nation valid %d, tables %d, check-ins %d, epoch %d; want %d, 4, %d, %d",
			n.Valid, n.TablesReported, n.CheckIns, epoch, valid, valid+8, live.Epoch)
	}
	ci1, ok := res.Node(comuna.LevelCircuit, "CI1")
	if !ok {
		t.Fatal("LiveResults() has no circuit CI1")
	}
	var got []int64
	for _, p := range ci1.Projects {
		got = append(got, p.Votes)
	}
	if want := []int64{9, 9, 3}; !reflect.DeepEqual(got, want) {
		t.Errorf("LiveResults() CI1 votes = %v, want %v (T1 + T4)", got, want)
	}

	sh := storetest.CountedSheet(r.ID, "T1")
	sh.Votes = []int64{6, 2, 2}
	v := storetest.CorrectCounted(t, db, r, sh, admin)
	res, epoch, err = c.LiveResults(ctx, r)
	if err != nil {
		t.Fatalf("LiveResults(after a correction) = %v", err)
	}
	ci1, _ = res.Node(comuna.LevelCircuit, "CI1")
	if ci1.Projects[0].Votes != 10 || ci1.Projects[1].Votes != 8 || epoch != v.ID {
		t.Errorf("LiveResults(after a correction) CI1 votes %d and %d, epoch %d; want 10 and 8, epoch %d",
			ci1.Projects[0].Votes, ci1.Projects[1].Votes, epoch, v.ID)
	}

	ballots, err := c.Ballots(ctx, r)
	if err != nil {
		t.Fatalf("Ballots() = %v", err)
	}
	if len(ballots) != 3 || len(ballots["CI1"]) != 3 || len(ballots["CI2"]) != 2 {
		t.Errorf("Ballots() = %d circuits, CI1 %d and CI2 %d projects; want 3, 3 and 2", len(ballots), len(ballots["CI1"]), len(ballots["CI2"]))
	}
}

func TestCircuitDecision(t *testing.T) { backends(t, testCircuitDecision) }

// testCircuitDecision decides CI2 of a greedy round whose most voted
// project costs more than the budget: the decision funds the second, as
// allocation.Decide does, not the top-k winner.
func testCircuitDecision(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	r, _ := storetest.GreedyRound(t, db)
	c := counting.New(db)
	n, err := c.CircuitDecision(ctx, r, "CI2")
	if err != nil {
		t.Fatalf("CircuitDecision(CI2) = %v", err)
	}
	if n.Decision == nil {
		t.Fatal("CircuitDecision(CI2) has no decision")
	}
	var got []string
	for _, f := range n.Decision.Funded {
		got = append(got, fmt.Sprintf("%d %s", f.Number, f.Amount.Plain()))
	}
	if want := []string{"2 5000.00"}; !reflect.DeepEqual(got, want) || n.Provisional {
		t.Errorf("CircuitDecision(CI2) funds %v, provisional %v; want %v, final", got, n.Provisional, want)
	}
	if _, err := c.CircuitDecision(ctx, r, "CI9"); comuna.ErrorCode(err) != comuna.ENotFound {
		t.Errorf("CircuitDecision(CI9) = %v, want ENotFound", err)
	}
}

func TestCreateAudit(t *testing.T) { backends(t, testCreateAudit) }

// testCreateAudit checks the one set of defaults every caller of
// CreateAudit gets, and that a report reads the round's counts.
func testCreateAudit(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	r, admin := storetest.CountedRound(t, db)
	c := counting.New(db)
	tests := []struct {
		name string
		in   audit.Audit
		kind audit.Kind
		risk float64
	}{
		{"nothing", audit.Audit{Seed: "12345"}, audit.KindRisk, audit.DefaultRiskLimit},
		{"risk without a limit", audit.Audit{Kind: audit.KindRisk, Seed: "12345"}, audit.KindRisk, audit.DefaultRiskLimit},
		{"risk with a limit", audit.Audit{Kind: audit.KindRisk, Seed: "12345", RiskLimit: 0.1}, audit.KindRisk, 0.1},
		{"draw", audit.Audit{Kind: audit.KindDraw, Seed: "12345", Tables: 2}, audit.KindDraw, 0},
	}
	for _, tt := range tests {
		a := tt.in
		a.RoundID, a.CreatedBy = r.ID, admin.ID
		rep, err := c.CreateAudit(ctx, &a)
		if err != nil {
			t.Errorf("CreateAudit(%s) = %v", tt.name, err)
			continue
		}
		if rep.Audit.Kind != tt.kind || rep.Audit.RiskLimit != tt.risk || rep.Round.ID != r.ID || rep.Report.Stale {
			t.Errorf("CreateAudit(%s) = kind %q, risk limit %g, round %d, stale %v; want %q, %g, %d, not stale",
				tt.name, rep.Audit.Kind, rep.Audit.RiskLimit, rep.Round.ID, rep.Report.Stale, tt.kind, tt.risk, r.ID)
		}
		switch tt.kind {
		case audit.KindRisk:
			if len(rep.Report.Circuits) != 3 {
				t.Errorf("CreateAudit(%s) reports %d circuits, want 3", tt.name, len(rep.Report.Circuits))
			}
		case audit.KindDraw:
			if rep.Report.Draw == nil || len(rep.Report.Draw.Tables) != 2 {
				t.Errorf("CreateAudit(%s) draw = %+v, want 2 tables", tt.name, rep.Report.Draw)
			}
		}
		again, err := c.Audit(ctx, a.ID)
		if err != nil || !reflect.DeepEqual(again.Report, rep.Report) {
			t.Errorf("Audit(%d) = %+v, %v; want the report CreateAudit gave", a.ID, again, err)
		}
	}
	if _, err := c.Audit(ctx, 999); comuna.ErrorCode(err) != comuna.ENotFound {
		t.Errorf("Audit(unknown) = %v, want ENotFound", err)
	}
	if _, err := c.CreateAudit(ctx, &audit.Audit{RoundID: r.ID, Seed: " "}); comuna.ErrorCode(err) != comuna.EInvalid {
		t.Errorf("CreateAudit(blank seed) = %v, want EInvalid", err)
	}
}
