package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/audit"
	"github.com/comuna/comuna/internal/sqlite"
	"github.com/comuna/comuna/internal/storetest"
)

func TestAuditCommand(t *testing.T) {
	db := tempDB(t)
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	storetest.CountedRound(t, st)
	st.Close()

	code, out, errOut := run(t, db, "", "audit", "create", "--round", "1", "--seed", "31415926535897932384")
	if code != 0 || !strings.Contains(out, "created audit 1 of round 1") || !strings.Contains(out, "CI1") || !strings.Contains(out, "full-count") {
		t.Fatalf("audit create = exit %d\n%s\nstderr %s\nwant audit 1 with CI1 in a full count", code, out, errOut)
	}
	code, out, errOut = run(t, db, "", "audit", "draw", "--round", "1", "--seed", "2718", "--tables", "2")
	want := audit.Draw("2718", []string{"T1", "T2", "T3", "T4"}, 2)
	if code != 0 || !strings.Contains(out, "tables drawn:  "+strings.Join(want, " ")) {
		t.Fatalf("audit draw = exit %d\n%s\nstderr %s\nwant tables %v", code, out, errOut, want)
	}
	code, out, errOut = run(t, db, "", "audit", "status", "--audit", "1")
	if code != 0 || !strings.Contains(out, "audit 1 (risk-limiting) of round 1") {
		t.Fatalf("audit status = exit %d\n%s\nstderr %s", code, out, errOut)
	}
	if code, _, _ := run(t, db, "", "audit", "create", "--round", "1"); code != 1 {
		t.Errorf("audit create without a seed = exit %d, want 1", code)
	}
}
