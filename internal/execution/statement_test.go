package execution

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

func readAll(s string) ([]StatementLine, []error) {
	r := NewStatementReader(strings.NewReader(s))
	var lines []StatementLine
	var errs []error
	for i := 0; i < 1000; i++ {
		l, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, err)
			var e *comuna.Error
			if errors.As(err, &e) && (e.Field == "" && strings.Contains(e.Message, "header") || strings.Contains(e.Message, "malformed")) {
				break
			}
			continue
		}
		lines = append(lines, l)
	}
	return lines, errs
}

func TestStatementReader(t *testing.T) {
	in := "\ufeffdate,project,amount,currency,rate,rate_source,payer,payee,reference\n" +
		"2027-01-20,ZU-CC-0001/1,182500.00,VES,36.5,BCV tasa oficial,federal_fund,Consejo comunal Las Flores,TX-1\n" +
		",,,,,,,,\n" +
		"2027-02-01,ZU-CC-0001/1,1000,USD,,,state,Consejo comunal Las Flores,TX-2\n"
	lines, errs := readAll(in)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	if len(lines) != 2 {
		t.Fatalf("read %d lines, want 2", len(lines))
	}
	got := lines[0]
	if got.Line != 2 || got.Project != "ZU-CC-0001/1" || got.Disbursement.Amount != 18250000 ||
		got.Disbursement.Rate.String() != "36.5" || got.Disbursement.Payer != FederalFund {
		t.Errorf("first line = %+v", got)
	}
	if lines[1].Line != 4 || lines[1].Disbursement.Amount != 100000 {
		t.Errorf("second line = %+v, want line 4, 1000.00", lines[1])
	}
}

func TestStatementReaderErrors(t *testing.T) {
	header := "date,project,amount,currency,rate,rate_source,payer,payee,reference\n"
	tests := []struct {
		name  string
		in    string
		line  int
		field string
	}{
		{"empty file", "", 1, ""},
		{"unknown column", "date,project,amount,currency,payer,payee,reference,colour\n", 1, "colour"},
		{"missing column", "date,project,amount,currency,payer,payee\n", 1, "reference"},
		{"bad date", header + "20/01/2027,P,1,USD,,,state,X,R\n", 2, "date"},
		{"comma decimals", header + "2027-01-20,P,\"1,5\",USD,,,state,X,R\n", 2, "amount"},
		{"unknown currency", header + "2027-01-20,P,1,XYZ,,,state,X,R\n", 2, "currency"},
		{"zero rate", header + "2027-01-20,P,1,VES,0,BCV,state,X,R\n", 2, "rate"},
		{"unknown payer", header + "2027-01-20,P,1,USD,,,bank,X,R\n", 2, "payer"},
		{"short row", header + "2027-01-20,P,1\n", 2, ""},
		{"unterminated quote", header + "2027-01-20,P,1,USD,,,state,X,R\n2027-01-21,\"P,1,USD,,,state,X,R\n2027-01-22,P,1,USD,,,state,X,R\n", 3, ""},
	}
	for _, tt := range tests {
		_, errs := readAll(tt.in)
		if len(errs) == 0 {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		var e *comuna.Error
		if !errors.As(errs[0], &e) || e.Line != tt.line || e.Field != tt.field {
			t.Errorf("%s: %v; want line %d field %q", tt.name, errs[0], tt.line, tt.field)
		}
	}
}

func FuzzStatementReader(f *testing.F) {
	f.Add("date,project,amount,currency,rate,rate_source,payer,payee,reference\n2027-01-20,P,182500.00,VES,36.5,BCV,federal_fund,X,TX-1\n")
	f.Add("date,project,amount,currency,payer,payee,reference\n\"2027-01-20,P,1,USD,state,X,R\n")
	f.Add("\ufeff,,,\n")
	f.Fuzz(func(t *testing.T, in string) {
		r := NewStatementReader(strings.NewReader(in))
		for i := 0; i < 10000; i++ {
			l, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				var e *comuna.Error
				if errors.As(err, &e) && e.Line <= 0 {
					t.Fatalf("error without a line: %v", err)
				}
				continue
			}
			d := l.Disbursement
			if d.Amount <= 0 || d.Reference == "" || d.Payee == "" || l.Line <= 1 {
				t.Fatalf("accepted a bad line: %+v", l)
			}
			if d.Rate.Valid() {
				if _, err := ParseRate("rate", d.Rate.String()); err != nil {
					t.Fatalf("rate %s does not read back: %v", d.Rate, err)
				}
			}
		}
	})
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"36.5", "0", "1.12345678", "-1", "1e9", "00001.5000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate("rate", s)
		if err != nil {
			return
		}
		if !r.Valid() {
			t.Fatalf("ParseRate(%q) accepted an invalid rate", s)
		}
		back, err := ParseRate("rate", r.String())
		if err != nil || back.String() != r.String() {
			t.Fatalf("ParseRate(%q) = %s does not round-trip: %v", s, r, err)
		}
	})
}
