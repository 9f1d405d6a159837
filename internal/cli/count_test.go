package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCountJSON(t *testing.T) {
	out, errs, code := runCLI(t, "count", "--rule", "scotland", "--json", "testdata/SC-Vm-12.blt")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Rule    string            `json:"rule"`
		Seats   int               `json:"seats"`
		Quota   string            `json:"quota"`
		Elected []string          `json:"elected"`
		Rounds  []json.RawMessage `json:"rounds"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	// the reference counter's record of this file under this rule
	if doc.Rule != "scotland" || doc.Seats != 3 || doc.Quota != "1001.00000" || !slices.Equal(doc.Elected, []string{"B", "A", "Z"}) || len(doc.Rounds) < 2 {
		t.Errorf("got %+v", doc)
	}
}

func TestCountText(t *testing.T) {
	out, errs, code := runCLI(t, "count", "--rule", "meek-prf", "--seats", "2", "testdata/SC-Vm-12.blt")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"rule meek-prf, 2 seats", "elected, in order of election:", "round 0: first"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCountBadInput(t *testing.T) {
	dir := t.TempDir()
	twice := filepath.Join(dir, "twice.blt")
	os.WriteFile(twice, []byte("3 1\n1 1 2 0\n1 2 3 2 0\n0\n\"a\"\n\"b\"\n\"c\"\n\"t\"\n"), 0o644)
	_, errs, code := runCLI(t, "count", "--rule", "wigm-prf", twice)
	if code != 1 || !strings.Contains(errs, "line 3") || !strings.Contains(errs, "twice") {
		t.Errorf("ranking twice: exit %d, %q", code, errs)
	}
	bad := filepath.Join(dir, "bad.blt")
	os.WriteFile(bad, []byte("3 x\n"), 0o644)
	_, errs, code = runCLI(t, "count", "--rule", "scotland", bad)
	if code != 1 || !strings.Contains(errs, "line 1") {
		t.Errorf("malformed: exit %d, %q", code, errs)
	}
	_, _, code = runCLI(t, "count", "--rule", "borda", bad)
	if code != 2 {
		t.Errorf("unknown rule: exit %d, want 2", code)
	}
}
