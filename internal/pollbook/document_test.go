package pollbook

import (
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		typ, number string
		want        string // canonical form, or "" for an error
		field       string // the field an error names
	}{
		{"V", "12345678", "V12345678", ""},
		{"V", "V-012.345.678", "V12345678", ""},
		{"v", " v 12 345 678 ", "V12345678", ""},
		{"V", "12-345-678", "V12345678", ""},
		{"V", "12\u2013345\u2013678", "V12345678", ""}, // en dashes
		{"V", "12\u00a0345\u00a0678", "V12345678", ""}, // no-break spaces
		{"V", "V12345678", "V12345678", ""},
		{"E", "E-84.123.456", "E84123456", ""},
		{" e ", "84123456", "E84123456", ""},
		{"V", "12345", "V12345", ""},
		{"V", "123456789", "V123456789", ""},
		{"V", "000012345", "V12345", ""},
		{"P", "ab-123 456", "PAB123456", ""},
		{"p", "C12345", "PC12345", ""},
		{"P", "12345678901234567890", "P12345678901234567890", ""},

		{"", "12345678", "", "document_type"},
		{"X", "12345678", "", "document_type"},
		{"VE", "12345678", "", "document_type"},
		{"V", "", "", "document_number"},
		{"V", " - . ", "", "document_number"},
		{"V", "E-12345678", "", "document_number"},
		{"E", "V12345678", "", "document_number"},
		{"V", "12A45678", "", "document_number"},
		{"V", "1234", "", "document_number"},
		{"V", "0001234", "", "document_number"},
		{"V", "1234567890", "", "document_number"},
		{"V", "000000000", "", "document_number"},
		{"V", "V", "", "document_number"},
		{"V", "１２３４５６７８", "", "document_number"}, // full-width digits
		{"P", "AB12", "", "document_number"},
		{"P", "123456789012345678901", "", "document_number"},
		{"P", "AB12345_", "", "document_number"},
		{"P", "ÁB12345", "", "document_number"},
		{"V", "1234567890123456789012345678901234567890123456789012345678901234567890", "", "document_number"},
	}
	for _, tt := range tests {
		d, err := Normalize(tt.typ, tt.number)
		if tt.want != "" {
			if err != nil || d.String() != tt.want {
				t.Errorf("Normalize(%q, %q) = %q, %v; want %q", tt.typ, tt.number, d, err, tt.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("Normalize(%q, %q) = %q; want an error on %s", tt.typ, tt.number, d, tt.field)
			continue
		}
		if code, field := comuna.ErrorCode(err), comuna.ErrorField(err); code != comuna.EInvalid || field != tt.field {
			t.Errorf("Normalize(%q, %q) error %q has code %q field %q; want %q %q", tt.typ, tt.number, err, code, field, comuna.EInvalid, tt.field)
		}
	}
}

func TestDocumentParts(t *testing.T) {
	d, err := Normalize("V", "V-012.345.678")
	if err != nil {
		t.Fatal(err)
	}
	if d.Type() != DocVenezuelan || d.Number() != "12345678" || d.IsZero() {
		t.Errorf("parts = %q %q zero=%v; want V 12345678 false", d.Type(), d.Number(), d.IsZero())
	}
	if !(Document{}).IsZero() {
		t.Error("Document{}.IsZero() = false; want true")
	}
}

func TestParseDocument(t *testing.T) {
	tests := []struct{ in, want string }{
		{"V12345678", "V12345678"},
		{"V-12.345.678", "V12345678"},
		{" e-84123456", "E84123456"},
		{"PAB123456", "PAB123456"},
		{"P AB-123456", "PAB123456"},
		{"", ""},
		{"12345678", ""},
		{"X12345678", ""},
		{"é12345678", ""},
	}
	for _, tt := range tests {
		d, err := ParseDocument(tt.in)
		got := d.String()
		if err != nil {
			got = ""
		}
		if got != tt.want {
			t.Errorf("ParseDocument(%q) = %q, %v; want %q", tt.in, d, err, tt.want)
		}
	}
}

// FuzzNormalize checks that Normalize never panics, that what it accepts is
// canonical (normalising the canonical form again gives the same document,
// and so does parsing its String), and that it stays within bounds.
func FuzzNormalize(f *testing.F) {
	for _, s := range [][2]string{
		{"V", "V-012.345.678"}, {"E", "84.123.456"}, {"P", "ab 123456"},
		{"v", "  12 345 678"}, {"X", "1"}, {"V", "V"}, {"P", "\xff\xfe"},
		{"V", "1\u20132\u00a03"}, {"E", "E-000000001"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, typ, number string) {
		d, err := Normalize(typ, number)
		if err != nil {
			if comuna.ErrorCode(err) != comuna.EInvalid || comuna.ErrorField(err) == "" {
				t.Fatalf("Normalize(%q, %q) error %v is not an EInvalid field error", typ, number, err)
			}
			return
		}
		again, err := Normalize(string(d.Type()), d.Number())
		if err != nil || again != d {
			t.Fatalf("Normalize(%q, %q) = %q, but normalising that gives %q, %v", typ, number, d, again, err)
		}
		parsed, err := ParseDocument(d.String())
		if err != nil || parsed != d {
			t.Fatalf("ParseDocument(%q) = %q, %v; want the same document", d, parsed, err)
		}
		if n := len(d.Number()); n < MinCedulaDigits || n > MaxPassportLength {
			t.Fatalf("Normalize(%q, %q) = %q: number length %d out of bounds", typ, number, d, n)
		}
	})
}
