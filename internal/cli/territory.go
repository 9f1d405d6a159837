package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/progress"
	"github.com/comuna/comuna/internal/territorycsv"
)

// kind is one thing `comuna import` reads or `comuna export` writes, such
// as the territory. Adding a kind is one entry in importKinds or
// exportKinds; its run function gets the arguments after the kind's name.
type kind struct {
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// importKinds lists what `comuna import` reads.
var importKinds = map[string]kind{
	"territory":     {"the territory CSV: states down to councils, centres and tables", runImportTerritory},
	"pabulib":       {"a pabulib file (.pb) as a new participatory-budget round, in results", runImportPabulib},
	"disbursements": {"a bank statement's payments (CSV) to a round's funded projects, all or none", runImportDisbursements},
}

// exportKinds lists what `comuna export` writes.
var exportKinds = map[string]kind{
	"territory": {"the editable territory, or a round's frozen copy, as CSV", runExportTerritory},
	"pabulib":   {"a round's circuit, or every circuit, as pabulib files", runExportPabulib},
}

// runImport is `comuna import KIND …`.
func runImport(ctx context.Context, env *Env, args []string) error {
	return runKind(ctx, env, "import", importKinds, args)
}

// runExport is `comuna export KIND …`.
func runExport(ctx context.Context, env *Env, args []string) error {
	return runKind(ctx, env, "export", exportKinds, args)
}

// runKind dispatches to the kind named by the first argument.
func runKind(ctx context.Context, env *Env, verb string, kinds map[string]kind, args []string) error {
	names := make([]string, 0, len(kinds))
	for name := range kinds {
		names = append(names, name)
	}
	sort.Strings(names)
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		var b strings.Builder
		fmt.Fprintf(&b, "Usage: comuna %s <kind> [flags] …\n\nKinds:\n", verb)
		for _, name := range names {
			fmt.Fprintf(&b, "  %-14s %s\n", name, kinds[name].summary)
		}
		fmt.Fprintf(&b, "\nRun 'comuna %s <kind> -h' for a kind's flags.\n", verb)
		io.WriteString(env.Stderr, b.String())
		if len(args) == 0 {
			return fmt.Errorf("%w: name what to %s: %s", errUsage, verb, strings.Join(names, ", "))
		}
		return nil
	}
	k, ok := kinds[args[0]]
	if !ok {
		return fmt.Errorf("%w: cannot %s %q (want one of %s)", errUsage, verb, args[0], strings.Join(names, ", "))
	}
	return k.run(ctx, env, args[1:])
}

// runImportTerritory is `comuna import territory [--db DSN] FILE|-`.
func runImportTerritory(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "import territory", "[--db DSN] FILE|-")
	db := dbFlag(fs, env)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("%w: name one territory file, or - for standard input", errUsage)
	}
	name := fs.Arg(0)
	in := env.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	} else {
		name = "standard input"
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()

	var bar *progress.Bar
	if progress.IsTerminal(env.Stderr) {
		bar = progress.New(env.Stderr, "importing territory", 0)
	}
	src := &collectErrors{src: territorycsv.NewReader(in)}
	n, err := st.ImportUnits(ctx, src, func(n int) { bar.Set(int64(n)) })
	bar.Finish()
	if err != nil || len(src.errs) > 0 {
		return importError(name, src.errs, err)
	}
	fmt.Fprintf(env.Stdout, "imported %d units from %s\n", n, name)
	return nil
}

// maxRowErrors is how many bad rows one import reports before it stops.
const maxRowErrors = 50

// collectErrors passes on the good rows of a territory file and gathers
// the bad ones, so that one run reports every bad row. At the end of the
// file it fails if any row was bad, and the store then keeps nothing.
type collectErrors struct {
	src  comuna.UnitSource
	errs []*comuna.Error
}

// Next implements comuna.UnitSource.
func (c *collectErrors) Next() (comuna.Unit, int, error) {
	for {
		u, line, err := c.src.Next()
		if err == nil {
			return u, line, nil
		}
		if err == io.EOF {
			if len(c.errs) > 0 {
				return u, line, rowErrors(c.errs)
			}
			return u, line, io.EOF
		}
		var e *comuna.Error
		if !errors.As(err, &e) || e.Line == 0 {
			return u, line, err // an unreadable file
		}
		if n := len(c.errs); n > 0 && c.errs[n-1] == e {
			return u, line, rowErrors(c.errs) // the reader cannot go on (broken quoting, bad header)
		}
		c.errs = append(c.errs, e)
		if len(c.errs) == maxRowErrors {
			return u, line, rowErrors(c.errs)
		}
	}
}

// rowErrors is the bad rows of a file, in line order.
type rowErrors []*comuna.Error

func (rs rowErrors) Error() string {
	parts := make([]string, len(rs))
	for i, e := range rs {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// importFailure reports every error of a failed import, one per line,
// and unwraps to them so that the first one's code decides the exit.
type importFailure struct {
	name string
	errs []error
}

func (f *importFailure) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: nothing was imported", f.name)
	if len(f.errs) == 1 {
		b.WriteString(": " + f.errs[0].Error())
		return b.String()
	}
	fmt.Fprintf(&b, "; %d errors:", len(f.errs))
	for _, e := range f.errs {
		b.WriteString("\n  " + e.Error())
	}
	if len(f.errs) >= maxRowErrors {
		fmt.Fprintf(&b, "\n  (stopped after %d bad rows)", maxRowErrors)
	}
	return b.String()
}

func (f *importFailure) Unwrap() []error { return f.errs }

// importError merges the bad rows found while reading with the error
// that stopped the store (an unknown parent, say), in line order.
func importError(name string, rows []*comuna.Error, err error) error {
	f := &importFailure{name: name}
	for _, e := range rows {
		f.errs = append(f.errs, e)
	}
	var re rowErrors
	if err != nil && !errors.As(err, &re) {
		f.errs = append(f.errs, err)
	}
	sort.SliceStable(f.errs, func(i, j int) bool { return errLine(f.errs[i]) < errLine(f.errs[j]) })
	return f
}

func errLine(err error) int {
	var e *comuna.Error
	if errors.As(err, &e) && e.Line > 0 {
		return e.Line
	}
	return 1 << 30
}

// runExportTerritory is `comuna export territory [--db DSN] [--round N] [FILE|-]`.
func runExportTerritory(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "export territory", "[--db DSN] [--round N] [FILE|-]")
	db := dbFlag(fs, env)
	round := fs.Int64("round", 0, "export the frozen territory of this round instead of the editable one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return fmt.Errorf("%w: name at most one output file", errUsage)
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	var version int64
	if *round != 0 {
		r, err := st.Round(ctx, *round)
		if err != nil {
			return err
		}
		version = r.TerritoryVersion
	} else {
		v, err := st.EditableVersion(ctx)
		if err != nil {
			return err
		}
		version = v.ID
	}
	out := fs.Arg(0)
	if out == "" || out == "-" {
		_, err := writeTerritory(ctx, st, version, env.Stdout)
		return err
	}
	return writeFileAtomically(out, func(w io.Writer) error {
		n, err := writeTerritory(ctx, st, version, w)
		if err == nil {
			fmt.Fprintf(env.Stderr, "exported %d units to %s\n", n, out)
		}
		return err
	})
}

// writeTerritory writes one territory version as CSV and counts the units.
func writeTerritory(ctx context.Context, st comuna.Store, version int64, w io.Writer) (int, error) {
	cw := territorycsv.NewWriter(w)
	n := 0
	err := st.EachUnit(ctx, version, func(u comuna.Unit) error {
		n++
		return cw.Write(u)
	})
	if err != nil {
		return n, err
	}
	return n, cw.Flush()
}

// writeFileAtomically writes a file through a temporary file in the same
// directory, renamed into place only if write succeeds: a failed export
// never leaves half a file.
func writeFileAtomically(name string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}
