package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/sqlite"
	"github.com/comuna/comuna/internal/storetest"
)

// fundedDB makes a SQLite file holding a round in results with CI1/1
// funded, and returns its path and the round's id.
func fundedDB(t *testing.T) (string, int64) {
	t.Helper()
	path := tempDB(t)
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	_, p := storetest.FundedRound(t, db)
	db.Close()
	return path, p.Round
}

func TestImportDisbursements(t *testing.T) {
	db, round := fundedDB(t)
	today := time.Now().UTC().Format("2006-01-02")
	header := "date,project,amount,currency,rate,rate_source,payer,payee,reference\n"
	line := func(ref, amount string) string {
		return fmt.Sprintf("%s,CI1/1,%s,VES,36.5,BCV tasa oficial,federal_fund,Consejo comunal K1,%s\n", today, amount, ref)
	}
	r := fmt.Sprint(round)

	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte(header+line("TX-1", "100000.00")+line("TX-2", "12.505")), 0o600)
	code, out, errOut := run(t, db, "", "import", "disbursements", "--round", r, "--as", "admin", bad)
	if code == 0 || !strings.Contains(errOut, "line 3: amount") || !strings.Contains(errOut, "nothing was imported") {
		t.Errorf("a bad statement = exit %d, %q, %q; want a failure naming line 3's amount", code, out, errOut)
	}

	code, out, errOut = run(t, db, header+line("TX-1", "100000.00")+line("TX-2", "82500.00"), "import", "disbursements", "--round", r, "--as", "admin", "-")
	if code != 0 || !strings.Contains(out, "imported 2 disbursements") {
		t.Fatalf("import = exit %d, %q, %q; want 2 imported", code, out, errOut)
	}
	// The same statement again: every reference is known, nothing changes.
	code, _, errOut = run(t, db, header+line("TX-1", "100000.00"), "import", "disbursements", "--round", r, "--as", "admin", "-")
	if code == 0 || !strings.Contains(errOut, "line 2: reference") {
		t.Errorf("a replayed statement = exit %d, %q; want a refusal naming line 2", code, errOut)
	}
	if code, _, errOut := run(t, db, "", "import", "disbursements", "--round", r, "-"); code != 2 || !strings.Contains(errOut, "--as") {
		t.Errorf("without --as = exit %d, %q; want a usage error", code, errOut)
	}
}
