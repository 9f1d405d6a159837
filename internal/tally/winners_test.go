package tally

import (
	"encoding/hex"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

// With seed "semilla-2025", round 12 and circuit CC-0001 the lottery
// orders ballot numbers 4, 3, 1, 5, 2, 6, 7 (see TestLotteryOrder).
const seed = "semilla-2025"

func TestLotteryRankGolden(t *testing.T) {
	got := LotteryRank(seed, 12, "CC-0001", 3)
	// printf 'comuna/tally/lottery/v1\n12\nCC-0001\n3' | openssl dgst -sha256 -hmac semilla-2025
	const want = "70adcf4a45620788dbae3ac29cbb954684d1e12e86e80ffd940100c0e9ea60bd"
	if hex.EncodeToString(got[:]) != want {
		t.Errorf("LotteryRank = %x; want %s", got, want)
	}
}

func TestLotteryOrder(t *testing.T) {
	var ps []Project
	for n := 1; n <= 7; n++ {
		ps = append(ps, Project{Number: n, Votes: 5})
	}
	ranked, err := Winners(Contest{RoundID: 12, Circuit: "CC-0001", Projects: ps, Seats: 2, TieBreak: comuna.TieLottery, Seed: seed, Final: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, r := range ranked {
		got = append(got, r.Number)
	}
	if want := []int{4, 3, 1, 5, 2, 6, 7}; !slices.Equal(got, want) {
		t.Errorf("lottery order = %v; want %v", got, want)
	}
	other, _ := Winners(Contest{RoundID: 12, Circuit: "CC-0002", Projects: ps, Seats: 2, TieBreak: comuna.TieLottery, Seed: seed, Final: true})
	if other[0].Number == 4 && other[1].Number == 3 && other[2].Number == 1 {
		t.Errorf("circuit CC-0002 draws the same order as CC-0001; the circuit must be part of the draw")
	}
}

// summary writes a ranking compactly: rank:number=votes, W if won, T if
// placed by the tie-break.
func summary(rs []Ranked) string {
	var parts []string
	for _, r := range rs {
		s := fmt.Sprintf("%d:%d=%d", r.Rank, r.Number, r.Votes)
		if r.Won {
			s += "W"
		}
		if r.TieBroken {
			s += "T"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func projects(votes map[int]int64) []Project {
	var ps []Project
	for n, v := range votes {
		ps = append(ps, Project{Number: n, ProposalID: int64(100 + n), Cost: comuna.Cents(1_000_000), Votes: v})
	}
	return ps // in map order: Winners must not depend on it
}

func TestWinners(t *testing.T) {
	tests := []struct {
		name    string
		votes   map[int]int64
		cost    map[int]comuna.Cents
		seats   int
		tb      comuna.TieBreak
		want    string
		english []string // sentences by rank, if checked
		spanish []string
	}{
		{
			name: "no ties", votes: map[int]int64{1: 412, 2: 120, 3: 398, 4: 10}, seats: 2, tb: comuna.TieLottery,
			want: "1:1=412W 2:3=398W 3:2=120 4:4=10",
			english: []string{
				"1st with 412 votes; funded.",
				"2nd with 398 votes; funded.",
				"3rd with 120 votes, 278 votes short of the last funded project.",
				"4th with 10 votes, 388 votes short of the last funded project.",
			},
			spanish: []string{
				"1.º con 412 votos; financiado.",
				"2.º con 398 votos; financiado.",
				"3.º con 120 votos, 278 votos menos que el último proyecto financiado.",
				"4.º con 10 votos, 388 votos menos que el último proyecto financiado.",
			},
		},
		{
			name: "one winner, the 2024 rule", votes: map[int]int64{1: 412, 2: 411}, seats: 1, tb: comuna.TieLottery,
			want:    "1:1=412W 2:2=411",
			english: []string{"1st with 412 votes; funded.", "2nd with 411 votes, 1 vote short of the last funded project."},
			spanish: []string{"1.º con 412 votos; financiado.", "2.º con 411 votos, 1 voto menos que el último proyecto financiado."},
		},
		{
			name: "lottery decides the last seat", votes: map[int]int64{1: 500, 2: 300, 5: 300, 3: 100}, seats: 2, tb: comuna.TieLottery,
			want: "1:1=500W 2:5=300WT 3:2=300T 4:3=100",
			english: []string{
				"1st with 500 votes; funded.",
				"2nd with 300 votes, tied with No. 2; funded by the lottery tie-break.",
				"3rd with 300 votes, tied with No. 5; not funded: placed after the last funded project by the lottery tie-break.",
				"4th with 100 votes, 200 votes short of the last funded project.",
			},
			spanish: []string{
				"1.º con 500 votos; financiado.",
				"2.º con 300 votos, empatado con el n.º 2; financiado por el sorteo de desempate.",
				"3.º con 300 votos, empatado con el n.º 5; no financiado: quedó detrás del último proyecto financiado por el sorteo de desempate.",
				"4.º con 100 votos, 200 votos menos que el último proyecto financiado.",
			},
		},
		{
			name: "ballot number decides the last seat", votes: map[int]int64{1: 500, 2: 300, 5: 300, 3: 100}, seats: 2, tb: comuna.TieBallotNumber,
			want:    "1:1=500W 2:2=300WT 3:5=300T 4:3=100",
			english: []string{"1st with 500 votes; funded.", "2nd with 300 votes, tied with No. 5; funded by the ballot-number tie-break."},
		},
		{
			name: "the cheaper project wins a tie", votes: map[int]int64{1: 500, 2: 300, 5: 300}, cost: map[int]comuna.Cents{5: 500_000},
			seats: 2, tb: comuna.TieLowerCost,
			want:    "1:1=500W 2:5=300WT 3:2=300T",
			spanish: []string{"1.º con 500 votos; financiado.", "2.º con 300 votos, empatado con el n.º 2; financiado por el desempate por menor costo."},
		},
		{
			name: "equal cost falls back to the lottery", votes: map[int]int64{1: 500, 2: 300, 5: 300}, seats: 2, tb: comuna.TieLowerCost,
			want: "1:1=500W 2:5=300WT 3:2=300T",
		},
		{
			name: "lower cost beats the lottery's preference", votes: map[int]int64{1: 500, 2: 300, 5: 300}, cost: map[int]comuna.Cents{2: 1},
			seats: 2, tb: comuna.TieLowerCost,
			want: "1:1=500W 2:2=300WT 3:5=300T",
		},
		{
			name: "a tie inside the funded places", votes: map[int]int64{1: 300, 3: 300, 2: 100}, seats: 2, tb: comuna.TieLottery,
			want: "1:3=300WT 2:1=300WT 3:2=100",
			english: []string{
				"1st with 300 votes, tied with No. 1 (order by the lottery tie-break); funded.",
				"2nd with 300 votes, tied with No. 3 (order by the lottery tie-break); funded.",
				"3rd with 100 votes, 200 votes short of the last funded project.",
			},
			spanish: []string{
				"1.º con 300 votos, empatado con el n.º 1 (orden por el sorteo de desempate); financiado.",
			},
		},
		{
			name: "three-way tie for two seats", votes: map[int]int64{1: 50, 3: 50, 4: 50, 2: 1}, seats: 2, tb: comuna.TieLottery,
			want: "1:4=50WT 2:3=50WT 3:1=50T 4:2=1",
			english: []string{
				"1st with 50 votes, tied with No. 3 and No. 1; funded by the lottery tie-break.",
				"2nd with 50 votes, tied with No. 4 and No. 1; funded by the lottery tie-break.",
				"3rd with 50 votes, tied with No. 4 and No. 3; not funded: placed after the last funded project by the lottery tie-break.",
				"4th with 1 vote, 49 votes short of the last funded project.",
			},
			spanish: []string{
				"1.º con 50 votos, empatado con los n.º 3 y 1; financiado por el sorteo de desempate.",
			},
		},
		{
			name: "a project needs a vote to win", votes: map[int]int64{1: 10, 2: 0, 3: 0}, seats: 2, tb: comuna.TieLottery,
			want: "1:1=10W 2:3=0T 3:2=0T",
			english: []string{
				"1st with 10 votes; funded.",
				"2nd with no votes, tied with No. 2; not funded: a project needs at least one vote.",
				"3rd with no votes, tied with No. 3, 10 votes short of the last funded project.",
			},
			spanish: []string{"1.º con 10 votos; financiado.", "2.º sin votos, empatado con el n.º 2; no financiado: un proyecto necesita al menos un voto."},
		},
		{
			name: "more seats than projects", votes: map[int]int64{1: 3, 2: 7}, seats: 3, tb: comuna.TieBallotNumber,
			want: "1:2=7W 2:1=3W",
		},
		{
			name: "no seats", votes: map[int]int64{1: 3, 2: 7}, seats: 0, tb: comuna.TieBallotNumber,
			want:    "1:2=7 2:1=3",
			english: []string{"1st with 7 votes.", "2nd with 3 votes."},
		},
		{name: "no projects", votes: map[int]int64{}, seats: 2, tb: comuna.TieLottery, want: ""},
		{
			name: "ranks past ten", seats: 1, tb: comuna.TieBallotNumber,
			votes: map[int]int64{1: 20, 2: 19, 3: 18, 4: 17, 5: 16, 6: 15, 7: 14, 8: 13, 9: 12, 10: 11, 11: 10, 12: 9, 13: 8},
			want:  "1:1=20W 2:2=19 3:3=18 4:4=17 5:5=16 6:6=15 7:7=14 8:8=13 9:9=12 10:10=11 11:11=10 12:12=9 13:13=8",
			english: []string{"1st with 20 votes; funded.", "2nd with 19 votes, 1 vote short of the last funded project.",
				"3rd with 18 votes, 2 votes short of the last funded project.", "4th with 17 votes, 3 votes short of the last funded project.",
				"5th with 16 votes, 4 votes short of the last funded project.", "6th with 15 votes, 5 votes short of the last funded project.",
				"7th with 14 votes, 6 votes short of the last funded project.", "8th with 13 votes, 7 votes short of the last funded project.",
				"9th with 12 votes, 8 votes short of the last funded project.", "10th with 11 votes, 9 votes short of the last funded project.",
				"11th with 10 votes, 10 votes short of the last funded project.", "12th with 9 votes, 11 votes short of the last funded project.",
				"13th with 8 votes, 12 votes short of the last funded project."},
		},
	}
	for _, tt := range tests {
		ps := projects(tt.votes)
		for i := range ps {
			if c, ok := tt.cost[ps[i].Number]; ok {
				ps[i].Cost = c
			}
		}
		c := Contest{RoundID: 12, Circuit: "CC-0001", Projects: ps, Seats: tt.seats, TieBreak: tt.tb, Seed: seed, Final: true}
		got, err := Winners(c)
		if err != nil {
			t.Errorf("%s: Winners: %v", tt.name, err)
			continue
		}
		if s := summary(got); s != tt.want {
			t.Errorf("%s: Winners = %s\nwant %s", tt.name, s, tt.want)
		}
		for i, want := range tt.english {
			if i < len(got) && got[i].English != want {
				t.Errorf("%s: rank %d English = %q\nwant %q", tt.name, i+1, got[i].English, want)
			}
		}
		for i, want := range tt.spanish {
			if i < len(got) && got[i].Spanish != want {
				t.Errorf("%s: rank %d Spanish = %q\nwant %q", tt.name, i+1, got[i].Spanish, want)
			}
		}
		for _, r := range got {
			if r.Provisional || r.ProposalID != int64(100+r.Number) {
				t.Errorf("%s: No. %d provisional %v, proposal %d; want final, proposal %d", tt.name, r.Number, r.Provisional, r.ProposalID, 100+r.Number)
			}
		}
	}
}

func TestWinnersProvisional(t *testing.T) {
	c := Contest{RoundID: 12, Circuit: "CC-0001", Projects: projects(map[int]int64{1: 10, 2: 4}), Seats: 1, TieBreak: comuna.TieLottery, Seed: seed}
	got, err := Winners(c)
	if err != nil {
		t.Fatal(err)
	}
	want := []Ranked{
		{Project: Project{1, 101, 1_000_000, 10}, Rank: 1, Won: true, Provisional: true,
			English: "1st with 10 votes; funded. Provisional: not every table has reported.",
			Spanish: "1.º con 10 votos; financiado. Provisional: faltan mesas por informar."},
		{Project: Project{2, 102, 1_000_000, 4}, Rank: 2, Provisional: true,
			English: "2nd with 4 votes, 6 votes short of the last funded project. Provisional: not every table has reported.",
			Spanish: "2.º con 4 votos, 6 votos menos que el último proyecto financiado. Provisional: faltan mesas por informar."},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Winners =\n%+v\nwant\n%+v", got, want)
	}
}

func TestContestFor(t *testing.T) {
	r := &comuna.Round{ID: 12, WinnersPerCircuit: 2, TieBreak: comuna.TieLowerCost, TieBreakSeed: seed}
	ps := projects(map[int]int64{1: 1})
	got := ContestFor(r, "CC-0001", ps, true)
	want := Contest{RoundID: 12, Circuit: "CC-0001", Projects: ps, Seats: 2, TieBreak: comuna.TieLowerCost, Seed: seed, Final: true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ContestFor = %+v; want %+v", got, want)
	}
}

func TestWinnersErrors(t *testing.T) {
	good := Contest{RoundID: 1, Circuit: "C", Projects: []Project{{Number: 1, Votes: 2}, {Number: 2}}, Seats: 1, TieBreak: comuna.TieLottery, Seed: seed}
	tests := []struct {
		name  string
		edit  func(*Contest)
		field string
	}{
		{"unknown tie-break", func(c *Contest) { c.TieBreak = "coin" }, "tie_break"},
		{"no tie-break", func(c *Contest) { c.TieBreak = "" }, "tie_break"},
		{"lottery without seed", func(c *Contest) { c.Seed = " " }, "tie_break_seed"},
		{"lower cost without seed", func(c *Contest) { c.TieBreak, c.Seed = comuna.TieLowerCost, "" }, "tie_break_seed"},
		{"negative seats", func(c *Contest) { c.Seats = -1 }, "winners"},
		{"repeated number", func(c *Contest) { c.Projects[1].Number = 1 }, "projects"},
		{"number zero", func(c *Contest) { c.Projects[0].Number = 0 }, "projects"},
		{"negative votes", func(c *Contest) { c.Projects[1].Votes = -1 }, "votes"},
	}
	for _, tt := range tests {
		c := good
		c.Projects = slices.Clone(good.Projects)
		tt.edit(&c)
		got, err := Winners(c)
		if comuna.ErrorCode(err) != comuna.EInvalid || comuna.ErrorField(err) != tt.field || got != nil {
			t.Errorf("%s: Winners = %v, %v; want nil and an invalid %s error", tt.name, got, err, tt.field)
		}
	}
	c := good
	c.TieBreak, c.Seed = comuna.TieBallotNumber, ""
	if _, err := Winners(c); err != nil {
		t.Errorf("ballot-number tie-break without seed: %v; want no error", err)
	}
}
