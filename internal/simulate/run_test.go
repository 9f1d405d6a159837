package simulate

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/counting"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/storetest"
	"github.com/comuna/comuna/internal/web"
)

// votingServer serves, in process over SQLite, a round of the storetest
// territory in the voting phase with a published ballot in circuit CI1
// (tables T1 and T4), and returns its URL, the round and two
// administrators' API tokens.
func votingServer(t *testing.T) (string, *comuna.Round, string, string) {
	t.Helper()
	ctx := context.Background()
	st := storetest.SQLite(t)
	storetest.Seed(t, st)
	var tokens []string
	var admin *comuna.User
	for _, name := range []string{"ana", "luis"} {
		u := &comuna.User{Username: name, Name: name, Role: comuna.RoleAdmin, PasswordHash: "x"}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		token, hash := auth.NewToken()
		if err := st.CreateAPIToken(ctx, &comuna.APIToken{TokenHash: hash, UserID: u.ID, Name: "test"}); err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, token)
		admin = u
	}
	r := storetest.NewRound("Consulta simulada")
	r.CreatedBy = admin.ID
	if err := st.CreateRound(ctx, r); err != nil {
		t.Fatal(err)
	}
	storetest.MoveTo(t, st, r, comuna.PhaseProposals, admin.ID)
	var ids []int64
	for i, k := range []string{"K1", "K2"} {
		p := storetest.NewProposal(r.ID, k, fmt.Sprintf("Proyecto %d", i+1))
		if err := st.SubmitProposal(ctx, p); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ReviewProposal(ctx, comuna.Review{ProposalID: p.ID, Accept: true, Reason: "factible", UserID: admin.ID}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	storetest.MoveTo(t, st, r, comuna.PhaseBallots, admin.ID)
	if _, err := st.SaveBallot(ctx, comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1", Proposals: ids, Publish: true, UserID: admin.ID}); err != nil {
		t.Fatal(err)
	}
	storetest.MoveTo(t, st, r, comuna.PhaseVoting, admin.ID)
	srv, err := web.New(web.Config{Store: st, VoteDay: st, Counting: counting.New(st), PollBookKey: pollbook.NewKey(),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL, r, tokens[0], tokens[1]
}

// TestPartialRunKeepsVoting plays one table of a round's two: the round
// stays voting, and the recount checks the live results. Replaying the
// same day with EndVoting moves the round to counting.
func TestPartialRunKeepsVoting(t *testing.T) {
	ctx := context.Background()
	url, r, tok1, tok2 := votingServer(t)
	phase := func() string {
		t.Helper()
		var got struct{ Phase string }
		if err := NewClient(url, 1).get(ctx, fmt.Sprintf("/api/v1/rounds/%d", r.ID), &got); err != nil {
			t.Fatal(err)
		}
		return got.Phase
	}
	cfg := Config{URL: url, Token: tok1, SecondToken: tok2, Round: r.ID, Tables: 1, PerTable: 3, Concurrency: 2, Seed: 1}
	tests := []struct {
		endVoting bool
		want      string
	}{
		{false, "voting"},
		{true, "counting"},
	}
	for _, tt := range tests {
		cfg.EndVoting = tt.endVoting
		rep, err := Run(ctx, cfg)
		if err != nil {
			t.Fatalf("Run(EndVoting %v) = %v", tt.endVoting, err)
		}
		if !rep.OK() || rep.Tables != 1 || rep.RecountMatches == nil || !*rep.RecountMatches {
			t.Errorf("Run(EndVoting %v): %d tables, %d errors, recount %v: %v; want one table, no errors, a matching recount",
				tt.endVoting, rep.Tables, rep.Errors, rep.RecountMatches, rep.Problems)
		}
		if got := phase(); got != tt.want || rep.VotingEnded != tt.endVoting {
			t.Errorf("after Run(EndVoting %v) the round is %s, VotingEnded %v; want %s, %v", tt.endVoting, got, rep.VotingEnded, tt.want, tt.endVoting)
		}
	}
	// Errors name what failed once: the command line adds "simulate".
	_, err := Run(ctx, Config{URL: url, Token: tok1, SecondToken: tok2, Round: r.ID})
	if err == nil || strings.Contains(err.Error(), "simulate") {
		t.Errorf("Run(a counting round) = %v; want an error that does not repeat the command's name", err)
	}
}
