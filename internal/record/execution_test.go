package record

import (
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/execution"
)

func executionExamples() []*Execution {
	d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	at := time.Date(2027, 1, 20, 14, 0, 0, 0, time.UTC)
	evs := []execution.Event{
		{Kind: execution.EvCommit, Commitment: execution.Commitment{Amount: 1000000, Currency: "USD", PaidIn: "VES", Rate: execution.MustRate("36.5"), RateSource: "BCV", RateDate: d("2027-01-05")},
			Executor: "CC Las Flores", Rank: 2, Activated: true, Window: execution.Window{Start: d("2027-01-10"), End: d("2027-06-30")}},
		{Kind: execution.EvStatus, Status: execution.Suspended, Corrects: 2, Text: "lluvias impiden la obra"},
		{Kind: execution.EvMilestone, Milestone: execution.Milestone{ID: 1, Title: "Techo", Description: "losa", Planned: d("2027-02-01"), Weight: 3}},
		{Kind: execution.EvReview, Target: 1, Milestone: execution.Milestone{Status: execution.Met, Met: d("2027-02-02")}},
		{Kind: execution.EvProgress, Percent: 4550},
		{Kind: execution.EvDisbursement, Disbursement: execution.Disbursement{ID: 1, Date: d("2027-01-20"), Amount: 36500000, Currency: "VES", Rate: execution.MustRate("36.5"), RateSource: "BCV", Payer: execution.FederalFund, Payee: "CC", Reference: "TX-1"}},
		{Kind: execution.EvConfirm, Target: 1},
		{Kind: execution.EvEvidence, Evidence: execution.Evidence{ID: 1, Kind: execution.Photo, Title: "Techo", SHA256: strings.Repeat("ab", 32), MediaType: "image/jpeg", Size: 1234, Milestone: 1}},
		{Kind: execution.EvFinding, Severity: execution.High, Report: 3, Text: "faltan facturas"},
		{Kind: execution.EvFindingAct, Target: 1, Action: execution.ActAnswer, Text: "facturas subidas"},
	}
	var out []*Execution
	for i, e := range evs {
		e.Seq, e.At, e.By = i+1, at, "fondo"
		out = append(out, &Execution{RoundID: 7, Circuit: "ZU-CC-0001", Proposal: 4512, Event: e})
	}
	return out
}

func TestExecutionRoundTrip(t *testing.T) {
	for _, x := range executionExamples() {
		data, err := Encode(x)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Decode(data)
		if err != nil {
			t.Fatalf("Decode(%s): %v\n%s", x.Event.Kind, err, data)
		}
		got, ok := r.(*Execution)
		if !ok || string(got.Body()) != string(x.Body()) {
			t.Errorf("%s: round trip = %q, want %q", x.Event.Kind, r.Body(), x.Body())
		}
	}
}

func TestExecutionRefusesNonCanonical(t *testing.T) {
	body := string(executionExamples()[5].Body())
	for name, edit := range map[string]string{
		"padded amount":  strings.Replace(body, "amount 36500000", "amount 036500000", 1),
		"rate with zero": strings.Replace(body, `rate "36.5"`, `rate "36.50"`, 1),
		"zero rate":      strings.Replace(body, `rate "36.5"`, `rate "0"`, 1),
		"unknown entry":  strings.Replace(body, `entry "disbursement"`, `entry "gift"`, 1),
		"extra line":     body + "note \"x\"\n",
	} {
		if _, err := ParseExecution([]byte(edit)); comuna.ErrorCode(err) != comuna.EInvalid {
			t.Errorf("%s: ParseExecution = %v, want invalid", name, err)
		}
	}
}

func FuzzExecution(f *testing.F) {
	for _, x := range executionExamples() {
		f.Add(x.Body())
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		x, err := ParseExecution(body)
		if err != nil {
			return
		}
		if string(x.Body()) != string(body) {
			t.Fatalf("ParseExecution(%q) does not encode back", body)
		}
	})
}
