package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

// CountedVotes are the votes per ballot number on each table's sheet in
// CountedRound: circuit CI1 (tables T1 and T4) has three projects, CI2
// (T2) and CI3 (T3) two each.
var CountedVotes = map[string][]int64{
	"T1": {5, 3, 2},
	"T4": {4, 6, 1},
	"T2": {3, 2},
	"T3": {2, 5},
}

// CountedSheet returns the sheet CountedRound accepts for a table:
// CountedVotes, one blank and one null ballot, two unused.
func CountedSheet(roundID int64, table string) tally.Sheet {
	votes := append([]int64(nil), CountedVotes[table]...)
	var valid int64
	for _, v := range votes {
		valid += v
	}
	cast := valid + 2
	return tally.Sheet{RoundID: roundID, Table: table, Received: cast + 2, Cast: cast, Votes: votes, Blank: 1, Null: 1,
		Unused: 2, Members: []string{"Ana Pérez", "Luis Díaz"}, Witnesses: []string{"Rosa Gil"}}
}

// CountedRound builds a whole consultation through the store on the small
// Territory: accepted projects in every circuit, published ballots, the
// round moved to voting, every table's voters checked in and the table
// closed, two agreeing entries per table (by two table members), and the
// round moved to counting. It returns the round, in the counting phase,
// and the administrator who ran it.
func CountedRound(t testing.TB, s *sqlstore.DB) (*comuna.Round, *comuna.User) {
	t.Helper()
	return countRound(t, s, NewRound("Consulta auditada"), func(string, int) comuna.Cents { return 0 })
}

// countRound plays CountedRound with round r; cost gives the cost of each
// circuit's i-th project (from 0), 0 for CountedRound's.
func countRound(t testing.TB, s *sqlstore.DB, r *comuna.Round, cost func(circuit string, i int) comuna.Cents) (*comuna.Round, *comuna.User) {
	t.Helper()
	ctx := context.Background()
	var vd voteday.Store = s
	Seed(t, s)
	admin := Admin(t, s)
	r.CreatedBy = admin.ID
	if err := s.CreateRound(ctx, r); err != nil {
		t.Fatalf("CreateRound() = %v", err)
	}
	MoveTo(t, s, r, comuna.PhaseProposals, admin.ID)
	councils := map[string][]string{"CI1": {"K1", "K1", "K2"}, "CI2": {"K3", "K3"}, "CI3": {"K4", "K4"}}
	ids := map[string][]int64{}
	for _, circuit := range []string{"CI1", "CI2", "CI3"} {
		for i, k := range councils[circuit] {
			p := NewProposal(r.ID, k, fmt.Sprintf("Proyecto %s-%d", circuit, i+1))
			p.Cost = comuna.Cents(900_000 + 10_000*i)
			if c := cost(circuit, i); c != 0 {
				p.Cost = c
			}
			if err := s.SubmitProposal(ctx, p); err != nil {
				t.Fatalf("SubmitProposal(%s) = %v", p.Title, err)
			}
			if _, err := s.ReviewProposal(ctx, comuna.Review{ProposalID: p.ID, Accept: true, Reason: "factible", UserID: admin.ID}); err != nil {
				t.Fatalf("ReviewProposal(%s) = %v", p.Title, err)
			}
			ids[circuit] = append(ids[circuit], p.ID)
		}
	}
	MoveTo(t, s, r, comuna.PhaseBallots, admin.ID)
	for _, circuit := range []string{"CI1", "CI2", "CI3"} {
		d := comuna.BallotDraft{RoundID: r.ID, Circuit: circuit, Proposals: ids[circuit], Publish: true, UserID: admin.ID}
		if _, err := s.SaveBallot(ctx, d); err != nil {
			t.Fatalf("SaveBallot(%s) = %v", circuit, err)
		}
	}
	MoveTo(t, s, r, comuna.PhaseVoting, admin.ID)
	voter := 0
	for _, table := range []string{"T1", "T2", "T3", "T4"} {
		sh := CountedSheet(r.ID, table)
		for range sh.Cast {
			voter++
			key := Key("counted", voter)
			if _, err := vd.CheckIn(ctx, voteday.CheckIn{RoundID: r.ID, Table: table, DocHash: DocHash(voter), IdempotencyKey: key}); err != nil {
				t.Fatalf("CheckIn(%s) = %v", table, err)
			}
		}
		if _, err := vd.CloseTable(ctx, r.ID, table, 0); err != nil {
			t.Fatalf("CloseTable(%s) = %v", table, err)
		}
	}
	for _, table := range []string{"T1", "T2", "T3", "T4"} {
		var last *voteday.EntryResult
		for i := range 2 {
			u := &comuna.User{Username: fmt.Sprintf("mesa-%s-%d", strings.ToLower(table), i), Name: "Miembro", Role: comuna.RoleTableMember, Scope: table, PasswordHash: "x"}
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatalf("CreateUser(%s) = %v", u.Username, err)
			}
			res, err := vd.SubmitEntry(ctx, voteday.Entry{Sheet: CountedSheet(r.ID, table), IdempotencyKey: Key("entry", table, i), UserID: u.ID})
			if err != nil {
				t.Fatalf("SubmitEntry(%s by %s) = %v", table, u.Username, err)
			}
			last = res
		}
		if last.Status != voteday.EntryAccepted {
			t.Fatalf("SubmitEntry(%s, second) = %s, want accepted", table, last.Status)
		}
	}
	MoveTo(t, s, r, comuna.PhaseCounting, admin.ID)
	return r, admin
}
