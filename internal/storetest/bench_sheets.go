package storetest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

// BenchmarkSubmitEntry measures vote night's tally throughput: b.N
// closed tables of the national territory (at most NationalTables) each
// get their sheet entered twice, by two people, from 4 goroutines per
// CPU (data-entry operators working at once); the second entry accepts the sheet (and, on a store with a
// transparency log, appends its record in the same transaction). It
// reports accepted sheets per second. It uses only the store's public
// methods, so it runs unchanged against a store without the log for
// comparison.
func BenchmarkSubmitEntry(b *testing.B, open func(b *testing.B) *sqlstore.DB) {
	if b.N > NationalTables {
		b.Fatalf("b.N = %d; at most %d tables (use -benchtime %dx)", b.N, NationalTables, NationalTables)
	}
	ctx := context.Background()
	s := open(b)
	if _, err := s.ImportUnits(ctx, Source(BenchTerritory()...), nil); err != nil {
		b.Fatal(err)
	}
	r := NewRound("Consulta")
	if err := s.CreateRound(ctx, r); err != nil {
		b.Fatal(err)
	}
	MoveTo(b, s, r, comuna.PhaseProposals, 0)
	var ids []int64
	for i := range 100 {
		p := NewProposal(r.ID, fmt.Sprintf("K%03d", i), "Proyecto")
		if err := s.SubmitProposal(ctx, p); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	MoveTo(b, s, r, comuna.PhaseReview, 0)
	for _, id := range ids {
		if _, err := s.ReviewProposal(ctx, comuna.Review{ProposalID: id, Accept: true, Reason: "factible"}); err != nil {
			b.Fatal(err)
		}
	}
	MoveTo(b, s, r, comuna.PhaseBallots, 0)
	for i, id := range ids {
		if _, err := s.SaveBallot(ctx, comuna.BallotDraft{RoundID: r.ID, Circuit: fmt.Sprintf("CI%03d", i), Proposals: []int64{id}, Publish: true}); err != nil {
			b.Fatal(err)
		}
	}
	MoveTo(b, s, r, comuna.PhaseVoting, 0)
	var users [2]*comuna.User
	for i := range users {
		users[i] = &comuna.User{Username: fmt.Sprintf("digitador%d", i), Name: "Digitador", Role: comuna.RoleObserver, PasswordHash: "x"}
		if err := s.CreateUser(ctx, users[i]); err != nil {
			b.Fatal(err)
		}
	}
	var vd voteday.Store = s
	for i := range b.N {
		if _, err := vd.CloseTable(ctx, r.ID, fmt.Sprintf("T%05d", i), 0); err != nil {
			b.Fatal(err)
		}
	}
	var next, accepted atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := next.Add(1) - 1
			sh := tally.Sheet{RoundID: r.ID, Table: fmt.Sprintf("T%05d", n), Received: 10, Votes: []int64{0}, Unused: 10,
				Members: []string{"Ana Pérez", "Luis Díaz"}}
			for i, u := range users {
				res, err := vd.SubmitEntry(ctx, voteday.Entry{Sheet: sh, IdempotencyKey: fmt.Sprintf("sheet-%d-%d-0123456789", n, i), UserID: u.ID})
				if err != nil {
					b.Errorf("SubmitEntry(table %d, entry %d) = %v", n, i+1, err)
					return
				}
				if res.Status == voteday.EntryAccepted {
					accepted.Add(1)
				}
			}
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(accepted.Load())/elapsed.Seconds(), "sheets/s")
	if accepted.Load() != int64(b.N) {
		b.Errorf("%d sheets accepted of %d", accepted.Load(), b.N)
	}
}
