package translog

import (
	"context"
	"fmt"
	"testing"
)

// nationalRound is the number of tally sheets in a national round.
const nationalRound = 16000

// BenchmarkAppend appends a national round's sheets in batches of each size.
func BenchmarkAppend(b *testing.B) {
	for _, batch := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			for b.Loop() {
				tl := newTestLog(b)
				tl.fill(b, 0, nationalRound, batch, "")
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*nationalRound), "ns/record")
		})
	}
}

// BenchmarkAppendOne appends one sheet to a log that holds a national round,
// the cost a tally-sheet transaction pays.
func BenchmarkAppendOne(b *testing.B) {
	tl := newTestLog(b)
	tl.fill(b, 0, nationalRound, 1000, "")
	rec := record(0, "more")
	ctx := context.Background()
	for b.Loop() {
		if _, err := tl.Append(ctx, rec); err != nil {
			b.Fatal(err)
		}
	}
}
