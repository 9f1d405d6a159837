package cli

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/sqlite"
	"github.com/comuna/comuna/internal/storetest"
	"github.com/comuna/comuna/internal/translog"
	"github.com/comuna/comuna/internal/web"
	"golang.org/x/mod/sumdb/note"
)

// countedServer serves a round counted through a SQLite store in db, with
// its log signed by a fresh key published at /log/keys.
func countedServer(t *testing.T, db string) string {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	storetest.CountedRound(t, st)
	skey, vkey, err := translog.GenerateKey("comuna.test")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PublishLogKey(ctx, vkey); err != nil {
		t.Fatal(err)
	}
	cfg := serverConfig(st)
	cfg.LogSigner, cfg.Logger = signer, slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

func TestVerifyCommand(t *testing.T) {
	base := countedServer(t, tempDB(t))
	dir := filepath.Join(t.TempDir(), "copy")
	state := filepath.Join(t.TempDir(), "state")
	code, out, errOut := run(t, "", "", "verify", "--url", base, "--mirror", dir, "--state", state)
	if code != 0 || !strings.Contains(out, "mirrored 14 records") || !strings.Contains(out, "PASS") {
		t.Fatalf("verify --url --mirror = exit %d\n%s\nstderr %s\nwant PASS", code, out, errOut)
	}
	if _, err := os.Stat(state); err != nil {
		t.Fatalf("verify saved no state: %v", err)
	}
	// Offline, from the copy, with the keys saved next to it.
	code, out, errOut = run(t, "", "", "verify", "--dir", dir)
	if code != 0 || !strings.Contains(out, "3 compared with the published results") {
		t.Fatalf("verify --dir = exit %d\n%s\nstderr %s", code, out, errOut)
	}
	if _, err := os.Stat(dir + ".verify-state"); err != nil {
		t.Fatalf("verify --dir saved no state next to the copy: %v", err)
	}
	// The copy's published results are changed: the table is named.
	name := filepath.Join(dir, "results", "1", "circuit", "CI1.json")
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Node     json.RawMessage  `json:"node"`
		Children []map[string]any `json:"children"`
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Children {
		if c["code"] == "T1" {
			c["votes"] = []int{5, 3, 3}
		}
	}
	if b, err = json.Marshal(res); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run(t, "", "", "verify", "--dir", dir)
	if code != 1 || !strings.Contains(out, "circuit CI1, table T1 (log record") || !strings.Contains(errOut, "FAILED") {
		t.Fatalf("verify --dir (edited results) = exit %d\n%s\nstderr %s\nwant 1 naming table T1", code, out, errOut)
	}
	if code, _, errOut := run(t, "", "", "verify"); code != 2 {
		t.Errorf("verify without --url or --dir = exit %d (%s), want 2", code, errOut)
	}
}
