package storetest

import (
	"bytes"
	"context"
	"testing"

	"github.com/comuna/comuna/internal/allocation"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/record"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/translog"
	"github.com/comuna/comuna/internal/voteday"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// logTests are the transparency-log tests of the suite.
var logTests = []struct {
	name string
	fn   func(t *testing.T, s *sqlstore.DB)
}{
	{"LogAppends", testLogAppends},
	{"LogRollback", testLogRollback},
	{"IntegrityNamesEditedSheet", testIntegrityNamesEditedSheet},
}

// StoreSource is a translog.Source reading a store's log directly, with
// checkpoints signed by Signer, as the web layer serves it.
type StoreSource struct {
	DB     *sqlstore.DB
	Signer note.Signer
}

// Checkpoint implements translog.Source.
func (s StoreSource) Checkpoint(ctx context.Context) ([]byte, error) {
	return s.DB.LogCheckpoint(ctx, s.Signer)
}

// Tile implements translog.Source.
func (s StoreSource) Tile(ctx context.Context, path string) ([]byte, error) {
	return s.DB.LogTile(ctx, path)
}

// Record implements translog.Source.
func (s StoreSource) Record(ctx context.Context, n int64) ([]byte, error) {
	return s.DB.LogRecord(ctx, n)
}

// logKinds decodes the whole log and returns its records' kinds.
func logKinds(t *testing.T, db *sqlstore.DB) ([]string, []record.Record) {
	t.Helper()
	ctx := context.Background()
	n, err := db.LogSize(ctx)
	if err != nil {
		t.Fatalf("LogSize() = %v", err)
	}
	var kinds []string
	var recs []record.Record
	for i := int64(0); i < n; i++ {
		data, err := db.LogRecord(ctx, i)
		if err != nil {
			t.Fatalf("LogRecord(%d) = %v", i, err)
		}
		r, err := record.Decode(data)
		if err != nil {
			t.Fatalf("record.Decode(record %d) = %v", i, err)
		}
		kinds = append(kinds, r.Kind())
		recs = append(recs, r)
	}
	return kinds, recs
}

// sheetsRound returns a counting round whose table T1 has an accepted
// sheet (version 1, from ana and luis) and the user rosa who corrects.
func sheetsRound(t *testing.T, s *sqlstore.DB) (*comuna.Round, *voteday.SheetVersion, *comuna.User) {
	t.Helper()
	r, us := closedTable(t, s)
	var vd voteday.Store = s
	enter(t, vd, goodSheet(r.ID), us[0], Key("e1"))
	v1 := enter(t, vd, goodSheet(r.ID), us[1], Key("e2")).Sheet
	if v1 == nil {
		t.Fatal("the second agreeing entry accepted no sheet")
	}
	MoveTo(t, s, r, comuna.PhaseCounting, 0)
	return r, v1, us[2]
}

func testLogAppends(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	var vd voteday.Store = s
	r, acc, _, _, other := ballotRound(t, s)
	admin := Admin(t, s)
	if _, err := s.SaveBallot(ctx, comuna.BallotDraft{RoundID: r.ID, Circuit: "CI1", Proposals: acc, UserID: admin.ID}); err != nil {
		t.Fatal(err)
	}
	kinds, _ := logKinds(t, s)
	if want := []string{"phase", "phase", "phase"}; !equal(kinds, want) {
		t.Fatalf("log after three phase changes and a draft ballot = %v, want %v", kinds, want)
	}
	pub, err := s.PublishBallot(ctx, r.ID, "CI1", admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveBallot(ctx, comuna.BallotDraft{RoundID: r.ID, Circuit: "CI2", Proposals: []int64{other}, Publish: true}); err != nil {
		t.Fatal(err)
	}
	MoveTo(t, s, r, comuna.PhaseVoting, admin.ID)
	kinds, recs := logKinds(t, s)
	if want := []string{"phase", "phase", "phase", "ballot", "ballot", "round", "territory", "phase"}; !equal(kinds, want) {
		t.Fatalf("log kinds = %v, want %v", kinds, want)
	}
	if b := recs[3].(*record.Ballot); b.Circuit != "CI1" || b.Version != pub.Version || len(b.Items) != 3 ||
		b.Items[0].Title != "Agua" || !b.Published.Equal(pub.PublishedAt) {
		t.Errorf("ballot record = %+v, want CI1's published ballot %+v", b, pub)
	}
	if rr := recs[5].(*record.Round); rr.ID != r.ID || rr.Winners != r.WinnersPerCircuit || rr.TieBreakSeed != r.TieBreakSeed ||
		rr.Allocation.Rule != comuna.AllocTopK || rr.Rules() != allocation.RulesOf(r) {
		t.Errorf("round record = %+v, want the rules of %+v", rr, r)
	}
	tr := recs[6].(*record.Territory)
	if len(tr.Circuits) != 3 || tr.Circuits[0].Code != "CI1" || tr.Circuits[0].Census != 1500 || tr.Tables() != 4 ||
		!equal(tr.Circuits[0].Tables, []string{"T1", "T4"}) {
		t.Errorf("territory record = %+v, want CI1 (census 1500, tables T1 T4) of 3 circuits and 4 tables", tr)
	}
	if p := recs[7].(*record.Phase); p.From != comuna.PhaseBallots || p.To != comuna.PhaseVoting || p.By != admin.Username {
		t.Errorf("phase record = %+v, want ballots → voting by %s", p, admin.Username)
	}

	// Check-ins, walk-ins and closing log nothing; a waiting entry neither.
	// The accepted sheet and each correction log one record each.
	before := int64(len(kinds))
	var us []*comuna.User
	for _, name := range []string{"ana", "luis", "rosa"} {
		u := &comuna.User{Username: name, Name: name, Role: comuna.RoleTableMember, Scope: "T1", PasswordHash: "x"}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		us = append(us, u)
	}
	for i := range 10 {
		checkIn(t, vd, r.ID, "T1", i, Key("voter", i))
	}
	WalkIns(t, vd, r.ID, "T1", 2, us[0], us[1])
	if _, err := vd.CloseTable(ctx, r.ID, "T1", 0); err != nil {
		t.Fatal(err)
	}
	enter(t, vd, goodSheet(r.ID), us[0], Key("e1"))
	wantSize(t, s, before, "after check-ins, a close and one entry")
	v1 := enter(t, vd, goodSheet(r.ID), us[1], Key("e2")).Sheet
	wantSize(t, s, before+1, "after the sheet's acceptance")
	enter(t, vd, goodSheet(r.ID), us[1], Key("e2")) // a replay logs nothing
	wantSize(t, s, before+1, "after a replayed entry")
	wantLogged(t, s, record.NewSheet(v1), before)
	if idx, err := s.LogIndexOfSheet(ctx, r.ID, "T1", 1); err != nil || idx != before {
		t.Errorf("LogIndexOfSheet(T1, 1) = %d, %v; want %d", idx, err, before)
	}
	MoveTo(t, s, r, comuna.PhaseCounting, 0)
	fixed := goodSheet(r.ID)
	fixed.Votes, fixed.Blank = []int64{5, 4, 2}, 0
	p, err := vd.ProposeCorrection(ctx, voteday.Correction{Sheet: fixed, Reason: "recount of number 2", IdempotencyKey: Key("c1"), UserID: us[2].ID})
	if err != nil {
		t.Fatal(err)
	}
	wantSize(t, s, before+3, "after the move to counting and a proposed correction")
	_, v2, err := vd.DecideCorrection(ctx, voteday.CorrectionDecision{RoundID: r.ID, Table: "T1", ProposalID: p.ID, Confirm: true, Sheet: fixed, UserID: us[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	wantSize(t, s, before+5, "after the correction's confirmation")
	wantLogged(t, s, record.NewSheet(v2), before+3)
	if _, err := s.LogIndexOfSheet(ctx, r.ID, "T1", 3); comuna.ErrorCode(err) != comuna.ENotFound {
		t.Errorf("LogIndexOfSheet(T1, 3) = %v, want %s", err, comuna.ENotFound)
	}
	verifyLog(t, s, before+5)
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func wantSize(t *testing.T, db *sqlstore.DB, want int64, when string) {
	t.Helper()
	if n, err := db.LogSize(context.Background()); err != nil || n != want {
		t.Fatalf("LogSize() %s = %d, %v; want %d", when, n, err, want)
	}
}

// wantLogged checks that record n of the log is exactly r.
func wantLogged(t *testing.T, db *sqlstore.DB, r record.Record, n int64) {
	t.Helper()
	want, err := record.Encode(r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.LogRecord(context.Background(), n)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("LogRecord(%d) = %q, %v; want %q", n, got, err, want)
	}
}

// verifyLog checks the store's log of size records as a verifier would:
// the signed checkpoint, every tile and record, then an inclusion and a
// consistency proof.
func verifyLog(t *testing.T, db *sqlstore.DB, size int64) {
	t.Helper()
	ctx := context.Background()
	skey, vkey, err := translog.GenerateKey("test.example")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	c, records, err := translog.Verify(ctx, StoreSource{db, signer}, []string{vkey}, nil)
	if err != nil || c.Tree.N != size || int64(len(records)) != size || c.Origin != db.LogOrigin() {
		t.Fatalf("translog.Verify = %+v, %d records, %v; want a tree of %d", c, len(records), err, size)
	}
	proof, err := db.LogProveRecord(ctx, size-1, size)
	if err == nil {
		err = tlog.CheckRecord(proof, size, c.Tree.Hash, size-1, tlog.RecordHash(records[size-1]))
	}
	if err != nil {
		t.Errorf("inclusion proof of record %d: %v", size-1, err)
	}
	old, err := tlog.TreeHash(2, tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		hs := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			switch x {
			case tlog.StoredHashIndex(0, 0):
				hs[i] = tlog.RecordHash(records[0])
			case tlog.StoredHashIndex(0, 1):
				hs[i] = tlog.RecordHash(records[1])
			case tlog.StoredHashIndex(1, 0):
				hs[i] = tlog.NodeHash(tlog.RecordHash(records[0]), tlog.RecordHash(records[1]))
			}
		}
		return hs, nil
	}))
	tp, err2 := db.LogProveTree(ctx, size, 2)
	if err == nil {
		err = err2
	}
	if err == nil {
		err = tlog.CheckTree(tp, size, c.Tree.Hash, 2, old)
	}
	if err != nil {
		t.Errorf("consistency proof from 2 to %d records: %v", size, err)
	}
}
