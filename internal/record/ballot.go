package record

import (
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// Ballot is a published version of a circuit's ballot. Body:
//
//	comuna ballot v1
//	round_id 7
//	circuit "CC-0001"
//	version 1
//	published 2025-04-20T15:00:00.000Z
//	reason ""                   (why it replaced the version before)
//	item 1 4512 1000000 "Pozo de agua"
//	item 2 4519 850000 "Muro de contención"
//
// Each item line holds the ballot number, the proposal id, the project's
// cost in cents (the lower-cost tie-break uses it) and its title.
type Ballot struct {
	RoundID   int64
	Circuit   string
	Version   int
	Published time.Time
	Reason    string
	Items     []Item
}

// Item is one numbered project of a Ballot record.
type Item struct {
	Number     int
	ProposalID int64
	Cost       comuna.Cents
	Title      string
}

// NewBallot returns the record of published ballot b, whose items carry
// their titles and costs.
func NewBallot(b *comuna.Ballot) *Ballot {
	r := &Ballot{RoundID: b.RoundID, Circuit: b.Circuit, Version: b.Version, Published: b.PublishedAt, Reason: b.Reason}
	for _, it := range b.Items {
		r.Items = append(r.Items, Item{Number: it.Number, ProposalID: it.ProposalID, Cost: it.Cost, Title: it.Title})
	}
	return r
}

// Kind implements Record.
func (*Ballot) Kind() string { return KindBallot }

// Body implements Record.
func (b *Ballot) Body() []byte {
	w := newWriter(KindBallot)
	w.int("round_id", b.RoundID)
	w.str("circuit", b.Circuit)
	w.int("version", int64(b.Version))
	w.time("published", b.Published)
	w.str("reason", b.Reason)
	for _, it := range b.Items {
		w.int("item", int64(it.Number))
		w.b = w.b[:len(w.b)-1]
		w.int("", it.ProposalID)
		w.b = w.b[:len(w.b)-1]
		w.int("", int64(it.Cost))
		w.b = w.b[:len(w.b)-1]
		w.str("", it.Title)
	}
	return w.b
}

// ParseBallot reads a ballot record's body; only canonical bytes parse.
func ParseBallot(body []byte) (*Ballot, error) {
	r := newReader(KindBallot, body)
	var b Ballot
	b.RoundID = r.int("round_id")
	b.Circuit = r.str("circuit")
	b.Version = int(r.int("version"))
	b.Published = r.time("published")
	b.Reason = r.str("reason")
	for r.peek("item") {
		f := strings.SplitN(r.raw("item"), " ", 4)
		if len(f) != 4 {
			r.fail("item", "want number, proposal id, cost and quoted title")
			break
		}
		b.Items = append(b.Items, Item{Number: int(r.parseInt("item", f[0])), ProposalID: r.parseInt("item", f[1]),
			Cost: comuna.Cents(r.parseInt("item", f[2])), Title: r.unquote("item", f[3])})
	}
	if err := r.done(); err != nil {
		return nil, err
	}
	return &b, canonical(KindBallot, body, b.Body())
}
