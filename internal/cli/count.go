package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/comuna/comuna/internal/assemblies/blt"
	"github.com/comuna/comuna/internal/assemblies/stv"
)

// runCount counts a BLT ballot file under one rule and prints the elected in
// order of election and the round-by-round report.
func runCount(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "count", "--rule scotland|meek-prf|wigm-prf|plurality|approval [--seats N] [--alternates N] [--seed TEXT] [--json] FILE.blt")
	rule := fs.String("rule", "", "rule: scotland, meek-prf, wigm-prf, plurality or approval")
	seats := fs.Int("seats", 0, "seats to fill (default: the file's)")
	alternates := fs.Int("alternates", 0, "alternates to elect after the principals")
	seed := fs.String("seed", "", "the announced public seed whose lottery breaks ties (default: the file's order or its [tie] line, as the reference counter does)")
	asJSON := fs.Bool("json", false, "print the outcome as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("%w: want one FILE.blt", errUsage)
	}
	known := false
	for _, r := range stv.Rules {
		known = known || string(r) == *rule
	}
	if !known {
		return fmt.Errorf("%w: --rule must be one of scotland, meek-prf, wigm-prf, plurality, approval (got %q)", errUsage, *rule)
	}
	path := fs.Arg(0)
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	file, err := blt.Read(fh)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	e := stv.FromBLT(file)
	if *seats != 0 {
		if *seats < 1 || *seats > len(e.Names) {
			return fmt.Errorf("%w: --seats %d: want 1 to %d", errUsage, *seats, len(e.Names))
		}
		e.Seats = *seats
	}
	e.Alternates = *alternates
	if *seed != "" {
		e.TieOrder = stv.LotOrder(*seed, len(e.Names))
	}
	res, err := stv.Count(e, stv.Rule(*rule))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	rep := res.Report(e.Names)
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return writeCountReport(env.Stdout, file.Title, rep)
}

func writeCountReport(w io.Writer, title string, rep stv.Report) error {
	if title != "" {
		fmt.Fprintf(w, "%s\n", title)
	}
	fmt.Fprintf(w, "rule %s, %d seats", rep.Rule, rep.Seats)
	if rep.Quota != "" {
		fmt.Fprintf(w, ", quota %s", rep.Quota)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "\nelected, in order of election:")
	for i, n := range rep.Elected {
		fmt.Fprintf(w, "  %d. %s\n", i+1, n)
	}
	if len(rep.Alternates) > 0 {
		fmt.Fprintln(w, "alternates, in order:")
		for i, n := range rep.Alternates {
			fmt.Fprintf(w, "  %d. %s\n", i+1, n)
		}
	}
	for _, t := range rep.Ties {
		fmt.Fprintf(w, "tie: %s\n", t)
	}
	fmt.Fprintln(w, "\nrounds:")
	for _, rd := range rep.Rounds {
		line := fmt.Sprintf("round %d: %s", rd.Round, rd.Action)
		if rd.Candidate != "" {
			line += " " + rd.Candidate
		}
		if rd.Quota != "" {
			line += ", quota " + rd.Quota
		}
		if len(rd.Elected) > 0 {
			line += "; elected " + strings.Join(rd.Elected, ", ")
		}
		if len(rd.Excluded) > 0 {
			line += "; excluded " + strings.Join(rd.Excluded, ", ")
		}
		fmt.Fprintln(w, line)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		for _, v := range rd.Votes {
			fmt.Fprintf(tw, "    %s\t%s\t%s\t\n", v.Name, v.Votes, v.Transfer)
		}
		if rd.Exhausted != "" {
			fmt.Fprintf(tw, "    (exhausted)\t%s\t\t\n", rd.Exhausted)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}
