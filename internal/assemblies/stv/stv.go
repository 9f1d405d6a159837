// Package stv counts elections of several seats: single transferable vote
// exactly as three reference rules define it — "scotland" (the Scottish Local
// Government Elections Order 2007, rules 45–52), "meek-prf" and "wigm-prf"
// (the Proportional Representation Foundation's reference Meek and weighted
// inclusive Gregory rules) — each with its own fixed-point arithmetic and
// tie-break order, and plurality at large and approval. A count may carry a
// gender balance (at least a share of the seats for each group, where the
// candidates allow it, enforced by excluding candidates) and alternates,
// elected in the same count after the principals.
//
// The package is pure: it takes ballots and returns the outcome and a
// round-by-round report.
package stv

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/comuna/comuna/internal/assemblies/blt"
	"github.com/comuna/comuna/internal/comuna"
)

// Rule names a counting rule.
type Rule string

// The rules.
const (
	Scotland  Rule = "scotland"
	MeekPRF   Rule = "meek-prf"
	WIGMPRF   Rule = "wigm-prf"
	Plurality Rule = "plurality"
	Approval  Rule = "approval"
)

// Rules lists every rule, in the order the command line shows them.
var Rules = []Rule{Scotland, MeekPRF, WIGMPRF, Plurality, Approval}

// Ballot is Weight identical ballots ranking candidates (indices from 0),
// most preferred first. A ballot with Equal set ranked some candidates
// equally: it is a valid ballot (it counts towards the quota of the rules
// that count ballots) but, as in the reference, it is never credited to any
// candidate.
type Ballot struct {
	Weight  int64
	Ranking []int
	Equal   bool
}

// Election is what a count needs.
type Election struct {
	Names     []string
	Seats     int
	Withdrawn []bool // per candidate; nil means none
	// TieOrder lists the candidates in tie-break order, earliest first: a
	// tie "by lot" goes to the earliest. Nil means the candidates' own order
	// (the reference's order); a real election passes LotOrder of the
	// announced public seed.
	TieOrder []int
	Ballots  []Ballot
	// Balance, when set, asks for at least a share of the seats for each
	// group.
	Balance *Balance
	// Alternates is the number of alternates to elect after the principals.
	Alternates int
}

// Balance is a gender (or any group) balance: each group gets at least
// MinPercent % of the seats (rounded up), as far as its candidates allow.
type Balance struct {
	Groups     []string // per candidate; "" for a candidate in no group
	MinPercent int
}

// FromBLT turns a BLT file into an election: withdrawn candidates marked,
// the [tie] order kept, ballots with equal rankings marked Equal.
func FromBLT(f *blt.Election) *Election {
	e := &Election{Names: f.Names, Seats: f.Seats, TieOrder: f.Tie}
	e.Withdrawn = make([]bool, len(f.Names))
	for _, c := range f.Withdrawn {
		e.Withdrawn[c] = true
	}
	e.Ballots = make([]Ballot, len(f.Ballots))
	for i, b := range f.Ballots {
		e.Ballots[i] = Ballot{Weight: b.Weight, Ranking: b.Prefs, Equal: b.HasEqualRanks()}
	}
	return e
}

// Result is the outcome of a count.
type Result struct {
	Rule  Rule
	Seats int
	// Quota is the final quota, written as the rule's arithmetic writes it
	// ("" for plurality and approval).
	Quota      string
	Elected    []int // in order of election
	Alternates []int // in order
	Rounds     []Round
	// Ties lists the ties met and how each was broken, in the reference's
	// words; TiesByLot is set when one was decided by the tie order alone
	// under the Scottish rule.
	Ties      []string
	TiesByLot bool
}

// Round is one stage of the report.
type Round struct {
	Number int
	// Action is "first" (first preferences), "surplus" (a surplus
	// transferred), "exclude" (a candidate excluded and their ballots
	// transferred), "iterate" (Meek: keep values settled), "balance" (a
	// group's remaining candidates excluded once it has its maximum) or
	// "count" (plurality, approval).
	Action    string
	Candidate int // the candidate whose ballots moved; -1 if none
	Quota     string
	Votes     []string // per candidate at the end of the round ("" if withdrawn)
	Transfers []string // per candidate, the change from the round before
	Exhausted string   // value no longer with any candidate
	Elected   []int    // elected in this round
	Excluded  []int    // excluded in this round
	raw       []int64
	rawExh    int64
}

const maxBallots = 1_000_000_000

// validate checks an election before any count.
func (e *Election) validate() error {
	n := len(e.Names)
	if n == 0 {
		return comuna.FieldError("candidates", "no candidates")
	}
	if e.Seats < 1 {
		return comuna.FieldError("seats", "want at least one seat, got %d", e.Seats)
	}
	if e.Withdrawn != nil && len(e.Withdrawn) != n {
		return comuna.Errorf(comuna.EInvalid, "withdrawn: %d marks for %d candidates", len(e.Withdrawn), n)
	}
	if e.TieOrder != nil {
		if len(e.TieOrder) != n {
			return comuna.FieldError("tie", "the tie order lists %d candidates of %d", len(e.TieOrder), n)
		}
		seen := make([]bool, n)
		for _, c := range e.TieOrder {
			if c < 0 || c >= n || seen[c] {
				return comuna.FieldError("tie", "the tie order is not a permutation of the candidates")
			}
			seen[c] = true
		}
	}
	if e.Alternates < 0 {
		return comuna.FieldError("alternates", "want 0 or more, got %d", e.Alternates)
	}
	if b := e.Balance; b != nil {
		if len(b.Groups) != n {
			return comuna.FieldError("groups", "%d groups for %d candidates", len(b.Groups), n)
		}
		if b.MinPercent < 0 || b.MinPercent > 100 {
			return comuna.FieldError("balance", "want a share from 0 to 100 %%, got %d", b.MinPercent)
		}
	}
	var total int64
	seen := make([]int, n) // the ballot that last ranked each candidate
	for i, b := range e.Ballots {
		if b.Weight < 0 {
			return comuna.Errorf(comuna.EInvalid, "ballot %d: negative weight", i+1)
		}
		total += b.Weight
		if total > maxBallots {
			return comuna.Errorf(comuna.EInvalid, "more than %d ballots", maxBallots)
		}
		for _, c := range b.Ranking {
			if c < 0 || c >= n {
				return comuna.Errorf(comuna.EInvalid, "ballot %d: no candidate %d", i+1, c+1)
			}
			if seen[c] == i+1 {
				return comuna.Errorf(comuna.EInvalid, "ballot %d ranks candidate %d twice", i+1, c+1)
			}
			seen[c] = i + 1
		}
	}
	return nil
}

// Count counts the election under the rule.
func Count(e *Election, rule Rule) (*Result, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	var r *Result
	switch rule {
	case Scotland, WIGMPRF:
		r = countGregory(e, rule)
	case MeekPRF:
		r = countMeek(e)
	case Plurality, Approval:
		r = countMarks(e, rule)
	default:
		return nil, comuna.FieldError("rule", "unknown rule %q: want scotland, meek-prf, wigm-prf, plurality or approval", rule)
	}
	r.finishReport()
	return r, nil
}

// finishReport fills in each round's transfers.
func (r *Result) finishReport() {
	for i := range r.Rounds {
		rd := &r.Rounds[i]
		rd.Transfers = make([]string, len(rd.raw))
		if i == 0 {
			continue
		}
		prev := r.Rounds[i-1].raw
		for c := range rd.raw {
			if rd.Votes[c] == "" {
				continue
			}
			d := rd.raw[c] - prev[c]
			if d != 0 {
				rd.Transfers[c] = signed(r.arith(), d)
			}
		}
	}
}

func signed(f fixed, d int64) string {
	if d > 0 {
		return "+" + f.format(d)
	}
	return f.format(d)
}

func (r *Result) arith() fixed {
	switch r.Rule {
	case Scotland:
		return newFixed(5)
	case MeekPRF:
		return newFixed(9)
	case WIGMPRF:
		return newFixed(4)
	}
	return newFixed(0)
}

// tieRank returns each candidate's place in the tie order.
func (e *Election) tieRank() []int {
	n := len(e.Names)
	rank := make([]int, n)
	if e.TieOrder == nil {
		for i := range rank {
			rank[i] = i
		}
		return rank
	}
	for i, c := range e.TieOrder {
		rank[c] = i
	}
	return rank
}

// LotOrder is the tie-break order drawn from an announced public seed: a
// Fisher–Yates shuffle of the n candidates driven by SHA-256 of the seed and
// a counter, so anyone holding the seed draws the same order.
func LotOrder(seed string, n int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	var ctr uint64
	draw := func(bound uint64) uint64 {
		// rejection sampling keeps every order equally likely
		limit := ^uint64(0) - ^uint64(0)%bound
		for {
			var buf [8]byte
			binary.BigEndian.PutUint64(buf[:], ctr)
			ctr++
			h := sha256.Sum256(append([]byte(seed+"\x00"), buf[:]...))
			v := binary.BigEndian.Uint64(h[:8])
			if v < limit {
				return v % bound
			}
		}
	}
	for i := n - 1; i > 0; i-- {
		j := int(draw(uint64(i + 1)))
		order[i], order[j] = order[j], order[i]
	}
	return order
}

// names joins candidate names for a tie message.
func names(e *Election, cs []int) string {
	s := ""
	for i, c := range cs {
		if i > 0 {
			s += ", "
		}
		s += e.Names[c]
	}
	return s
}

// earliest returns the candidate of cs earliest in the tie order.
func earliest(cs []int, rank []int) int {
	return slices.MinFunc(cs, func(a, b int) int { return rank[a] - rank[b] })
}

// balance tracks the group constraints during a count.
type balance struct {
	group []int // per candidate: group index
	min   []int // per group
	max   []int // per group
}

func newBalance(e *Election) *balance {
	if e.Balance == nil {
		return nil
	}
	idx := map[string]int{}
	b := &balance{group: make([]int, len(e.Names))}
	var counts []int
	for c, g := range e.Balance.Groups {
		i, ok := idx[g]
		if !ok {
			i = len(counts)
			idx[g] = i
			counts = append(counts, 0)
		}
		b.group[c] = i
		if e.Withdrawn == nil || !e.Withdrawn[c] {
			counts[i]++
		}
	}
	b.min = make([]int, len(counts))
	b.max = make([]int, len(counts))
	named := make([]bool, len(counts))
	for g, i := range idx {
		named[i] = g != "" // candidates in no group have no minimum
	}
	// at least the share rounded up; if the groups' minimums then add up to
	// more than the seats (40 % of 3 seats is 2 each), rounded down
	total := 0
	for _, up := range []bool{true, false} {
		total = 0
		for g, n := range counts {
			if !named[g] {
				continue
			}
			m := e.Balance.MinPercent * e.Seats / 100
			if up {
				m = (e.Balance.MinPercent*e.Seats + 99) / 100
			}
			b.min[g] = min(m, n)
			total += b.min[g]
		}
		if total <= e.Seats {
			break
		}
	}
	for g := range b.max {
		b.max[g] = e.Seats - (total - b.min[g])
	}
	return b
}

// full reports whether c's group already has its maximum of elected.
func (b *balance) full(c int, elected []int) bool {
	if b == nil {
		return false
	}
	g := b.group[c]
	n := 0
	for _, x := range elected {
		if b.group[x] == g {
			n++
		}
	}
	return n >= b.max[g]
}

// protected reports whether excluding hopeful c would leave its group short
// of its minimum.
func (b *balance) protected(c int, elected, hopeful []int) bool {
	if b == nil {
		return false
	}
	g := b.group[c]
	n := 0
	for _, x := range elected {
		if b.group[x] == g {
			n++
		}
	}
	for _, x := range hopeful {
		if b.group[x] == g {
			n++
		}
	}
	return n <= b.min[g]
}

// excludable filters hopeful candidates that may be excluded; if the
// constraints protect all of them, all may be.
func (b *balance) excludable(hopeful, elected []int) []int {
	if b == nil {
		return hopeful
	}
	var out []int
	for _, c := range hopeful {
		if !b.protected(c, elected, hopeful) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return hopeful
	}
	return out
}

// overMax returns the hopeful candidates whose group is already full.
func (b *balance) overMax(hopeful, elected []int) []int {
	if b == nil {
		return nil
	}
	var out []int
	for _, c := range hopeful {
		if b.full(c, elected) {
			out = append(out, c)
		}
	}
	return out
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
