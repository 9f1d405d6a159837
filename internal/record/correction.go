package record

import (
	"bytes"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/tally"
)

// Kinds of the four-eyes correction of an accepted sheet, and of the
// reopening of a circuit whose result is final.
const (
	KindCorrectionProposed  = "correction-proposed"
	KindCorrectionConfirmed = "correction-confirmed"
	KindCorrectionRefused   = "correction-refused"
	KindReopening           = "reopening"
)

// CorrectionStep is one step of a correction of a table's accepted sheet:
// proposed by one person, then confirmed or refused by another. A
// confirmed proposal also logs the new version as a "correction" record
// (see Sheet). Body, in this order:
//
//	comuna correction-proposed v1   (or -confirmed, -refused)
//	round_id 7
//	table "MESA-0001"
//	circuit "CIRC-1"
//	proposal 12
//	base_version 1              (proposed: the version it corrects)
//	version 2                   (confirmed: the version it made)
//	at 2025-04-28T10:00:00.000Z
//	by "ana"                    (the proposer, or the one who decided)
//	reason "…"                  (proposed and refused)
//	comuna tally sheet v1       (proposed: the proposed sheet,
//	…                            tally.Sheet.Canonical)
type CorrectionStep struct {
	Step     string // one of the three correction kinds
	RoundID  int64
	Table    string
	Circuit  string
	Proposal int64
	Base     int // proposed
	Version  int // confirmed
	At       time.Time
	By       string
	Reason   string      // proposed and refused
	Sheet    tally.Sheet // proposed
}

// Kind implements Record.
func (c *CorrectionStep) Kind() string { return c.Step }

// Body implements Record.
func (c *CorrectionStep) Body() []byte {
	w := newWriter(c.Step)
	w.int("round_id", c.RoundID)
	w.str("table", c.Table)
	w.str("circuit", c.Circuit)
	w.int("proposal", c.Proposal)
	switch c.Step {
	case KindCorrectionProposed:
		w.int("base_version", int64(c.Base))
	case KindCorrectionConfirmed:
		w.int("version", int64(c.Version))
	}
	w.time("at", c.At)
	w.str("by", c.By)
	if c.Step != KindCorrectionConfirmed {
		w.str("reason", c.Reason)
	}
	if c.Step == KindCorrectionProposed {
		return append(w.b, c.Sheet.Canonical()...)
	}
	return w.b
}

// ParseCorrectionStep reads a correction step of kind's body; only
// canonical bytes parse.
func ParseCorrectionStep(kind string, body []byte) (*CorrectionStep, error) {
	head := body
	if kind == KindCorrectionProposed {
		i := bytes.Index(body, tallyHeader)
		if i <= 0 || body[i-1] != '\n' {
			return nil, comuna.Errorf(comuna.EInvalid, "%s record: no embedded tally sheet", kind)
		}
		head = body[:i]
	}
	r := newReader(kind, head)
	c := &CorrectionStep{Step: kind}
	c.RoundID = r.int("round_id")
	c.Table = r.str("table")
	c.Circuit = r.str("circuit")
	c.Proposal = r.int("proposal")
	switch kind {
	case KindCorrectionProposed:
		c.Base = int(r.int("base_version"))
	case KindCorrectionConfirmed:
		c.Version = int(r.int("version"))
	}
	c.At = r.time("at")
	c.By = r.str("by")
	if kind != KindCorrectionConfirmed {
		c.Reason = r.str("reason")
	}
	if err := r.done(); err != nil {
		return nil, err
	}
	if kind == KindCorrectionProposed {
		sh, err := tally.ParseCanonical(body[len(head):])
		if err != nil {
			return nil, err
		}
		c.Sheet = sh
	}
	return c, canonical(kind, body, c.Body())
}

// Reopening is an administrator's reopening of a circuit whose result is
// final (the round is in results), so that one correction of one of its
// tables may be proposed and decided. Body:
//
//	comuna reopening v1
//	round_id 7
//	circuit "CIRC-1"
//	reopening 3
//	at 2025-04-29T09:00:00.000Z
//	by "admin"
//	reason "…"
type Reopening struct {
	RoundID   int64
	Circuit   string
	Reopening int64
	At        time.Time
	By        string
	Reason    string
}

// Kind implements Record.
func (o *Reopening) Kind() string { return KindReopening }

// Body implements Record.
func (o *Reopening) Body() []byte {
	w := newWriter(KindReopening)
	w.int("round_id", o.RoundID)
	w.str("circuit", o.Circuit)
	w.int("reopening", o.Reopening)
	w.time("at", o.At)
	w.str("by", o.By)
	w.str("reason", o.Reason)
	return w.b
}

// ParseReopening reads a reopening record's body; only canonical bytes
// parse.
func ParseReopening(body []byte) (*Reopening, error) {
	r := newReader(KindReopening, body)
	o := &Reopening{}
	o.RoundID = r.int("round_id")
	o.Circuit = r.str("circuit")
	o.Reopening = r.int("reopening")
	o.At = r.time("at")
	o.By = r.str("by")
	o.Reason = r.str("reason")
	if err := r.done(); err != nil {
		return nil, err
	}
	return o, canonical(KindReopening, body, o.Body())
}
