package pollbook

import (
	"strings"
	"unicode"

	"github.com/comuna/comuna/internal/comuna"
)

// DocType is the kind of identity document a voter shows.
type DocType string

// Document types.
const (
	DocVenezuelan DocType = "V" // cédula de identidad of a Venezuelan
	DocForeigner  DocType = "E" // cédula de identidad of a resident foreigner
	DocPassport   DocType = "P" // passport
)

// Plausible lengths of a document number, after normalisation. A cédula
// in use has 5 to 9 digits without leading zeros (foreigners' numbers start
// around 80 million); a passport number has 5 to 20 letters and digits.
const (
	MinCedulaDigits   = 5
	MaxCedulaDigits   = 9
	MinPassportLength = 5
	MaxPassportLength = 20
)

// maxRawLength bounds the input Normalize reads, so that hostile input
// costs nothing to reject.
const maxRawLength = 64

// Document is a normalised identity document. Only Normalize and
// ParseDocument make one, so a Document in hand is always canonical and two
// spellings of the same card ("V-012.345.678", "v12345678") are equal and
// hash the same.
type Document struct {
	typ    DocType
	number string
}

// Type returns the document's type.
func (d Document) Type() DocType { return d.typ }

// Number returns the document's canonical number: digits without leading
// zeros for a cédula, upper-case letters and digits for a passport.
func (d Document) Number() string { return d.number }

// IsZero reports whether d is the zero Document, which no real document is.
func (d Document) IsZero() bool { return d.typ == "" }

// String returns the canonical form, type then number: "V12345678".
func (d Document) String() string { return string(d.typ) + d.number }

// ParseDocument reads a document written as one string, type letter first:
// "V12345678", "V-12.345.678", "P AB123456". It accepts what Normalize
// accepts, so it reads back every Document's String.
func ParseDocument(s string) (Document, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Document{}, comuna.FieldError("document_number", "the document number is required")
	}
	return Normalize(s[:1], s[1:])
}

// Normalize checks a document type and number as typed at a table and
// returns the canonical Document. It trims and upper-cases both, removes
// dots, spaces and dashes from the number, and for a cédula drops a
// leading type letter ("V-", "E-") and leading zeros. Errors are
// *comuna.Error naming "document_type" or "document_number".
func Normalize(docType, number string) (Document, error) {
	t := DocType(strings.ToUpper(strings.TrimSpace(docType)))
	switch t {
	case DocVenezuelan, DocForeigner, DocPassport:
	case "":
		return Document{}, comuna.FieldError("document_type", "choose the document type: V, E or P")
	default:
		return Document{}, comuna.FieldError("document_type", "unknown document type %q (want V, E or P)", docType)
	}
	if len(number) > maxRawLength {
		return Document{}, comuna.FieldError("document_number", "the document number is too long")
	}
	n := clean(number)
	if n == "" {
		return Document{}, comuna.FieldError("document_number", "the document number is required")
	}
	if t == DocPassport {
		return passport(n)
	}
	return cedula(t, n)
}

// clean upper-cases s and drops spaces, dots and dashes of any kind.
func clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), r == '.', unicode.Is(unicode.Pd, r), r == '\u2212':
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

func cedula(t DocType, n string) (Document, error) {
	if p := n[0]; p == 'V' || p == 'E' {
		if DocType(p) != t {
			return Document{}, comuna.FieldError("document_number", "the number is marked %c but the document type is %s", p, t)
		}
		n = n[1:]
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return Document{}, comuna.FieldError("document_number", "a cédula number has digits only")
		}
	}
	n = strings.TrimLeft(n, "0")
	if len(n) < MinCedulaDigits || len(n) > MaxCedulaDigits {
		return Document{}, comuna.FieldError("document_number", "a cédula number has %d to %d digits, not %d", MinCedulaDigits, MaxCedulaDigits, len(n))
	}
	return Document{typ: t, number: n}, nil
}

func passport(n string) (Document, error) {
	for i := 0; i < len(n); i++ {
		c := n[i]
		if (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return Document{}, comuna.FieldError("document_number", "a passport number has letters and digits only")
		}
	}
	if len(n) < MinPassportLength || len(n) > MaxPassportLength {
		return Document{}, comuna.FieldError("document_number", "a passport number has %d to %d letters and digits, not %d", MinPassportLength, MaxPassportLength, len(n))
	}
	return Document{typ: DocPassport, number: n}, nil
}

// Person returns the document as the poll book counts people: unless
// separateVE, a cédula number under E is the same person as under V, so
// both hash alike and the second answers already voted.
func (d Document) Person(separateVE bool) Document {
	if !separateVE && d.typ == DocForeigner {
		return Document{typ: DocVenezuelan, number: d.number}
	}
	return d
}
