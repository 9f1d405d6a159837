package storetest

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"os"
	"testing"

	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/voteday"
)

// The disk used to link voters to tables (finding 7): each SQLite commit
// held one check-in and its table's counter going n→n+1, and on
// PostgreSQL a check-in row's xmin equalled its table counter's. Now one
// batch commits many voters at many tables, each counter written once:
// one WAL commit on SQLite, one xmin shared by every row on PostgreSQL.
func testCheckInBatchUnlinks(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	db := s.SQL()
	r := votingRound(t, s)
	var vd voteday.Store = s
	checkIn(t, vd, r.ID, "T1", 1000, Key("warm")) // the table's counter exists
	var walPath string
	sqlite := db.QueryRow("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&walPath) == nil
	walPath += "-wal"
	if sqlite {
		mustExec(t, db, "CREATE TABLE test_status_writes (n INTEGER)",
			"CREATE TRIGGER test_sw_i AFTER INSERT ON table_status BEGIN INSERT INTO test_status_writes VALUES (1); END",
			"CREATE TRIGGER test_sw_u AFTER UPDATE ON table_status BEGIN INSERT INTO test_status_writes VALUES (1); END")
	} else {
		mustExec(t, db, "CREATE TABLE test_status_writes (n INTEGER)",
			"CREATE FUNCTION test_sw() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO test_status_writes VALUES (1); RETURN NULL; END $$",
			"CREATE TRIGGER test_sw AFTER INSERT OR UPDATE ON table_status FOR EACH ROW EXECUTE FUNCTION test_sw()")
	}
	commitsBefore := walCommits(t, walPath, sqlite)
	tables := []string{"T1", "T3", "T4"}
	var cs []voteday.CheckIn
	for i := range 12 {
		cs = append(cs, voteday.CheckIn{RoundID: r.ID, Table: tables[i%3], DocHash: DocHash(i), IdempotencyKey: Key("batch", i)})
	}
	res, errs := s.CheckInBatch(ctx, cs)
	perTable := map[string][]int64{}
	for i := range cs {
		if errs[i] != nil || res[i].Outcome != pollbook.OutcomeAccepted {
			t.Fatalf("check-in %d = %+v, %v; want accepted", i, res[i], errs[i])
		}
		perTable[cs[i].Table] = append(perTable[cs[i].Table], res[i].CheckIns)
	}
	if got := fmt.Sprint(perTable); got != "map[T1:[2 3 4 5] T3:[1 2 3 4] T4:[1 2 3 4]]" {
		t.Errorf("the batch's check-in counts = %s, want T1 2..5 (after the first), T3 and T4 1..4", got)
	}
	var writes int
	if err := db.QueryRow("SELECT count(*) FROM test_status_writes").Scan(&writes); err != nil {
		t.Fatal(err)
	}
	if writes != len(tables) {
		t.Errorf("table counters were written %d times for one batch at %d tables, want once each", writes, len(tables))
	}
	if sqlite {
		if got := walCommits(t, walPath, sqlite) - commitsBefore; got != 1 {
			t.Errorf("the batch made %d commits in the WAL, want 1", got)
		}
		return
	}
	warm := DocHash(1000)
	var xmins, counterXmins int
	err := db.QueryRow(fmt.Sprintf(`SELECT count(DISTINCT xmin::text) FROM check_ins WHERE round_id = %d AND doc_hash <> $1`, r.ID), warm[:]).Scan(&xmins)
	if err != nil {
		t.Fatal(err)
	}
	err = db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM table_status s WHERE s.round_id = %[1]d
		AND s.xmin::text = (SELECT min(xmin::text) FROM check_ins WHERE round_id = %[1]d AND doc_hash <> $1)`, r.ID), warm[:]).Scan(&counterXmins)
	if err != nil {
		t.Fatal(err)
	}
	if xmins != 1 || counterXmins != len(tables) {
		t.Errorf("the batch's check-ins have %d transaction ids, shared by %d table counters; want 1, shared by all %d", xmins, counterXmins, len(tables))
	}
}

func mustExec(t *testing.T, db *sql.DB, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// walCommits counts the commit frames of a SQLite WAL file: frames whose
// header holds the database size after the commit.
func walCommits(t *testing.T, path string, sqlite bool) int {
	t.Helper()
	if !sqlite {
		return 0
	}
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) || len(b) < 32 {
		return 0
	} else if err != nil {
		t.Fatal(err)
	}
	page := int(binary.BigEndian.Uint32(b[8:12]))
	n := 0
	for off := 32; off+24+page <= len(b); off += 24 + page {
		if binary.BigEndian.Uint32(b[off+4:off+8]) != 0 {
			n++
		}
	}
	return n
}
