package record

import (
	"reflect"
	"testing"
)

func parliamentExamples() []Record {
	return []Record{
		&Decision{ID: 12, OrganID: 3, Organ: "Parlamento \"El Sol\"", Unit: "ZU-CO-0001", SessionID: 40, Vote: 2,
			Title: "Plan de agua", Text: "Primero.\n\nSegundo.", Passed: true, Majority: "two-thirds-present",
			For: 8, Against: 4, Needed: 8, Seated: 20, Present: 12, Quorum: 11, DecidedAt: at},
		&Minutes{SessionID: 40, OrganID: 3, Organ: "Parlamento", SessionNumber: 12, ApprovedIn: 41, ApprovedAt: at, Text: "ACTA\n…"},
	}
}

func TestParliamentGolden(t *testing.T) {
	want := `comuna minutes v1
session_id 40
organ_id 3
organ "Parlamento"
session_number 12
approved_in 41
approved_at 2025-04-27T19:02:11.250Z
text "ACTA\n…"
`
	if got := string(parliamentExamples()[1].Body()); got != want {
		t.Errorf("minutes Body() =\n%s\nwant\n%s", got, want)
	}
}

func TestParliamentRoundTrip(t *testing.T) {
	for _, r := range parliamentExamples() {
		data, err := Encode(r)
		if err != nil {
			t.Fatalf("Encode(%s): %v", r.Kind(), err)
		}
		back, err := Decode(data)
		if err != nil {
			t.Fatalf("Decode(%s): %v\n%s", r.Kind(), err, data)
		}
		if !reflect.DeepEqual(back, r) {
			t.Errorf("Decode(Encode(%s)) = %+v, want %+v", r.Kind(), back, r)
		}
	}
	d := *parliamentExamples()[0].(*Decision)
	body := string(d.Body())
	bad := []byte(body[:len(body)-1] + "\nextra 1\n")
	if _, err := ParseDecision(bad); err == nil {
		t.Errorf("ParseDecision accepted a trailing line")
	}
}

func FuzzDecodeParliament(f *testing.F) {
	for _, r := range parliamentExamples() {
		data, _ := Encode(r)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Decode(data)
		if err != nil {
			return
		}
		again, err := Encode(r)
		if err != nil || string(again) != string(data) {
			t.Fatalf("Encode(Decode(%q)) = %q, %v", data, again, err)
		}
	})
}
