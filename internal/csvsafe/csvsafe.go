// Package csvsafe writes CSV that spreadsheets open as data, never as
// formulas. A cell that starts with =, +, -, @, a tab or a carriage return
// is what Excel, LibreOffice and Google Sheets evaluate (CSV injection);
// following OWASP, such a cell is written with a leading single quote,
// which the spreadsheet shows as text. Every CSV export of Comuna writes
// through this package.
package csvsafe

import (
	"encoding/csv"
	"io"
)

// risky reports whether a spreadsheet would read s as a formula.
func risky(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// guarded reports whether Cell adds a quote to s: s is risky, or is a
// quote before what Cell guards, so that Uncell(Cell(s)) is always s.
func guarded(s string) bool {
	for len(s) > 1 && s[0] == '\'' {
		s = s[1:]
	}
	return risky(s)
}

// Cell returns s neutralised: with a leading ' if it starts like a formula.
func Cell(s string) string {
	if guarded(s) {
		return "'" + s
	}
	return s
}

// Uncell undoes Cell, for readers of files Comuna wrote: a leading ' before
// a character Cell guards is dropped.
func Uncell(s string) string {
	if len(s) > 1 && s[0] == '\'' && guarded(s[1:]) {
		return s[1:]
	}
	return s
}

// Writer is a csv.Writer that neutralises every cell.
type Writer struct {
	w   *csv.Writer
	buf []string
}

// NewWriter returns a Writer to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Write writes one record, each cell through Cell.
func (w *Writer) Write(record []string) error {
	w.buf = w.buf[:0]
	for _, c := range record {
		w.buf = append(w.buf, Cell(c))
	}
	return w.w.Write(w.buf)
}

// Flush writes any buffered data to the underlying writer.
func (w *Writer) Flush() { w.w.Flush() }

// Error reports any error of a previous Write or Flush.
func (w *Writer) Error() error { return w.w.Error() }
