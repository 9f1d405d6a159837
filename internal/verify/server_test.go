package verify_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/counting"
	"github.com/comuna/comuna/internal/logsource"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/storetest"
	"github.com/comuna/comuna/internal/translog"
	"github.com/comuna/comuna/internal/verify"
	"github.com/comuna/comuna/internal/web"
	"golang.org/x/mod/sumdb/note"
)

// published is a store serving a counted round through the real web
// server, with the log signed by a fresh key.
type published struct {
	db     *sqlstore.DB
	round  *comuna.Round
	signer note.Signer
	vkey   string
	state  string
}

func newPublished(t *testing.T, db *sqlstore.DB) *published {
	t.Helper()
	st := db
	r, _ := storetest.CountedRound(t, st)
	skey, vkey, err := translog.GenerateKey("comuna.test")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PublishLogKey(context.Background(), vkey); err != nil {
		t.Fatal(err)
	}
	return &published{db: db, round: r, signer: signer, vkey: vkey, state: filepath.Join(t.TempDir(), "state")}
}

// serve starts a new web server over the store, as a restarted Comuna
// would be, and returns its URL.
func (p *published) serve(t *testing.T) string {
	t.Helper()
	srv, err := web.New(web.Config{Store: p.db, VoteDay: p.db, Audits: p.db, Counting: counting.New(p.db), Log: p.db,
		LogSigner: p.signer, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

func (p *published) verify(t *testing.T, base string) *verify.Report {
	t.Helper()
	rep, err := verify.Run(context.Background(), verify.Config{Log: &logsource.HTTPSource{Base: base}, Keys: []string{p.vkey},
		StatePath: p.state, Results: &verify.HTTPResults{Base: base}})
	if err != nil {
		t.Fatalf("verify.Run(%s) = %v", base, err)
	}
	return rep
}

func text(r *verify.Report) string {
	var b bytes.Buffer
	r.WriteText(&b)
	return b.String()
}

// attack runs SQL behind Comuna's back: the SQLite statements or, on
// PostgreSQL, the others.
func (p *published) attack(t *testing.T, sqlite, postgres []string) {
	t.Helper()
	ctx := context.Background()
	stmts := postgres
	if _, err := p.db.SQL().ExecContext(ctx, "SELECT sqlite_version()"); err == nil {
		stmts = sqlite
	}
	for _, q := range stmts {
		if _, err := p.db.SQL().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func TestVerifyServerSQLite(t *testing.T) { testVerifyServer(t, storetest.SQLite(t)) }

func TestVerifyServerPostgres(t *testing.T) { testVerifyServer(t, storetest.Postgres(t)) }

// testVerifyServer verifies a round counted through the store and served
// by the web server, then edits one stored count with SQL (the published
// results then differ from the log: the verifier names the sheet), then
// edits the log record too (the verifier names the record).
func testVerifyServer(t *testing.T, st *sqlstore.DB) {
	ctx := context.Background()
	p := newPublished(t, st)
	base := p.serve(t)
	rep := p.verify(t, base)
	if !rep.OK() {
		t.Fatalf("verify on an honest round failed:\n%s", text(rep))
	}
	if len(rep.Rounds) != 1 || rep.Rounds[0].Sheets != 4 || rep.Rounds[0].Circuits != 3 || rep.Rounds[0].Compared != 3 ||
		rep.Rounds[0].Final != 3 || rep.Rounds[0].Totals.Valid != 33 {
		t.Fatalf("verify report:\n%s\nwant one round, 4 sheets, 3 circuits compared and final, 33 valid votes", text(rep))
	}

	idx, err := p.db.LogIndexOfSheet(ctx, p.round.ID, "T1", 1)
	if err != nil {
		t.Fatal(err)
	}
	p.attack(t,
		[]string{"DROP TRIGGER sheet_versions_no_update",
			`UPDATE sheet_versions SET sheet = replace(sheet, '"votes":[5,3,2]', '"votes":[5,9,2]') WHERE table_code = 'T1'`},
		[]string{"ALTER TABLE sheet_versions DISABLE TRIGGER sheet_versions_append_only",
			`UPDATE sheet_versions SET sheet = replace(sheet, '"votes":[5,3,2]', '"votes":[5,9,2]') WHERE table_code = 'T1'`})
	base = p.serve(t)
	rep = p.verify(t, base)
	if rep.OK() || rep.LogError != nil || len(rep.Mismatches) == 0 {
		t.Fatalf("verify after an edited count:\n%s\nwant mismatches", text(rep))
	}
	m := rep.Mismatches[0]
	if m.Circuit != "CI1" || m.Table != "T1" || m.Index != idx || !strings.Contains(m.Message, "[5 9 2]") {
		t.Fatalf("verify after an edited count: first mismatch %q, want circuit CI1, table T1, log record %d\n%s", m.Error(), idx, text(rep))
	}
	if out := text(rep); !strings.Contains(out, "table T1 (log record "+strconv.FormatInt(idx, 10)+")") || !strings.HasSuffix(out, "FAIL\n") {
		t.Fatalf("report = %s, want table T1 and its log record named, and FAIL", out)
	}

	// The attacker rewrites the log record to match: its leaf no longer
	// does, and the verifier names the record.
	data, err := p.db.LogRecord(ctx, idx)
	if err != nil {
		t.Fatal(err)
	}
	forged := bytes.Replace(data, []byte("\nvotes 5 3 2\n"), []byte("\nvotes 5 9 2\n"), 1)
	if bytes.Equal(forged, data) {
		t.Fatalf("record %d has no votes line to forge:\n%s", idx, data)
	}
	n := strconv.FormatInt(idx, 10)
	p.attack(t,
		[]string{"DROP TRIGGER log_records_no_update", "UPDATE log_records SET data = x'" + hex.EncodeToString(forged) + "' WHERE idx = " + n},
		[]string{"ALTER TABLE log_records DISABLE TRIGGER log_records_append_only",
			`UPDATE log_records SET data = '\x` + hex.EncodeToString(forged) + "' WHERE idx = " + n})
	rep = p.verify(t, base)
	if rep.OK() || rep.LogError == nil || len(rep.LogError.Records) != 1 || rep.LogError.Records[0] != idx {
		t.Fatalf("verify after a forged record:\n%s\nwant record %d named", text(rep), idx)
	}
	if out := text(rep); !strings.Contains(out, "record "+n+" does not match") {
		t.Fatalf("report = %s, want record %d named", out, idx)
	}
}
