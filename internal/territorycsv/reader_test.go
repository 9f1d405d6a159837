package territorycsv

import (
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

// readAll reads every unit of a file, stopping at the first error.
func readAll(t testing.TB, r io.Reader) ([]comuna.Unit, []int, error) {
	t.Helper()
	var units []comuna.Unit
	var lines []int
	tr := NewReader(r)
	for {
		u, line, err := tr.Next()
		if err == io.EOF {
			return units, lines, nil
		}
		if err != nil {
			return units, lines, err
		}
		units = append(units, u)
		lines = append(lines, line)
	}
}

func TestReadFile(t *testing.T) {
	f, err := os.Open("testdata/small.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	units, lines, err := readAll(t, f)
	if err != nil {
		t.Fatalf("read testdata/small.csv: %v", err)
	}
	if len(units) != 9 {
		t.Fatalf("read %d units, want 9", len(units))
	}
	for i, want := range []comuna.Unit{
		3: {Level: comuna.LevelCommune, Code: "ZU-01-01-C1", Parent: "ZU-01-01", Name: `Comuna "Guaicaipuro"`},
		5: {Level: comuna.LevelCouncil, Code: "CC-0001-01", Parent: "CC-0001", Name: "Consejo Comunal Barrio Sur", Census: 1240},
		7: {Level: comuna.LevelCentre, Code: "VC-0001", Parent: "ZU-01-01", Name: "U.E. Simón Bolívar", Address: "Av. 5 de Julio, Sector Centro"},
		8: {Level: comuna.LevelTable, Code: "VC-0001-1", Parent: "VC-0001", Name: "Mesa 1", Circuit: "CC-0001"},
	} {
		if want.Code == "" {
			continue
		}
		if units[i] != want {
			t.Errorf("unit %d = %+v, want %+v", i, units[i], want)
		}
		if lines[i] != i+2 {
			t.Errorf("unit %d line = %d, want %d", i, lines[i], i+2)
		}
	}
}

func TestReadVariants(t *testing.T) {
	state := comuna.Unit{Level: comuna.LevelState, Code: "MI", Name: "Miranda"}
	council := comuna.Unit{Level: comuna.LevelCouncil, Code: "K1", Parent: "C1", Name: "Consejo", Census: 12}
	tests := []struct {
		name  string
		in    string
		want  []comuna.Unit
		lines []int
	}{
		{"minimal columns", "kind,code,parent,name\nstate,MI,,Miranda\n", []comuna.Unit{state}, []int{2}},
		{"any order and case", "NAME, Code ,Parent,KIND\nMiranda,MI,,State\n", []comuna.Unit{state}, []int{2}},
		{"byte order mark", "\ufeffkind,code,parent,name\nstate,MI,,Miranda\n", []comuna.Unit{state}, []int{2}},
		{"CRLF", "kind,code,parent,name\r\nstate,MI,,Miranda\r\n", []comuna.Unit{state}, []int{2}},
		{"no final newline", "kind,code,parent,name\nstate,MI,,Miranda", []comuna.Unit{state}, []int{2}},
		{"blank lines", "kind,code,parent,name\n\nstate,MI,,Miranda\n\n,,,\n\r\n", []comuna.Unit{state}, []int{3}},
		{"spaces trimmed", "kind,code,parent,name,census\n council , K1 , C1 , Consejo , 12 \n", []comuna.Unit{council}, []int{2}},
		{"header only", "kind,code,parent,name,census,circuit,address\n", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, lines, err := readAll(t, strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) || !reflect.DeepEqual(lines, tt.lines) {
				t.Errorf("got %+v at lines %v, want %+v at lines %v", got, lines, tt.want, tt.lines)
			}
		})
	}
}

func TestLinesCountQuotedLineBreaks(t *testing.T) {
	in := "kind,code,parent,name,address\n" +
		"centre,VC1,P1,Escuela,\"Calle 1\nSector 2\"\n" +
		"state,MI,,Miranda,\n"
	r := NewReader(strings.NewReader(in))
	_, _, err := r.Next()
	if e := asError(t, err); e.Line != 2 || e.Field != "address" {
		t.Errorf("first row: error %v, want line 2, field address", err)
	}
	u, line, err := r.Next()
	if err != nil || u.Code != "MI" || line != 4 {
		t.Errorf("second row = %s at line %d, %v; want MI at line 4", u.Code, line, err)
	}
}

func asError(t *testing.T, err error) *comuna.Error {
	t.Helper()
	var e *comuna.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *comuna.Error", err, err)
	}
	return e
}

func TestReadErrors(t *testing.T) {
	const h = "kind,code,parent,name,census,circuit,address\n"
	tests := []struct {
		name, in string
		line     int
		field    string
		msg      string // the whole error text
	}{
		{"empty file", "", 1, "", "line 1: the file is empty; its first row must be the header kind,code,parent,name,census,circuit,address"},
		{"unknown column", "kind,code,parent,name,censo\n", 1, "censo", `line 1: censo: unknown column "censo" in the header (want kind,code,parent,name,census,circuit,address)`},
		{"duplicate column", "kind,code,parent,name,code\n", 1, "code", "line 1: code: column appears twice in the header"},
		{"missing column", "kind,code,name\n", 1, "parent", "line 1: parent: the header lacks the parent column (need at least kind,code,parent,name)"},
		{"census not a number", h + "state,ZU,,Zulia,,,\ncouncil,K1,C1,Consejo,abc,,\n", 3, "census", `line 3: census: "abc" is not a whole number`},
		{"census negative", h + "council,K1,C1,Consejo,-5,,\n", 2, "census", "line 2: census: census cannot be negative"},
		{"census on a state", h + "state,ZU,,Zulia,5,,\n", 2, "census", "line 2: census: only a council has a census"},
		{"unknown kind", h + "estado,ZU,,Zulia,,,\n", 2, "kind", `line 2: kind: unknown kind "estado" (want one of state, municipality, parish, commune, circuit, council, centre, table)`},
		{"bad code", h + "state,Z U,,Zulia,,,\n", 2, "code", `line 2: code: code "Z U" must be 1 to 40 letters, digits, dots, dashes or underscores`},
		{"no name", h + "state,ZU,,,,,\n", 2, "name", "line 2: name: a state needs a name"},
		{"no parent", h + "parish,P1,,Parroquia,,,\n", 2, "parent", "line 2: parent: a parish needs its municipality"},
		{"table without circuit", h + "table,T1,VC1,Mesa 1,,,\n", 2, "circuit", "line 2: circuit: a table must name the circuit it serves"},
		{"too few fields", h + "state,ZU,,Zulia\n", 2, "", "line 2: the row has 4 fields but the header has 7"},
		{"bad quote", h + "state,ZU,,Zu\"lia,,,\n", 2, "", "line 2: malformed CSV at byte 13 of the line: bare \" in non-quoted-field"},
		{"unterminated quote", h + "state,ZU,,\"Zulia,,,\n" + strings.Repeat("municipality,M1,ZU,Mara,,,\n", 32), 2, "",
			"line 2: a quoted field of the row starting on this line is never closed (the reader ran on to line 34)"},
		{"control character", h + "state,ZU,,\"Zu\tlia\",,,\n", 2, "name", "line 2: name: the text holds a line break or another control character"},
		{"invalid UTF-8", h + "state,ZU,,Zu\xfflia,,,\n", 2, "name", "line 2: name: the text is not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readAll(t, strings.NewReader(tt.in))
			e := asError(t, err)
			if e.Code != comuna.EInvalid || e.Line != tt.line || e.Field != tt.field || err.Error() != tt.msg {
				t.Errorf("error = %q (code %s, line %d, field %q)\nwant    %q (code invalid, line %d, field %q)",
					err, e.Code, e.Line, e.Field, tt.msg, tt.line, tt.field)
			}
		})
	}
}

func TestReadContinuesAfterABadRow(t *testing.T) {
	in := "kind,code,parent,name,census\n" +
		"council,K1,C1,Uno,x\n" +
		"council,K2,C1,Dos,5\n" +
		"council,K3,C1,,7\n"
	r := NewReader(strings.NewReader(in))
	var got []string
	for {
		u, line, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			got = append(got, err.Error())
			continue
		}
		got = append(got, u.Code+"@"+string(rune('0'+line)))
	}
	want := []string{`line 2: census: "x" is not a whole number`, "K2@3", "line 4: name: a council needs a name"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFatalErrorRepeats(t *testing.T) {
	r := NewReader(strings.NewReader("kind,code\n"))
	_, _, err1 := r.Next()
	_, _, err2 := r.Next()
	if err1 == nil || err1 != err2 {
		t.Errorf("Next after a bad header = %v then %v, want the same error twice", err1, err2)
	}
}
