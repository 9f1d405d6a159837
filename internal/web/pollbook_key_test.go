package web

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/counting"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/sqlstore"
)

// A second server on the same database started with another master key
// used to accept an already-voted document again (finding 6). The round
// is bound to the first key's fingerprint on its first check-in, and the
// other server is refused, naming both fingerprints.
func TestPollBookKeyBoundToRound(t *testing.T) {
	backends(t, func(t *testing.T, store func(testing.TB) *sqlstore.DB) {
		e := voteEnvOn(t, newEnvOn(t, store(t)))
		var a checkInJSON
		e.api("POST", e.roundPath("/tables/T1/checkins"), "table", checkInBody("12345678", "1990-05-01", "key-bound-0001"), 200, &a)
		if a.Outcome != "accepted" {
			t.Fatalf("first check-in = %+v, want accepted", a)
		}
		other := pollbook.Key{9, 9, 9}
		srv2, err := New(Config{Store: e.store, VoteDay: e.vd, Counting: counting.New(e.store), PollBookKey: other})
		if err != nil {
			t.Fatal(err)
		}
		first := e.srv
		e.srv = srv2
		w := e.do(request{method: "POST", path: "/api/v1" + e.roundPath("/tables/T1/checkins"), user: "table", bearer: true,
			json: checkInBody("12345678", "1990-05-01", "key-bound-0002")})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), testPollBookKey.Fingerprint()) ||
			!strings.Contains(w.Body.String(), other.Fingerprint()) {
			t.Errorf("check-in on a server with another key = %d %s; want 409 naming %s and %s", w.Code, w.Body.String(),
				testPollBookKey.Fingerprint(), other.Fingerprint())
		}
		// A server with the right key goes on.
		srv3, err := New(Config{Store: e.store, VoteDay: e.vd, Counting: counting.New(e.store), PollBookKey: testPollBookKey})
		if err != nil {
			t.Fatal(err)
		}
		e.srv = srv3
		e.api("POST", e.roundPath("/tables/T1/checkins"), "table", checkInBody("12345678", "1990-05-01", "key-bound-0003"), 200, &a)
		if a.Outcome != "already_voted" {
			t.Errorf("the same document on a server with the round's key = %+v, want already_voted", a)
		}
		e.srv = first
	})
}

// `pollbook destroy` used to leave every hash in the SQLite WAL and main
// file (finding 5). Now the round's key is shredded and the rows purged:
// no database file holds a hash or the wrapped key afterwards, and the
// master key alone can no longer link a document to what an attacker
// copied before.
func TestPollBookDestroyLeavesNothing(t *testing.T) {
	backends(t, func(t *testing.T, store func(testing.TB) *sqlstore.DB) {
		ctx := context.Background()
		e := voteEnvOn(t, newEnvOn(t, store(t)))
		docs := []string{"12345678", "23456789", "34567890", "45678901", "56789012"}
		for i, d := range docs {
			e.api("POST", e.roundPath("/tables/T1/checkins"), "table", checkInBody(d, "1990-05-01", fmt.Sprintf("key-shred-%04d", i)), 200, nil)
		}
		db := e.store.SQL()
		secrets := storedSecrets(t, db, e.round.ID)
		if len(secrets) != len(docs)+1 {
			t.Fatalf("found %d hashes and keys, want %d", len(secrets), len(docs)+1)
		}
		files := dbFiles(t, db)
		if files == nil {
			t.Skip("the database files cannot be read here")
		}
		// Before destruction the hashes are on disk, as the attack found.
		if n := countIn(t, files(), secrets); n == 0 {
			t.Fatalf("no hash in the database files before destruction: the search does not work")
		}
		copied := append([][]byte(nil), secrets...) // what an insider copied before
		e.advance(comuna.PhaseCounting)
		e.advance(comuna.PhaseResults)
		if n, err := e.vd.DestroyCheckIns(ctx, e.round.ID, 0); err != nil || n != int64(len(docs)) {
			t.Fatalf("DestroyCheckIns = %d, %v", n, err)
		}
		if n := countIn(t, files(), secrets); n != 0 {
			t.Errorf("%d copies of hashes or of the wrapped key are in the database files after destruction", n)
		}
		// The round's key is gone for good: the master key cannot rebuild
		// a hash, and the round never takes another key.
		fresh, err := New(Config{Store: e.store, VoteDay: e.vd, Counting: counting.New(e.store), PollBookKey: testPollBookKey})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fresh.roundKey(ctx, e.vd, e.round.ID); comuna.ErrorCode(err) != comuna.EConflict {
			t.Errorf("round key after destruction = %v, want EConflict (destroyed)", err)
		}
		doc, _ := pollbook.Normalize("V", docs[0])
		h := testPollBookKey.Hash(e.round.ID, doc)
		for _, c := range copied {
			if bytes.Equal(c, h[:]) {
				t.Errorf("the master key alone links document %s to a copied hash", docs[0])
			}
		}
		// A re-check-in of a destroyed document is refused as wrong_round
		// (the round is past voting) and stores nothing.
		var a checkInJSON
		e.api("POST", e.roundPath("/tables/T1/checkins"), "table", checkInBody(docs[0], "1990-05-01", "key-shred-again"), 200, &a)
		if a.Outcome != "wrong_round" {
			t.Errorf("re-check-in after destruction = %+v, want wrong_round", a)
		}
		if n := len(storedSecrets(t, db, e.round.ID)); n != 0 {
			t.Errorf("%d hashes or keys stored after destruction, want 0", n)
		}
	})
}

// storedSecrets returns the round's document hashes and wrapped key.
func storedSecrets(t *testing.T, db *sql.DB, roundID int64) [][]byte {
	t.Helper()
	var out [][]byte
	for _, q := range []string{"SELECT doc_hash FROM check_ins WHERE round_id = %d", "SELECT wrapped FROM pollbook_keys WHERE round_id = %d AND wrapped IS NOT NULL"} {
		rows, err := db.Query(fmt.Sprintf(q, roundID))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				t.Fatal(err)
			}
			out = append(out, b)
		}
		rows.Close()
	}
	return out
}

// dbFiles returns a function listing the files that hold the poll book:
// SQLite's main file, WAL and shared memory; PostgreSQL's files of
// check_ins, pollbook_keys and their indexes (read as they are after a
// VACUUM FULL). It returns nil where they cannot be read.
func dbFiles(t *testing.T, db *sql.DB) func() []string {
	t.Helper()
	var file string
	if err := db.QueryRow("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err == nil {
		return func() []string { return []string{file, file + "-wal", file + "-shm"} }
	}
	var dir string
	if err := db.QueryRow("SELECT current_setting('data_directory')").Scan(&dir); err != nil {
		return nil
	}
	if _, err := os.ReadDir(dir); err != nil {
		t.Logf("PostgreSQL's data directory %s cannot be read (%v): the files are not searched", dir, err)
		return nil
	}
	return func() []string {
		rows, err := db.Query(`SELECT pg_relation_filepath(c.oid) FROM pg_class c
			WHERE c.oid IN ('check_ins'::regclass, 'pollbook_keys'::regclass)
			   OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN ('check_ins'::regclass, 'pollbook_keys'::regclass))`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				t.Fatal(err)
			}
			// The main fork and its segments.
			matches, _ := filepath.Glob(filepath.Join(dir, p) + "*")
			out = append(out, matches...)
		}
		if _, err := db.Exec("CHECKPOINT"); err != nil {
			t.Fatal(err)
		}
		return out
	}
}

// countIn counts the occurrences of the secrets in the files.
func countIn(t *testing.T, files []string, secrets [][]byte) int {
	t.Helper()
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if c := bytes.Count(b, s); c > 0 {
				t.Logf("%s holds %d copies of %x", filepath.Base(f), c, s[:6])
				n += c
			}
		}
	}
	return n
}
