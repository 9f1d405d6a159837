package execution

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/comuna/comuna/internal/comuna"
)

// StatementColumns are the columns of a bank statement of disbursements,
// in the order a statement is written. project names the funded project
// (its public id); rate and rate_source may be empty when the payment is in
// the committed currency.
var StatementColumns = []string{"date", "project", "amount", "currency", "rate", "rate_source", "payer", "payee", "reference"}

var statementOptional = map[string]bool{"rate": true, "rate_source": true}

// StatementLine is one payment read from a statement.
type StatementLine struct {
	Line         int
	Project      string
	Disbursement Disbursement
}

// StatementReader reads a bank statement one row at a time, in constant
// memory, reporting each bad row with its line and column.
type StatementReader struct {
	csv    *csv.Reader
	header bool
	index  []int
	width  int
	fatal  error
}

// NewStatementReader returns a reader of the CSV statement r; a UTF-8 byte
// order mark is skipped.
func NewStatementReader(r io.Reader) *StatementReader {
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	c := csv.NewReader(br)
	c.FieldsPerRecord = -1
	c.ReuseRecord = true
	return &StatementReader{csv: c}
}

// Next returns the next payment, io.EOF after the last, or an
// *comuna.Error naming the line and column of a bad row. After a bad row
// Next may go on to the next one; after a bad header or broken quoting it
// returns the same error again.
func (r *StatementReader) Next() (StatementLine, error) {
	if r.fatal != nil {
		return StatementLine{}, r.fatal
	}
	if !r.header {
		if err := r.readHeader(); err != nil {
			r.fatal = err
			return StatementLine{}, err
		}
	}
	for {
		rec, err := r.csv.Read()
		if err == io.EOF {
			return StatementLine{}, io.EOF
		}
		if err != nil {
			r.fatal = statementCSVError(err)
			return StatementLine{}, r.fatal
		}
		line, _ := r.csv.FieldPos(0)
		empty := true
		for _, f := range rec {
			if strings.TrimSpace(f) != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		return r.row(rec, line)
	}
}

func (r *StatementReader) readHeader() error {
	r.header = true
	rec, err := r.csv.Read()
	if err == io.EOF {
		return &comuna.Error{Code: comuna.EInvalid, Line: 1, Message: "the file is empty; its first row must be the header " + strings.Join(StatementColumns, ",")}
	}
	if err != nil {
		return statementCSVError(err)
	}
	line, _ := r.csv.FieldPos(0)
	r.width = len(rec)
	r.index = make([]int, len(StatementColumns))
	for i := range r.index {
		r.index[i] = -1
	}
	for pos, name := range rec {
		name = strings.ToLower(strings.TrimSpace(name))
		i := -1
		for j, c := range StatementColumns {
			if c == name {
				i = j
			}
		}
		if i < 0 {
			return &comuna.Error{Code: comuna.EInvalid, Line: line, Field: name,
				Message: fmt.Sprintf("unknown column %q in the header (want %s)", name, strings.Join(StatementColumns, ","))}
		}
		if r.index[i] >= 0 {
			return &comuna.Error{Code: comuna.EInvalid, Line: line, Field: name, Message: "column appears twice in the header"}
		}
		r.index[i] = pos
	}
	for i, name := range StatementColumns {
		if !statementOptional[name] && r.index[i] < 0 {
			return &comuna.Error{Code: comuna.EInvalid, Line: line, Field: name, Message: fmt.Sprintf("the header lacks the %s column", name)}
		}
	}
	return nil
}

func (r *StatementReader) row(rec []string, line int) (StatementLine, error) {
	bad := func(err error) (StatementLine, error) {
		var e *comuna.Error
		if errors.As(err, &e) {
			ce := *e
			ce.Line = line
			return StatementLine{}, &ce
		}
		return StatementLine{}, &comuna.Error{Code: comuna.EInvalid, Line: line, Message: err.Error()}
	}
	if len(rec) != r.width {
		return bad(fmt.Errorf("the row has %d fields but the header has %d", len(rec), r.width))
	}
	v := map[string]string{}
	for i, pos := range r.index {
		if pos < 0 {
			continue
		}
		s := strings.TrimSpace(rec[pos])
		if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
			return bad(comuna.FieldError(StatementColumns[i], "the text is not valid UTF-8 or holds a control character"))
		}
		v[StatementColumns[i]] = s
	}
	date, err := time.Parse("2006-01-02", v["date"])
	if err != nil {
		return bad(comuna.FieldError("date", "%q is not a date written YYYY-MM-DD", v["date"]))
	}
	if v["project"] == "" {
		return bad(comuna.FieldError("project", "the project is missing"))
	}
	amount, err := ParseAmount("amount", v["amount"])
	if err != nil {
		return bad(err)
	}
	cur, err := ParseCurrency("currency", v["currency"])
	if err != nil {
		return bad(err)
	}
	d := Disbursement{Date: date, Amount: amount, Currency: cur, RateSource: v["rate_source"],
		Payer: Payer(v["payer"]), Payee: v["payee"], Reference: v["reference"]}
	if v["rate"] != "" {
		if d.Rate, err = ParseRate("rate", v["rate"]); err != nil {
			return bad(err)
		}
	}
	if _, err := ParsePayer(v["payer"]); err != nil {
		return bad(err)
	}
	if d.Payee == "" {
		return bad(comuna.FieldError("payee", "the payee is missing"))
	}
	if d.Reference == "" {
		return bad(comuna.FieldError("reference", "the bank reference is missing"))
	}
	return StatementLine{Line: line, Project: v["project"], Disbursement: d}, nil
}

// ParseAmount reads an amount as banks export it: digits with an optional
// point and at most two decimals ("1250000.50"), no thousands separators,
// greater than zero.
func ParseAmount(field, s string) (comuna.Cents, error) {
	whole, frac, hasFrac := strings.Cut(s, ".")
	if s == "" || whole == "" || !digits(whole) || !digits(frac) || (hasFrac && (frac == "" || len(frac) > 2)) {
		return 0, comuna.FieldError(field, "%q is not an amount written like 1250000.50 (a point for decimals, at most two, no thousands separators)", s)
	}
	if len(whole) > 15 {
		return 0, comuna.FieldError(field, "the amount %q is too large", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	var n int64
	for _, c := range whole + frac {
		n = n*10 + int64(c-'0')
	}
	if n <= 0 {
		return 0, comuna.FieldError(field, "the amount must be greater than zero")
	}
	return comuna.Cents(n), nil
}

func statementCSVError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line := pe.StartLine
		if line == 0 {
			line = pe.Line
		}
		return &comuna.Error{Code: comuna.EInvalid, Line: line,
			Message: fmt.Sprintf("malformed CSV: %v", pe.Err)}
	}
	return fmt.Errorf("read statement: %w", err)
}
