package pb_test

import (
	"testing"
	"time"

	"github.com/comuna/comuna/internal/pb"
)

// TestStepSkipping logs how many MES runs the completions need; the unit-step
// procedure would need one per step.
func TestStepSkipping(t *testing.T) {
	for _, name := range []string{"Poland_Warszawa_2026.pb", "Poland_Lodz_2022.pb", "Netherlands_Assen_2024.pb"} {
		inst, prof := load(t, name)
		for _, c := range []pb.Completion{pb.CompletionAdd1, pb.CompletionIncrease} {
			before := pb.StepRuns()
			start := time.Now()
			out, err := pb.Allocate(inst, prof, pb.Options{Rule: pb.RuleMES, Completion: c})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s %s: %d runs, %v, share %s", name, c, pb.StepRuns()-before, time.Since(start), out.Share.FloatString(2))
		}
	}
}
