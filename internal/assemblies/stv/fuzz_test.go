package stv

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/comuna/comuna/internal/assemblies/blt"
)

// FuzzCount counts whatever the BLT reader accepts under every rule, with
// and without a balance and alternates: no panic, and as many elected as
// seats (or every candidate, when there are fewer), none twice.
func FuzzCount(f *testing.F) {
	for _, name := range []string{"42.blt", "SC-Vm-12.blt", "eq2.blt", "weak-surplus.blt"} {
		data, _ := os.ReadFile(filepath.Join("testdata", name))
		f.Add(data, uint8(0))
	}
	f.Add([]byte(balanced), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, opts uint8) {
		file, err := blt.Read(bytes.NewReader(data))
		if err != nil || len(file.Names) > 40 || len(file.Ballots) > 400 {
			return
		}
		e := FromBLT(file)
		if opts&1 != 0 {
			groups := make([]string, len(e.Names))
			for i := range groups {
				groups[i] = []string{"f", "m", ""}[i%3]
			}
			e.Balance = &Balance{Groups: groups, MinPercent: 40}
		}
		e.Alternates = int(opts>>1) % 3
		eligible := 0
		for _, w := range e.Withdrawn {
			if !w {
				eligible++
			}
		}
		for _, rule := range Rules {
			r, err := Count(e, rule)
			if err != nil {
				t.Fatalf("%s: %v", rule, err)
			}
			if want := min(e.Seats, eligible); len(r.Elected) != want {
				t.Fatalf("%s: %d elected, want %d", rule, len(r.Elected), want)
			}
			seen := map[int]bool{}
			for _, c := range append(append([]int(nil), r.Elected...), r.Alternates...) {
				if seen[c] || e.Withdrawn[c] {
					t.Fatalf("%s: candidate %d elected twice or withdrawn", rule, c)
				}
				seen[c] = true
			}
		}
	})
}
