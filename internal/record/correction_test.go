package record

import (
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/tally"
)

func correctionExamples() []Record {
	at := time.Date(2025, 4, 28, 10, 0, 0, 0, time.UTC)
	sh := tally.Sheet{RoundID: 7, Table: "MESA-0001", Circuit: "CC-0001", Received: 300, Cast: 250,
		Votes: []int64{120, 80, 30}, Blank: 12, Null: 8, Unused: 50, Members: []string{"Ana Pérez"}}
	return []Record{
		&CorrectionStep{Step: KindCorrectionProposed, RoundID: 7, Table: "MESA-0001", Circuit: "CC-0001", Proposal: 12, Base: 1,
			At: at, By: "ana", Reason: "recuento: una nula leída como voto", Sheet: sh},
		&CorrectionStep{Step: KindCorrectionConfirmed, RoundID: 7, Table: "MESA-0001", Circuit: "CC-0001", Proposal: 12, Version: 2,
			At: at, By: "luis"},
		&CorrectionStep{Step: KindCorrectionRefused, RoundID: 7, Table: "MESA-0001", Circuit: "CC-0001", Proposal: 13,
			At: at, By: "coordinador", Reason: "el acta en papel dice 120"},
		&Reopening{RoundID: 7, Circuit: "CC-0001", Reopening: 3, At: at, By: "admin", Reason: "denuncia de testigos en la mesa 1"},
		&Audit{RoundID: 7, Audit: 3, AuditKind: "draw", Seed: "1 2 3 4 5 6", RiskLimit: "0", Tables: 2, Draw: []string{"T3", "T1"}, At: at, By: "admin"},
		&Audit{RoundID: 7, Audit: 4, AuditKind: "risk-limiting", Seed: "31415", RiskLimit: "0.05", At: at, By: "admin"},
		&Recount{RoundID: 7, Audit: 3, Table: "T3", Counts: []int64{5, 0, 2}, Ballots: 8, At: at, FirstBy: "aud-uno", By: "aud-dos"},
	}
}

func TestCorrectionRecords(t *testing.T) {
	wantRefused := `comuna correction-refused v1
round_id 7
table "MESA-0001"
circuit "CC-0001"
proposal 13
at 2025-04-28T10:00:00.000Z
by "coordinador"
reason "el acta en papel dice 120"
`
	for _, r := range correctionExamples() {
		data, err := Encode(r)
		if err != nil {
			t.Fatalf("Encode(%s): %v", r.Kind(), err)
		}
		got, err := Decode(data)
		if err != nil {
			t.Fatalf("Decode(Encode(%s)): %v\n%s", r.Kind(), err, data)
		}
		if string(got.Body()) != string(r.Body()) || got.Kind() != r.Kind() {
			t.Errorf("Decode(Encode(%s)) = %q, want %q", r.Kind(), got.Body(), r.Body())
		}
		if r.Kind() == KindCorrectionRefused && string(r.Body()) != wantRefused {
			t.Errorf("refused body = %q, want %q", r.Body(), wantRefused)
		}
		// A field out of canonical form is refused.
		bad := strings.Replace(string(data), "round_id 7", "round_id 07", 1)
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%s with round_id 07) accepted", r.Kind())
		}
	}
	p := correctionExamples()[0].(*CorrectionStep)
	if !strings.Contains(string(p.Body()), "comuna tally sheet v1\nround_id 7\n") {
		t.Errorf("proposed body does not embed the sheet: %q", p.Body())
	}
}

// FuzzDecodeCorrection checks that Decode never panics on correction and
// reopening records and that whatever it accepts encodes back to the same
// bytes.
func FuzzDecodeCorrection(f *testing.F) {
	for _, r := range correctionExamples() {
		data, _ := Encode(r)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Decode(data)
		if err != nil {
			return
		}
		again, err := Encode(r)
		if err != nil {
			t.Fatalf("Encode(Decode(%q)): %v", data, err)
		}
		if string(again) != string(data) {
			t.Fatalf("Encode(Decode(%q)) = %q", data, again)
		}
	})
}
