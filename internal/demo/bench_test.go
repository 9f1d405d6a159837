package demo

import (
	"context"
	"os"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/storetest"
)

func BenchmarkGenerateNational(b *testing.B) {
	for b.Loop() {
		Generate(National)
	}
}

// BenchmarkLoadNational loads the national demo (85,446 units, 36,600
// proposals, 5,336 ballots, two frozen copies of the territory) into a
// fresh store per iteration. The issue asks for under a minute on both
// backends:
//
//	go test ./internal/demo -run '^$' -bench LoadNational -benchtime 1x
//	COMUNA_TEST_POSTGRES=postgres://... go test ./internal/demo -run '^$' -bench LoadNational/postgres -benchtime 1x
func BenchmarkLoadNational(b *testing.B) {
	backends := []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{
		{"sqlite", storetest.SQLite},
		{"postgres", func(tb testing.TB) *sqlstore.DB {
			if os.Getenv("COMUNA_TEST_POSTGRES") == "" {
				tb.Skip("COMUNA_TEST_POSTGRES is not set")
			}
			return storetest.Postgres(tb)
		}},
	}
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				st := be.open(b)
				b.StartTimer()
				sum, err := Load(context.Background(), st, National, nil)
				if err != nil {
					b.Fatalf("Load(national) = %v", err)
				}
				b.ReportMetric(float64(sum.Units[comuna.LevelCircuit]), "circuits")
			}
		})
	}
}
