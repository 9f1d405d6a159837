package pb_test

import (
	"path/filepath"
	"testing"

	"github.com/comuna/comuna/internal/pb"
)

// largest are the biggest fixtures, the ones the speed targets are about.
var largest = []string{
	"Poland_Lodz_2022.pb",
	"Poland_Warszawa_2026.pb",
	"Poland_Poznan_2025_large.pb",
	"Hungary_Budapest_2024.pb",
	"Poland_Krakow_2022.pb",
}

func benchRule(b *testing.B, opts pb.Options) {
	dir := fullDir(b)
	for _, name := range largest {
		inst, prof := load(b, filepath.Join(dir, name))
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := pb.Allocate(inst, prof, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkGreedy(b *testing.B) { benchRule(b, pb.Options{Rule: pb.RuleGreedy}) }
func BenchmarkGreedyCard(b *testing.B) {
	benchRule(b, pb.Options{Rule: pb.RuleGreedy, Sat: pb.SatCard})
}
func BenchmarkMES(b *testing.B) { benchRule(b, pb.Options{Rule: pb.RuleMES}) }
func BenchmarkMESCard(b *testing.B) {
	benchRule(b, pb.Options{Rule: pb.RuleMES, Sat: pb.SatCard})
}
func BenchmarkMESIncrease(b *testing.B) {
	benchRule(b, pb.Options{Rule: pb.RuleMES, Completion: pb.CompletionIncrease})
}
func BenchmarkMESAdd1(b *testing.B) {
	benchRule(b, pb.Options{Rule: pb.RuleMES, Completion: pb.CompletionAdd1})
}

func BenchmarkPhragmen(b *testing.B) {
	dir := fullDir(b)
	for _, name := range largest {
		inst, prof := load(b, filepath.Join(dir, name))
		if prof.Kind != pb.Approval {
			continue
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := pb.Phragmen(inst, prof, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkTopK(b *testing.B) { benchRule(b, pb.Options{Rule: pb.RuleTopK, K: 10}) }
