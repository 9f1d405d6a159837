package execution

import (
	"errors"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func field(err error) string {
	var e *comuna.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in, want string
		field    string // "" when it parses
	}{
		{"36.5", "36.5", ""},
		{" 40.12345678 ", "40.12345678", ""},
		{"1", "1", ""},
		{"36.50", "36.5", ""},
		{"0", "", "rate"},
		{"0.0", "", "rate"},
		{"-3", "", "rate"},
		{"1,5", "", "rate"},
		{"1.123456789", "", "rate"},
		{"", "", "rate"},
		{".5", "", "rate"},
		{"5.", "", "rate"},
		{"1e3", "", "rate"},
	}
	for _, tt := range tests {
		r, err := ParseRate("rate", tt.in)
		if tt.field != "" {
			if field(err) != tt.field {
				t.Errorf("ParseRate(%q) = %v, %v; want an error on field %q", tt.in, r, err, tt.field)
			}
			continue
		}
		if err != nil || r.String() != tt.want {
			t.Errorf("ParseRate(%q) = %q, %v; want %q", tt.in, r, err, tt.want)
		}
	}
}

func TestRateConvert(t *testing.T) {
	tests := []struct {
		rate       string
		paid, want comuna.Cents
	}{
		{"36.5", 36500000, 1000000}, // 365,000.00 VES at 36.5 = 10,000.00 USD
		{"3", 100, 33},              // 1.00 / 3 = 0.333…
		{"3", 200, 67},              // 2.00 / 3 = 0.666… rounds up
		{"1", 12345, 12345},
		{"40.12345678", 401234568, 10000000},
	}
	for _, tt := range tests {
		if got := MustRate(tt.rate).Convert(tt.paid); got != tt.want {
			t.Errorf("Rate(%s).Convert(%d) = %d, want %d", tt.rate, tt.paid, got, tt.want)
		}
	}
	if got := MustRate("36.5").Apply(1000000); got != 36500000 {
		t.Errorf("Apply = %d, want 36500000", got)
	}
	if got := (Rate{}).Convert(100); got != 0 {
		t.Errorf("zero Rate converts to %d, want 0", got)
	}
}

func TestParseCurrency(t *testing.T) {
	for _, ok := range []string{"USD", "ves", " EUR "} {
		if _, err := ParseCurrency("currency", ok); err != nil {
			t.Errorf("ParseCurrency(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "XXY", "US", "dollars", "BTC"} {
		if _, err := ParseCurrency("currency", bad); field(err) != "currency" {
			t.Errorf("ParseCurrency(%q) = %v, want an error on currency", bad, err)
		}
	}
}

func TestCleanReason(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"the contractor abandoned the site", "the contractor abandoned the site", true},
		{"  falta  de\tmateriales  ahora ", "falta de materiales ahora", true},
		{"\u200b\u200b\u200b\u200b\u200b", "", false},
		{"no\u200b \u200b", "", false},
		{"lluvias", "", false},
		{"a\u200bb c d", "ab c d", true},
	}
	for _, tt := range tests {
		got, err := CleanReason("reason", tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("CleanReason(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestCheckChange(t *testing.T) {
	d1, d2, d3 := day("2027-01-10"), day("2027-02-01"), day("2027-03-01")
	var h []StatusChange
	add := func(c StatusChange) error {
		c2, err := CheckChange(h, c)
		if err == nil {
			h = append(h, c2)
		}
		return err
	}
	if err := add(StatusChange{Status: Transferred, At: d1, By: "a"}); field(err) != "status" {
		t.Fatalf("a first entry other than committed: %v, want a status error", err)
	}
	if err := add(StatusChange{Status: Committed, At: d1, By: "fondo"}); err != nil {
		t.Fatal(err)
	}
	if err := add(StatusChange{Status: Completed, At: d2, By: "fondo"}); field(err) != "status" {
		t.Errorf("committed → completed: %v, want refused", err)
	}
	if err := add(StatusChange{Status: Suspended, At: d2, By: "fondo", Reason: "\u200b\u200b"}); field(err) != "reason" {
		t.Errorf("suspension without a real reason: %v, want refused", err)
	}
	if err := add(StatusChange{Status: Transferred, At: d2, By: "fondo"}); err != nil {
		t.Fatal(err)
	}
	if err := add(StatusChange{Status: InExecution, At: d1, By: "fondo"}); field(err) != "at" {
		t.Errorf("a change dated before the previous: %v, want refused", err)
	}
	// The transfer was a mistake: corrected to a suspension by a new entry.
	if err := add(StatusChange{Status: Suspended, At: d3, By: "admin", Corrects: 1, Reason: "funds never arrived at the bank"}); field(err) != "corrects" {
		t.Errorf("correcting an entry that is not the latest: %v, want refused", err)
	}
	if err := add(StatusChange{Status: Suspended, At: d3, By: "admin", Corrects: 2, Reason: "funds never arrived at the bank"}); err != nil {
		t.Fatal(err)
	}
	if got, want := Current(h), Suspended; got != want {
		t.Errorf("Current = %s, want %s", got, want)
	}
	if got, want := len(h), 3; got != want {
		t.Errorf("history has %d entries, want %d (the corrected one is kept)", got, want)
	}
	if got, want := len(Effective(h)), 2; got != want {
		t.Errorf("effective entries = %d, want %d", got, want)
	}
	if got := Since(h); !got.Equal(d3) {
		t.Errorf("Since = %v, want %v", got, d3)
	}
	if err := add(StatusChange{Status: Cancelled, At: d3, By: "admin", Reason: "the community chose another site"}); err != nil {
		t.Fatal(err)
	}
	if err := add(StatusChange{Status: InExecution, At: d3, By: "admin"}); field(err) != "status" {
		t.Errorf("a cancelled project moving on: %v, want refused", err)
	}
}

func TestPhysicalProgress(t *testing.T) {
	ms := []Milestone{
		{Weight: 2, Status: Met}, {Weight: 1, Status: PartiallyMet}, {Weight: 1, Status: Scheduled},
	}
	tests := []struct {
		ms       []Milestone
		reviewed Percent
		want     string
	}{
		{ms, -1, "50"},
		{ms, 7250, "72.5"},
		{nil, -1, "0"},
		{[]Milestone{{Weight: 1, Status: Met}, {Weight: 2, Status: NotMet}}, -1, "33.3"},
		{[]Milestone{{Weight: 3, Status: Met}}, -1, "100"},
	}
	for _, tt := range tests {
		if got := PhysicalProgress(tt.ms, tt.reviewed).String(); got != tt.want {
			t.Errorf("PhysicalProgress(%v, %d) = %s, want %s", tt.ms, tt.reviewed, got, tt.want)
		}
	}
}

func TestMilestoneValidate(t *testing.T) {
	w := Window{Start: day("2027-01-01"), End: day("2027-06-30")}
	good := Milestone{Title: "Foundations", Weight: 1, Status: Scheduled, Planned: day("2027-02-01")}
	tests := []struct {
		name  string
		edit  func(*Milestone)
		field string
	}{
		{"good", func(*Milestone) {}, ""},
		{"before the project", func(m *Milestone) { m.Planned = day("2026-12-01") }, "planned"},
		{"no title", func(m *Milestone) { m.Title = " " }, "title"},
		{"zero weight", func(m *Milestone) { m.Weight = 0 }, "weight"},
		{"met without a date", func(m *Milestone) { m.Status = Met }, "met"},
		{"a date without met", func(m *Milestone) { m.Met = day("2027-02-02") }, "met"},
		{"unknown status", func(m *Milestone) { m.Status = "done" }, "status"},
	}
	for _, tt := range tests {
		m := good
		tt.edit(&m)
		if got := field(m.Validate(w)); got != tt.field {
			t.Errorf("%s: error on field %q, want %q", tt.name, got, tt.field)
		}
	}
}

func TestDisbursements(t *testing.T) {
	c := Commitment{Amount: 1000000, Currency: "USD", PaidIn: "VES", Rate: MustRate("36.5"),
		RateSource: "BCV tasa oficial", RateDate: day("2027-01-05")}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if got, want := c.InPaidCurrency(), (Money{36500000, "VES"}); got != want {
		t.Errorf("InPaidCurrency = %v, want %v", got, want)
	}
	good := Disbursement{Date: day("2027-01-20"), Amount: 18250000, Currency: "VES", Rate: MustRate("36.5"),
		RateSource: "BCV", Payer: FederalFund, Payee: "Consejo comunal", Reference: "TX-1", RecordedBy: "fondo"}
	tests := []struct {
		name  string
		edit  func(*Disbursement)
		field string
	}{
		{"good", func(*Disbursement) {}, ""},
		{"unknown currency", func(d *Disbursement) { d.Currency = "XYZ" }, "currency"},
		{"rate of zero", func(d *Disbursement) { d.Rate = Rate{} }, "rate"},
		{"no rate source", func(d *Disbursement) { d.RateSource = "" }, "rate_source"},
		{"before the commitment", func(d *Disbursement) { d.Date = day("2027-01-01") }, "date"},
		{"in the future", func(d *Disbursement) { d.Date = day("2027-03-01") }, "date"},
		{"unknown payer", func(d *Disbursement) { d.Payer = "bank" }, "payer"},
		{"negative", func(d *Disbursement) { d.Amount = -5 }, "amount"},
		{"no reference", func(d *Disbursement) { d.Reference = "" }, "reference"},
		{"same currency needs no rate", func(d *Disbursement) { d.Currency, d.Rate, d.RateSource = "USD", Rate{}, "" }, ""},
	}
	for _, tt := range tests {
		d := good
		tt.edit(&d)
		if got := field(d.Validate(c, day("2027-01-05"), day("2027-02-01"))); got != tt.field {
			t.Errorf("%s: error on field %q, want %q", tt.name, got, tt.field)
		}
	}

	if err := CanConfirm(good, "fondo"); comuna.ErrorCode(err) != comuna.EForbidden {
		t.Errorf("the recorder confirming: %v, want forbidden", err)
	}
	if err := CanConfirm(good, "finanzas"); err != nil {
		t.Errorf("the payee confirming: %v", err)
	}
	confirmed := good
	confirmed.ConfirmedBy = "finanzas"
	if err := CanConfirm(confirmed, "otro"); comuna.ErrorCode(err) != comuna.EConflict {
		t.Errorf("confirming twice: %v, want conflict", err)
	}
	usd := Disbursement{Amount: 100000, Currency: "USD", ConfirmedBy: "finanzas"}
	tot := Sum(c, []Disbursement{confirmed, good, usd})
	if tot.InCommit != 500000+100000 || tot.Paid["VES"] != 18250000 || tot.Paid["USD"] != 100000 || tot.Pending != 1 {
		t.Errorf("Sum = %+v, want 6,000.00 USD committed-equivalent, 182,500.00 VES and 1,000.00 USD paid, 1 pending", tot)
	}
	if got, want := tot.Financial.String(), "60"; got != want {
		t.Errorf("financial progress = %s %%, want %s %%", got, want)
	}
}

func TestLateAndSummary(t *testing.T) {
	p := Project{
		Commitment: Commitment{Amount: 1000000, Currency: "USD"},
		Window:     Window{Start: day("2027-01-01"), End: day("2027-03-31")},
		History:    []StatusChange{{Seq: 1, Status: Committed, At: day("2027-01-01")}, {Seq: 2, Status: InExecution, At: day("2027-01-15")}},
		Milestones: []Milestone{{Weight: 1, Status: Met, Planned: day("2027-02-01")}, {Weight: 1, Status: Scheduled, Planned: day("2027-03-01")}},
		Findings:   []Finding{{State: Open}, {State: Resolved}, {State: Escalated}},
		Reviewed:   -1,
	}
	tests := []struct {
		day  string
		late bool
	}{
		{"2027-02-15", false},
		{"2027-03-01", false}, // due that day
		{"2027-03-02", true},  // a milestone overdue
	}
	for _, tt := range tests {
		if got := Late(p, day(tt.day)); got != tt.late {
			t.Errorf("Late on %s = %v, want %v", tt.day, got, tt.late)
		}
	}
	p.Milestones[1].Status, p.Milestones[1].Met = Met, day("2027-02-20")
	if Late(p, day("2027-03-31")) {
		t.Errorf("late on its planned end day with every milestone met")
	}
	if !Late(p, day("2027-04-01")) {
		t.Errorf("not late after its planned end while in execution")
	}
	p.History = append(p.History, StatusChange{Seq: 3, Status: Completed, At: day("2027-04-10")})
	if Late(p, day("2027-05-01")) {
		t.Errorf("a completed project is late")
	}
	s := Summarize(p, day("2027-05-01"))
	if s.Status != Completed || s.Physical != 10000 || s.OpenFindings != 2 {
		t.Errorf("Summarize = %+v, want completed, 100 %% physical, 2 open findings", s)
	}
	d := NewDashboard()
	d.Add(s)
	d2 := NewDashboard()
	d2.Add(Summarize(Project{Commitment: Commitment{Amount: 1000000, Currency: "USD"}, Reviewed: -1,
		History: []StatusChange{{Seq: 1, Status: Committed, At: day("2027-01-01")}}}, day("2027-05-01")))
	d.Merge(d2)
	if d.Projects != 2 || d.ByStatus[Completed] != 1 || d.Completed().String() != "50" || d.Physical().String() != "50" || d.Committed["USD"] != 2000000 {
		t.Errorf("dashboard = %+v (completed %s, physical %s)", d, d.Completed(), d.Physical())
	}
}

func TestFindings(t *testing.T) {
	if _, err := NewFinding(Finding{Severity: "grave", Description: "cement bags missing from the store"}); field(err) != "severity" {
		t.Errorf("unknown severity: %v", err)
	}
	f, err := NewFinding(Finding{Severity: High, Description: "cement bags missing from the store"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Act(f, ActEscalate, "no answer was given", "contralor"); comuna.ErrorCode(err) != comuna.EConflict {
		t.Errorf("escalating before an answer: %v, want conflict", err)
	}
	f, err = Act(f, ActAnswer, "the bags were moved to the site", "vocero")
	if err != nil || f.State != Answered {
		t.Fatalf("answer: %+v, %v", f, err)
	}
	f, err = Act(f, ActEscalate, "the site holds only ten bags", "contralor")
	if err != nil || f.State != Escalated || !f.IsOpen() {
		t.Fatalf("escalate: %+v, %v", f, err)
	}
	f, err = Act(f, ActResolve, "receipts for all bags shown", "contralor")
	if err != nil || f.State != Resolved || f.IsOpen() {
		t.Fatalf("resolve: %+v, %v", f, err)
	}
	if _, err := Act(f, ActResolve, "receipts for all bags shown", "contralor"); comuna.ErrorCode(err) != comuna.EConflict {
		t.Errorf("resolving twice: %v", err)
	}
}

func TestReports(t *testing.T) {
	if _, err := NewReport("\u200b"); field(err) != "text" {
		t.Errorf("an empty report: %v", err)
	}
	r, err := NewReport("la obra está parada desde enero")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Dismiss(r, "no"); field(err) != "reason" {
		t.Errorf("dismissing without a reason: %v", err)
	}
	tr, err := Triage(r, 7)
	if err != nil || tr.State != Triaged || tr.Finding != 7 {
		t.Fatalf("triage: %+v, %v", tr, err)
	}
	if _, err := Dismiss(tr, "it is a duplicate report"); comuna.ErrorCode(err) != comuna.EConflict {
		t.Errorf("dismissing a triaged report: %v", err)
	}
}

func TestNextRunnerUp(t *testing.T) {
	order := []int64{11, 12, 13, 14}
	tests := []struct {
		policy  RunnerUpPolicy
		status  Status
		tracked map[int64]bool
		want    int64
		ok      bool
	}{
		{OnCompletion, Completed, map[int64]bool{11: true}, 12, true},
		{OnCompletion, Cancelled, map[int64]bool{11: true}, 0, false},
		{OnCancellation, Cancelled, map[int64]bool{11: true, 12: true}, 13, true},
		{OnEither, Completed, map[int64]bool{11: true, 12: true, 13: true}, 14, true},
		{OnEither, Completed, map[int64]bool{11: true, 12: true, 13: true, 14: true}, 0, false},
		{NoRunnerUp, Completed, map[int64]bool{11: true}, 0, false},
		{OnCompletion, InExecution, map[int64]bool{11: true}, 0, false},
	}
	for _, tt := range tests {
		got, ok := NextRunnerUp(tt.policy, tt.status, order, tt.tracked)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NextRunnerUp(%s, %s, %v) = %d, %v; want %d, %v", tt.policy, tt.status, tt.tracked, got, ok, tt.want, tt.ok)
		}
	}
	if _, err := ParseRunnerUpPolicy("always"); field(err) != "runner_up" {
		t.Errorf("unknown policy: %v", err)
	}
}
