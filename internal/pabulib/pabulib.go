// Package pabulib reads and writes the pabulib format, the open text format
// of the Participatory Budgeting Library (pabulib.org): a META section of
// key;value pairs, a PROJECTS table and a VOTES table, each a semicolon-
// separated table with a header row and double-quoted fields where needed.
//
// Read keeps every column, known or not, so that Write gives back an
// equivalent file. Election turns a parsed file into the pb package's
// instance and profile.
package pabulib

import (
	"fmt"
	"math/big"
	"strings"
)

// KV is one META entry, kept in file order.
type KV struct {
	Key, Value string
	// Line is the 1-based line the entry was read from (0 if built in code).
	Line int
}

// Project is one row of the PROJECTS section.
type Project struct {
	ID   string
	Cost *big.Rat
	// Fields holds the raw text of every column of File.ProjectColumns, in
	// order; the project_id and cost columns are rewritten from ID and Cost.
	Fields []string
	Line   int
}

// Vote is one row of the VOTES section: one voter's ballot.
type Vote struct {
	VoterID string
	// Ballot lists indices into File.Projects, in the order of the vote field
	// (the ranking, for ordinal ballots).
	Ballot []int
	// Points holds one number per Ballot entry when the file has a points
	// column, nil otherwise.
	Points []int64
	// Fields holds the raw text of every column of File.VoteColumns; the
	// voter_id, vote and points columns are rewritten from the typed fields.
	Fields []string
	Line   int
}

// File is a parsed pabulib file.
type File struct {
	Meta           []KV
	ProjectColumns []string
	Projects       []Project
	VoteColumns    []string
	Votes          []Vote
	// CRLF records that the file used Windows line endings; Write keeps them.
	CRLF bool
}

// Error is a parse or validation error located at a line and a field.
type Error struct {
	Line  int
	Field string
	Err   error
}

func (e *Error) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("line %d: field %q: %v", e.Line, e.Field, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// MetaValue returns the value of a META key (case-insensitive) and whether
// it is present.
func (f *File) MetaValue(key string) (string, bool) {
	kv := f.metaKV(key)
	if kv == nil {
		return "", false
	}
	return kv.Value, true
}

func (f *File) metaKV(key string) *KV {
	for i := range f.Meta {
		if strings.EqualFold(f.Meta[i].Key, key) {
			return &f.Meta[i]
		}
	}
	return nil
}

// VoteType returns the META vote_type in lower case, "approval" if absent.
func (f *File) VoteType() string {
	v, ok := f.MetaValue("vote_type")
	if !ok || strings.TrimSpace(v) == "" {
		return "approval"
	}
	return strings.ToLower(strings.TrimSpace(v))
}

// Budget returns the META budget as an exact number.
func (f *File) Budget() (*big.Rat, error) {
	kv := f.metaKV("budget")
	if kv == nil {
		return nil, &Error{Line: 1, Field: "budget", Err: fmt.Errorf("META has no budget")}
	}
	r, err := parseDecimal(kv.Value)
	if err != nil {
		return nil, &Error{Line: kv.Line, Field: "budget", Err: err}
	}
	return r, nil
}

// ProjectField returns the raw value of a named PROJECTS column for project
// i, or "" if the file has no such column.
func (f *File) ProjectField(i int, column string) string {
	for c, name := range f.ProjectColumns {
		if strings.EqualFold(name, column) && c < len(f.Projects[i].Fields) {
			return f.Projects[i].Fields[c]
		}
	}
	return ""
}

// parseDecimal reads a non-negative decimal number such as "1920218.79"
// exactly. A leading minus sign is accepted and returns a negative number.
func parseDecimal(s string) (*big.Rat, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return nil, fmt.Errorf("empty number")
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= '0' && c <= '9' || c == '.' || (c == '-' && i == 0) || (c == '+' && i == 0)) {
			return nil, fmt.Errorf("invalid number %q", s)
		}
	}
	r, ok := new(big.Rat).SetString(t)
	if !ok {
		return nil, fmt.Errorf("invalid number %q", s)
	}
	return r, nil
}

// FormatDecimal writes an exact number as a decimal when it has a finite
// decimal expansion ("1920218.79"), as a fraction "a/b" otherwise.
func FormatDecimal(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	d := new(big.Int).Set(r.Denom())
	digits := 0
	ten := big.NewInt(10)
	for _, q := range []int64{2, 5} {
		bq := big.NewInt(q)
		m := new(big.Int)
		for {
			qq, rem := new(big.Int).QuoRem(d, bq, m)
			if rem.Sign() != 0 {
				break
			}
			d = qq
		}
	}
	if d.Cmp(big.NewInt(1)) != 0 {
		return r.String()
	}
	// The denominator divides a power of ten: find the smallest one.
	p := big.NewInt(1)
	for new(big.Int).Mod(p, r.Denom()).Sign() != 0 {
		p.Mul(p, ten)
		digits++
	}
	return r.FloatString(digits)
}
