package demo

import "testing"

func BenchmarkGenerateNational(b *testing.B) {
	for b.Loop() {
		Generate(National)
	}
}
