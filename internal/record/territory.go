package record

import (
	"sort"
	"strings"
)

// Territory is a round's frozen map of circuits to tables, with each
// circuit's census of eligible residents, logged with the Round record
// when voting starts. It lets a verifier say "420 of 431 tables reported"
// and compute turnout against the census from the log alone. A national
// round (≈5,300 circuits, ≈16,000 tables) makes a record of ≈400 KB,
// within translog.MaxRecordSize. Body, circuits and their tables sorted
// by code:
//
//	comuna territory v1
//	round_id 7
//	territory_version 3
//	circuit "CC-0001" 12345     (code and census)
//	table "MESA-0001"
//	table "MESA-0002"
//	circuit "CC-0002" 9876
//	…
type Territory struct {
	RoundID          int64
	TerritoryVersion int64
	Circuits         []Circuit
}

// Circuit is one circuit of a Territory record.
type Circuit struct {
	Code   string
	Census int64
	Tables []string
}

// Kind implements Record.
func (*Territory) Kind() string { return KindTerritory }

// Sort orders the circuits and each circuit's tables by code, as the
// canonical body requires.
func (t *Territory) Sort() {
	sort.Slice(t.Circuits, func(i, j int) bool { return t.Circuits[i].Code < t.Circuits[j].Code })
	for _, c := range t.Circuits {
		sort.Strings(c.Tables)
	}
}

// Body implements Record. Call Sort first: the body keeps the order given.
func (t *Territory) Body() []byte {
	w := newWriter(KindTerritory)
	w.b = make([]byte, 0, 64+len(t.Circuits)*32)
	w.b = append(w.b, "comuna "+KindTerritory+" v1\n"...)
	w.int("round_id", t.RoundID)
	w.int("territory_version", t.TerritoryVersion)
	for _, c := range t.Circuits {
		w.str("circuit", c.Code)
		w.b = w.b[:len(w.b)-1]
		w.int("", c.Census)
		for _, tb := range c.Tables {
			w.str("table", tb)
		}
	}
	return w.b
}

// ParseTerritory reads a territory record's body; only canonical bytes
// parse, so circuits and tables must be sorted and unique.
func ParseTerritory(body []byte) (*Territory, error) {
	r := newReader(KindTerritory, body)
	var t Territory
	t.RoundID = r.int("round_id")
	t.TerritoryVersion = r.int("territory_version")
	for r.peek("circuit") {
		v := r.raw("circuit")
		i := strings.LastIndexByte(v, ' ')
		if i < 0 {
			r.fail("circuit", "want a quoted code and a census")
			break
		}
		c := Circuit{Code: r.unquote("circuit", v[:i]), Census: r.parseInt("circuit", v[i+1:])}
		for r.peek("table") {
			c.Tables = append(c.Tables, r.str("table"))
		}
		if n := len(t.Circuits); n > 0 && t.Circuits[n-1].Code >= c.Code {
			r.fail("circuit", "circuits are not in increasing order of code")
		}
		for i := 1; i < len(c.Tables); i++ {
			if c.Tables[i-1] >= c.Tables[i] {
				r.fail("table", "the tables of circuit %q are not in increasing order", c.Code)
			}
		}
		t.Circuits = append(t.Circuits, c)
	}
	if err := r.done(); err != nil {
		return nil, err
	}
	return &t, canonical(KindTerritory, body, t.Body())
}

// Tables returns the number of tables in the territory.
func (t *Territory) Tables() int {
	n := 0
	for _, c := range t.Circuits {
		n += len(c.Tables)
	}
	return n
}
