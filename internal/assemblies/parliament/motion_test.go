package parliament

import (
	"reflect"
	"testing"
	"unicode/utf8"
)

func TestMerge(t *testing.T) {
	orig := []string{"A", "B", "C"}
	tests := []struct {
		name string
		am   []Amendment
		want []string
	}{
		{"none", nil, []string{"A", "B", "C"}},
		{"replace", []Amendment{{Op: OpReplace, Paragraph: 2, Text: "B2", Status: AmendApproved}}, []string{"A", "B2", "C"}},
		{"delete", []Amendment{{Op: OpDelete, Paragraph: 1, Status: AmendApproved}}, []string{"B", "C"}},
		{"insert at start and after 3", []Amendment{{Op: OpInsert, Paragraph: 0, Text: "Z", Status: AmendApproved}, {Op: OpInsert, Paragraph: 3, Text: "D", Status: AmendApproved}}, []string{"Z", "A", "B", "C", "D"}},
		{"two inserts keep order", []Amendment{{Op: OpInsert, Paragraph: 1, Text: "x", Status: AmendApproved}, {Op: OpInsert, Paragraph: 1, Text: "y", Status: AmendApproved}}, []string{"A", "x", "y", "B", "C"}},
		{"rejected ignored", []Amendment{{Op: OpReplace, Paragraph: 2, Text: "B2", Status: AmendRejected}, {Op: OpDelete, Paragraph: 3, Status: AmendPending}}, []string{"A", "B", "C"}},
		{"replace and insert after it", []Amendment{{Op: OpReplace, Paragraph: 2, Text: "B2", Status: AmendApproved}, {Op: OpInsert, Paragraph: 2, Text: "B3", Status: AmendApproved}}, []string{"A", "B2", "B3", "C"}},
	}
	for _, tt := range tests {
		if got := Merge(orig, tt.am); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Merge = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDiff(t *testing.T) {
	got := Diff([]string{"A", "B", "C"}, []string{"A", "B2", "C", "D"})
	want := []DiffLine{{"=", "A"}, {"+", "B2"}, {"-", "B"}, {"=", "C"}, {"+", "D"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Diff = %v, want %v", got, want)
	}
	if got := Diff(nil, nil); len(got) != 0 {
		t.Errorf("Diff(nil, nil) = %v, want nothing", got)
	}
}

func TestSplitParagraphs(t *testing.T) {
	got := SplitParagraphs("  one\r\n\r\ntwo\nstill two\n\n\n\nthree  ")
	want := []string{"one", "two\nstill two", "three"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SplitParagraphs = %q, want %q", got, want)
	}
}

func TestCanMove(t *testing.T) {
	tests := []struct {
		from, to MotionStatus
		want     bool
	}{
		{Submitted, Admitted, true}, {Admitted, Debated, true}, {Debated, Referred, true}, {Postponed, Admitted, true},
		{Submitted, Approved, false}, {Approved, Withdrawn, false}, {Rejected, Admitted, false}, {Debated, Approved, false},
	}
	for _, tt := range tests {
		if got := CanMove(tt.from, tt.to); got != tt.want {
			t.Errorf("CanMove(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestQueue(t *testing.T) {
	sp := func(id int, g string, k SpeechKind) Speech {
		return Speech{ID: id, Gender: g, Kind: k, Status: SpeechWaiting}
	}
	tests := []struct {
		name string
		l    Speakers
		want []int // speech ids in speaking order
	}{
		{"in order", Speakers{Speeches: []Speech{sp(1, "f", SpeechFor), sp(2, "f", SpeechAgainst), sp(3, "m", SpeechFor)}}, []int{1, 2, 3}},
		{"point of order first", Speakers{Speeches: []Speech{sp(1, "f", SpeechFor), sp(2, "m", SpeechPointOfOrder)}}, []int{2, 1}},
		{"alternate by gender", Speakers{Alternate: AlternateByGender, Speeches: []Speech{sp(1, "f", SpeechFor), sp(2, "f", SpeechAgainst), sp(3, "m", SpeechFor), sp(4, "f", SpeechQuestion), sp(5, "m", SpeechFor)}}, []int{1, 3, 2, 5, 4}},
		{"alternate runs out", Speakers{Alternate: AlternateByGender, Speeches: []Speech{sp(1, "m", SpeechFor), sp(2, "m", SpeechAgainst), sp(3, "f", SpeechFor), sp(4, "m", SpeechFor)}}, []int{1, 3, 2, 4}},
	}
	for _, tt := range tests {
		var got []int
		for _, i := range tt.l.Queue() {
			got = append(got, tt.l.Speeches[i].ID)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Queue = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	got := Words("Educación: ¡el AGUA, el agua y la Niñez! a 2026")
	want := []string{"educacion", "el", "agua", "la", "ninez", "2026"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}

func FuzzWords(f *testing.F) {
	f.Add("Educación: ¡el AGUA!")
	f.Fuzz(func(t *testing.T, s string) {
		ws := Words(s)
		if len(ws) > MaxWords {
			t.Fatalf("%d words", len(ws))
		}
		for _, w := range ws {
			if len(w) > 80 || w == "" || !utf8.ValidString(w) {
				t.Fatalf("bad word %q", w)
			}
		}
	})
}
