package verify_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/counting"
	"github.com/comuna/comuna/internal/execution"
	"github.com/comuna/comuna/internal/logsource"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/storetest"
	"github.com/comuna/comuna/internal/translog"
	"github.com/comuna/comuna/internal/verify"
	"github.com/comuna/comuna/internal/web"
	"golang.org/x/mod/sumdb/note"
)

// TestVerifyExecution follows a funded project's money through the log:
// verify replays it and agrees with the server, then catches an insider
// who rewrites a payment in the database behind the log's back.
func TestVerifyExecution(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *sqlstore.DB{"sqlite": storetest.SQLite, "postgres": storetest.Postgres} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t)
			es, p := storetest.FundedRound(t, st)
			db := st
			pay := execution.Disbursement{Date: time.Now().UTC(), Amount: 36_500_000, Currency: "VES", Rate: execution.MustRate("36.5"),
				RateSource: "BCV", Payer: execution.FederalFund, Payee: "Consejo comunal K1", Reference: "TX-1"}
			for _, e := range []execution.Event{
				{Kind: execution.EvDisbursement, By: "fondo", Disbursement: pay},
				{Kind: execution.EvConfirm, By: "finanzas", Target: 1},
				{Kind: execution.EvStatus, By: "fondo", Status: execution.Transferred},
			} {
				if _, err := es.AppendEntry(ctx, p.ID, e); err != nil {
					t.Fatal(err)
				}
			}
			skey, vkey, err := translog.GenerateKey("comuna.test")
			if err != nil {
				t.Fatal(err)
			}
			signer, _ := note.NewSigner(skey)
			srv, err := web.New(web.Config{Store: db, VoteDay: db, Counting: counting.New(db), Log: db, LogSigner: signer, Execution: db,
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(srv.Handler())
			defer ts.Close()
			run := func() *verify.Report {
				rep, err := verify.Run(ctx, verify.Config{Log: &logsource.HTTPSource{Base: ts.URL}, Keys: []string{vkey},
					StatePath: filepath.Join(t.TempDir(), "state"), Results: &verify.HTTPResults{Base: ts.URL}})
				if err != nil {
					t.Fatal(err)
				}
				return rep
			}
			rep := run()
			if !rep.OK() {
				t.Fatalf("verify of an honest round failed: %v", rep.Mismatches)
			}
			var projects int
			for _, rr := range rep.Rounds {
				projects += rr.Projects
			}
			if projects != 1 {
				t.Errorf("verify replayed %d funded projects, want 1", projects)
			}

			// An insider with the database doubles the payment's amount.
			sqlite := []string{"DROP TRIGGER execution_entries_no_update",
				"UPDATE execution_entries SET body = replace(body, 'amount 36500000', 'amount 73000000') WHERE kind = 'disbursement'"}
			postgres := []string{"DROP TRIGGER execution_entries_append_only ON execution_entries",
				"UPDATE execution_entries SET body = replace(body, 'amount 36500000', 'amount 73000000') WHERE kind = 'disbursement'"}
			stmts := postgres
			if name == "sqlite" {
				stmts = sqlite
			}
			for _, q := range stmts {
				if _, err := db.SQL().ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			rep = run()
			if rep.OK() {
				t.Fatalf("verify passed after a payment was rewritten in the database")
			}
			t.Logf("mismatches: %v", rep.Mismatches)
			if got := rep.Mismatches[0].Error(); !strings.Contains(got, "amount disbursed") || !strings.Contains(got, "CI1") {
				t.Errorf("mismatch = %q, want the disbursed amount of a CI1 project named", got)
			}
		})
	}
}
