package record

import (
	"time"

	"github.com/comuna/comuna/internal/allocation"
	"github.com/comuna/comuna/internal/comuna"
)

// Round is a round's rules that decide its results, logged when the round
// enters the voting phase. Body:
//
//	comuna round v1
//	round_id 7
//	name "Consulta 2025-1"
//	vote_date 2025-04-27
//	min_age 15
//	max_age 0
//	ballot_size 7
//	winners 2
//	amount 1000000              (cents per winning project)
//	currency "USD"
//	exchange_rate "36.50"
//	tie_break "lottery"
//	tie_break_seed "…"
//	vote_rule "choose-one"
//	territory_version 3
//	alloc_rule "greedy"         (the allocation, from here on; absent from
//	alloc_sat ""                 records logged before rounds chose one,
//	alloc_completion ""          which were all decided by top-k)
//	alloc_fill ""
//	alloc_budget 5000000        (cents per circuit; 0 for none)
type Round struct {
	ID               int64
	Name             string
	VoteDate         time.Time // date only, UTC midnight
	MinAge, MaxAge   int
	BallotSize       int
	Winners          int // projects funded per circuit
	Amount           comuna.Cents
	Currency         string
	ExchangeRate     string
	TieBreak         comuna.TieBreak
	TieBreakSeed     string
	VoteRule         comuna.VoteRule
	TerritoryVersion int64
	// Allocation is how votes become funded projects; a zero Allocation
	// (an older record) is top-k.
	Allocation comuna.Allocation
}

// NewRound returns the record of round r's rules.
func NewRound(r *comuna.Round) *Round {
	d := r.VoteDate
	if !d.IsZero() {
		d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	}
	rec := &Round{ID: r.ID, Name: r.Name, VoteDate: d, MinAge: r.MinAge, MaxAge: r.MaxAge,
		BallotSize: r.BallotSize, Winners: r.WinnersPerCircuit, Amount: r.AmountPerProject,
		Currency: r.Currency, ExchangeRate: r.ExchangeRate, TieBreak: r.TieBreak,
		TieBreakSeed: r.TieBreakSeed, VoteRule: r.VoteRule, TerritoryVersion: r.TerritoryVersion,
		Allocation: r.Allocation}
	rec.Allocation.Rule = r.EffectiveRule()
	return rec
}

// Rules returns the rules that decide what each circuit funds, as
// allocation.Decide takes them. A record without an allocation rule was
// logged before rounds chose one, when every round was decided by top-k.
func (r *Round) Rules() allocation.Rules {
	a := r.Allocation
	if a.Rule == "" {
		a = comuna.Allocation{Rule: comuna.AllocTopK}
	}
	return allocation.Rules{RoundID: r.ID, VoteRule: r.VoteRule, Allocation: a, Winners: r.Winners,
		Amount: r.Amount, TieBreak: r.TieBreak, Seed: r.TieBreakSeed}
}

// Kind implements Record.
func (*Round) Kind() string { return KindRound }

// Body implements Record.
func (r *Round) Body() []byte {
	w := newWriter(KindRound)
	w.int("round_id", r.ID)
	w.str("name", r.Name)
	date := "-"
	if !r.VoteDate.IsZero() {
		date = r.VoteDate.UTC().Format(time.DateOnly)
	}
	w.raw("vote_date", date)
	w.int("min_age", int64(r.MinAge))
	w.int("max_age", int64(r.MaxAge))
	w.int("ballot_size", int64(r.BallotSize))
	w.int("winners", int64(r.Winners))
	w.int("amount", int64(r.Amount))
	w.str("currency", r.Currency)
	w.str("exchange_rate", r.ExchangeRate)
	w.str("tie_break", string(r.TieBreak))
	w.str("tie_break_seed", r.TieBreakSeed)
	w.str("vote_rule", string(r.VoteRule))
	w.int("territory_version", r.TerritoryVersion)
	if a := r.Allocation; a.Rule != "" {
		w.str("alloc_rule", string(a.Rule))
		w.str("alloc_sat", a.Sat)
		w.str("alloc_completion", a.Completion)
		w.str("alloc_fill", a.Fill)
		w.int("alloc_budget", int64(a.Budget))
	}
	return w.b
}

// ParseRound reads a round record's body; only canonical bytes parse.
func ParseRound(body []byte) (*Round, error) {
	p := newReader(KindRound, body)
	var r Round
	r.ID = p.int("round_id")
	r.Name = p.str("name")
	if d := p.raw("vote_date"); p.err == nil && d != "-" {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			p.fail("vote_date", "%q is not a date like 2025-04-27 or -", d)
		}
		r.VoteDate = t
	}
	r.MinAge = int(p.int("min_age"))
	r.MaxAge = int(p.int("max_age"))
	r.BallotSize = int(p.int("ballot_size"))
	r.Winners = int(p.int("winners"))
	r.Amount = comuna.Cents(p.int("amount"))
	r.Currency = p.str("currency")
	r.ExchangeRate = p.str("exchange_rate")
	r.TieBreak = comuna.TieBreak(p.str("tie_break"))
	r.TieBreakSeed = p.str("tie_break_seed")
	r.VoteRule = comuna.VoteRule(p.str("vote_rule"))
	r.TerritoryVersion = p.int("territory_version")
	if p.peek("alloc_rule") {
		r.Allocation.Rule = comuna.AllocRule(p.str("alloc_rule"))
		r.Allocation.Sat = p.str("alloc_sat")
		r.Allocation.Completion = p.str("alloc_completion")
		r.Allocation.Fill = p.str("alloc_fill")
		r.Allocation.Budget = comuna.Cents(p.int("alloc_budget"))
	}
	if err := p.done(); err != nil {
		return nil, err
	}
	return &r, canonical(KindRound, body, r.Body())
}

// Phase is one phase change of a round. Body:
//
//	comuna phase v1
//	round_id 7
//	from "ballots"
//	to "voting"
//	at 2025-04-27T06:00:00.000Z
//	by "admin"                  ("" when done from the command line)
type Phase struct {
	RoundID  int64
	From, To comuna.Phase
	At       time.Time
	By       string // username
}

// Kind implements Record.
func (*Phase) Kind() string { return KindPhase }

// Body implements Record.
func (p *Phase) Body() []byte {
	w := newWriter(KindPhase)
	w.int("round_id", p.RoundID)
	w.str("from", string(p.From))
	w.str("to", string(p.To))
	w.time("at", p.At)
	w.str("by", p.By)
	return w.b
}

// ParsePhase reads a phase record's body; only canonical bytes parse.
func ParsePhase(body []byte) (*Phase, error) {
	r := newReader(KindPhase, body)
	var p Phase
	p.RoundID = r.int("round_id")
	p.From = comuna.Phase(r.str("from"))
	p.To = comuna.Phase(r.str("to"))
	p.At = r.time("at")
	p.By = r.str("by")
	if err := r.done(); err != nil {
		return nil, err
	}
	return &p, canonical(KindPhase, body, p.Body())
}
