package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKeysCreateRotateList(t *testing.T) {
	dir := t.TempDir()
	key, db := filepath.Join(dir, "log.key"), filepath.Join(dir, "c.db")
	out, _, code := runCLI(t, "keys", "create", "--name", "comuna.test", "--out", key)
	if code != 0 || !strings.Contains(out, "comuna.test+") {
		t.Fatalf("keys create = %d %q", code, out)
	}
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v; want mode 0600", fi, err)
	}
	_, vkey, _, err := readLogKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, code := runCLI(t, "keys", "create", "--out", key); code != 1 {
		t.Errorf("keys create over an existing file = exit %d, want 1", code)
	}
	out, _, code = runCLI(t, "keys", "rotate", "--key-file", key, "--db", db)
	if code != 0 {
		t.Fatalf("keys rotate = %d %q", code, out)
	}
	_, newV, _, err := readLogKey(key)
	if err != nil || newV == vkey || !strings.HasPrefix(newV, "comuna.test+") {
		t.Fatalf("after rotate the file holds %q, %v; want a new comuna.test key", newV, err)
	}
	out, _, code = runCLI(t, "keys", "list", "--db", db)
	if code != 0 || out != vkey+"\n"+newV+"\n" && out != newV+"\n"+vkey+"\n" {
		t.Errorf("keys list = %d %q, want both keys", code, out)
	}
	out, _, code = runCLI(t, "check", "--db", db)
	if code != 0 || !strings.HasPrefix(out, "ok:") {
		t.Errorf("check on an empty database = %d %q, want ok", code, out)
	}
	if err := os.WriteFile(key, []byte("PRIVATE+KEY+x\n"+newV+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := readLogKey(key); err == nil {
		t.Error("readLogKey accepted a malformed signer key")
	}
}
