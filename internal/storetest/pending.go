package storetest

import (
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

func pending(t *testing.T, _ comuna.Store) { t.Skip("not built yet") }

var (
	testSubmitProposal       = pending
	testSubmitProposalErrors = pending
	testReviewProposal       = pending
	testProposals            = pending
	testSaveBallot           = pending
	testSaveBallotErrors     = pending
	testBallotVersions       = pending
	testImportProposals      = pending
	testImportBallots        = pending
)
