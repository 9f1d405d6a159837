package stv

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/comuna/comuna/internal/assemblies/blt"
)

// record is one outcome of the reference counter (see testdata/README.md).
type record struct {
	File      string   `json:"file"`
	Rule      Rule     `json:"rule"`
	Seats     int      `json:"seats"`
	Ballots   string   `json:"ballots"`
	Quota     string   `json:"quota"`
	Elected   []string `json:"elected"`
	Ties      []string `json:"ties"`
	TiesByLot bool     `json:"ties_by_lot"`
	Seconds   float64  `json:"seconds"`
}

// referenceDirs returns the folders of reference records to check: the
// copy in testdata always, and the full corpus when it is present.
func referenceDirs(t testing.TB) []string {
	dirs := []string{"testdata"}
	full := os.Getenv("COMUNA_REFERENCE_DIR")
	if full == "" {
		full = "../../../../shared/stv"
	}
	if _, err := os.Stat(filepath.Join(full, "expected.json")); err == nil {
		dirs = append(dirs, full)
	} else {
		t.Logf("full reference corpus not found at %s (set COMUNA_REFERENCE_DIR); checking testdata only", full)
	}
	return dirs
}

func loadRecords(t testing.TB, dir string) []record {
	data, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []record
	if err := json.Unmarshal(data, &recs); err != nil {
		t.Fatal(err)
	}
	return recs
}

func readBLT(t testing.TB, path string) *blt.Election {
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := blt.Read(fh)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}

func TestReferenceRecords(t *testing.T) {
	for _, dir := range referenceDirs(t) {
		recs := loadRecords(t, dir)
		if len(recs) == 0 {
			t.Fatalf("%s: no records", dir)
		}
		for _, rec := range recs {
			t.Run(filepath.Base(dir)+"/"+rec.File+"/"+string(rec.Rule), func(t *testing.T) {
				f := readBLT(t, filepath.Join(dir, rec.File))
				res, err := Count(FromBLT(f), rec.Rule)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, c := range res.Elected {
					got = append(got, f.Names[c])
				}
				if !slices.Equal(got, rec.Elected) {
					t.Errorf("elected %q, want %q", got, rec.Elected)
				}
				if res.Quota != rec.Quota {
					t.Errorf("quota %s, want %s", res.Quota, rec.Quota)
				}
				if res.Seats != rec.Seats {
					t.Errorf("seats %d, want %d", res.Seats, rec.Seats)
				}
				ties := res.Ties
				if ties == nil {
					ties = []string{}
				}
				if !slices.Equal(ties, rec.Ties) {
					t.Errorf("ties %q, want %q", ties, rec.Ties)
				}
				if res.TiesByLot != rec.TiesByLot {
					t.Errorf("ties by lot %v, want %v", res.TiesByLot, rec.TiesByLot)
				}
			})
		}
	}
}
