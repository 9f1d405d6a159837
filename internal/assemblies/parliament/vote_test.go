package parliament

import (
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

func TestDecide(t *testing.T) {
	q := func(seated, present int) Quorum {
		return Quorum{Seated: seated, Present: present, Required: seated/2 + 1, Met: present >= seated/2+1}
	}
	tests := []struct {
		name    string
		m       Majority
		t       Totals
		q       Quorum
		tie     TieRule
		casting string
		passed  bool
		needed  int
		code    string
	}{
		{"simple passes", Simple, Totals{5, 4, 3}, q(20, 12), TieFails, "", true, 5, ""},
		{"simple fails", Simple, Totals{4, 5, 0}, q(20, 12), TieFails, "", false, 6, ""},
		{"simple tie fails", Simple, Totals{4, 4, 2}, q(20, 12), TieFails, "", false, 5, ""},
		{"simple tie chair for", Simple, Totals{4, 4, 2}, q(20, 12), TieChair, "for", true, 5, ""},
		{"simple tie chair against", Simple, Totals{4, 4, 2}, q(20, 12), TieChair, "against", false, 5, ""},
		{"simple tie chair missing", Simple, Totals{4, 4, 2}, q(20, 12), TieChair, "", false, 0, comuna.EInvalid},
		{"absolute of 20 needs 11", Absolute, Totals{10, 0, 2}, q(20, 12), TieFails, "", false, 11, ""},
		{"absolute of 20 with 11", Absolute, Totals{11, 1, 0}, q(20, 12), TieFails, "", true, 11, ""},
		{"two thirds of 12 present needs 8", TwoThirdsPresent, Totals{7, 5, 0}, q(20, 12), TieFails, "", false, 8, ""},
		{"two thirds of 12 present with 8", TwoThirdsPresent, Totals{8, 4, 0}, q(20, 12), TieFails, "", true, 8, ""},
		{"two thirds of 10 present rounds up", TwoThirdsPresent, Totals{7, 3, 0}, q(10, 10), TieFails, "", true, 7, ""},
		{"two thirds of members", TwoThirdsMembers, Totals{12, 0, 0}, q(20, 12), TieFails, "", false, 14, ""},
		{"four fifths present", FourFifthsPresent, Totals{10, 2, 0}, q(20, 12), TieFails, "", true, 10, ""},
		{"four fifths members", FourFifthsMembers, Totals{15, 0, 0}, q(20, 15), TieFails, "", false, 16, ""},
		{"no quorum", Simple, Totals{5, 0, 0}, q(20, 10), TieFails, "", false, 0, comuna.EConflict},
		{"more votes than present", Simple, Totals{10, 3, 0}, q(20, 12), TieFails, "", false, 0, comuna.EInvalid},
		{"unknown majority", "three-quarters", Totals{1, 0, 0}, q(2, 2), TieFails, "", false, 0, comuna.EInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Decide(tt.m, tt.t, tt.q, tt.tie, tt.casting)
			if got := comuna.ErrorCode(err); got != tt.code {
				t.Fatalf("Decide error code = %q (%v), want %q", got, err, tt.code)
			}
			if err != nil {
				return
			}
			if r.Passed != tt.passed || r.Needed != tt.needed {
				t.Errorf("Decide = passed %v needed %d, want passed %v needed %d (%s)", r.Passed, r.Needed, tt.passed, tt.needed, r.Explain("en"))
			}
			if r.Explain("en") == "" || r.Explain("es") == "" {
				t.Errorf("Explain is empty")
			}
		})
	}
}

func TestExplain(t *testing.T) {
	r, err := Decide(TwoThirdsPresent, Totals{7, 5, 0}, Quorum{Seated: 20, Present: 12, Required: 11, Met: true}, TieFails, "")
	if err != nil {
		t.Fatal(err)
	}
	want := "Qualified majority (at least two thirds of the 12 members present, 8 votes for): 7 for, 5 against, 0 abstaining, so it failed."
	if got := r.Explain("en"); got != want {
		t.Errorf("Explain(en) = %q, want %q", got, want)
	}
	want = "Mayoría calificada (al menos dos tercios de los 12 miembros presentes, 8 votos a favor): 7 a favor, 5 en contra, 0 abstenciones, así que no se aprueba."
	if got := r.Explain("es"); got != want {
		t.Errorf("Explain(es) = %q, want %q", got, want)
	}
}

func TestQuorumFor(t *testing.T) {
	tests := []struct {
		num, den, seated, want int
	}{
		{1, 2, 20, 11}, {1, 2, 21, 11}, {1, 2, 5, 3}, {1, 2, 0, 1}, {2, 3, 9, 7}, {1, 3, 12, 5}, {0, 0, 10, 6},
	}
	for _, tt := range tests {
		o := Organ{QuorumNum: tt.num, QuorumDen: tt.den}
		if got := o.QuorumFor(tt.seated); got != tt.want {
			t.Errorf("QuorumFor(%d) with %d/%d = %d, want %d", tt.seated, tt.num, tt.den, got, tt.want)
		}
	}
}
