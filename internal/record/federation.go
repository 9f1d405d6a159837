package record

import (
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/assemblies/federation"
	"github.com/comuna/comuna/internal/comuna"
)

// KindFederation is the kind of an entry of a federation's history.
const KindFederation = "federation"

// Federation is one entry of a federation's history (package
// assemblies/federation): a member's application, admission, suspension
// or withdrawal, a congress, a delegate's accreditation or check-in, a
// document, an amendment, its support and votes, a vote on an article or a
// whole document, an election, its candidates, its opening and its close.
// The close carries every ballot (in canonical order, without identities)
// and the result, so that anyone can recount. Body:
//
//	comuna federation v1
//	federation_id 1
//	seq 12
//	entry "amend"
//	at 2026-12-01T10:00:00.000Z
//	by "secretaria"
//	document 1                 (then each field the entry sets, in a fixed
//	article 2                   order, zero fields left out)
//	op "replace"
//	…
//	ballot 2 0 1               (close: one line per ballot, candidates from 0)
//	quota "1.000000001"        (close: the result)
//	elected "Ana"
//	alternate "Beto"
//	approved_text "# Título I…"   (a document approved as a whole: its text)
type Federation struct {
	FederationID int64
	Entry        federation.Entry
	// Quota, Elected and Alternates are the result of a close.
	Quota      string
	Elected    []string
	Alternates []string
	// Approved is the consolidated text of a document approved as a whole
	// (a vote-document entry that passed).
	Approved string
}

// Kind implements Record.
func (*Federation) Kind() string { return KindFederation }

type fedField struct {
	key string
	num func(e *federation.Entry) *int
	str func(e *federation.Entry) *string
}

// fedFields are the optional fields of an entry, in the order the body
// writes them.
var fedFields = []fedField{
	{key: "member", num: func(e *federation.Entry) *int { return &e.Member }},
	{key: "congress", num: func(e *federation.Entry) *int { return &e.Congress }},
	{key: "delegate", num: func(e *federation.Entry) *int { return &e.Delegate }},
	{key: "document", num: func(e *federation.Entry) *int { return &e.Document }},
	{key: "article", num: func(e *federation.Entry) *int { return &e.Article }},
	{key: "amendment", num: func(e *federation.Entry) *int { return &e.Amendment }},
	{key: "election", num: func(e *federation.Entry) *int { return &e.Election }},
	{key: "name", str: func(e *federation.Entry) *string { return &e.Name }},
	{key: "org_kind", str: func(e *federation.Entry) *string { return &e.OrgKind }},
	{key: "quota", num: func(e *federation.Entry) *int { return &e.Quota }},
	{key: "date", str: func(e *federation.Entry) *string { return &e.Date }},
	{key: "reason", str: func(e *federation.Entry) *string { return &e.Reason }},
	{key: "admit_by", str: func(e *federation.Entry) *string { return &e.AdmitBy }},
	{key: "text", str: func(e *federation.Entry) *string { return &e.Text }},
	{key: "op", str: func(e *federation.Entry) *string { return &e.Op }},
	{key: "paragraph", num: func(e *federation.Entry) *int { return &e.Paragraph }},
	{key: "threshold", num: func(e *federation.Entry) *int { return &e.Threshold }},
	{key: "yes", num: func(e *federation.Entry) *int { return &e.Tally.Yes }},
	{key: "no", num: func(e *federation.Entry) *int { return &e.Tally.No }},
	{key: "abstain", num: func(e *federation.Entry) *int { return &e.Tally.Abstain }},
	{key: "seats", num: func(e *federation.Entry) *int { return &e.Seats }},
	{key: "rule", str: func(e *federation.Entry) *string { return &e.Rule }},
	{key: "min_percent", num: func(e *federation.Entry) *int { return &e.MinPct }},
	{key: "alternates", num: func(e *federation.Entry) *int { return &e.Alternate }},
	{key: "seed", str: func(e *federation.Entry) *string { return &e.Seed }},
	{key: "group", str: func(e *federation.Entry) *string { return &e.Group }},
}

// Body implements Record.
func (x *Federation) Body() []byte {
	e := x.Entry
	w := newWriter(KindFederation)
	w.int("federation_id", x.FederationID)
	w.int("seq", int64(e.Seq))
	w.str("entry", string(e.Kind))
	w.time("at", e.At)
	w.str("by", e.By)
	for _, f := range fedFields {
		if f.num != nil {
			if n := *f.num(&e); n != 0 {
				w.int(f.key, int64(n))
			}
		} else if s := *f.str(&e); s != "" {
			w.str(f.key, s)
		}
	}
	for _, b := range e.Ballots {
		line := "ballot"
		for _, c := range b {
			line += " " + strconv.Itoa(c)
		}
		w.b = append(w.b, line+"\n"...)
	}
	if x.Quota != "" {
		w.str("result_quota", x.Quota)
	}
	for _, n := range x.Elected {
		w.str("elected", n)
	}
	for _, n := range x.Alternates {
		w.str("alternate", n)
	}
	if x.Approved != "" {
		w.str("approved_text", x.Approved)
	}
	return w.b
}

// ParseFederation reads a federation record's body.
func ParseFederation(body []byte) (*Federation, error) {
	r := newReader(KindFederation, body)
	var x Federation
	x.FederationID = r.int("federation_id")
	e := &x.Entry
	e.Seq = int(r.int("seq"))
	e.Kind = federation.Kind(r.str("entry"))
	e.At = r.time("at")
	e.By = r.str("by")
	for _, f := range fedFields {
		if !r.peek(f.key) {
			continue
		}
		if f.num != nil {
			*f.num(e) = int(r.int(f.key))
		} else {
			*f.str(e) = r.str(f.key)
		}
	}
	for r.err == nil && r.line < len(r.lines) && (r.lines[r.line] == "ballot" || strings.HasPrefix(r.lines[r.line], "ballot ")) {
		fields := strings.Fields(r.next())[1:]
		b := make([]int, 0, len(fields))
		for _, s := range fields {
			b = append(b, int(r.parseInt("ballot", s)))
		}
		e.Ballots = append(e.Ballots, b)
	}
	if r.peek("result_quota") {
		x.Quota = r.str("result_quota")
	}
	for r.peek("elected") {
		x.Elected = append(x.Elected, r.str("elected"))
	}
	for r.peek("alternate") {
		x.Alternates = append(x.Alternates, r.str("alternate"))
	}
	if r.peek("approved_text") {
		x.Approved = r.str("approved_text")
	}
	if err := r.done(); err != nil {
		return nil, err
	}
	if !containsKind(e.Kind) {
		return nil, comuna.Errorf(comuna.EInvalid, "federation record: unknown entry %q", e.Kind)
	}
	if err := canonical(KindFederation, body, x.Body()); err != nil {
		return nil, err
	}
	return &x, nil
}

func containsKind(k federation.Kind) bool {
	for _, x := range federation.Kinds {
		if x == k {
			return true
		}
	}
	return false
}
