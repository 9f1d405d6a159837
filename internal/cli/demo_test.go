package cli

import (
	"strings"
	"testing"
)

func TestDemo(t *testing.T) {
	db := tempDB(t)
	code, out, errOut := run(t, db, "", "demo")
	if code != 0 {
		t.Fatalf("demo = exit %d, stderr %s", code, errOut)
	}
	for _, want := range []string{"Loaded the small demo", "36 circuits", "admin        comuna-admin", "mesa2        comuna-mesa2", "phase ballots", "phase proposals"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	for _, stage := range []string{"territory: done", "accounts: done", "round 1 proposals: done", "round 1 ballots: done", "round 2: done"} {
		if !strings.Contains(errOut, stage) {
			t.Errorf("demo progress lacks %q:\n%s", stage, errOut)
		}
	}
	code, _, errOut = run(t, db, "", "demo")
	if code != 1 || !strings.Contains(errOut, "already has 2 rounds") {
		t.Errorf("second demo = exit %d, stderr %q; want exit 1 and a refusal", code, errOut)
	}
}

func TestDemoUsage(t *testing.T) {
	for _, args := range [][]string{{"demo", "--scale", "huge"}, {"demo", "extra"}} {
		code, _, errOut := run(t, tempDB(t), "", args...)
		if code != 2 || errOut == "" {
			t.Errorf("comuna %s = exit %d, stderr %q; want exit 2 with a reason", strings.Join(args, " "), code, errOut)
		}
	}
}
