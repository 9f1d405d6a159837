// Package territorycsv reads and writes the territory file: one CSV with a
// row per unit of the territory (state, municipality, parish, commune,
// circuit, council, voting centre, table), parents before children. The
// format is described in FORMAT.md.
package territorycsv

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/csvsafe"
)

// Columns lists the columns of a territory file in the order Writer writes
// them. A file may hold them in any order; census, circuit and address may
// be left out.
var Columns = []string{"kind", "code", "parent", "name", "census", "circuit", "address"}

// required marks the columns a file must have.
var required = map[string]bool{"kind": true, "code": true, "parent": true, "name": true}

// Reader reads units from a territory file one row at a time, so a file of
// any size is read in constant memory. It implements comuna.UnitSource.
type Reader struct {
	csv    *csv.Reader
	header bool  // the header has been read
	index  []int // index[i] is the record position of Columns[i], or -1
	width  int   // number of fields in the header
	fatal  error // an error that ends the file, returned again by Next
}

// NewReader returns a Reader of the territory file r. A UTF-8 byte order
// mark at the start is skipped.
func NewReader(r io.Reader) *Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	c := csv.NewReader(br)
	c.FieldsPerRecord = -1 // rows of the wrong width are reported with their line
	c.ReuseRecord = true
	return &Reader{csv: c}
}

// Next returns the next unit and the line it starts on, io.EOF after the
// last one, and for a bad row an *comuna.Error naming the line and the
// column at fault. After a bad row Next may be called again to go on with
// the next row, so every bad row of a file can be reported; after a
// malformed header or broken CSV quoting it returns the same error again.
func (r *Reader) Next() (comuna.Unit, int, error) {
	if r.fatal != nil {
		return comuna.Unit{}, 0, r.fatal
	}
	if !r.header {
		if err := r.readHeader(); err != nil {
			r.fatal = err
			return comuna.Unit{}, 0, err
		}
	}
	for {
		rec, err := r.csv.Read()
		if err == io.EOF {
			return comuna.Unit{}, 0, io.EOF
		}
		if err != nil {
			r.fatal = csvError(err)
			return comuna.Unit{}, 0, r.fatal
		}
		line, _ := r.csv.FieldPos(0)
		if blank(rec) {
			continue
		}
		u, err := r.unit(rec, line)
		return u, line, err
	}
}

// readHeader reads the first row and maps column names to positions.
func (r *Reader) readHeader() error {
	r.header = true
	rec, err := r.csv.Read()
	if err == io.EOF {
		return &comuna.Error{Code: comuna.EInvalid, Line: 1, Message: "the file is empty; its first row must be the header " + strings.Join(Columns, ",")}
	}
	if err != nil {
		return csvError(err)
	}
	line, _ := r.csv.FieldPos(0)
	r.width = len(rec)
	r.index = make([]int, len(Columns))
	for i := range r.index {
		r.index[i] = -1
	}
	for pos, name := range rec {
		name = strings.ToLower(strings.TrimSpace(name))
		i := columnIndex(name)
		if i < 0 {
			return &comuna.Error{Code: comuna.EInvalid, Line: line, Field: name,
				Message: fmt.Sprintf("unknown column %q in the header (want %s)", name, strings.Join(Columns, ","))}
		}
		if r.index[i] >= 0 {
			return &comuna.Error{Code: comuna.EInvalid, Line: line, Field: name, Message: "column appears twice in the header"}
		}
		r.index[i] = pos
	}
	for i, name := range Columns {
		if required[name] && r.index[i] < 0 {
			return &comuna.Error{Code: comuna.EInvalid, Line: line, Field: name,
				Message: fmt.Sprintf("the header lacks the %s column (need at least kind,code,parent,name)", name)}
		}
	}
	return nil
}

func columnIndex(name string) int {
	for i, c := range Columns {
		if c == name {
			return i
		}
	}
	return -1
}

// unit converts one row, checking it on its own.
func (r *Reader) unit(rec []string, line int) (comuna.Unit, error) {
	bad := func(field, format string, args ...any) (comuna.Unit, error) {
		return comuna.Unit{}, &comuna.Error{Code: comuna.EInvalid, Line: line, Field: field, Message: fmt.Sprintf(format, args...)}
	}
	if len(rec) != r.width {
		return bad("", "the row has %d fields but the header has %d", len(rec), r.width)
	}
	var v [7]string
	for i, pos := range r.index {
		if pos < 0 {
			continue
		}
		s := csvsafe.Uncell(strings.TrimSpace(rec[pos]))
		if !utf8.ValidString(s) {
			return bad(Columns[i], "the text is not valid UTF-8")
		}
		if strings.IndexFunc(s, unicode.IsControl) >= 0 {
			return bad(Columns[i], "the text holds a line break or another control character")
		}
		v[i] = s
	}
	u := comuna.Unit{
		Level:   comuna.Level(strings.ToLower(v[0])),
		Code:    v[1],
		Parent:  v[2],
		Name:    v[3],
		Circuit: v[5],
		Address: v[6],
	}
	if v[4] != "" {
		n, err := strconv.ParseInt(v[4], 10, 64)
		if err != nil {
			return bad("census", "%q is not a whole number", v[4])
		}
		u.Census = n
	}
	if err := u.Validate(); err != nil {
		var e *comuna.Error
		if errors.As(err, &e) {
			ce := *e
			ce.Line = line
			return comuna.Unit{}, &ce
		}
		return comuna.Unit{}, err
	}
	return u, nil
}

// blank reports whether every field of a row is empty or spaces, such as a
// line of bare commas a spreadsheet leaves at the end.
func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// csvError turns a CSV syntax error into an *comuna.Error with its line.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine > 0 && pe.StartLine != pe.Line {
			// An unterminated quote runs on to the end of the file or a
			// later stray quote: name the line where the record opens.
			return &comuna.Error{Code: comuna.EInvalid, Line: pe.StartLine,
				Message: fmt.Sprintf("a quoted field of the row starting on this line is never closed (the reader ran on to line %d)", pe.Line)}
		}
		return &comuna.Error{Code: comuna.EInvalid, Line: pe.Line,
			Message: fmt.Sprintf("malformed CSV at byte %d of the line: %v", pe.Column, pe.Err)}
	}
	return fmt.Errorf("read territory file: %w", err)
}
