package execution

import "github.com/comuna/comuna/internal/comuna"

// RunnerUpPolicy is a round's promise about the projects placed after the
// funded ones: whether, and when, the next one is funded.
type RunnerUpPolicy string

// The runner-up policies. The consultations promised the second project
// once the first is finished (OnCompletion).
const (
	NoRunnerUp     RunnerUpPolicy = "none"
	OnCompletion   RunnerUpPolicy = "on_completion"   // when a funded project is completed
	OnCancellation RunnerUpPolicy = "on_cancellation" // when a funded project is cancelled
	OnEither       RunnerUpPolicy = "on_either"       // when one is completed or cancelled
)

// ParseRunnerUpPolicy reads a policy code; "" is NoRunnerUp.
func ParseRunnerUpPolicy(s string) (RunnerUpPolicy, error) {
	switch RunnerUpPolicy(s) {
	case "":
		return NoRunnerUp, nil
	case NoRunnerUp, OnCompletion, OnCancellation, OnEither:
		return RunnerUpPolicy(s), nil
	}
	return "", comuna.FieldError("runner_up", "unknown runner-up policy %q (want none, on_completion, on_cancellation or on_either)", s)
}

// Triggers reports whether a project reaching status activates the next
// project under the policy.
func (p RunnerUpPolicy) Triggers(status Status) bool {
	switch p {
	case OnCompletion:
		return status == Completed
	case OnCancellation:
		return status == Cancelled
	case OnEither:
		return status == Completed || status == Cancelled
	}
	return false
}

// NextRunnerUp returns the proposal to fund when a tracked project reaches
// status: the first of the circuit's decision order (every project of the
// ballot, funded first, then the rest as the decision ranks them) that is
// not tracked yet. It reports false when the policy is not triggered or
// no project is left.
func NextRunnerUp(policy RunnerUpPolicy, status Status, order []int64, tracked map[int64]bool) (int64, bool) {
	if !policy.Triggers(status) {
		return 0, false
	}
	for _, id := range order {
		if !tracked[id] {
			return id, true
		}
	}
	return 0, false
}
