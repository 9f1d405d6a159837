package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/comuna/comuna/internal/pabulib"
	"github.com/comuna/comuna/internal/pbround"
	"github.com/comuna/comuna/internal/progress"
)

// runImportPabulib is `comuna import pabulib [--db DSN] [--as USERNAME] FILE.pb`.
func runImportPabulib(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "import pabulib", "[--db DSN] [--as USERNAME] [--lenient] FILE.pb")
	db := dbFlag(fs, env)
	lenient := fs.Bool("lenient", false, "import a file whose num_votes or num_projects disagree with its rows, with a warning")
	as := fs.String("as", "", "record the import and the round's phase moves as this user (default: the command line)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("%w: name one pabulib file", errUsage)
	}
	name := fs.Arg(0)
	in, err := os.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	var bar *progress.Bar
	if progress.IsTerminal(env.Stderr) {
		bar = progress.New(env.Stderr, "reading "+name, 0)
	}
	f, err := pabulib.Read(in)
	if err != nil {
		bar.Finish()
		return fmt.Errorf("%s: nothing was imported: %w", name, err)
	}
	warnings, err := f.Check(*lenient)
	if err != nil {
		bar.Finish()
		return fmt.Errorf("%s: nothing was imported: %w", name, err)
	}
	for _, w := range warnings {
		fmt.Fprintf(env.Stderr, "warning: %s: %s (imported anyway: --lenient)\n", name, w)
	}
	imp, err := pbround.Import(f)
	if err != nil {
		bar.Finish()
		return fmt.Errorf("%s: nothing was imported: %w", name, err)
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		bar.Finish()
		return err
	}
	defer st.Close()
	if *as != "" {
		u, err := st.UserByUsername(ctx, *as)
		if err != nil {
			bar.Finish()
			return err
		}
		imp.UserID = u.ID
	}
	bar.Stage("importing "+name, int64(len(f.Votes)))
	err = st.ImportPB(ctx, imp, func(n int) { bar.Set(int64(n)) })
	bar.Finish()
	if err != nil {
		return fmt.Errorf("%s: nothing was imported: %w", name, err)
	}
	a := imp.Round.Allocation
	fmt.Fprintf(env.Stdout, "imported %s as round %d %q: %d projects, %d voters, rule %s, budget %s %s\n",
		name, imp.Round.ID, imp.Round.Name, len(imp.Proposals), len(f.Votes), a.Rule, a.Budget.Plain(), imp.Round.Currency)
	return nil
}
