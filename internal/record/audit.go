package record

import (
	"strconv"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// Kinds of an audit's records.
const (
	KindAudit   = "audit"
	KindRecount = "recount"
)

// Audit is an audit of a round's paper as created: its public seed and,
// for a plain draw, the tables drawn from those with an accepted sheet
// logged before this record, so anyone can re-derive the draw
// (audit.Draw). Body:
//
//	comuna audit v1
//	round_id 7
//	audit 3
//	kind "draw"                 (or "risk-limiting")
//	seed "31415926535897932384"
//	risk_limit "0.05"           (risk-limiting; "0" for a draw)
//	tables 4                    (a draw: how many tables)
//	draw "T3 T1 T4 T2"          (a draw: the tables drawn, in draw order)
//	at 2025-04-28T10:00:00.000Z
//	by "admin"
type Audit struct {
	RoundID   int64
	Audit     int64
	AuditKind string
	Seed      string
	RiskLimit string
	Tables    int64
	Draw      []string
	At        time.Time
	By        string
}

// Kind implements Record.
func (a *Audit) Kind() string { return KindAudit }

// Body implements Record.
func (a *Audit) Body() []byte {
	w := newWriter(KindAudit)
	w.int("round_id", a.RoundID)
	w.int("audit", a.Audit)
	w.str("kind", a.AuditKind)
	w.str("seed", a.Seed)
	w.str("risk_limit", a.RiskLimit)
	w.int("tables", a.Tables)
	w.str("draw", strings.Join(a.Draw, " "))
	w.time("at", a.At)
	w.str("by", a.By)
	return w.b
}

// ParseAudit reads an audit record's body; only canonical bytes parse.
func ParseAudit(body []byte) (*Audit, error) {
	r := newReader(KindAudit, body)
	a := &Audit{}
	a.RoundID = r.int("round_id")
	a.Audit = r.int("audit")
	a.AuditKind = r.str("kind")
	a.Seed = r.str("seed")
	a.RiskLimit = r.str("risk_limit")
	a.Tables = r.int("tables")
	if d := r.str("draw"); d != "" {
		a.Draw = strings.Split(d, " ")
	}
	a.At = r.time("at")
	a.By = r.str("by")
	if err := r.done(); err != nil {
		return nil, err
	}
	return a, canonical(KindAudit, body, a.Body())
}

// Recount is a table's hand recount accepted for an audit, when two
// auditors' blind entries agreed. Body:
//
//	comuna recount v1
//	round_id 7
//	audit 3
//	table "MESA-0001"
//	counts "5 3 2"              (votes per ballot number)
//	ballots 11
//	at 2025-04-28T12:00:00.000Z
//	first_by "aud-uno"
//	by "aud-dos"
type Recount struct {
	RoundID int64
	Audit   int64
	Table   string
	Counts  []int64
	Ballots int64
	At      time.Time
	FirstBy string
	By      string
}

// Kind implements Record.
func (c *Recount) Kind() string { return KindRecount }

// Body implements Record.
func (c *Recount) Body() []byte {
	w := newWriter(KindRecount)
	w.int("round_id", c.RoundID)
	w.int("audit", c.Audit)
	w.str("table", c.Table)
	parts := make([]string, len(c.Counts))
	for i, v := range c.Counts {
		parts[i] = strconv.FormatInt(v, 10)
	}
	w.str("counts", strings.Join(parts, " "))
	w.int("ballots", c.Ballots)
	w.time("at", c.At)
	w.str("first_by", c.FirstBy)
	w.str("by", c.By)
	return w.b
}

// ParseRecount reads a recount record's body; only canonical bytes parse.
func ParseRecount(body []byte) (*Recount, error) {
	r := newReader(KindRecount, body)
	c := &Recount{}
	c.RoundID = r.int("round_id")
	c.Audit = r.int("audit")
	c.Table = r.str("table")
	if s := r.str("counts"); s != "" {
		for _, f := range strings.Split(s, " ") {
			v, err := strconv.ParseInt(f, 10, 64)
			if err != nil || v < 0 {
				r.fail("counts", "count %q is not a whole number", f)
				break
			}
			c.Counts = append(c.Counts, v)
		}
	}
	c.Ballots = r.int("ballots")
	c.At = r.time("at")
	c.FirstBy = r.str("first_by")
	c.By = r.str("by")
	if err := r.done(); err != nil {
		return nil, err
	}
	if c.Ballots < 0 {
		return nil, comuna.Errorf(comuna.EInvalid, "recount record: negative ballots")
	}
	return c, canonical(KindRecount, body, c.Body())
}
