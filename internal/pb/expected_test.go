package pb_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/comuna/comuna/internal/pabulib"
	"github.com/comuna/comuna/internal/pb"
	"github.com/comuna/comuna/internal/refdata"
)

// The small reference set (testdata/pabulib) always runs; the full corpus
// runs when it is available (refdata.Full says in the output when not).

// record is one entry of expected.json.
type record struct {
	File     string   `json:"file"`
	Label    string   `json:"label"`
	Flags    string   `json:"flags"`
	Selected []string `json:"selected"`
	Order    []string `json:"order"`
	Total    string   `json:"total_cost"`
	Seconds  *float64 `json:"pabutools_seconds"`
}

func loadExpected(t testing.TB, dataDir string) []record {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dataDir, "expected.json"))
	if err != nil {
		t.Fatalf("expected.json: %v", err)
	}
	var recs []record
	if err := json.Unmarshal(data, &recs); err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 {
		t.Fatal("expected.json has no records")
	}
	return recs
}

type election struct {
	inst *pb.Instance
	prof *pb.Profile
}

var (
	cacheMu sync.Mutex
	cache   = map[string]election{}
)

// fullDir is the full corpus's pabulib folder; benchmarks skip without it.
func fullDir(b testing.TB) string {
	b.Helper()
	dir := refdata.Full(b, "pabulib")
	if dir == "" {
		b.Skip("the benchmarks run on the full reference corpus's largest files")
	}
	return dir
}

func load(t testing.TB, path string) (*pb.Instance, *pb.Profile) {
	t.Helper()
	name := filepath.Base(path)
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if e, ok := cache[path]; ok {
		return e.inst, e.prof
	}
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := pabulib.Read(fh)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	inst, prof, err := f.Election()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	cache[path] = election{inst, prof}
	return inst, prof
}

// parseFlags reads a record's flags the way comuna allocate does.
func parseFlags(t testing.TB, s string) pb.Options {
	t.Helper()
	fs := flag.NewFlagSet("allocate", flag.ContinueOnError)
	rule := fs.String("rule", "greedy", "")
	sat := fs.String("sat", "", "")
	comp := fs.String("completion", "none", "")
	fill := fs.String("fill", "none", "")
	k := fs.Int("k", 0, "")
	if err := fs.Parse(strings.Fields(s)); err != nil {
		t.Fatalf("flags %q: %v", s, err)
	}
	return pb.Options{Rule: pb.Rule(*rule), Sat: pb.Sat(*sat), Completion: pb.Completion(*comp), Fill: pb.Fill(*fill), K: *k}
}

func TestExpected(t *testing.T) {
	sets := []struct{ name, dir string }{{"small", refdata.Small(t, "pabulib")}}
	if full := refdata.Full(t, "pabulib"); full != "" {
		sets = append(sets, struct{ name, dir string }{"full", full})
	}
	for _, set := range sets {
		t.Run(set.name, func(t *testing.T) { testExpected(t, set.dir) })
	}
}

func testExpected(t *testing.T, dataDir string) {
	for _, rec := range loadExpected(t, dataDir) {
		t.Run(strings.TrimSuffix(rec.File, ".pb")+"/"+rec.Label, func(t *testing.T) {
			inst, prof := load(t, filepath.Join(dataDir, rec.File))
			opts := parseFlags(t, rec.Flags)
			out, err := pb.Allocate(inst, prof, opts)
			if err != nil {
				t.Fatalf("Allocate(%s): %v", rec.Flags, err)
			}
			if len(out.Explanations) != len(inst.Projects) {
				t.Errorf("%d explanations for %d projects", len(out.Explanations), len(inst.Projects))
			}
			if rec.Selected == nil {
				check(t, inst, prof, opts, out)
				return
			}
			got := slices.Clone(out.Selected)
			sort.Strings(got)
			if !slices.Equal(got, rec.Selected) {
				t.Fatalf("selected = %v, want %v", got, rec.Selected)
			}
			if opts.Rule != pb.RulePhragmen && !slices.Equal(out.Selected, rec.Order) {
				t.Errorf("order = %v, want %v", out.Selected, rec.Order)
			}
			if got := out.Cost.RatString(); got != rec.Total {
				t.Errorf("cost = %s, want %s", got, rec.Total)
			}
		})
	}
}
