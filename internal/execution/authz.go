package execution

import "github.com/comuna/comuna/internal/comuna"

// EntryAction is the action of comuna's authorization matrix an entry
// needs: fund officers record payments and the transfer of funds; the
// executing council's finance spokesperson reports milestones, evidence,
// the works' status and confirms what was received; the commune's
// comptrollers open and close findings and review progress; cancelling
// a project or correcting its status is for those who run rounds.
func EntryAction(e Event) comuna.Action {
	switch e.Kind {
	case EvDisbursement:
		return comuna.ActionRecordPayment
	case EvStatus:
		switch {
		case e.Corrects != 0 || e.Status == Cancelled:
			return comuna.ActionManageRounds
		case e.Status == Transferred:
			return comuna.ActionRecordPayment
		}
		return comuna.ActionExecuteProject
	case EvConfirm, EvMilestone, EvReview, EvEvidence:
		return comuna.ActionExecuteProject
	case EvProgress, EvFinding:
		return comuna.ActionOverseeProject
	case EvFindingAct:
		if e.Action == ActAnswer {
			return comuna.ActionExecuteProject
		}
		return comuna.ActionOverseeProject
	}
	return comuna.ActionManageRounds
}
