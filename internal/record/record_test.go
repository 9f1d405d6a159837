package record

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/translog"
)

var at = time.Date(2025, 4, 27, 19, 2, 11, 250e6, time.UTC)

func examples() []Record {
	sh := tally.Sheet{RoundID: 7, Table: "MESA-0001", Circuit: "CC-0001", Received: 300, Cast: 250,
		Votes: []int64{120, 80, 30}, Blank: 12, Null: 8, Unused: 50, Members: []string{"Ana Pérez"}}
	return []Record{
		&Round{ID: 7, Name: "Consulta \"2025-1\"", VoteDate: time.Date(2025, 4, 27, 0, 0, 0, 0, time.UTC), MinAge: 15,
			BallotSize: 7, Winners: 2, Amount: 1000000, Currency: "USD", ExchangeRate: "36.50",
			TieBreak: comuna.TieLottery, TieBreakSeed: "seed", VoteRule: comuna.RuleChooseOne, TerritoryVersion: 3},
		&Round{ID: 8, Name: "Presupuesto 2026", MinAge: 16, BallotSize: 40, Winners: 1, Amount: 0, Currency: "EUR", ExchangeRate: "1",
			TieBreak: comuna.TieBallotNumber, VoteRule: comuna.RuleApproval, TerritoryVersion: 4,
			Allocation: comuna.Allocation{Rule: comuna.AllocMES, Sat: "cost", Completion: "add1", Fill: "greedy", Budget: 5_000_000}},
		&Territory{RoundID: 7, TerritoryVersion: 3, Circuits: []Circuit{
			{Code: "CC 0001", Census: 1200, Tables: []string{"MESA-0001", "MESA-0002"}},
			{Code: "CC-0002", Census: 0}}},
		&Phase{RoundID: 7, From: comuna.PhaseBallots, To: comuna.PhaseVoting, At: at, By: "admin"},
		&Ballot{RoundID: 7, Circuit: "CC-0001", Version: 2, Published: at, Reason: "typo",
			Items: []Item{{1, 4512, 1000000, "Pozo de agua"}, {2, 4519, 850000, "Muro \"sur\"\n"}}},
		&Sheet{Version: 1, Accepted: at, Signer: "ana", Sheet: sh},
		&Sheet{Version: 3, Accepted: at, Signer: "luis", Reason: "recount", Sheet: sh},
	}
}

func TestGolden(t *testing.T) {
	want := map[string]string{
		KindRound: `comuna round v1
round_id 7
name "Consulta \"2025-1\""
vote_date 2025-04-27
min_age 15
max_age 0
ballot_size 7
winners 2
amount 1000000
currency "USD"
exchange_rate "36.50"
tie_break "lottery"
tie_break_seed "seed"
vote_rule "choose-one"
territory_version 3
`,
		KindTerritory: `comuna territory v1
round_id 7
territory_version 3
circuit "CC 0001" 1200
table "MESA-0001"
table "MESA-0002"
circuit "CC-0002" 0
`,
		KindPhase: `comuna phase v1
round_id 7
from "ballots"
to "voting"
at 2025-04-27T19:02:11.250Z
by "admin"
`,
		KindBallot: `comuna ballot v1
round_id 7
circuit "CC-0001"
version 2
published 2025-04-27T19:02:11.250Z
reason "typo"
item 1 4512 1000000 "Pozo de agua"
item 2 4519 850000 "Muro \"sur\"\n"
`,
		KindCorrection: `comuna correction v1
version 3
accepted 2025-04-27T19:02:11.250Z
signer "luis"
reason "recount"
comuna tally sheet v1
round_id 7
table "MESA-0001"
circuit "CC-0001"
received 300
cast 250
votes 120 80 30
blank 12
null 8
unused 50
member "Ana Pérez"
photo_sha256 ""
`,
	}
	for _, r := range examples() {
		w, ok := want[r.Kind()]
		if rr, isRound := r.(*Round); !ok || isRound && rr.ID != 7 {
			continue
		}
		if got := string(r.Body()); got != w {
			t.Errorf("%s Body() =\n%s\nwant\n%s", r.Kind(), got, w)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, r := range examples() {
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
}

func TestDecodeRejects(t *testing.T) {
	enc := func(kind, body string) []byte {
		b, err := translog.EncodeRecord(kind, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	sheet := string(examples()[5].Body())
	corr := string(examples()[6].Body())
	phase := string(examples()[3].Body())
	budget := string(examples()[1].Body())
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"unknown kind", enc("vote", "comuna vote v1\n")},
		{"kind and body differ", enc(KindPhase, string(examples()[0].Body()))},
		{"sheet logged as correction", enc(KindCorrection, sheet)},
		{"correction logged as sheet", enc(KindSheet, corr)},
		{"sheet version 2", enc(KindSheet, strings.Replace(sheet, "version 1", "version 2", 1))},
		{"correction version 1", enc(KindCorrection, strings.Replace(corr, "version 3", "version 1", 1))},
		{"leading zero", enc(KindPhase, strings.Replace(phase, "round_id 7", "round_id 07", 1))},
		{"time not UTC", enc(KindPhase, strings.Replace(phase, ".250Z", ".250+01:00", 1))},
		{"time without ms", enc(KindPhase, strings.Replace(phase, ".250Z", "Z", 1))},
		{"unquoted", enc(KindPhase, strings.Replace(phase, `"admin"`, "admin", 1))},
		{"odd quoting", enc(KindPhase, strings.Replace(phase, `"admin"`, `"\x61dmin"`, 1))},
		{"extra line", enc(KindPhase, phase+"x 1\n")},
		{"missing newline", enc(KindPhase, strings.TrimSuffix(phase, "\n"))},
		{"unsorted circuits", enc(KindTerritory, "comuna territory v1\nround_id 1\nterritory_version 1\ncircuit \"B\" 1\ncircuit \"A\" 1\n")},
		{"duplicate table", enc(KindTerritory, "comuna territory v1\nround_id 1\nterritory_version 1\ncircuit \"A\" 1\ntable \"T\"\ntable \"T\"\n")},
		{"edited tally", enc(KindSheet, strings.Replace(sheet, "votes 120 80 30", "votes 120 80 030", 1))},
		{"no tally", enc(KindSheet, "comuna sheet v1\nversion 1\n")},
		{"empty allocation rule", enc(KindRound, strings.Replace(budget, `alloc_rule "mes"`, `alloc_rule ""`, 1))},
		{"allocation without budget", enc(KindRound, strings.Replace(budget, "alloc_budget 5000000\n", "", 1))},
		{"allocation fields out of order", enc(KindRound, strings.Replace(budget, "alloc_sat \"cost\"\nalloc_completion \"add1\"", "alloc_completion \"add1\"\nalloc_sat \"cost\"", 1))},
	} {
		if r, err := Decode(tc.data); comuna.ErrorCode(err) != comuna.EInvalid {
			t.Errorf("%s: Decode = %+v, %v; want an %s error", tc.name, r, err, comuna.EInvalid)
		}
	}
}

func TestTerritorySortAndCount(t *testing.T) {
	tr := &Territory{Circuits: []Circuit{{Code: "B", Tables: []string{"T2", "T1"}}, {Code: "A", Tables: []string{"T3"}}}}
	tr.Sort()
	if tr.Circuits[0].Code != "A" || tr.Circuits[1].Tables[0] != "T1" || tr.Tables() != 3 {
		t.Errorf("after Sort: %+v, %d tables; want A first, T1 before T2, 3 tables", tr.Circuits, tr.Tables())
	}
	if _, err := ParseTerritory(tr.Body()); err != nil {
		t.Errorf("ParseTerritory(sorted) = %v", err)
	}
}

// TestRoundAllocation checks that a round's allocation is logged after
// the older fields, and that a record logged before rounds chose an
// allocation still parses, encodes to the same bytes and decides by top-k.
func TestRoundAllocation(t *testing.T) {
	body := string(examples()[1].Body())
	want := `territory_version 4
alloc_rule "mes"
alloc_sat "cost"
alloc_completion "add1"
alloc_fill "greedy"
alloc_budget 5000000
`
	if !strings.HasSuffix(body, want) {
		t.Errorf("round body =\n%s\nwant it to end with\n%s", body, want)
	}
	old := examples()[0].(*Round)
	if strings.Contains(string(old.Body()), "alloc_") {
		t.Errorf("a round without an allocation writes allocation fields:\n%s", old.Body())
	}
	back, err := ParseRound(old.Body())
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Rules(); got.Rule() != comuna.AllocTopK || got.Winners != 2 || got.Amount != 1000000 || got.Seed != "seed" || got.RoundID != 7 {
		t.Errorf("Rules() of an older record = %+v, want top-k with 2 winners of 1000000", got)
	}
	if got := examples()[1].(*Round).Rules(); got.Rule() != comuna.AllocMES || got.Allocation.Budget != 5_000_000 || got.Allocation.Fill != "greedy" {
		t.Errorf("Rules() = %+v, want MES with its settings", got)
	}
	// A round of a vote rule whose default is greedy logs its rule.
	nr := NewRound(&comuna.Round{ID: 3, VoteRule: comuna.RuleApproval, Allocation: comuna.Allocation{Budget: 100}})
	if nr.Allocation.Rule != comuna.AllocGreedy {
		t.Errorf("NewRound allocation rule = %q, want greedy", nr.Allocation.Rule)
	}
	if nr := NewRound(&comuna.Round{ID: 3, VoteRule: comuna.RuleChooseOne}); nr.Allocation.Rule != comuna.AllocTopK {
		t.Errorf("NewRound of a consultation: allocation rule = %q, want topk", nr.Allocation.Rule)
	}
}

func TestNewRoundKeepsDateOnly(t *testing.T) {
	r := NewRound(&comuna.Round{ID: 1, VoteDate: time.Date(2025, 4, 27, 13, 0, 0, 0, time.UTC)})
	if got := r.VoteDate; !got.Equal(time.Date(2025, 4, 27, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("NewRound vote date = %v, want midnight", got)
	}
	if _, err := ParseRound((&Round{}).Body()); err != nil {
		t.Errorf("ParseRound(zero round) = %v", err)
	}
}

// FuzzDecode checks that Decode never panics and that whatever it accepts
// encodes back to the same bytes.
func FuzzDecode(f *testing.F) {
	for _, r := range examples() {
		data, _ := Encode(r)
		f.Add(data)
	}
	f.Add([]byte("comuna-record v1\nphase\n0\n"))
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
