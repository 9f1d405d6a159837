package storetest

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/execution"
	"github.com/comuna/comuna/internal/record"
	"github.com/comuna/comuna/internal/sqlstore"
)

var executionTests = []struct {
	name string
	fn   func(t *testing.T, s *sqlstore.DB)
}{
	{"ExecutionLifecycle", testExecutionLifecycle},
	{"ExecutionInsider", testExecutionInsider},
	{"ExecutionStatement", testExecutionStatement},
	{"ExecutionReports", testExecutionReports},
}

// FundedRound is CountedRound moved to results, with CI1's first project
// funded: 10,000 USD paid in VES at 36.5. It returns the store as an
// execution.Store and the funded project.
func FundedRound(t *testing.T, s *sqlstore.DB) (execution.Store, *execution.Tracked) {
	t.Helper()
	ctx := context.Background()
	r, admin := CountedRound(t, s)
	ps, err := s.Proposals(ctx, comuna.ProposalFilter{RoundID: r.ID, Circuit: "CI1"})
	if err != nil || len(ps) == 0 {
		t.Fatalf("Proposals(CI1) = %v, %v", ps, err)
	}
	ref := execution.Ref{Round: r.ID, Proposal: ps[0].ID, Number: 1}
	if _, err := s.FundProject(ctx, ref, commitEvent("admin")); comuna.ErrorCode(err) != comuna.EConflict {
		t.Fatalf("FundProject while counting = %v, want conflict", err)
	}
	MoveTo(t, s, r, comuna.PhaseResults, admin.ID)
	p, err := s.FundProject(ctx, ref, commitEvent("admin"))
	if err != nil {
		t.Fatalf("FundProject() = %v", err)
	}
	return s, p
}

func commitEvent(by string) execution.Event {
	now := time.Now().UTC()
	d := func(days int) time.Time {
		return time.Date(now.Year(), now.Month(), now.Day()+days, 0, 0, 0, 0, time.UTC)
	}
	return execution.Event{Kind: execution.EvCommit, By: by, Executor: "Consejo comunal K1", Rank: 1,
		Commitment: execution.Commitment{Amount: 1_000_000, Currency: "USD", PaidIn: "VES", Rate: execution.MustRate("36.5"),
			RateSource: "BCV tasa oficial", RateDate: d(0)},
		Window: execution.Window{Start: d(0), End: d(90)}}
}

func payment(ref string, amount comuna.Cents) execution.Disbursement {
	return execution.Disbursement{Date: time.Now().UTC(), Amount: amount, Currency: "VES", Rate: execution.MustRate("36.5"),
		RateSource: "BCV", Payer: execution.FederalFund, Payee: "Consejo comunal K1", Reference: ref}
}

func testExecutionLifecycle(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	es, p := FundedRound(t, s)
	if _, err := es.FundProject(ctx, p.Ref, commitEvent("admin")); comuna.ErrorCode(err) != comuna.EConflict {
		t.Errorf("funding twice = %v, want conflict", err)
	}
	steps := []execution.Event{
		{Kind: execution.EvMilestone, By: "finanzas", Milestone: execution.Milestone{Title: "Techo", Weight: 1, Planned: time.Now().UTC().AddDate(0, 0, 10)}},
		{Kind: execution.EvDisbursement, By: "fondo", Disbursement: payment("TX-1", 36_500_000)},
		{Kind: execution.EvConfirm, By: "finanzas", Target: 1},
		{Kind: execution.EvStatus, By: "fondo", Status: execution.Transferred},
		{Kind: execution.EvStatus, By: "finanzas", Status: execution.InExecution},
		{Kind: execution.EvReview, By: "finanzas", Target: 1, Milestone: execution.Milestone{Status: execution.Met, Met: time.Now().UTC()}},
		{Kind: execution.EvStatus, By: "finanzas", Status: execution.Completed},
	}
	for _, e := range steps {
		if _, err := es.AppendEntry(ctx, p.ID, e); err != nil {
			t.Fatalf("AppendEntry(%s) = %v", e.Kind, err)
		}
	}
	got, err := es.FundedProject(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	sum := execution.Summarize(got.State.Project, time.Now())
	if sum.Status != execution.Completed || sum.Financial != 10000 || sum.Physical != 10000 {
		t.Errorf("summary = %+v, want completed at 100 %% physical and financial", sum)
	}
	if got, want := len(got.Entries), 8; got != want {
		t.Errorf("entries = %d, want %d", got, want)
	}
	// Every entry is in the transparency log, byte for byte as stored.
	for i, e := range got.Entries {
		data, err := s.LogRecord(ctx, got.Logged[i])
		if err != nil {
			t.Fatal(err)
		}
		r, err := record.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		x, ok := r.(*record.Execution)
		if !ok || x.Event.Seq != e.Seq || x.Event.Kind != e.Kind || x.Proposal != p.Proposal {
			t.Errorf("log record %d = %+v, want entry %d (%s)", got.Logged[i], r, e.Seq, e.Kind)
		}
	}
	list, err := es.FundedProjects(ctx, p.Round)
	if err != nil || len(list) != 1 || list[0].Key() != "CI1/1" {
		t.Errorf("FundedProjects() = %v, %v; want CI1/1", list, err)
	}
	if _, err := es.FundedProject(ctx, 9999); comuna.ErrorCode(err) != comuna.ENotFound {
		t.Errorf("FundedProject(9999) = %v, want not found", err)
	}
}

// testExecutionInsider attacks the money as insiders would: a fund officer
// confirming their own payment, and someone with the database rewriting
// an entry.
func testExecutionInsider(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	es, p := FundedRound(t, s)
	if _, err := es.AppendEntry(ctx, p.ID, execution.Event{Kind: execution.EvDisbursement, By: "fondo", Disbursement: payment("TX-1", 36_500_000)}); err != nil {
		t.Fatal(err)
	}
	if _, err := es.AppendEntry(ctx, p.ID, execution.Event{Kind: execution.EvConfirm, By: "fondo", Target: 1}); comuna.ErrorCode(err) != comuna.EForbidden {
		t.Errorf("the recorder confirming their own payment = %v, want forbidden", err)
	}
	bad := payment("TX-2", 100)
	bad.Rate = execution.Rate{}
	if _, err := es.AppendEntry(ctx, p.ID, execution.Event{Kind: execution.EvDisbursement, By: "fondo", Disbursement: bad}); comuna.ErrorCode(err) != comuna.EInvalid {
		t.Errorf("a payment without a rate = %v, want invalid", err)
	}
	got, err := es.FundedProject(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sum := execution.Sum(got.State.Commitment, got.State.Payments); sum.InCommit != 0 || sum.Pending != 1 || len(got.Entries) != 2 {
		t.Errorf("after refused entries: %+v, %d entries; want nothing counted, one payment pending, 2 entries", sum, len(got.Entries))
	}
	for _, q := range []string{
		"UPDATE execution_entries SET body = replace(body, '36500000', '99900000')",
		"DELETE FROM execution_entries",
	} {
		if _, err := s.SQL().ExecContext(ctx, q); err == nil {
			t.Errorf("%s: succeeded; execution entries must be append-only", q)
		}
	}
}

func testExecutionStatement(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	es, p := FundedRound(t, s)
	today := time.Now().UTC().Format("2006-01-02")
	header := "date,project,amount,currency,rate,rate_source,payer,payee,reference\n"
	good := today + ",CI1/1,182500.00,VES,36.5,BCV,federal_fund,Consejo comunal K1,TX-1\n"
	read := func(in string) func() (execution.StatementLine, error) {
		r := execution.NewStatementReader(strings.NewReader(in))
		return r.Next
	}
	// A good line, then a line naming no funded project, a bad currency and
	// a reference already used: nothing is imported, each line is named.
	in := header + good + today + ",CI9/1,1,VES,36.5,BCV,state,X,TX-2\n" + today + ",CI1/1,1,XYZ,,,state,X,TX-3\n" + strings.Replace(good, "182500.00", "1.00", 1)
	n, err := es.ImportStatement(ctx, p.Round, "fondo", read(in), nil)
	if err == nil || n != 0 {
		t.Fatalf("ImportStatement(bad) = %d, %v; want an error and nothing imported", n, err)
	}
	for _, want := range []string{"line 3: project", "line 4: currency", "line 5: reference"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("ImportStatement error %q lacks %q", err, want)
		}
	}
	if got, _ := es.FundedProject(ctx, p.ID); len(got.State.Payments) != 0 {
		t.Errorf("a failed import left %d payments", len(got.State.Payments))
	}
	var seen []int
	n, err = es.ImportStatement(ctx, p.Round, "fondo", read(header+good+strings.Replace(good, "TX-1", "TX-2", 1)), func(n int) { seen = append(seen, n) })
	if err != nil || n != 2 || len(seen) != 2 {
		t.Fatalf("ImportStatement(good) = %d, %v, progress %v; want 2", n, err, seen)
	}
	got, _ := es.FundedProject(ctx, p.ID)
	if sum := execution.Sum(got.State.Commitment, got.State.Payments); sum.Pending != 2 {
		t.Errorf("imported payments pending = %d, want 2 (awaiting the payee's confirmation)", sum.Pending)
	}
	var ce *comuna.Error
	_, err = es.ImportStatement(ctx, p.Round, "fondo", read("date,amount\n"), nil)
	if !errors.As(err, &ce) || ce.Line != 1 {
		t.Errorf("a bad header = %v, want an error on line 1", err)
	}
	_ = io.EOF
}

func testExecutionReports(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	es, p := FundedRound(t, s)
	if _, err := es.SubmitReport(ctx, p.ID, execution.Report{Text: "\u200b"}); comuna.ErrorCode(err) != comuna.EInvalid {
		t.Errorf("an empty report = %v, want invalid", err)
	}
	r1, err := es.SubmitReport(ctx, p.ID, execution.Report{Text: "la obra está parada hace semanas"})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := es.SubmitReport(ctx, p.ID, execution.Report{Text: "otra queja sobre lo mismo"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := es.HandleReport(ctx, p.ID, r2.ID, "contralor", execution.ReportAction{Dismiss: true, Reason: "no"}); comuna.ErrorCode(err) != comuna.EInvalid {
		t.Errorf("dismissing without a reason = %v, want invalid", err)
	}
	if _, err := es.HandleReport(ctx, p.ID, r2.ID, "contralor", execution.ReportAction{Dismiss: true, Reason: "duplica el reporte anterior"}); err != nil {
		t.Fatal(err)
	}
	tr, err := es.HandleReport(ctx, p.ID, r1.ID, "contralor", execution.ReportAction{Severity: execution.High})
	if err != nil || tr.State != execution.Triaged || tr.Finding != 1 {
		t.Fatalf("triage = %+v, %v", tr, err)
	}
	if _, err := es.HandleReport(ctx, p.ID, r1.ID, "contralor", execution.ReportAction{Dismiss: true, Reason: "ya se trató como hallazgo"}); comuna.ErrorCode(err) != comuna.EConflict {
		t.Errorf("handling a report twice = %v, want conflict", err)
	}
	got, _ := es.FundedProject(ctx, p.ID)
	if len(got.State.Findings) != 1 || got.State.Findings[0].Report != r1.ID || !got.State.Findings[0].IsOpen() {
		t.Errorf("findings = %+v, want one open finding from report %d", got.State.Findings, r1.ID)
	}
	rs, err := es.Reports(ctx, p.ID)
	if err != nil || len(rs) != 2 || rs[1].State != execution.Dismissed {
		t.Errorf("Reports() = %+v, %v", rs, err)
	}
}
