package web

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/logsource"
	"github.com/comuna/comuna/internal/translog"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// logEnv is voteEnv with the transparency log served and signed by a
// fresh key, published in the store.
func logEnv(t *testing.T) (*env, string) {
	t.Helper()
	e := voteEnv(t)
	skey, vkey, err := translog.GenerateKey("test.example")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.PublishLogKey(context.Background(), vkey); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(e.store)
	cfg.PollBookKey, cfg.Log, cfg.LogSigner = testPollBookKey, e.store, signer
	if e.srv, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	return e, vkey
}

func TestLogVerifiesOverHTTP(t *testing.T) {
	e, vkey := logEnv(t)
	ts := httptest.NewServer(e.srv.Handler())
	defer ts.Close()
	ctx := context.Background()
	// Three phase changes, CI1's ballot, then the round, its territory and
	// the move to voting.
	c, records, err := translog.Verify(ctx, &logsource.HTTPSource{Base: ts.URL}, []string{vkey}, nil)
	if err != nil || c.Tree.N != 7 || len(records) != 7 {
		t.Fatalf("Verify over HTTP = %+v, %d records, %v; want 7", c, len(records), err)
	}

	w := e.get("/log/keys", "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), vkey+"\n") {
		t.Errorf("GET /log/keys = %d %q, want the key", w.Code, w.Body.String())
	}
	keys, err := translog.ParseVerifierKeys(w.Body.Bytes())
	if err != nil || len(keys) != 1 {
		t.Errorf("ParseVerifierKeys(/log/keys) = %v, %v", keys, err)
	}
	w = e.get("/log/record/3", "")
	if w.Code != 200 || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") || !strings.HasPrefix(w.Body.String(), "comuna-record v1\nballot\n") {
		t.Errorf("GET /log/record/3 = %d %q %q, want the ballot, immutable", w.Code, w.Header().Get("Cache-Control"), w.Body.String())
	}
	w = e.get("/log/tile/8/0/000.p/7", "")
	if w.Code != 200 || w.Body.Len() != 7*tlog.HashSize || w.Header().Get("Cache-Control") != "no-cache" {
		t.Errorf("GET partial tile = %d, %d bytes, %q", w.Code, w.Body.Len(), w.Header().Get("Cache-Control"))
	}
	for _, path := range []string{"/log/record/7", "/log/record/01", "/log/record/x", "/log/tile/8/0/000", "/log/tile/8/0/000.p/8",
		"/log/tile/8/0/0.p/7", "/log/tile/4/0/000.p/7"} {
		if w := e.get(path, ""); w.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, w.Code)
		}
	}

	w = e.get("/log/proof/record/5?size=7", "")
	p, err := translog.ParseProof(w.Body.Bytes())
	if err == nil {
		err = tlog.CheckRecord(p, 7, c.Tree.Hash, 5, tlog.RecordHash(records[5]))
	}
	if w.Code != 200 || err != nil {
		t.Errorf("GET /log/proof/record/5 = %d %q: %v", w.Code, w.Body.String(), err)
	}
	w = e.get("/log/proof/tree?old=7&new=7", "")
	if tp, err := translog.ParseProof(w.Body.Bytes()); w.Code != 200 || err != nil || tlog.CheckTree(tp, 7, c.Tree.Hash, 7, c.Tree.Hash) != nil {
		t.Errorf("GET /log/proof/tree?old=7&new=7 = %d %q", w.Code, w.Body.String())
	}
	for path, want := range map[string]int{"/log/proof/tree?old=8": 400, "/log/proof/tree?old=1&new=9": 404, "/log/proof/tree?old=x": 400, "/log/proof/record/7?size=7": 400,
		"/log/proof/record/0?size=9": 404} {
		if w := e.get(path, ""); w.Code != want {
			t.Errorf("GET %s = %d, want %d", path, w.Code, want)
		}
	}

	// The round page publishes the key.
	if w := e.get(e.roundPath(""), ""); !strings.Contains(html.UnescapeString(w.Body.String()), vkey) {
		t.Errorf("the round page does not show the log's public key")
	}
}

func TestIntegrityPage(t *testing.T) {
	e, _ := logEnv(t)
	if w := e.get(e.roundPath("/integrity"), "observer"); w.Code != http.StatusForbidden {
		t.Errorf("GET integrity as observer = %d, want 403", w.Code)
	}
	if w := e.get(e.roundPath("/integrity"), "admin"); w.Code != 200 || !strings.Contains(w.Body.String(), "coincide") {
		t.Errorf("GET integrity = %d, want 200 and no problems\n%s", w.Code, w.Body.String())
	}
	db := e.store.SQL()
	if _, err := db.Exec("UPDATE proposals SET title = 'Otro' WHERE id = ?", e.proposal.ID); err != nil {
		t.Fatal(err)
	}
	w := e.get(e.roundPath("/integrity"), "admin")
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "CI1") || !strings.Contains(w.Body.String(), "/log/record/3") {
		t.Errorf("GET integrity after a renamed project = %d, want 409 naming CI1's ballot and record 3\n%s", w.Code, w.Body.String())
	}
}
