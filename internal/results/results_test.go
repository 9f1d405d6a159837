package results_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/results"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

// The small territory: two states, three circuits, six tables.
//
//	S1 › M1 › P1 › K1 › CC-0001 (councils 100 + 200) ← T1a, T1b
//	                  › CC-0002 (council 400)         ← T2a, T2b
//	S2 › M2 › P2 › K2 › CC-0003 (council, census 0)  ← T3a, T3b
func territory() []comuna.Unit {
	u := func(l comuna.Level, code, parent string) comuna.Unit {
		return comuna.Unit{Level: l, Code: code, Parent: parent, Name: "Name of " + code}
	}
	council := func(code, circuit string, census int64) comuna.Unit {
		c := u(comuna.LevelCouncil, code, circuit)
		c.Census = census
		return c
	}
	table := func(code, centre, circuit string) comuna.Unit {
		t := u(comuna.LevelTable, code, centre)
		t.Circuit = circuit
		return t
	}
	// Out of order on purpose: NewIndex takes units in any order.
	return []comuna.Unit{
		table("T3b", "E2", "CC-0003"), table("T3a", "E2", "CC-0003"),
		table("T2b", "E1", "CC-0002"), table("T2a", "E1", "CC-0002"),
		table("T1b", "E1", "CC-0001"), table("T1a", "E1", "CC-0001"),
		u(comuna.LevelCentre, "E1", "P1"), u(comuna.LevelCentre, "E2", "P2"),
		council("CC1a", "CC-0001", 100), council("CC1b", "CC-0001", 200),
		council("CC2", "CC-0002", 400), council("CC3", "CC-0003", 0),
		u(comuna.LevelCircuit, "CC-0003", "K2"), u(comuna.LevelCircuit, "CC-0002", "K1"), u(comuna.LevelCircuit, "CC-0001", "K1"),
		u(comuna.LevelCommune, "K2", "P2"), u(comuna.LevelCommune, "K1", "P1"),
		u(comuna.LevelParish, "P2", "M2"), u(comuna.LevelParish, "P1", "M1"),
		u(comuna.LevelMunicipality, "M2", "S2"), u(comuna.LevelMunicipality, "M1", "S1"),
		u(comuna.LevelState, "S2", ""), u(comuna.LevelState, "S1", ""),
	}
}

// round 12 with seed "semilla-2025": in circuit CC-0001 the lottery puts
// number 3 before number 1 (see tally's TestLotteryOrder).
func round(tb comuna.TieBreak) *comuna.Round {
	return &comuna.Round{ID: 12, WinnersPerCircuit: 2, AmountPerProject: 1_000_000, TieBreak: tb, TieBreakSeed: "semilla-2025"}
}

func ballots() map[string][]comuna.BallotItem {
	item := func(n int, cost comuna.Cents) comuna.BallotItem {
		return comuna.BallotItem{Number: n, ProposalID: int64(100 + n), Title: fmt.Sprintf("Project %d", n), Cost: cost}
	}
	return map[string][]comuna.BallotItem{
		"CC-0001": {item(1, 500_000), item(2, 700_000), item(3, 900_000)},
		"CC-0002": {item(1, 100_000), item(2, 200_000)},
		"CC-0003": {item(1, 300_000), item(2, 300_000), item(3, 300_000)},
	}
}

func sheet(table string, received, blank, null int64, votes ...int64) tally.Sheet {
	s := tally.Sheet{RoundID: 12, Table: table, Received: received, Blank: blank, Null: null, Votes: votes}
	s.Cast = s.Valid() + blank + null
	s.Unused = received - s.Cast
	return s
}

// sheets: CC-0001 ties numbers 1 and 3 for the second seat; T2b's sheet
// does not fit its ballot and T9 is not in the territory.
func sheets() []tally.Sheet {
	return []tally.Sheet{
		sheet("T1a", 100, 5, 3, 20, 40, 25),
		sheet("T1b", 80, 2, 1, 20, 30, 15),
		sheet("T2a", 20, 1, 0, 10, 5),
		sheet("T2b", 20, 0, 0, 1, 2, 3),
		sheet("T3a", 10, 0, 0, 5, 0, 5),
		sheet("T3b", 5, 0, 0, 0, 3, 0),
		sheet("T9", 5, 0, 0, 1, 1, 1),
	}
}

func counts() map[string]voteday.TableCount {
	return map[string]voteday.TableCount{
		"T1a": {CheckIns: 90, WalkIns: 3, Closed: true},
		"T1b": {CheckIns: 68, Closed: true},
		"T2a": {CheckIns: 16, Closed: true},
		"T2b": {CheckIns: 12},
		"T3a": {CheckIns: 10, Closed: true},
		"T3b": {CheckIns: 3, Closed: true},
		"TX":  {CheckIns: 1},
	}
}

func compute(t *testing.T, tb comuna.TieBreak, ss []tally.Sheet) *results.Results {
	t.Helper()
	idx, err := results.NewIndex(territory())
	if err != nil {
		t.Fatalf("NewIndex: %v", err)
	}
	r, err := results.Compute(idx, round(tb), ballots(), ss, counts(), nil)
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	return r
}

// figures is what a node counts, in a comparable form.
type figures struct {
	Cast, Blank, Null, Valid, Received, Unused int64
	CheckIns, WalkIns                          int64
	Closed, Reported, Expected                 int
	Census                                     int64
	Turnout                                    string
	Circuits, Final, Funded                    int
	Amount                                     comuna.Cents
	Provisional                                bool
}

func figuresOf(n *results.Node) figures {
	return figures{n.Cast, n.Blank, n.Null, n.Valid, n.Received, n.Unused, n.CheckIns, n.WalkIns,
		n.TablesClosed, n.TablesReported, n.TablesExpected, n.Census, n.TurnoutText,
		n.Circuits, n.CircuitsFinal, n.Funded, n.FundedAmount, n.Provisional}
}

func TestSums(t *testing.T) {
	r := compute(t, comuna.TieLottery, sheets())
	s1 := figures{177, 8, 4, 165, 200, 23, 186, 3, 3, 3, 4, 700, "25.3%", 2, 1, 2, 2_000_000, true}
	s2 := figures{13, 0, 0, 13, 15, 2, 13, 0, 2, 2, 2, 0, "n/a", 1, 1, 2, 2_000_000, false}
	tests := []struct {
		level comuna.Level
		code  string
		want  figures
	}{
		{comuna.LevelTable, "T1a", figures{93, 5, 3, 85, 100, 7, 90, 3, 1, 1, 1, 0, "n/a", 0, 0, 0, 0, false}},
		{comuna.LevelTable, "T2b", figures{0, 0, 0, 0, 0, 0, 12, 0, 0, 0, 1, 0, "n/a", 0, 0, 0, 0, true}},
		{comuna.LevelCircuit, "CC-0001", figures{161, 7, 4, 150, 180, 19, 158, 3, 2, 2, 2, 300, "53.7%", 1, 1, 2, 2_000_000, false}},
		{comuna.LevelCircuit, "CC-0002", figures{16, 1, 0, 15, 20, 4, 28, 0, 1, 1, 2, 400, "4.0%", 1, 0, 0, 0, true}},
		{comuna.LevelCircuit, "CC-0003", s2},
		{comuna.LevelCommune, "K1", s1},
		{comuna.LevelParish, "P1", s1},
		{comuna.LevelMunicipality, "M1", s1},
		{comuna.LevelState, "S1", s1},
		{comuna.LevelCommune, "K2", s2},
		{comuna.LevelState, "S2", s2},
		{results.LevelNation, "", figures{190, 8, 4, 178, 215, 25, 199, 3, 5, 5, 6, 700, "27.1%", 3, 2, 4, 4_000_000, true}},
	}
	for _, tt := range tests {
		n, ok := r.Node(tt.level, tt.code)
		if !ok {
			t.Errorf("Node(%s, %q) not found", tt.level, tt.code)
			continue
		}
		if got := figuresOf(n); got != tt.want {
			t.Errorf("%s %q:\n got %+v\nwant %+v", tt.level, tt.code, got, tt.want)
		}
	}
	if got, want := r.Nation().Turnout, 190.0/700; got != want {
		t.Errorf("nation Turnout = %v, want %v", got, want)
	}
	if n, _ := r.Node(comuna.LevelTable, "T1a"); !slices.Equal(n.Votes, []int64{20, 40, 25}) {
		t.Errorf("T1a Votes = %v, want [20 40 25]", n.Votes)
	}
}

// ranking writes a circuit's decision as the funded numbers in order,
// each with T if it is tied with the first project left out and funded by
// the tie-break, then P if the circuit is provisional: "2 3T".
func ranking(n *results.Node) string {
	var parts []string
	for _, f := range n.Decision.Funded {
		s := fmt.Sprint(f.Number)
		for _, e := range n.Decision.Projects {
			if e.Number == f.Number && e.Margin == 0 && e.Reason == "selected" && len(n.Decision.Funded) < len(n.Decision.Projects) {
				s += "T"
			}
		}
		parts = append(parts, s)
	}
	out := strings.Join(parts, " ")
	if n.Provisional {
		out += " P"
	}
	return out
}

func TestDecision(t *testing.T) {
	// CC-0001 has 40, 70, 40 votes for numbers 1, 2, 3: numbers 1 and 3
	// tie for the second seat, and the round's tie-break decides.
	tests := []struct {
		tb   comuna.TieBreak
		want string
	}{
		{comuna.TieLottery, "2 3T"},      // the lottery draws 3 before 1
		{comuna.TieLowerCost, "2 1T"},    // number 1 is cheaper
		{comuna.TieBallotNumber, "2 1T"}, // number 1 is lower
	}
	for _, tt := range tests {
		r := compute(t, tt.tb, sheets())
		c1, _ := r.Node(comuna.LevelCircuit, "CC-0001")
		if got := ranking(c1); got != tt.want {
			t.Errorf("%s: CC-0001 winners = %q, want %q", tt.tb, got, tt.want)
		}
		if c1.Provisional {
			t.Errorf("%s: CC-0001 is provisional with every table reported", tt.tb)
		}
	}

	r := compute(t, comuna.TieLottery, sheets())
	c1, _ := r.Node(comuna.LevelCircuit, "CC-0001")
	wantProjects := []results.ProjectResult{
		{Number: 1, ProposalID: 101, Title: "Project 1", Cost: 500_000, Votes: 40, Share: 40.0 / 150},
		{Number: 2, ProposalID: 102, Title: "Project 2", Cost: 700_000, Votes: 70, Share: 70.0 / 150, Won: true, Position: 1, Amount: 1_000_000},
		{Number: 3, ProposalID: 103, Title: "Project 3", Cost: 900_000, Votes: 40, Share: 40.0 / 150, Won: true, Position: 2, Amount: 1_000_000},
	}
	if !slices.Equal(c1.Projects, wantProjects) {
		t.Errorf("CC-0001 projects:\n got %+v\nwant %+v", c1.Projects, wantProjects)
	}
	// CC-0002: one of two tables reported, so its winners are provisional
	// and not counted as funded.
	c2, _ := r.Node(comuna.LevelCircuit, "CC-0002")
	if got, want := ranking(c2), "1 2 P"; got != want {
		t.Errorf("CC-0002 winners = %q, want %q", got, want)
	}
	if !c2.Provisional || c2.Funded != 0 {
		t.Errorf("CC-0002 Provisional, Funded = %v, %d; want true, 0", c2.Provisional, c2.Funded)
	}
}

func TestNoSheetsNoDecision(t *testing.T) {
	r := compute(t, comuna.TieLottery, nil)
	c1, _ := r.Node(comuna.LevelCircuit, "CC-0001")
	if c1.Decision != nil || !c1.Provisional || len(c1.Projects) != 3 {
		t.Errorf("CC-0001 with no sheets: Decision %v, Provisional %v, %d projects; want nil, true, 3", c1.Decision, c1.Provisional, len(c1.Projects))
	}
	if n := r.Nation(); n.TablesReported != 0 || n.CheckIns != 199 || n.TurnoutText != "0.0%" {
		t.Errorf("nation with no sheets: reported %d, check-ins %d, turnout %q; want 0, 199, 0.0%%", n.TablesReported, n.CheckIns, n.TurnoutText)
	}
}

func TestProblems(t *testing.T) {
	r := compute(t, comuna.TieLottery, sheets())
	want := []results.Problem{
		{Table: "T2b", Circuit: "CC-0002", Message: "the sheet has 3 vote counts, but the circuit's ballot has 2 projects"},
		{Table: "T9", Message: "the sheet's table is not in the round's territory"},
		{Table: "TX", Message: "poll-book counts for a table that is not in the round's territory"},
	}
	if !slices.Equal(r.Problems, want) {
		t.Errorf("Problems:\n got %+v\nwant %+v", r.Problems, want)
	}
}

// TestSheetLeftOut checks each guard: the bad sheet is reported and the
// results are as if it had not been given.
func TestSheetLeftOut(t *testing.T) {
	base := compute(t, comuna.TieLottery, sheets()).Nation().Cast
	tests := []struct {
		name  string
		sheet tally.Sheet
		want  string
	}{
		{"other round", func() tally.Sheet { s := sheet("T2b", 20, 0, 0, 1, 2); s.RoundID = 13; return s }(), "the sheet is of round 13, not round 12"},
		{"other circuit", func() tally.Sheet { s := sheet("T2b", 20, 0, 0, 1, 2); s.Circuit = "CC-0001"; return s }(), `the sheet names circuit "CC-0001", but the table serves circuit "CC-0002"`},
		{"too few votes", sheet("T2b", 20, 0, 0, 1), "the sheet has 1 vote counts, but the circuit's ballot has 2 projects"},
		{"negative", sheet("T2b", 20, 0, 0, 1, -2), "the sheet has a negative count"},
		{"second sheet", sheet("T1a", 20, 0, 0, 1, 2, 3), "a second current sheet for the table; only the first is counted"},
	}
	for _, tt := range tests {
		r := compute(t, comuna.TieLottery, append(sheets(), tt.sheet))
		found := false
		for _, p := range r.Problems {
			found = found || p.Table == tt.sheet.Table && p.Message == tt.want
		}
		if !found {
			t.Errorf("%s: Problems = %+v, want one for %s: %q", tt.name, r.Problems, tt.sheet.Table, tt.want)
		}
		if got := r.Nation().Cast; got != base {
			t.Errorf("%s: nation Cast = %d, want %d (the sheet left out)", tt.name, got, base)
		}
	}
}

func TestNoBallot(t *testing.T) {
	idx, _ := results.NewIndex(territory())
	bs := ballots()
	delete(bs, "CC-0003")
	r, err := results.Compute(idx, round(comuna.TieLottery), bs, sheets(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	c3, _ := r.Node(comuna.LevelCircuit, "CC-0003")
	if c3.TablesReported != 0 || c3.Projects != nil || c3.Decision != nil {
		t.Errorf("CC-0003 without a ballot: reported %d, projects %v, decision %v; want 0, none, none", c3.TablesReported, c3.Projects, c3.Decision)
	}
	want := "the circuit has no ballot, but the sheet has 3 vote counts"
	if n := strings.Count(fmt.Sprint(r.Problems), want); n != 2 {
		t.Errorf("Problems = %+v, want %q for T3a and T3b", r.Problems, want)
	}
}

func TestComputeBadRound(t *testing.T) {
	idx, _ := results.NewIndex(territory())
	rd := round(comuna.TieLottery)
	rd.TieBreakSeed = ""
	if _, err := results.Compute(idx, rd, ballots(), sheets(), counts(), nil); comuna.ErrorCode(err) != comuna.EInvalid {
		t.Errorf("Compute with a lottery and no seed: error %v, want code %s", err, comuna.EInvalid)
	}
}

// TestOverCensus is part of finding 1 of issue 8: a circuit whose
// check-ins and walk-ins pass its census 15+ is flagged, never silently
// accepted; a unit of unknown census is not.
func TestOverCensus(t *testing.T) {
	idx, _ := results.NewIndex(territory())
	cs := counts()
	cs["T1a"] = voteday.TableCount{CheckIns: 221, WalkIns: 12, Closed: true} // CC-0001: 233 + 68 = 301 of 300
	cs["T3a"] = voteday.TableCount{CheckIns: 5000, Closed: true}             // CC-0003: census unknown
	r, err := results.Compute(idx, round(comuna.TieLottery), ballots(), sheets(), cs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		level comuna.Level
		code  string
		want  bool
	}{
		{comuna.LevelCircuit, "CC-0001", true},
		{comuna.LevelCircuit, "CC-0002", false},
		{comuna.LevelCircuit, "CC-0003", false},
		{comuna.LevelCommune, "K1", false}, // 329 of 700
	} {
		n, _ := r.Node(tt.level, tt.code)
		if n.OverCensus != tt.want {
			t.Errorf("%s %s: %d + %d admitted of census %d, OverCensus = %v, want %v", tt.level, tt.code, n.CheckIns, n.WalkIns, n.Census, n.OverCensus, tt.want)
		}
	}
}
