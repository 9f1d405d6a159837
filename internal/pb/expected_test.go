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
)

// dataDir holds the shared pabulib fixtures; CI always has it, so a missing
// folder fails the tests rather than skipping them.
const dataDir = "../../../shared/pabulib"

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

func loadExpected(t testing.TB) []record {
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

func load(t testing.TB, name string) (*pb.Instance, *pb.Profile) {
	t.Helper()
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if e, ok := cache[name]; ok {
		return e.inst, e.prof
	}
	fh, err := os.Open(filepath.Join(dataDir, name))
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
	cache[name] = election{inst, prof}
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
	for _, rec := range loadExpected(t) {
		t.Run(strings.TrimSuffix(rec.File, ".pb")+"/"+rec.Label, func(t *testing.T) {
			inst, prof := load(t, rec.File)
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
