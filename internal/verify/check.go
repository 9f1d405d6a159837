package verify

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/comuna/comuna/internal/allocation"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/record"
)

// circuit is one circuit recomputed from the log.
type circuit struct {
	code   string
	ballot *logged[*record.Ballot]
	tables []string // of the territory, in order
	sheets []logged[*record.Sheet]
	final  bool
	votes  []int64 // by ballot number, the sum of the sheets'
	// decision is what the circuit funds by the logged rules; nil while
	// the log holds no sheet of it.
	decision *allocation.Decision
	pub      *Circuit
	pubErr   error
	checked  bool
}

// check recomputes one round from its history and compares it with the
// published results, if any.
func check(ctx context.Context, r *round, pub Results) (*RoundReport, []Mismatch, error) {
	rep := &RoundReport{ID: r.id, Phase: string(r.phase), Ballots: len(r.ballots), Sheets: len(r.sheets), Versions: r.versions}
	var ms []Mismatch
	fail := func(circuit, table string, index int64, format string, args ...any) {
		ms = append(ms, Mismatch{Round: r.id, Circuit: circuit, Table: table, Index: index, Message: fmt.Sprintf(format, args...)})
	}
	if r.settings == nil {
		// Rules are logged when the round enters voting; ballots and
		// phase changes come before.
		if len(r.sheets) > 0 {
			fail("", "", -1, "the log holds tally sheets of this round but not its rules")
		}
		return rep, ms, nil
	}
	set := r.settings.rec
	rep.Name = set.Name
	rules := set.Rules()
	if err := rules.Check(); err != nil {
		fail("", "", r.settings.index, "the logged rules cannot decide a circuit: %s", comuna.ErrorMessage(err))
		return rep, ms, nil
	}

	// Circuits: the territory's, and any a ballot or a sheet names.
	cs := map[string]*circuit{}
	get := func(code string) *circuit {
		c := cs[code]
		if c == nil {
			c = &circuit{code: code}
			cs[code] = c
		}
		return c
	}
	if r.territory != nil {
		for _, tc := range r.territory.rec.Circuits {
			get(tc.Code).tables = tc.Tables
		}
	}
	for code, b := range r.ballots {
		get(code).ballot = &b
	}
	for _, table := range sortedKeys(r.sheets) {
		s := r.sheets[table]
		sh := s.rec.Sheet
		code := sh.Circuit
		if r.territory != nil {
			want, ok := r.circuitOf[table]
			switch {
			case !ok:
				fail(sh.Circuit, table, s.index, "the sheet's table is not in the round's territory")
			case want != sh.Circuit:
				fail(sh.Circuit, table, s.index, "the sheet names circuit %s, but the territory puts the table in %s", sh.Circuit, want)
				code = want
			}
		}
		if valid := sh.Valid(); valid+sh.Blank+sh.Null != sh.Cast || sh.Cast+sh.Unused != sh.Received {
			fail(code, table, s.index, "the sheet does not add up: %d votes + %d blank + %d null against %d cast, %d cast + %d unused against %d received",
				valid, sh.Blank, sh.Null, sh.Cast, sh.Cast, sh.Unused, sh.Received)
		}
		c := get(code)
		c.sheets = append(c.sheets, s)
		rep.Totals.Cast += sh.Cast
		rep.Totals.Valid += sh.Valid()
		rep.Totals.Blank += sh.Blank
		rep.Totals.Null += sh.Null
	}

	codes := sortedKeys(cs)
	for _, code := range codes {
		c := cs[code]
		if c.ballot == nil {
			for _, s := range c.sheets {
				fail(code, s.rec.Sheet.Table, s.index, "a sheet of a circuit with no logged ballot")
			}
			continue
		}
		items := c.ballot.rec.Items
		in := &allocation.Circuit{Rules: rules, Code: code, Projects: make([]allocation.Project, len(items))}
		for i, it := range items {
			in.Projects[i] = allocation.Project{Number: it.Number, ProposalID: it.ProposalID, Title: it.Title, Cost: it.Cost}
		}
		c.votes = make([]int64, len(items))
		ok := true
		for _, s := range c.sheets {
			votes := s.rec.Sheet.Votes
			if len(votes) != len(items) {
				fail(code, s.rec.Sheet.Table, s.index, "the sheet has %d counts, but the ballot (record %d) has %d projects", len(votes), c.ballot.index, len(items))
				ok = false
				continue
			}
			for i, v := range votes {
				c.votes[i] += v
			}
			in.Blank += s.rec.Sheet.Blank
		}
		if !ok {
			continue
		}
		c.final = len(c.tables) > 0 && len(c.sheets) == len(c.tables)
		c.checked = true
		rep.Circuits++
		if len(c.sheets) == 0 {
			continue // nothing to decide yet, as the results have it
		}
		in.Votes = c.votes
		d, err := allocation.Decide(in)
		if err != nil {
			fail(code, "", r.settings.index, "what the circuit funds cannot be decided: %s", comuna.ErrorMessage(err))
			c.checked = false
			rep.Circuits--
			continue
		}
		c.decision = d
		if c.final {
			rep.Final++
			rep.Funded += len(d.Funded)
		}
	}
	if pub == nil {
		return rep, ms, nil
	}

	if err := fetchCircuits(ctx, pub, r.id, cs, codes); err != nil {
		return nil, nil, err
	}
	for _, code := range codes {
		c := cs[code]
		if !c.checked {
			continue
		}
		if c.pubErr != nil {
			if comuna.ErrorCode(c.pubErr) != comuna.ENotFound {
				return nil, nil, c.pubErr
			}
			fail(code, "", c.ballot.index, "the circuit's results are not published")
			continue
		}
		rep.Compared++
		ms = append(ms, compareCircuit(r.id, c)...)
	}
	n, err := pub.Nation(ctx, r.id)
	if comuna.ErrorCode(err) == comuna.ENotFound {
		fail("", "", -1, "the national results are not published")
	} else if err != nil {
		return nil, nil, err
	} else if got := (Totals{n.Cast, n.Valid, n.Blank, n.Null}); got != rep.Totals {
		fail("", "", -1, "published national totals %s differ from the log's %s", got, rep.Totals)
	}
	return rep, ms, nil
}

// String shows totals as a report line does.
func (t Totals) String() string {
	return fmt.Sprintf("cast %d, valid %d, blank %d, null %d", t.Cast, t.Valid, t.Blank, t.Null)
}

// compareCircuit compares a recomputed circuit with its published results,
// table by table, then project by project.
func compareCircuit(roundID int64, c *circuit) []Mismatch {
	var ms []Mismatch
	fail := func(table string, index int64, format string, args ...any) {
		ms = append(ms, Mismatch{Round: roundID, Circuit: c.code, Table: table, Index: index, Message: fmt.Sprintf(format, args...)})
	}
	published := map[string][]int64{}
	for _, t := range c.pub.Children {
		if t.Votes != nil {
			published[t.Code] = t.Votes
		}
	}
	inLog := map[string]bool{}
	for _, s := range c.sheets {
		sh := s.rec.Sheet
		inLog[sh.Table] = true
		got, ok := published[sh.Table]
		switch {
		case !ok:
			fail(sh.Table, s.index, "the log's sheet (version %d) is missing from the published results", s.rec.Version)
		case !slices.Equal(got, sh.Votes):
			fail(sh.Table, s.index, "published votes %v, but the log's sheet (version %d) says %v", got, s.rec.Version, sh.Votes)
		}
	}
	for _, table := range sortedKeys(published) {
		if !inLog[table] {
			fail(table, -1, "published votes %v for a table with no sheet in the log", published[table])
		}
	}
	byNumber := map[int]Project{}
	for _, p := range c.pub.Node.Projects {
		byNumber[p.Number] = p
	}
	for i, it := range c.ballot.rec.Items {
		got, ok := byNumber[it.Number]
		switch {
		case !ok:
			fail("", c.ballot.index, "project %d is not in the published results", it.Number)
		case got.Votes != c.votes[i]:
			fail("", -1, "project %d: published %d votes, the log's sheets add up to %d", it.Number, got.Votes, c.votes[i])
		case got.Won != (c.decision != nil && c.decision.Won(it.Number)):
			fail("", -1, "project %d: published funded=%v, but the round's logged rules give funded=%v", it.Number, got.Won, !got.Won)
		}
	}
	if len(c.pub.Node.Projects) != len(c.ballot.rec.Items) {
		fail("", c.ballot.index, "%d projects published, %d on the logged ballot", len(c.pub.Node.Projects), len(c.ballot.rec.Items))
	}
	ms = append(ms, compareDecision(roundID, c)...)
	return ms
}

// compareDecision compares the published funded projects, in their order
// and with their amounts, with the decision the logged rules give.
func compareDecision(roundID int64, c *circuit) []Mismatch {
	var want []string
	rule := "none yet"
	if d := c.decision; d != nil {
		rule = string(d.Rule)
		for _, f := range d.Funded {
			want = append(want, fundedString(f.Number, f.Amount.Plain()))
		}
	}
	var got []string
	if d := c.pub.Node.Decision; d != nil {
		for _, f := range d.Funded {
			got = append(got, fundedString(f.Number, f.Amount))
		}
	}
	if slices.Equal(got, want) {
		return nil
	}
	msg := fmt.Sprintf("published funded projects %v, but the round's logged rule (%s) funds %v", orNone(got), rule, orNone(want))
	if c.decision == nil && len(c.sheets) == 0 {
		msg += "; the log holds no tally sheet of the circuit, so nothing it funds can be verified"
	}
	return []Mismatch{{Round: roundID, Circuit: c.code, Index: -1, Message: msg}}
}

// fundedString writes a funded project as "No. 2 (10000.00)".
func fundedString(number int, amount string) string {
	return fmt.Sprintf("No. %d (%s)", number, amount)
}

func orNone(s []string) any {
	if len(s) == 0 {
		return "none"
	}
	return s
}

// fetchCircuits reads the published results of every recomputed circuit,
// a few at a time.
func fetchCircuits(ctx context.Context, pub Results, roundID int64, cs map[string]*circuit, codes []string) error {
	next := make(chan *circuit)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				c.pub, c.pubErr = pub.Circuit(ctx, roundID, c.code)
			}
		}()
	}
	for _, code := range codes {
		if c := cs[code]; c.checked {
			next <- c
		}
	}
	close(next)
	wg.Wait()
	return ctx.Err()
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
