package storetest

import (
	"testing"

	"github.com/comuna/comuna/internal/sqlstore"
)

// Run runs the behavioural suite against the stores open returns. Every
// subtest gets its own fresh, empty store, so the subtests run in
// parallel.
func Run(t *testing.T, open func(t *testing.T) *sqlstore.DB) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s *sqlstore.DB)
	}{
		{"Ping", testPing},
		{"EditableVersion", testEditableVersion},
		{"ImportUnits", testImportUnits},
		{"ImportUnitsErrors", testImportUnitsErrors},
		{"ImportUnitsUpsert", testImportUnitsUpsert},
		{"Units", testUnits},
		{"UnitsIgnoreAccents", testUnitsIgnoreAccents},
		{"Unit", testUnit},
		{"UnitStats", testUnitStats},
		{"EachUnit", testEachUnit},
		{"TerritorySummary", testTerritorySummary},
		{"CreateRound", testCreateRound},
		{"RoundSnapshot", testRoundSnapshot},
		{"UpdateRound", testUpdateRound},
		{"TransitionRound", testTransitionRound},
		{"Users", testUsers},
		{"CreateUserErrors", testCreateUserErrors},
		{"Sessions", testSessions},
		{"APITokens", testAPITokens},
		{"SubmitProposal", testSubmitProposal},
		{"CostAboveAmount", testCostAboveAmount},
		{"SubmitProposalErrors", testSubmitProposalErrors},
		{"ReviewProposal", testReviewProposal},
		{"Proposals", testProposals},
		{"ConcurrentWrites", testConcurrentWrites},
		{"SaveBallot", testSaveBallot},
		{"SaveBallotErrors", testSaveBallotErrors},
		{"BallotVersions", testBallotVersions},
		{"ImportProposals", testImportProposals},
		{"ImportBallots", testImportBallots},
		{"CheckIn", testCheckIn},
		{"CheckInPhase", testCheckInPhase},
		{"CheckInRace", testCheckInRace},
		{"WalkIns", testWalkIns},
		{"PhaseClosesTables", testPhaseClosesTables},
		{"TableState", testTableState},
		{"DestroyCheckIns", testDestroyCheckIns},
		{"CheckInBatchUnlinks", testCheckInBatchUnlinks},
		{"DoubleEntry", testDoubleEntry},
		{"EntryErrors", testEntryErrors},
		{"Corrections", testCorrections},
		{"FourEyes", testFourEyes},
		{"LiveCounts", testLiveCounts},
		{"Audits", testAudits},
		{"AuditPhase", testAuditPhase},
		{"RoundAllocation", testRoundAllocation},
		{"ImportPB", testImportPB},
	}
	tests = append(tests, logTests...)
	tests = append(tests, executionTests...)
	tests = append(tests, parliamentTests...)
	tests = append(tests, federationTests...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}
