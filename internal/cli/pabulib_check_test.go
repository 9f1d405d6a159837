package cli

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/storetest"
)

// A pabulib file truncated at a line boundary, or with a voter twice, was
// imported (finding 13). Now it is refused naming the line and field, on
// both stores, and --lenient imports a count mismatch with a warning.
func TestImportPabulibChecked(t *testing.T) {
	good, err := os.ReadFile(sharedPabulib)
	if err != nil {
		t.Fatalf("the pabulib fixture is missing: %v", err)
	}
	lines := strings.SplitAfter(string(good), "\n")
	truncated := strings.Join(lines[:80], "") // VOTES starts on line 34: 45 of 84 votes
	dupVoter := string(good) + lines[len(lines)-2]
	if !strings.HasSuffix(lines[len(lines)-2], "\n") {
		t.Fatalf("the fixture's last vote line is %q", lines[len(lines)-2])
	}
	dsns := map[string]func(t *testing.T) string{
		"sqlite": tempDB,
		"postgres": func(t *testing.T) string {
			u, err := url.Parse(storetest.PostgresURL(t))
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			q.Set("search_path", storetest.TempSchema(t, u.String()))
			u.RawQuery = q.Encode()
			return u.String()
		},
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			db := dsn(t)
			dir := t.TempDir()
			write := func(file, text string) string {
				p := filepath.Join(dir, file)
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				return p
			}
			tests := []struct {
				file, text, want string
			}{
				{"truncated.pb", truncated, `line 8: field "num_votes": the file announces 84 votes but holds 45: it looks truncated`},
				{"dup.pb", dupVoter, `field "voter_id": voter`},
			}
			for _, tt := range tests {
				code, out, errOut := run(t, db, "", "import", "pabulib", write(tt.file, tt.text))
				if code == 0 || out != "" || !strings.Contains(errOut, "nothing was imported: "+tt.want) && !strings.Contains(errOut, tt.want) {
					t.Errorf("import %s = exit %d, stdout %q, stderr %q; want refused with %q", tt.file, code, out, errOut, tt.want)
				}
			}
			if _, rounds, _ := run(t, db, "", "export", "territory"); strings.Contains(rounds, "Assen") {
				t.Errorf("a refused import left units behind")
			}
			code, out, errOut := run(t, db, "", "import", "pabulib", "--lenient", write("lenient.pb", truncated))
			if code != 0 || !strings.Contains(out, "45 voters") || !strings.Contains(errOut, "warning:") {
				t.Errorf("import --lenient of the truncated file = exit %d, stdout %q, stderr %q; want imported with a warning", code, out, errOut)
			}
		})
	}
}
