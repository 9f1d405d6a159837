package territorycsv

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

// writeAll writes units as a territory file.
func writeAll(t testing.TB, units []comuna.Unit) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, u := range units {
		if err := w.Write(u); err != nil {
			t.Fatalf("Write(%+v): %v", u, err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	f, err := os.Open("testdata/small.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	units, _, err := readAll(t, f)
	if err != nil {
		t.Fatal(err)
	}
	out := writeAll(t, units)
	back, _, err := readAll(t, bytes.NewReader(out))
	if err != nil {
		t.Fatalf("read back: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(back, units) {
		t.Errorf("round trip changed the units:\ngot  %+v\nwant %+v", back, units)
	}
	// The fixture is written in the canonical form, so the bytes match too.
	want, err := os.ReadFile("testdata/small.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("written file differs from the fixture:\ngot\n%s\nwant\n%s", out, want)
	}
}

func TestWriteEmpty(t *testing.T) {
	got := string(writeAll(t, nil))
	if want := strings.Join(Columns, ",") + "\n"; got != want {
		t.Errorf("empty territory = %q, want just the header %q", got, want)
	}
}

func TestWriteCouncilWithZeroCensus(t *testing.T) {
	got := string(writeAll(t, []comuna.Unit{{Level: comuna.LevelCouncil, Code: "K", Parent: "C", Name: "N"}}))
	if want := "council,K,C,N,0,,\n"; !strings.HasSuffix(got, want) {
		t.Errorf("got %q, want a row %q", got, want)
	}
}

// FuzzReader feeds arbitrary bytes to the reader: it must never panic, and
// every unit it accepts must come back the same after writing and reading.
func FuzzReader(f *testing.F) {
	seed, err := os.ReadFile("testdata/small.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("\ufeffKIND,Code,name,parent\r\nstate,MI,Miranda,\r\n\r\n"))
	f.Add([]byte("kind,code,parent,name,census\ncouncil,K,C,\"a \"\"b\"\"\",+12\n"))
	f.Add([]byte("kind,code,parent,name\nstate,\"x\ny\",,z\n"))
	f.Add([]byte("kind,code,parent,name,census\ncouncil,K,C,N,99999999999999999999\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data))
		var units []comuna.Unit
		for i := 0; i < 10000; i++ {
			u, _, err := r.Next()
			if err != nil {
				break // a bad row, a fatal error or io.EOF
			}
			if err := u.Validate(); err != nil {
				t.Fatalf("accepted an invalid unit %+v: %v", u, err)
			}
			units = append(units, u)
		}
		out := writeAll(t, units)
		back, _, err := readAll(t, bytes.NewReader(out))
		if err != nil {
			t.Fatalf("reading back what was written: %v\nwritten:\n%q", err, out)
		}
		if len(units) == 0 && len(back) == 0 {
			return
		}
		if !reflect.DeepEqual(back, units) {
			t.Fatalf("round trip changed the units:\ngot  %+v\nwant %+v", back, units)
		}
	})
}
