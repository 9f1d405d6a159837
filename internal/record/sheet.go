package record

import (
	"bytes"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

// Sheet is an accepted version of a table's tally sheet: kind "sheet" for
// version 1, accepted when two people's entries agreed, and "correction"
// for versions 2, 3 … The sheet's content is tally.Sheet.Canonical, which
// names the round, table and circuit, embedded verbatim at the end. Body:
//
//	comuna sheet v1             ("comuna correction v1" for a correction)
//	version 1
//	accepted 2025-04-27T19:02:11.000Z
//	signer "ana"                (the second enterer, or the corrector)
//	reason "…"                  (corrections only)
//	comuna tally sheet v1
//	round_id 7
//	table "MESA-0001"
//	… the rest of tally.Sheet.Canonical
type Sheet struct {
	Version  int
	Accepted time.Time
	Signer   string // username
	Reason   string // corrections only
	Sheet    tally.Sheet
}

// NewSheet returns the record of accepted sheet version v.
func NewSheet(v *voteday.SheetVersion) *Sheet {
	return &Sheet{Version: v.Version, Accepted: v.Accepted, Signer: v.Signer, Reason: v.Reason, Sheet: v.Sheet}
}

// Kind implements Record: "sheet" for version 1, else "correction".
func (s *Sheet) Kind() string {
	if s.Version == 1 {
		return KindSheet
	}
	return KindCorrection
}

// Body implements Record.
func (s *Sheet) Body() []byte {
	w := newWriter(s.Kind())
	w.int("version", int64(s.Version))
	w.time("accepted", s.Accepted)
	w.str("signer", s.Signer)
	if s.Version != 1 {
		w.str("reason", s.Reason)
	}
	return append(w.b, s.Sheet.Canonical()...)
}

// tallyHeader opens the embedded canonical sheet.
var tallyHeader = []byte("comuna tally sheet v1\n")

// ParseSheet reads a sheet or correction record's body; only canonical
// bytes parse. A sheet record has version 1 and no reason; a correction
// has a version of 2 or more.
func ParseSheet(body []byte) (*Sheet, error) {
	kind := KindSheet
	if bytes.HasPrefix(body, []byte("comuna "+KindCorrection+" ")) {
		kind = KindCorrection
	}
	i := bytes.Index(body, tallyHeader)
	if i < 0 || i > 0 && body[i-1] != '\n' {
		return nil, comuna.Errorf(comuna.EInvalid, "%s record: no embedded tally sheet", kind)
	}
	r := newReader(kind, body[:i])
	var s Sheet
	s.Version = int(r.int("version"))
	s.Accepted = r.time("accepted")
	s.Signer = r.str("signer")
	if kind == KindCorrection {
		s.Reason = r.str("reason")
		if r.err == nil && s.Version < 2 {
			r.fail("version", "a correction has version 2 or more, not %d", s.Version)
		}
	} else if r.err == nil && s.Version != 1 {
		r.fail("version", "a sheet record has version 1, not %d", s.Version)
	}
	if err := r.done(); err != nil {
		return nil, err
	}
	sh, err := tally.ParseCanonical(body[i:])
	if err != nil {
		return nil, err
	}
	s.Sheet = sh
	return &s, canonical(kind, body, s.Body())
}
