package stv

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/comuna/comuna/internal/assemblies/blt"
)

// BenchmarkCount times each rule on each reference file, parse included:
//
//	COMUNA_REFERENCE_DIR=../shared/stv go test -run '^$' -bench Count ./internal/assemblies/stv
func BenchmarkCount(b *testing.B) {
	dirs := referenceDirs(b)
	dir := dirs[len(dirs)-1]
	for _, rec := range loadRecords(b, dir) {
		data, err := os.ReadFile(filepath.Join(dir, rec.File))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(rec.File+"/"+string(rec.Rule), func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				f, err := blt.Read(bytes.NewReader(data))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Count(FromBLT(f), rec.Rule); err != nil {
					b.Fatal(err)
				}
			}
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/op")
			}
		})
	}
}
