package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/comuna/comuna/internal/pabulib"
	"github.com/comuna/comuna/internal/pb"
)

// benchRecord is one entry of the reference outcomes file (expected.json).
type benchRecord struct {
	File     string   `json:"file"`
	Label    string   `json:"label"`
	Flags    string   `json:"flags"`
	Selected []string `json:"selected"`
	Order    []string `json:"order"`
	Total    string   `json:"total_cost"`
	Seconds  *float64 `json:"pabutools_seconds"`
}

// benchRow is one line of the pbbench table.
type benchRow struct {
	File      string   `json:"file"`
	Label     string   `json:"label"`
	Comuna    float64  `json:"comuna_seconds"`
	Runs      int      `json:"runs"`
	Pabutools *float64 `json:"pabutools_seconds"`
	Speedup   float64  `json:"speedup,omitempty"`
	Match     string   `json:"match"`
}

// pabutoolsTimeout is how long the reference was given before a record was
// marked as not finished.
const pabutoolsTimeout = 600

// runPBBench times every record of expected.json, parse included, and
// compares the outcomes with the reference.
func runPBBench(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "pbbench", "[--expected FILE] [--json] [--min-time D] DIR")
	expected := fs.String("expected", "", "reference outcomes (default DIR/expected.json)")
	asJSON := fs.Bool("json", false, "print the rows as JSON")
	minTime := fs.Duration("min-time", 200*time.Millisecond, "repeat each record until it has run this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("%w: want one DIR", errUsage)
	}
	dir := fs.Arg(0)
	if *expected == "" {
		*expected = filepath.Join(dir, "expected.json")
	}
	data, err := os.ReadFile(*expected)
	if err != nil {
		return err
	}
	var recs []benchRecord
	if err := json.Unmarshal(data, &recs); err != nil {
		return fmt.Errorf("%s: %w", *expected, err)
	}
	files := map[string][]byte{}
	var rows []benchRow
	mismatches := 0
	for _, rec := range recs {
		if err := ctx.Err(); err != nil {
			return err
		}
		raw, ok := files[rec.File]
		if !ok {
			if raw, err = os.ReadFile(filepath.Join(dir, rec.File)); err != nil {
				return err
			}
			files[rec.File] = raw
		}
		row, err := benchOne(raw, rec, *minTime)
		if err != nil {
			return fmt.Errorf("%s %s: %w", rec.File, rec.Label, err)
		}
		if row.Match == "NO" {
			mismatches++
		}
		rows = append(rows, row)
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			return err
		}
	} else {
		writeBenchTable(env, rows)
	}
	if mismatches > 0 {
		return fmt.Errorf("%d of %d outcomes differ from the reference", mismatches, len(rows))
	}
	return nil
}

// benchOne times one record: parse, conversion and rule, repeated until
// minTime has passed.
func benchOne(raw []byte, rec benchRecord, minTime time.Duration) (benchRow, error) {
	fs := flag.NewFlagSet("flags", flag.ContinueOnError)
	fs.SetOutput(&bytes.Buffer{})
	options := allocFlags(fs)
	if err := fs.Parse(strings.Fields(rec.Flags)); err != nil {
		return benchRow{}, err
	}
	opts, err := options()
	if err != nil {
		return benchRow{}, err
	}
	row := benchRow{File: rec.File, Label: rec.Label, Pabutools: rec.Seconds}
	var out *pb.Outcome
	start := time.Now()
	for row.Runs == 0 || time.Since(start) < minTime {
		f, err := pabulib.Read(bytes.NewReader(raw))
		if err != nil {
			return row, err
		}
		inst, prof, err := f.Election()
		if err != nil {
			return row, err
		}
		if out, err = pb.Allocate(inst, prof, opts); err != nil {
			return row, err
		}
		row.Runs++
	}
	row.Comuna = time.Since(start).Seconds() / float64(row.Runs)
	ref := pabutoolsTimeout * 1.0
	if rec.Seconds != nil {
		ref = *rec.Seconds
	}
	row.Speedup = ref / row.Comuna
	switch {
	case rec.Selected == nil:
		row.Match = "n/a"
	case sameOutcome(out, rec, opts.Rule):
		row.Match = "yes"
	default:
		row.Match = "NO"
	}
	return row, nil
}

// sameOutcome compares the selected set, the order where the rule defines
// one (pabutools sorts Phragmén's outcome by id) and the total cost.
func sameOutcome(out *pb.Outcome, rec benchRecord, rule pb.Rule) bool {
	got := slices.Clone(out.Selected)
	sort.Strings(got)
	if !slices.Equal(got, rec.Selected) {
		return false
	}
	if rule != pb.RulePhragmen && !slices.Equal(out.Selected, rec.Order) {
		return false
	}
	return rec.Total == "" || ratEqual(out.Cost, rec.Total)
}

func writeBenchTable(env *Env, rows []benchRow) {
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\trule\tcomuna\tpabutools\tspeed-up\tmatch\t")
	for _, r := range rows {
		pt, sp := "> 600 s", fmt.Sprintf("> %s", ratio(r.Speedup))
		if r.Pabutools != nil {
			pt, sp = seconds(*r.Pabutools), ratio(r.Speedup)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", strings.TrimSuffix(r.File, ".pb"), r.Label, seconds(r.Comuna), pt, sp, r.Match)
	}
	tw.Flush()
}

// seconds formats a duration given in seconds with three significant digits.
func seconds(s float64) string {
	switch {
	case s >= 1:
		return fmt.Sprintf("%.3g s", s)
	case s >= 1e-3:
		return fmt.Sprintf("%.3g ms", s*1e3)
	}
	return fmt.Sprintf("%.3g µs", s*1e6)
}

func ratio(x float64) string {
	if x >= 100 {
		return fmt.Sprintf("%.0f×", x)
	}
	return fmt.Sprintf("%.1f×", x)
}
