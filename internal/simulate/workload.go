package simulate

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"strconv"
	"time"

	"github.com/comuna/comuna/internal/tally"
)

// Table is one table of the round as the public API lists it.
type Table struct {
	Table      string `json:"table"`
	Centre     string `json:"centre"`
	Circuit    string `json:"circuit"`
	BallotSize int    `json:"ballot_size"`
}

// Expected answers of the poll book.
const (
	outcomeAccepted     = "accepted"
	outcomeAlreadyVoted = "already_voted"
	outcomeOutsideAge   = "outside_age"
)

// Attempt is one check-in the simulator makes: the voter's document and
// birth date, the idempotency key, and the answer it must get.
type Attempt struct {
	Table     int // index in the workload's tables
	Number    string
	BirthDate string
	Key       string
	Expect    string
	Source    int // for duplicates: the index of the attempt whose document is reused
}

// body is the check-in's JSON body.
func (a *Attempt) body() []byte {
	b := make([]byte, 0, 128)
	b = append(b, `{"document_type":"V","document_number":"`...)
	b = append(b, a.Number...)
	b = append(b, `","birth_date":"`...)
	b = append(b, a.BirthDate...)
	b = append(b, `","idempotency_key":"`...)
	b = append(b, a.Key...)
	b = append(b, `"}`...)
	return b
}

// Workload is a deterministic vote day: the same settings and seed give
// the same documents, birth dates, keys and tally sheets.
type Workload struct {
	Round    int64
	Seed     uint64
	Tables   []Table
	Voters   []Attempt // regular voters and under-age attempts, interleaved across tables
	Repeats  []Attempt // documents already used at another table: every one must be already_voted
	voteDate time.Time
}

// docSpace is the size of the document-number space; multiplying by an
// odd number modulo a power of two is a bijection, so distinct indexes
// give distinct documents.
const docSpace = 1 << 26

// document returns the n-th document number of the seed: 7 or 8 digits,
// distinct for distinct n below docSpace.
func document(seed uint64, n int) string {
	v := (uint64(n)*2654435761 + seed*40503) % docSpace
	return strconv.FormatUint(1_000_000+v, 10)
}

// mix hashes its parts into a deterministic pseudo-random number.
func mix(parts ...uint64) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for _, p := range parts {
		binary.LittleEndian.PutUint64(b[:], p)
		h.Write(b[:])
	}
	return h.Sum64()
}

// chance reports whether a deterministic draw falls below rate.
func chance(rate float64, parts ...uint64) bool {
	return float64(mix(parts...)%1_000_000) < rate*1_000_000
}

// NewWorkload plans a vote day at tables: perTable voters each, plus
// under-age attempts (a share underAge of the voters) and, in a second
// wave, documents of other tables (a share duplicates). minAge and maxAge
// (0: none) are the round's; birth dates are drawn against voteDate.
func NewWorkload(round int64, seed uint64, tables []Table, perTable int, duplicates, underAge float64, voteDate time.Time, minAge, maxAge int) *Workload {
	w := &Workload{Round: round, Seed: seed, Tables: tables, voteDate: voteDate}
	n := len(tables)
	under := n * perTable // under-age documents come after every voter's
	span := 60
	if maxAge > 0 {
		span = max(1, maxAge-minAge)
	}
	for j := range perTable {
		for ti := range tables {
			idx := ti*perTable + j
			h := mix(seed, uint64(idx), 1)
			age := minAge + 1 + int(h%uint64(span))
			if maxAge > 0 {
				age = minAge + int(h%uint64(span))
			}
			birth := voteDate.AddDate(-age, 0, -int(h>>20%360)-1)
			w.Voters = append(w.Voters, Attempt{Table: ti, Number: document(seed, idx), BirthDate: birth.Format(time.DateOnly),
				Key: w.key("c", tables[ti].Table, idx), Expect: outcomeAccepted, Source: -1})
			if chance(underAge, seed, uint64(idx), 2) {
				h := mix(seed, uint64(under), 3)
				young := voteDate.AddDate(-int(h%uint64(max(1, minAge))), 0, -int(h>>20%300)-1)
				w.Voters = append(w.Voters, Attempt{Table: ti, Number: document(seed, under), BirthDate: young.Format(time.DateOnly),
					Key: w.key("u", tables[ti].Table, under), Expect: outcomeOutsideAge, Source: -1})
				under++
			}
		}
	}
	if n < 2 {
		return w
	}
	for i, v := range w.Voters {
		if v.Expect != outcomeAccepted || !chance(duplicates, seed, uint64(i), 4) {
			continue
		}
		other := (v.Table + 1 + int(mix(seed, uint64(i), 5)%uint64(n-1))) % n
		w.Repeats = append(w.Repeats, Attempt{Table: other, Number: v.Number, BirthDate: v.BirthDate,
			Key: w.key("d", tables[other].Table, i), Expect: outcomeAlreadyVoted, Source: i})
	}
	return w
}

// key is a deterministic idempotency key: a rerun with the same seed
// replays instead of voting again.
func (w *Workload) key(kind, table string, n int) string {
	return fmt.Sprintf("sim-%d-%d-%s-%s-%d", w.Seed, w.Round, kind, table, n)
}

// Sheet returns table ti's tally sheet for cast ballots: the votes spread
// deterministically over the ballot numbers, a few blank and null, some
// ballots unused, received = cast + unused.
func (w *Workload) Sheet(ti int, cast int64) tally.Sheet {
	t := w.Tables[ti]
	sh := tally.Sheet{RoundID: w.Round, Table: t.Table, Circuit: t.Circuit, Cast: cast,
		Votes: make([]int64, t.BallotSize), Members: []string{"Miembro A " + t.Table, "Miembro B " + t.Table},
		Witnesses: []string{"Testigo " + t.Table}}
	left := cast
	h := mix(w.Seed, uint64(ti), 6)
	if left > 0 {
		sh.Blank = min(left, int64(h%uint64(left/10+2)))
		left -= sh.Blank
		sh.Null = min(left, int64(h>>16%uint64(left/10+2)))
		left -= sh.Null
	}
	for i := range sh.Votes {
		if i == len(sh.Votes)-1 {
			sh.Votes[i] = left
			break
		}
		share := int64(mix(w.Seed, uint64(ti), uint64(i), 7) % uint64(left/2+1))
		sh.Votes[i] = share
		left -= share
	}
	sh.Unused = int64(h>>32%50) + 1
	sh.Received = cast + sh.Unused
	return sh
}

// entryKey is the idempotency key of a table's first or second entry.
func (w *Workload) entryKey(ti, n int) string {
	return w.key("e"+strconv.Itoa(n), w.Tables[ti].Table, ti)
}
