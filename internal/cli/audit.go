package cli

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/comuna/comuna/internal/audit"
	"github.com/comuna/comuna/internal/counting"
)

// auditCommands are the commands of 'comuna audit'.
var auditCommands = []subcommand{
	{"create", "start a risk-limiting audit of every circuit with the ceremony's seed"},
	{"draw", "draw tables nationally for a plain hand recount"},
	{"status", "show where an audit stands: tables to recount, discrepancies"},
}

// runAudit runs audits of the paper: create a risk-limiting audit, draw
// tables for a plain hand recount, or show where an audit stands.
func runAudit(ctx context.Context, env *Env, args []string) error {
	if done, err := groupHelp(env, "audit", auditCommands, args); done {
		return err
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet(env, "audit "+sub, "[flags]")
	db := dbFlag(fs, env)
	var roundID, auditID *int64
	var seed *string
	var risk *float64
	var tables *int
	switch sub {
	case "create":
		roundID = fs.Int64("round", 0, "the round's id")
		seed = fs.String("seed", "", "the public seed drawn at the ceremony, e.g. 20 dice digits")
		risk = fs.Float64("risk-limit", audit.DefaultRiskLimit*100, "the risk limit, in percent")
	case "draw":
		roundID = fs.Int64("round", 0, "the round's id")
		seed = fs.String("seed", "", "the public seed drawn at the ceremony")
		tables = fs.Int("tables", 0, "how many tables to draw nationally")
	case "status":
		auditID = fs.Int64("audit", 0, "the audit's id")
	default:
		return fmt.Errorf("%w: unknown audit command %q (want create, draw or status)", errUsage, sub)
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if auditID == nil && *roundID == 0 || auditID != nil && *auditID == 0 {
		return fmt.Errorf("%w: --round or --audit is required", errUsage)
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	c := counting.New(st)
	var rep *counting.AuditReport
	switch sub {
	case "create", "draw":
		a := &audit.Audit{RoundID: *roundID, Kind: audit.KindRisk, Seed: *seed}
		if sub == "draw" {
			a.Kind, a.Tables = audit.KindDraw, *tables
		} else {
			a.RiskLimit = *risk / 100
		}
		if rep, err = c.CreateAudit(ctx, a); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "created audit %d of round %d with seed %q\n", a.ID, a.RoundID, a.Seed)
	default:
		if rep, err = c.Audit(ctx, *auditID); err != nil {
			return err
		}
	}
	return writeAuditReport(env.Stdout, rep.Report)
}

// writeAuditReport prints an audit's state: the tables to recount and
// every discrepancy.
func writeAuditReport(w io.Writer, rep *audit.Report) error {
	a := rep.Audit
	var b strings.Builder
	fmt.Fprintf(&b, "audit %d (%s) of round %d, seed %q", a.ID, a.Kind, a.RoundID, a.Seed)
	if a.Kind == audit.KindRisk {
		fmt.Fprintf(&b, ", risk limit %g%%", a.RiskLimit*100)
	}
	b.WriteString("\n")
	if rep.Stale {
		b.WriteString("warning: a sheet was corrected after the audit was created\n")
	}
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	if d := rep.Draw; d != nil {
		fmt.Fprintf(tw, "tables drawn:\t%s\n", strings.Join(d.Tables, " "))
		fmt.Fprintf(tw, "to recount:\t%s\n", strings.Join(d.Pending, " "))
		writeDiscrepancies(tw, d.Discrepancies)
	}
	if len(rep.Circuits) > 0 {
		fmt.Fprintln(tw, "CIRCUIT\tOUTCOME\tP\tDRAWS\tTO RECOUNT\tREASON")
	}
	for _, c := range rep.Circuits {
		p := "inf"
		if !math.IsInf(c.Status.PValue, 0) {
			p = fmt.Sprintf("%.4f", c.Status.PValue)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", c.Circuit, c.Status.Outcome, p, c.Draws, strings.Join(c.Pending, " "), c.Status.Reason)
	}
	for _, c := range rep.Circuits {
		writeDiscrepancies(tw, c.Status.Discrepancies)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeDiscrepancies(w io.Writer, ds []audit.Discrepancy) {
	for _, d := range ds {
		fmt.Fprintf(w, "discrepancy at table %s:\treported %v, recounted %v, %d ballots found\n", d.Table, d.Reported, d.Recounted, d.Ballots)
	}
}
