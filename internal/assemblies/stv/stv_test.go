package stv

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/assemblies/blt"
	"github.com/comuna/comuna/internal/comuna"
)

func parse(t *testing.T, src string) *Election {
	t.Helper()
	f, err := blt.Read(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	return FromBLT(f)
}

func electedNames(e *Election, cs []int) string {
	var out []string
	for _, c := range cs {
		out = append(out, e.Names[c])
	}
	return strings.Join(out, ",")
}

// abc is worked by hand below for each rule: 12 ballots, 2 seats.
const abc = `3 2
6 1 2 0
2 2 0
4 3 0
0
"A"
"B"
"C"
"hand-checked"
`

// TestHandChecked follows abc through each rule's arithmetic.
//
// scotland: quota ⌊12/3⌋+1 = 5; A (6) is elected at the first stage; the
// surplus 1 moves at 1·1/6 = 0.16666 (truncated) a ballot, so B has
// 2 + 6·0.16666 = 2.99996 and 0.00004 is lost; B is excluded; C is elected as
// the last continuing candidate.
//
// wigm-prf: quota 12/3 + 0.0001 = 4.0001; A's surplus 1.9999 moves at
// 1.9999/6 = 0.3333 a ballot: B has 3.9998 (0.0001 is lost), C 4; B is
// excluded.
//
// meek-prf: quota 12/3 + 10⁻⁹; A is elected; A's keep value becomes
// ⌈4.000000001/6⌉ = 0.666666667, so A keeps 4.000000002 and B gets
// 2 + 6·0.333333333 = 3.999999998; the surplus 10⁻⁹ is below 10⁻⁶ and B, the
// lowest, is defeated.
func TestHandChecked(t *testing.T) {
	tests := []struct {
		rule    Rule
		quota   string
		elected string
		stage   int    // a stage of the report
		bVotes  string // B's votes at that stage
		exh     string // value lost or exhausted at that stage
	}{
		{Scotland, "5.00000", "A,C", 1, "2.99996", "0.00004"},
		{WIGMPRF, "4.0001", "A,C", 1, "3.9998", "0.0001"},
		{MeekPRF, "4.000000001", "A,C", 2, "3.999999998", "0.000000000"},
		{Plurality, "", "B,A", 0, "8", ""},
		{Approval, "", "B,A", 0, "8", ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.rule), func(t *testing.T) {
			e := parse(t, abc)
			r, err := Count(e, tt.rule)
			if err != nil {
				t.Fatal(err)
			}
			if got := electedNames(e, r.Elected); got != tt.elected {
				t.Errorf("elected %s, want %s", got, tt.elected)
			}
			if r.Quota != tt.quota {
				t.Errorf("quota %s, want %s", r.Quota, tt.quota)
			}
			if len(r.Rounds) <= tt.stage {
				t.Fatalf("%d rounds, want more than %d", len(r.Rounds), tt.stage)
			}
			rd := r.Rounds[tt.stage]
			if rd.Votes[1] != tt.bVotes || rd.Exhausted != tt.exh {
				t.Errorf("stage %d: B %s exhausted %s, want %s and %s (%+v)", tt.stage, rd.Votes[1], rd.Exhausted, tt.bVotes, tt.exh, rd)
			}
		})
	}
}

func TestReportStages(t *testing.T) {
	e := parse(t, abc)
	r, err := Count(e, Scotland)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rd := range r.Rounds {
		s := rd.Action
		if rd.Candidate >= 0 {
			s += " " + e.Names[rd.Candidate]
		}
		if len(rd.Elected) > 0 {
			s += " elects " + electedNames(e, rd.Elected)
		}
		if len(rd.Excluded) > 0 {
			s += " excludes " + electedNames(e, rd.Excluded)
		}
		got = append(got, s)
	}
	want := []string{"first elects A", "surplus A", "exclude B excludes B", "elect-remaining elects C"}
	if !slices.Equal(got, want) {
		t.Errorf("stages %q, want %q", got, want)
	}
	if tr := r.Rounds[1].Transfers; tr[1] != "+0.99996" || tr[0] != "-1.00000" || tr[2] != "" {
		t.Errorf("transfers of the surplus %q", tr)
	}
}

// balanced: three men well ahead of two women, 3 seats. Without a balance
// A, B and C win; with 40 % (2 of 3 rounded up is more than the seats allow
// for two groups, so at least 1 each) C is excluded as soon as A and B fill
// the men's maximum of 2, and D wins the third seat.
const balanced = `5 3
10 1 0
9 2 0
8 3 0
3 4 0
2 5 0
0
"A"
"B"
"C"
"D"
"E"
"balance"
`

func TestGenderBalance(t *testing.T) {
	for _, rule := range Rules {
		t.Run(string(rule), func(t *testing.T) {
			e := parse(t, balanced)
			r, err := Count(e, rule)
			if err != nil {
				t.Fatal(err)
			}
			if got := electedNames(e, r.Elected); got != "A,B,C" {
				t.Errorf("without balance elected %s, want A,B,C", got)
			}
			e.Balance = &Balance{Groups: []string{"m", "m", "m", "f", "f"}, MinPercent: 40}
			r, err = Count(e, rule)
			if err != nil {
				t.Fatal(err)
			}
			if got := electedNames(e, r.Elected); got != "A,B,D" {
				t.Errorf("with balance elected %s, want A,B,D", got)
			}
		})
	}
}

// TestGenderBalanceProtects: a group's last candidates are not excluded
// while the group is short of its minimum, even when they are lowest.
func TestGenderBalanceProtects(t *testing.T) {
	src := `4 2
10 1 0
6 2 0
5 3 0
1 4 0
0
"A"
"B"
"C"
"D"
"protect"
`
	for _, rule := range []Rule{Scotland, WIGMPRF, MeekPRF, Plurality} {
		t.Run(string(rule), func(t *testing.T) {
			e := parse(t, src)
			e.Balance = &Balance{Groups: []string{"m", "m", "f", "f"}, MinPercent: 50}
			r, err := Count(e, rule)
			if err != nil {
				t.Fatal(err)
			}
			// one seat each: A for the men; C, the women's best, beats B
			if got := electedNames(e, r.Elected); got != "A,C" {
				t.Errorf("elected %s, want A,C", got)
			}
		})
	}
}

func TestAlternates(t *testing.T) {
	for _, rule := range Rules {
		t.Run(string(rule), func(t *testing.T) {
			e := parse(t, balanced)
			e.Alternates = 2
			r, err := Count(e, rule)
			if err != nil {
				t.Fatal(err)
			}
			if got := electedNames(e, r.Elected); got != "A,B,C" {
				t.Errorf("elected %s, want A,B,C", got)
			}
			// D is excluded after E, so D is the first alternate
			if got := electedNames(e, r.Alternates); got != "D,E" {
				t.Errorf("alternates %s, want D,E", got)
			}
		})
	}
}

func TestAlternatesAfterSeatsFill(t *testing.T) {
	// 2 seats; A and B reach the quota at once, C, D and E go on: D, with
	// more, outlasts C and E
	src := `5 2
10 1 0
10 2 0
2 3 0
4 4 0
1 5 0
0
"A" "B" "C" "D" "E"
"alternates"
`
	for _, rule := range Rules {
		t.Run(string(rule), func(t *testing.T) {
			e := parse(t, src)
			e.Alternates = 3
			r, err := Count(e, rule)
			if err != nil {
				t.Fatal(err)
			}
			if got := electedNames(e, r.Elected); got != "A,B" && got != "B,A" {
				t.Errorf("elected %s, want A and B", got)
			}
			if got := electedNames(e, r.Alternates); got != "D,C,E" {
				t.Errorf("alternates %s, want D,C,E", got)
			}
		})
	}
}

func TestLotOrder(t *testing.T) {
	a := LotOrder("acta 2026-12-01 semilla 8841", 6)
	b := LotOrder("acta 2026-12-01 semilla 8841", 6)
	if !slices.Equal(a, b) {
		t.Fatalf("the same seed drew %v and %v", a, b)
	}
	s := slices.Clone(a)
	slices.Sort(s)
	if !slices.Equal(s, []int{0, 1, 2, 3, 4, 5}) {
		t.Fatalf("not a permutation: %v", a)
	}
	if slices.Equal(a, LotOrder("another seed", 6)) && slices.Equal(a, LotOrder("a third seed", 6)) {
		t.Errorf("different seeds drew the same order")
	}
	// the lottery decides a tie the file order would decide otherwise
	e := parse(t, "2 1\n1 1 0\n1 2 0\n0\n\"A\"\n\"B\"\n\"t\"\n")
	e.TieOrder = []int{1, 0}
	r, err := Count(e, WIGMPRF)
	if err != nil {
		t.Fatal(err)
	}
	if got := electedNames(e, r.Elected); got != "A" { // B is defeated first
		t.Errorf("elected %s, want A", got)
	}
}

func TestBadInput(t *testing.T) {
	e := parse(t, abc)
	e.Ballots = append(e.Ballots, Ballot{Weight: 1, Ranking: []int{0, 1, 0}})
	_, err := Count(e, Scotland)
	var ce *comuna.Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "twice") {
		t.Errorf("ballot ranking a candidate twice: %v", err)
	}
	e = parse(t, abc)
	if _, err := Count(e, "borda"); err == nil {
		t.Errorf("unknown rule accepted")
	}
	e.TieOrder = []int{0, 0, 1}
	if _, err := Count(e, Scotland); err == nil {
		t.Errorf("a tie order that is no permutation accepted")
	}
}

func TestWithdrawn(t *testing.T) {
	// B withdrawn: A's ballots go on to C
	e := parse(t, "3 1\n-2\n3 2 1 0\n2 1 0\n4 3 0\n0\n\"A\" \"B\" \"C\"\n\"w\"\n")
	for _, rule := range []Rule{Scotland, WIGMPRF, MeekPRF} {
		r, err := Count(e, rule)
		if err != nil {
			t.Fatal(err)
		}
		if got := electedNames(e, r.Elected); got != "A" {
			t.Errorf("%s: elected %s, want A", rule, got)
		}
		if r.Rounds[0].Votes[1] != "" {
			t.Errorf("%s: a withdrawn candidate has votes %q", rule, r.Rounds[0].Votes[1])
		}
	}
}
