package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/big"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/comuna/comuna/internal/pabulib"
	"github.com/comuna/comuna/internal/pb"
)

// allocFlags declares the rule flags shared by allocate and pbbench (whose
// expected.json records name them) and returns a function reading them.
func allocFlags(fs *flag.FlagSet) func() (pb.Options, error) {
	rule := fs.String("rule", "greedy", "rule: greedy, mes, phragmen or topk")
	sat := fs.String("sat", "", "satisfaction: cost, card, points or borda (default by vote type: approval cost, cumulative points, ordinal borda)")
	comp := fs.String("completion", "none", "MES completion: none, increase or add1")
	fill := fs.String("fill", "none", "spend what is left: none or greedy")
	k := fs.Int("k", 0, "number of winners for --rule topk")
	tie := fs.String("tiebreak", "", "comma-separated project ids in tie-break order (default: id as a string)")
	return func() (pb.Options, error) {
		o := pb.Options{Rule: pb.Rule(*rule), Sat: pb.Sat(*sat), Completion: pb.Completion(*comp), Fill: pb.Fill(*fill), K: *k}
		switch o.Rule {
		case pb.RuleGreedy, pb.RuleMES, pb.RulePhragmen, pb.RuleTopK:
		default:
			return o, fmt.Errorf("%w: unknown --rule %q", errUsage, *rule)
		}
		switch o.Sat {
		case "", pb.SatCost, pb.SatCard, pb.SatPoints, pb.SatBorda:
		default:
			return o, fmt.Errorf("%w: unknown --sat %q", errUsage, *sat)
		}
		switch o.Completion {
		case pb.CompletionNone, pb.CompletionIncrease, pb.CompletionAdd1:
		default:
			return o, fmt.Errorf("%w: unknown --completion %q", errUsage, *comp)
		}
		switch o.Fill {
		case pb.FillNone, pb.FillGreedy:
		default:
			return o, fmt.Errorf("%w: unknown --fill %q", errUsage, *fill)
		}
		if o.Rule == pb.RuleTopK && o.K <= 0 {
			return o, fmt.Errorf("%w: --rule topk needs --k N", errUsage)
		}
		if *tie != "" {
			o.TieBreak = strings.Split(*tie, ",")
		}
		return o, nil
	}
}

// runAllocate runs a participatory-budgeting rule on one pabulib file.
func runAllocate(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "allocate", "[--rule greedy|mes|phragmen|topk] [--sat cost|card|points|borda] [--completion none|increase|add1] [--fill none|greedy] [--k N] [--json] FILE.pb")
	options := allocFlags(fs)
	asJSON := fs.Bool("json", false, "print the outcome as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("%w: want one FILE.pb", errUsage)
	}
	opts, err := options()
	if err != nil {
		return err
	}
	path := fs.Arg(0)
	file, inst, prof, err := readElection(path)
	if err != nil {
		return err
	}
	out, err := pb.Allocate(inst, prof, opts)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if *asJSON {
		return writeOutcomeJSON(env.Stdout, file, inst, out)
	}
	return writeOutcomeTable(env.Stdout, file, inst, out)
}

// readElection parses a pabulib file into an instance and profile.
func readElection(path string) (*pabulib.File, *pb.Instance, *pb.Profile, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	defer fh.Close()
	file, err := pabulib.Read(fh)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	inst, prof, err := file.Election()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return file, inst, prof, nil
}

// selectedJSON is a selected project in `allocate --json`: its id, its
// name from the file's PROJECTS ("" when the file names none) and its
// cost, in the order the rule selected them.
type selectedJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Cost     string `json:"cost"`
	Position int    `json:"position"`
}

// writeOutcomeJSON prints the outcome: the selected ids, then each
// selected project with its name and cost, and every explanation.
func writeOutcomeJSON(w io.Writer, file *pabulib.File, inst *pb.Instance, out *pb.Outcome) error {
	doc := struct {
		Rule         pb.Rule                   `json:"rule"`
		Budget       string                    `json:"budget"`
		Selected     []string                  `json:"selected"`
		Projects     []selectedJSON            `json:"selected_projects"`
		Cost         string                    `json:"cost"`
		Explanations map[string]pb.Explanation `json:"explanations"`
	}{out.Rule, pabulib.FormatDecimal(inst.Budget), out.Selected, []selectedJSON{}, pabulib.FormatDecimal(out.Cost), out.Explanations}
	if doc.Selected == nil {
		doc.Selected = []string{}
	}
	index := make(map[string]int, len(inst.Projects))
	for i, p := range inst.Projects {
		index[p.ID] = i
	}
	for n, id := range out.Selected {
		i := index[id]
		doc.Projects = append(doc.Projects, selectedJSON{ID: id, Name: file.ProjectField(i, "name"),
			Cost: pabulib.FormatDecimal(inst.Projects[i].Cost), Position: n + 1})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// writeOutcomeTable prints one aligned row per project: the selected ones in
// selection order, then the others in file order.
func writeOutcomeTable(w io.Writer, file *pabulib.File, inst *pb.Instance, out *pb.Outcome) error {
	index := make(map[string]int, len(inst.Projects))
	for i, p := range inst.Projects {
		index[p.ID] = i
	}
	var rows []int
	done := make(map[int]bool)
	for _, id := range out.Selected {
		rows = append(rows, index[id])
		done[index[id]] = true
	}
	for i := range inst.Projects {
		if !done[i] {
			rows = append(rows, i)
		}
	}
	hasName := false
	for _, c := range file.ProjectColumns {
		if strings.EqualFold(c, "name") {
			hasName = true
		}
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "rule %s: %d of %d projects selected, cost %s of budget %s\n\n", out.Rule, len(out.Selected), len(inst.Projects), pabulib.FormatDecimal(out.Cost), pabulib.FormatDecimal(inst.Budget))
	header := "#\tid\t"
	if hasName {
		header += "name\t"
	}
	fmt.Fprintln(tw, header+"cost\tsupport\tselected\texplanation")
	for _, i := range rows {
		p := inst.Projects[i]
		e := out.Explanations[p.ID]
		pos, sel := "", "no"
		if e.Selected {
			pos, sel = fmt.Sprint(e.Position), "yes"
		}
		line := pos + "\t" + p.ID + "\t"
		if hasName {
			line += shorten(file.ProjectField(i, "name"), 40) + "\t"
		}
		fmt.Fprintf(tw, "%s%s\t%d\t%s\t%s\n", line, pabulib.FormatDecimal(p.Cost), e.Voters, sel, e.Text)
	}
	return tw.Flush()
}

// shorten cuts s to at most n runes, marking the cut, and flattens it to
// one line so a name cannot break the table.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// ratEqual compares an exact amount with its decimal text.
func ratEqual(r *big.Rat, s string) bool {
	x, ok := new(big.Rat).SetString(s)
	return ok && x.Cmp(r) == 0
}
