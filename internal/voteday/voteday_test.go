package voteday

import (
	"fmt"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

func TestReconcileError(t *testing.T) {
	err := fmt.Errorf("submit entry: %w", &ReconcileError{Errors: []*comuna.Error{
		comuna.FieldError("cast", "too many"),
		comuna.FieldError("members", "none"),
	}})
	if got := comuna.ErrorCode(err); got != comuna.EInvalid {
		t.Errorf("ErrorCode() = %q, want %q", got, comuna.EInvalid)
	}
	if got := comuna.ErrorField(err); got != "cast" {
		t.Errorf("ErrorField() = %q, want cast", got)
	}
	if got, want := comuna.ErrorMessage(err), "cast: too many; members: none"; got != want {
		t.Errorf("ErrorMessage() = %q, want %q", got, want)
	}
	if got := ReconcileErrors(err); len(got) != 2 {
		t.Errorf("ReconcileErrors() = %v, want 2 errors", got)
	}
}
