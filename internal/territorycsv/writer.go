package territorycsv

import (
	"io"
	"strconv"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/csvsafe"
)

// Writer writes units as a territory file that Reader reads back. Its
// Write method has the shape comuna.TerritoryService.EachUnit expects.
type Writer struct {
	csv    *csvsafe.Writer
	header bool
	rec    []string
}

// NewWriter returns a Writer to w. Call Flush at the end.
func NewWriter(w io.Writer) *Writer {
	return &Writer{csv: csvsafe.NewWriter(w), rec: make([]string, len(Columns))}
}

// Write writes one unit, after the header if it is the first.
func (w *Writer) Write(u comuna.Unit) error {
	if err := w.writeHeader(); err != nil {
		return err
	}
	census := ""
	if u.Census != 0 || u.Level == comuna.LevelCouncil {
		census = strconv.FormatInt(u.Census, 10)
	}
	w.rec[0], w.rec[1], w.rec[2], w.rec[3] = string(u.Level), u.Code, u.Parent, u.Name
	w.rec[4], w.rec[5], w.rec[6] = census, u.Circuit, u.Address
	return w.csv.Write(w.rec)
}

func (w *Writer) writeHeader() error {
	if w.header {
		return nil
	}
	w.header = true
	return w.csv.Write(Columns)
}

// Flush writes the header if no unit was written, then any buffered data,
// and reports the first error of the whole file.
func (w *Writer) Flush() error {
	if err := w.writeHeader(); err != nil {
		return err
	}
	w.csv.Flush()
	return w.csv.Error()
}
