package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/allocation"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/logsource"
	"github.com/comuna/comuna/internal/record"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// logSource serves a translog.Log as a Source, signing checkpoints.
type logSource struct {
	l      *translog.Log
	signer note.Signer
}

func (s logSource) Checkpoint(ctx context.Context) ([]byte, error) {
	return s.l.Checkpoint(ctx, s.signer)
}
func (s logSource) Tile(ctx context.Context, p string) ([]byte, error) {
	return s.l.Tile(ctx, p)
}
func (s logSource) Record(ctx context.Context, n int64) ([]byte, error) { return s.l.Record(ctx, n) }

// synthRound is a synthetic round logged in memory, with the results a
// server would publish for it.
type synthRound struct {
	src     logSource
	vkeys   []string
	sheets  map[string]int64 // table → log index of its sheet
	results map[string]*Circuit
	nation  Node
}

// newSynthRound logs round 1 with circuits of tablesPer tables each, up
// to sheets tables in all, every circuit with a ballot of five projects,
// and computes its published results with allocation.Decide. Its round
// record has no allocation fields, as records logged before rounds chose
// an allocation, so it is decided, and verified, as top-k.
func newSynthRound(tb testing.TB, sheets, tablesPer int) *synthRound {
	tb.Helper()
	ctx := context.Background()
	skey, vkey, err := translog.GenerateKey("comuna.test")
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		tb.Fatal(err)
	}
	l, err := translog.New("comuna.test/log", &translog.MemStorage{})
	if err != nil {
		tb.Fatal(err)
	}
	s := &synthRound{src: logSource{l, signer}, vkeys: []string{vkey}, sheets: map[string]int64{}, results: map[string]*Circuit{}}
	at := time.Date(2026, 3, 1, 18, 0, 0, 0, time.UTC)
	rd := &record.Round{ID: 1, Name: "Consulta sintética", VoteDate: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), MinAge: 15,
		BallotSize: 7, Winners: 2, Amount: 1_000_000, Currency: "USD", TieBreak: comuna.TieLottery, TieBreakSeed: "semilla",
		VoteRule: comuna.RuleChooseOne, TerritoryVersion: 1}
	terr := &record.Territory{RoundID: 1, TerritoryVersion: 1}
	var recs []record.Record
	var ballots []*record.Ballot
	for t := 0; t < sheets; t += tablesPer {
		c := record.Circuit{Code: fmt.Sprintf("CI%05d", t/tablesPer), Census: 1000}
		for k := t; k < min(t+tablesPer, sheets); k++ {
			c.Tables = append(c.Tables, fmt.Sprintf("T%05d", k))
		}
		terr.Circuits = append(terr.Circuits, c)
		b := &record.Ballot{RoundID: 1, Circuit: c.Code, Version: 1, Published: at.Add(-72 * time.Hour)}
		for i := 1; i <= 5; i++ {
			b.Items = append(b.Items, record.Item{Number: i, ProposalID: int64(t*5 + i), Cost: 900_000, Title: fmt.Sprintf("Proyecto %d", i)})
		}
		ballots = append(ballots, b)
	}
	recs = append(recs, rd, terr)
	for _, b := range ballots {
		recs = append(recs, b)
	}
	recs = append(recs, &record.Phase{RoundID: 1, From: comuna.PhaseBallots, To: comuna.PhaseVoting, At: at.Add(-12 * time.Hour), By: "admin"})
	for ci, c := range terr.Circuits {
		pub := &Circuit{Node: Node{Level: "circuit", Code: c.Code}}
		in := &allocation.Circuit{Rules: rd.Rules(), Code: c.Code, Votes: make([]int64, 5)}
		for _, it := range ballots[ci].Items {
			in.Projects = append(in.Projects, allocation.Project{Number: it.Number, ProposalID: it.ProposalID, Cost: it.Cost})
		}
		for k, table := range c.Tables {
			n := ci*tablesPer + k
			votes := []int64{int64(20 + n%7), int64(15 + n%11), int64(10 + n%5), int64(n % 3), int64(5 + n%13)}
			sh := tally.Sheet{RoundID: 1, Table: table, Circuit: c.Code, Votes: votes, Blank: 2, Null: 1, Unused: 10,
				Members: []string{"Ana Pérez", "Luis Díaz"}, Witnesses: []string{"Rosa Gil"}}
			sh.Cast = sh.Valid() + 3
			sh.Received = sh.Cast + 10
			s.sheets[table] = int64(len(recs))
			recs = append(recs, &record.Sheet{Version: 1, Accepted: at, Signer: "mesa", Sheet: sh})
			pub.Children = append(pub.Children, Node{Level: "table", Code: table, Cast: sh.Cast, Valid: sh.Valid(), Blank: 2, Null: 1, Votes: votes})
			for i, v := range votes {
				in.Votes[i] += v
			}
			in.Blank += sh.Blank
			s.nation.Cast += sh.Cast
			s.nation.Valid += sh.Valid()
			s.nation.Blank += 2
			s.nation.Null++
		}
		d, err := allocation.Decide(in)
		if err != nil {
			tb.Fatal(err)
		}
		pub.Node.Decision = &Decision{}
		for _, f := range d.Funded {
			pub.Node.Decision.Funded = append(pub.Node.Decision.Funded, Funded{Number: f.Number, Amount: f.Amount.Plain()})
		}
		for i, p := range in.Projects {
			pub.Node.Projects = append(pub.Node.Projects, Project{Number: p.Number, Votes: in.Votes[i], Won: d.Won(p.Number)})
		}
		s.results[c.Code] = pub
	}
	data := make([][]byte, len(recs))
	for i, r := range recs {
		if data[i], err = record.Encode(r); err != nil {
			tb.Fatal(err)
		}
	}
	for i := 0; i < len(data); i += 1000 {
		if _, err := l.Append(ctx, data[i:min(i+1000, len(data))]...); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

// mirror copies the log and the published results into a new directory,
// laid out as `comuna verify --mirror` leaves it.
func (s *synthRound) mirror(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := logsource.Mirror(context.Background(), s.src, dir); err != nil {
		tb.Fatal(err)
	}
	write := func(file string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		name := filepath.Join(dir, filepath.FromSlash(file))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(name, b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	write(nationFile(1), map[string]any{"nation": s.nation})
	for code, c := range s.results {
		write(circuitFile(1, code), c)
	}
	return dir
}
