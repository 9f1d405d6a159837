package storetest

import (
	"context"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/record"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/voteday"
)

// attack runs SQL behind Comuna's back, as someone with access to the
// database would: the SQLite statements or, on PostgreSQL, the others.
func attack(t *testing.T, db *sqlstore.DB, sqlite, postgres []string) {
	t.Helper()
	ctx := context.Background()
	stmts := postgres
	if _, err := db.SQL().ExecContext(ctx, "SELECT sqlite_version()"); err == nil {
		stmts = sqlite
	}
	for _, q := range stmts {
		if _, err := db.SQL().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func testLogRollback(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	r, _, rosa := sheetsRound(t, s)
	size, err := s.LogSize(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The correction's record is appended, then its row fails to insert:
	// the transaction rolls back and takes the record with it.
	attack(t, s,
		[]string{"CREATE TRIGGER test_fail BEFORE INSERT ON sheet_versions BEGIN SELECT RAISE(ABORT, 'test failure'); END"},
		[]string{"CREATE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'test failure'; END $$",
			"CREATE TRIGGER test_fail BEFORE INSERT ON sheet_versions FOR EACH ROW EXECUTE FUNCTION test_fail()"})
	fixed := goodSheet(r.ID)
	fixed.Votes, fixed.Blank = []int64{5, 4, 2}, 0
	var vd voteday.Store = s
	p, err := vd.ProposeCorrection(ctx, voteday.Correction{Sheet: fixed, Reason: "recount of number 2", IdempotencyKey: Key("c1"), UserID: rosa.ID})
	if err != nil {
		t.Fatal(err)
	}
	wantSize(t, s, size+1, "after a proposed correction")
	ana := Member(t, s, "T1", "ana")
	d := voteday.CorrectionDecision{RoundID: r.ID, Table: "T1", ProposalID: p.ID, Confirm: true, Sheet: fixed, UserID: ana.ID}
	if _, _, err := vd.DecideCorrection(ctx, d); err == nil {
		t.Fatal("DecideCorrection with a failing insert succeeded")
	}
	wantSize(t, s, size+1, "after a rolled-back confirmation")
	attack(t, s, []string{"DROP TRIGGER test_fail"}, []string{"DROP TRIGGER test_fail ON sheet_versions"})
	_, v2, err := vd.DecideCorrection(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	wantSize(t, s, size+3, "after the confirmation")
	wantLogged(t, s, record.NewSheet(v2), size+1)
	verifyLog(t, s, size+3)
}

func testIntegrityNamesEditedSheet(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	r, v1, _ := sheetsRound(t, s)
	check := func(what string) []record.Problem {
		t.Helper()
		ps, err := s.CheckIntegrity(ctx, r.ID)
		if err != nil {
			t.Fatalf("CheckIntegrity(%s) = %v", what, err)
		}
		return ps
	}
	if ps := check("untouched"); len(ps) != 0 {
		t.Fatalf("CheckIntegrity(untouched) = %v, want no problems", ps)
	}
	idx, err := s.LogIndexOfSheet(ctx, r.ID, "T1", 1)
	if err != nil {
		t.Fatal(err)
	}

	// A vote count edited with SQL, the append-only trigger out of the way.
	attack(t, s,
		[]string{"DROP TRIGGER sheet_versions_no_update", "DROP TRIGGER sheet_versions_no_delete",
			`UPDATE sheet_versions SET sheet = replace(sheet, '"votes":[5,3,2]', '"votes":[9,3,2]') WHERE table_code = 'T1'`},
		[]string{"ALTER TABLE sheet_versions DISABLE TRIGGER sheet_versions_append_only",
			`UPDATE sheet_versions SET sheet = replace(sheet, '"votes":[5,3,2]', '"votes":[9,3,2]') WHERE table_code = 'T1'`})
	if vs, err := s.SheetVersions(ctx, r.ID, "T1"); err != nil || vs[0].Sheet.Votes[0] != 9 {
		t.Fatalf("the attack did not change the stored sheet: %+v, %v", vs, err)
	}
	ps := check("edited count")
	if len(ps) != 1 || ps[0].Table != "T1" || ps[0].Version != 1 || ps[0].Kind != record.KindSheet || ps[0].LogIndex != idx ||
		!strings.Contains(ps[0].String(), `table "T1" sheet version 1`) || !strings.Contains(ps[0].Message, "votes.1 logged 5, stored 9") {
		t.Fatalf("CheckIntegrity(edited count) = %v, want table T1 version 1 named with votes.1 5 → 9", ps)
	}

	// The attacker also rewrites the log record to match: its leaf hash
	// no longer does.
	edited := *v1
	edited.Sheet.Votes = []int64{9, 3, 2}
	forged, err := record.Encode(record.NewSheet(&edited))
	if err != nil {
		t.Fatal(err)
	}
	attack(t, s,
		[]string{"DROP TRIGGER log_records_no_update",
			"UPDATE log_records SET data = x'" + hex.EncodeToString(forged) + "' WHERE idx = " + strconv.FormatInt(idx, 10)},
		[]string{"ALTER TABLE log_records DISABLE TRIGGER log_records_append_only",
			`UPDATE log_records SET data = '\x` + hex.EncodeToString(forged) + "' WHERE idx = " + strconv.FormatInt(idx, 10)})
	ps = check("edited count and record")
	if len(ps) != 1 || ps[0].Table != "T1" || !strings.Contains(ps[0].Message, "no longer matches its leaf hash") {
		t.Fatalf("CheckIntegrity(edited count and record) = %v, want T1's record named as altered", ps)
	}

	// A deleted sheet is named too, and a renamed project on a published
	// ballot.
	attack(t, s,
		[]string{"DELETE FROM sheet_versions WHERE table_code = 'T1'", "UPDATE proposals SET title = 'Cancha' WHERE title = 'Agua'"},
		[]string{"DELETE FROM sheet_versions WHERE table_code = 'T1'", "UPDATE proposals SET title = 'Cancha' WHERE title = 'Agua'"})
	ps = check("deleted sheet")
	var found []string
	for _, p := range ps {
		found = append(found, p.String())
	}
	got := strings.Join(found, "\n")
	if len(ps) != 2 || !strings.Contains(got, `table "T1" sheet version 1: logged at record`) ||
		!strings.Contains(got, `circuit "CI1" ballot version 1: the stored row differs`) {
		t.Errorf("CheckIntegrity(deleted sheet, renamed project) =\n%s\nwant T1 missing and CI1's ballot changed", got)
	}
}
