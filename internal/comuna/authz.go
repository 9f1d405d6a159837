package comuna

// Action is something a caller asks to do. Every route of the web server
// names one, and Authorize decides it: this file is the one place where
// roles meet permissions.
type Action string

// Actions.
const (
	ActionView            Action = "view"             // public pages and data
	ActionViewInternal    Action = "view-internal"    // dashboards for accounts
	ActionManageRounds    Action = "manage-rounds"    // create rounds, move phases
	ActionManageTerritory Action = "manage-territory" // import and edit the registry
	ActionManageUsers     Action = "manage-users"     // accounts and tokens of others
	ActionSubmitProposal  Action = "submit-proposal"  // nominate a project for a council
	ActionReviewProposal  Action = "review-proposal"  // accept or reject with a reason
	ActionEditBallot      Action = "edit-ballot"      // consolidate a circuit's ballot
	ActionPollBook        Action = "poll-book"        // check voters in at a table
	ActionEnterTally      Action = "enter-tally"      // enter a table's tally sheet
	ActionEnterRecount    Action = "enter-recount"    // enter an audit's hand recount of a table
	ActionRecordPayment   Action = "record-payment"   // record disbursements to funded projects (fund officers)
	ActionExecuteProject  Action = "execute-project"  // report a funded project's progress (its council's finance spokesperson)
	ActionOverseeProject  Action = "oversee-project"  // audit a funded project (its commune's comptrollers)
	ActionManageOrgans    Action = "manage-organs"    // create a commune's or council's organs, record seats
	ActionRunSession      Action = "run-session"      // act as secretary of an organ's sessions and minutes
)

// Actions lists every action, for tests that walk them all.
var Actions = []Action{ActionView, ActionViewInternal, ActionManageRounds, ActionManageTerritory, ActionManageUsers, ActionSubmitProposal, ActionReviewProposal, ActionEditBallot, ActionPollBook, ActionEnterTally, ActionEnterRecount, ActionRecordPayment, ActionExecuteProject, ActionOverseeProject, ActionManageOrgans, ActionRunSession}

// Target names the units an action touches, so scoped roles can be checked:
// a proposal touches its council and that council's circuit; a ballot its
// circuit; a poll book its table; an organ's session its commune, and
// its council for a council's organ.
type Target struct {
	Council string
	Circuit string
	Table   string
	Commune string // a funded project's commune, for its comptrollers
	Audit   string // an audit's id, for its hand recounts
}

// Authorize returns nil if u may perform a on target, EUnauthorized if an
// account is needed and u is nil, and EForbidden otherwise. A nil u is the
// public.
func Authorize(u *User, a Action, target Target) error {
	if a == ActionView {
		return nil
	}
	if u == nil {
		return Errorf(EUnauthorized, "log in to do this")
	}
	if u.Disabled {
		return Errorf(EForbidden, "this account is disabled")
	}
	if a == ActionEnterRecount {
		// Only the audit's own board, never a table member nor the
		// administrator who ran the audit.
		if u.Role == RoleAuditor && target.Audit != "" && u.Scope == target.Audit {
			return nil
		}
		return Errorf(EForbidden, "a %s may not %s here", u.Role, a)
	}
	if u.Role == RoleAdmin {
		return nil
	}
	allowed := false
	switch a {
	case ActionViewInternal:
		allowed = true
	case ActionSubmitProposal:
		allowed = (u.Role == RoleSpokesperson && target.Council != "" && u.Scope == target.Council) ||
			(u.Role == RoleCoordinator && target.Circuit != "" && u.Scope == target.Circuit)
	case ActionReviewProposal:
		allowed = u.Role == RoleReviewer
	case ActionEditBallot:
		allowed = u.Role == RoleCoordinator && target.Circuit != "" && u.Scope == target.Circuit
	case ActionManageOrgans, ActionRunSession:
		// A commune's secretary runs every organ of the commune and of its
		// councils; a council's spokesperson runs the council's organs.
		allowed = (u.Role == RoleSecretary && target.Commune != "" && u.Scope == target.Commune) ||
			(a == ActionRunSession && u.Role == RoleSpokesperson && target.Council != "" && u.Scope == target.Council)
	case ActionPollBook:
		allowed = u.Role == RoleTableMember && target.Table != "" && u.Scope == target.Table
	case ActionEnterTally:
		// The circuit's coordinator may enter a sheet too, to settle two
		// entries that differ with a fresh one.
		allowed = (u.Role == RoleTableMember && target.Table != "" && u.Scope == target.Table) ||
			(u.Role == RoleCoordinator && target.Circuit != "" && u.Scope == target.Circuit)
	case ActionRecordPayment:
		allowed = u.Role == RoleFundOfficer
	case ActionExecuteProject:
		allowed = u.Role == RoleFinance && target.Council != "" && u.Scope == target.Council
	case ActionOverseeProject:
		allowed = u.Role == RoleComptroller && target.Commune != "" && u.Scope == target.Commune
	}
	if !allowed {
		return Errorf(EForbidden, "a %s may not %s here", u.Role, a)
	}
	return nil
}
