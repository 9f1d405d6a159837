package storetest

import (
	"context"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

// testFourEyes is finding 2 of issue 8: one table member alone raised a
// project to 40,000 votes with a reason of five zero-width spaces. Now a
// correction is proposed by one person and takes effect only when another
// confirms the same values.
func testFourEyes(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	var vd voteday.Store = s
	r, us := closedTable(t, s)
	ana, luis, rosa := us[0], us[1], us[2]
	enter(t, vd, goodSheet(r.ID), ana, Key("e1"))
	v1 := enter(t, vd, goodSheet(r.ID), luis, Key("e2")).Sheet
	MoveTo(t, s, r, comuna.PhaseCounting, 0)
	propose := func(votes1 int64, reason, key string, by *comuna.User) (*voteday.CorrectionProposal, error) {
		sh := shifted(r.ID, votes1)
		return vd.ProposeCorrection(ctx, voteday.Correction{Sheet: sh, Reason: reason, IdempotencyKey: key, UserID: by.ID})
	}
	_, err := propose(1, "\u200b\u200b\u200b\u200b\u200b", Key("p0"), ana)
	checkErr(t, "ProposeCorrection(zero-width reason)", err, comuna.EInvalid, "reason")
	p, err := propose(1, "un voto leído como nulo", Key("p1"), ana)
	if err != nil || p.Status != voteday.CorrectionProposed || p.Proposer != "ana" || p.BaseVersion != 1 {
		t.Fatalf("ProposeCorrection() = %+v, %v; want proposed by ana against version 1", p, err)
	}
	if cur, _, err := vd.CurrentSheets(ctx, r.ID); err != nil || len(cur) != 1 || cur[0].ID != v1.ID {
		t.Errorf("CurrentSheets() after a proposal = %+v, %v; want version 1 still", cur, err)
	}
	_, err = propose(2, "otra corrección distinta", Key("p2"), luis)
	checkErr(t, "ProposeCorrection(while one is pending)", err, comuna.EConflict, "")
	decide := func(confirm bool, votes1 int64, reason string, by *comuna.User) (*voteday.CorrectionProposal, *voteday.SheetVersion, error) {
		sh := shifted(r.ID, votes1)
		return vd.DecideCorrection(ctx, voteday.CorrectionDecision{RoundID: r.ID, Table: "T1", ProposalID: p.ID, Confirm: confirm,
			Sheet: sh, Reason: reason, UserID: by.ID})
	}
	_, _, err = decide(true, 1, "", ana)
	checkErr(t, "DecideCorrection(by the proposer)", err, comuna.EForbidden, "")
	_, _, err = decide(true, 2, "", luis)
	checkErr(t, "DecideCorrection(other values)", err, comuna.EInvalid, "votes.1")
	_, _, err = decide(false, 0, "no", luis)
	checkErr(t, "DecideCorrection(refusal without a reason)", err, comuna.EInvalid, "reason")
	got, v, err := decide(false, 0, "el acta en papel dice 5", luis)
	if err != nil || v != nil || got.Status != voteday.CorrectionRefused || got.Decider != "luis" || got.DecisionReason != "el acta en papel dice 5" {
		t.Fatalf("DecideCorrection(refuse) = %+v, %+v, %v; want refused by luis", got, v, err)
	}
	_, _, err = decide(true, 1, "", rosa)
	checkErr(t, "DecideCorrection(already refused)", err, comuna.EConflict, "")
	p, err = propose(1, "un voto leído como nulo, otra vez", Key("p3"), ana)
	if err != nil {
		t.Fatal(err)
	}
	got, v, err = decide(true, 1, "", rosa)
	if err != nil || got.Status != voteday.CorrectionConfirmed || v == nil || v.Version != 2 || v.Sheet.Votes[0] != 6 || v.Signer != "rosa" {
		t.Fatalf("DecideCorrection(confirm by rosa) = %+v, %+v, %v; want version 2 with 6 votes signed by rosa", got, v, err)
	}
	if again, v2, err := decide(true, 1, "", rosa); err != nil || again.Status != voteday.CorrectionConfirmed || v2 == nil || v2.ID != v.ID {
		t.Errorf("DecideCorrection(retry) = %+v, %+v, %v; want the same answer", again, v2, err)
	}
	ps, err := vd.Corrections(ctx, r.ID, "T1")
	if err != nil || len(ps) != 2 || ps[0].Status != voteday.CorrectionConfirmed || ps[1].Status != voteday.CorrectionRefused {
		t.Errorf("Corrections() = %+v, %v; want the confirmed one, then the refused one", ps, err)
	}
}

// shifted is goodSheet with n (0 to 2) blank and null ballots read as
// votes for number 1 instead.
func shifted(roundID int64, n int64) tally.Sheet {
	sh := goodSheet(roundID)
	sh.Votes[0] += n
	sh.Blank -= min(n, 1)
	sh.Null -= n - min(n, 1)
	return sh
}
