package refdata

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestSmallSet checks that the small reference set is in the repository,
// so the tests that use it pass on a fresh clone, and that every expected
// outcome names a file that is there.
func TestSmallSet(t *testing.T) {
	dir := Small(t, "pabulib")
	data, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatalf("the small reference set is missing: %v", err)
	}
	var recs []struct {
		File string `json:"file"`
	}
	if err := json.Unmarshal(data, &recs); err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 {
		t.Fatal("expected.json has no records")
	}
	for _, r := range recs {
		if _, err := os.Stat(filepath.Join(dir, r.File)); err != nil {
			t.Errorf("expected.json names %s: %v", r.File, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "SOURCES.md")); err != nil {
		t.Errorf("the small set's sources are not noted: %v", err)
	}
}

func TestFullFromEnv(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "pabulib"), 0o755)
	t.Setenv(EnvDir, dir)
	if got, want := Full(t, "pabulib"), filepath.Join(dir, "pabulib"); got != want {
		t.Errorf("Full = %q, want %q", got, want)
	}
}
