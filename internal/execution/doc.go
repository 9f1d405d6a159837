// Package execution follows every funded project of a consultation from the
// round's decision to its completion: the commitment of money (with its
// currency and exchange rate), status changes with their history,
// milestones and physical progress, disbursements and financial progress,
// comptroller findings, citizen reports, and the activation of the
// runner-up the consultations promise once the first project is finished.
//
// It is pure: it validates and computes, it stores nothing. Every change is
// an entry appended to a project's history, never an edit of an old one, so
// a project's state is always a replay of its entries. The same replay runs
// in the store, on the pages and in the verifier, so what is published is
// what is verified.
package execution
