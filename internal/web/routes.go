package web

import (
	"net/http"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/execution"
)

// handlerFunc is a route's handler: it writes a response or returns an
// error for handleError to map to a status.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// route is one entry of the route table: what a request must match, the
// action it needs, and who serves it.
type route struct {
	Method  string
	Pattern string
	Action  comuna.Action
	// API routes answer JSON (errors too) and accept Bearer tokens.
	API bool
	// MaxBody limits a state-changing request's body; zero means 1 MiB.
	MaxBody int64
	h       handlerFunc
}

// Scoped reports whether the route's action depends on where in the
// territory it applies. The guard then lets through only accounts whose
// scope could allow it, and the handler decides with the resource's
// target through Server.authorize.
func (rt *route) Scoped() bool { return scopedActions[rt.Action] }

var scopedActions = map[comuna.Action]bool{
	comuna.ActionSubmitProposal: true,
	comuna.ActionEditBallot:     true,
	comuna.ActionPollBook:       true,
	comuna.ActionEnterTally:     true,
	comuna.ActionEnterRecount:   true,
	comuna.ActionExecuteProject: true,
	comuna.ActionOverseeProject: true,
	comuna.ActionManageOrgans:   true,
	comuna.ActionRunSession:     true,
}

// withBody raises a route's body limit, for forms that upload a photo.
func withBody(rt route, limit int64) route {
	rt.MaxBody = limit
	return rt
}

// routeTable lists every route the server answers.
func (s *Server) routeTable() []route {
	const (
		view     = comuna.ActionView
		internal = comuna.ActionViewInternal
		rounds   = comuna.ActionManageRounds
		users    = comuna.ActionManageUsers
		submit   = comuna.ActionSubmitProposal
		review   = comuna.ActionReviewProposal
		ballot   = comuna.ActionEditBallot
		poll     = comuna.ActionPollBook
		tally    = comuna.ActionEnterTally
		recount  = comuna.ActionEnterRecount
		organs   = comuna.ActionManageOrgans
		run      = comuna.ActionRunSession
	)
	page := func(method, pattern string, a comuna.Action, h handlerFunc) route {
		return route{Method: method, Pattern: pattern, Action: a, h: h}
	}
	api := func(method, pattern string, a comuna.Action, h handlerFunc) route {
		return route{Method: method, Pattern: "/api/v1" + pattern, Action: a, API: true, h: h}
	}
	return []route{
		// Infrastructure.
		page("GET", "/healthz", view, s.healthz),
		page("GET", "/static/{hash}/{name}", view, s.static),

		// Sessions and accounts.
		page("GET", "/login", view, s.loginForm),
		page("POST", "/login", view, s.login),
		page("POST", "/logout", view, s.logout),
		page("GET", "/account", internal, s.account),
		page("GET", "/tasks", internal, s.tasks),
		page("POST", "/account/tokens", internal, s.accountToken),

		// Rounds and their phases.
		page("GET", "/{$}", view, s.home),
		page("GET", "/rounds", view, s.roundList),
		page("GET", "/rounds/new", rounds, s.roundForm),
		page("POST", "/rounds", rounds, s.roundCreate),
		page("GET", "/rounds/{id}", view, s.roundPage),
		page("POST", "/rounds/{id}/transitions", rounds, s.roundTransition),

		// Territory.
		page("GET", "/territory", view, s.territoryIndex),
		page("GET", "/territory/{level}/{code}", view, s.territoryUnit),

		// Circuits, proposals and reviews.
		page("GET", "/rounds/{id}/circuits/{code}", view, s.circuitPage),
		page("GET", "/rounds/{id}/proposals", view, s.proposalList),
		page("GET", "/rounds/{id}/proposals/new", submit, s.proposalForm),
		page("POST", "/rounds/{id}/proposals", submit, s.proposalCreate),
		page("GET", "/proposals/{id}", view, s.proposalPage),
		page("GET", "/review", review, s.reviewAll),
		page("GET", "/rounds/{id}/review", review, s.reviewQueue),
		page("POST", "/proposals/{id}/review", review, s.reviewSubmit),

		// Ballots.
		page("GET", "/rounds/{id}/circuits/{code}/ballot/print", view, s.ballotPrint),
		page("GET", "/rounds/{id}/circuits/{code}/ballot/edit", ballot, s.ballotForm),
		page("POST", "/rounds/{id}/circuits/{code}/ballot", ballot, s.ballotSave),
		page("POST", "/rounds/{id}/circuits/{code}/ballot/publish", ballot, s.ballotPublish),

		// Vote day: the poll book of each table, tally sheets, results.
		page("GET", "/rounds/{id}/tables/{code}", poll, s.tablePageGet),
		page("POST", "/rounds/{id}/tables/{code}/checkins", poll, s.tableCheckIn),
		page("POST", "/rounds/{id}/tables/{code}/walkins", poll, s.tableWalkIns),
		page("POST", "/rounds/{id}/tables/{code}/walkins/{rid}/confirm", poll, s.tableWalkInDecision(true)),
		page("POST", "/rounds/{id}/tables/{code}/walkins/{rid}/refuse", poll, s.tableWalkInDecision(false)),
		page("POST", "/rounds/{id}/tables/{code}/close", poll, s.tableClose),
		page("GET", "/rounds/{id}/tables/{code}/sheet", tally, s.sheetPageGet),
		withBody(page("POST", "/rounds/{id}/tables/{code}/sheet", tally, s.sheetEntry), maxPhoto+1<<20),
		withBody(page("POST", "/rounds/{id}/tables/{code}/sheet/corrections", tally, s.sheetCorrection), maxPhoto+1<<20),
		withBody(page("POST", "/rounds/{id}/tables/{code}/sheet/corrections/{cid}/confirm", tally, s.sheetCorrectionDecision(true)), maxPhoto+1<<20),
		page("POST", "/rounds/{id}/tables/{code}/sheet/corrections/{cid}/refuse", tally, s.sheetCorrectionDecision(false)),
		page("POST", "/rounds/{id}/circuits/{code}/reopen", rounds, s.circuitReopen),
		page("GET", "/rounds/{id}/tables/{code}/sheets", view, s.sheetVersionsPage),
		page("GET", "/rounds/{id}/sheets.csv", view, s.sheetsCSV),
		page("GET", "/rounds/{id}/funded.csv", view, s.fundedCSV),
		page("GET", "/rounds/{id}/results", view, s.resultsPage),
		page("GET", "/rounds/{id}/results/{level}/{code}", view, s.resultsUnitPage),
		page("GET", "/rounds/{id}/results/circuit/{code}/verify", view, s.verifyCircuitPage),
		page("GET", "/rounds/{id}/audits", view, s.auditList),
		page("POST", "/rounds/{id}/audits", rounds, s.auditCreate),
		page("GET", "/rounds/{id}/audits/{aid}", view, s.auditPage),
		page("GET", "/rounds/{id}/audits/{aid}/tables/{code}", recount, s.recountForm),
		page("POST", "/rounds/{id}/audits/{aid}/tables/{code}", recount, s.recountSave),

		// After the vote: funded projects followed to completion.
		page("GET", "/rounds/{id}/execution", view, s.execDashboard),
		page("POST", "/rounds/{id}/execution/fund", rounds, s.execFund),
		page("POST", "/rounds/{id}/execution/policy", rounds, s.execPolicy),
		page("GET", "/rounds/{id}/execution.csv", view, s.execCSV),
		page("GET", "/rounds/{id}/ocds.json", view, s.execOCDS),
		page("GET", "/rounds/{id}/execution/projects/{pid}", view, s.execProjectGet),
		page("POST", "/rounds/{id}/execution/projects/{pid}/payments", comuna.ActionRecordPayment, s.execEntry),
		page("POST", "/rounds/{id}/execution/projects/{pid}/entries", comuna.ActionExecuteProject, s.execEntry),
		page("POST", "/rounds/{id}/execution/projects/{pid}/oversight", comuna.ActionOverseeProject, s.execEntry),
		page("POST", "/rounds/{id}/execution/projects/{pid}/corrections", rounds, s.execEntry),
		withBody(page("POST", "/rounds/{id}/execution/projects/{pid}/evidence", comuna.ActionExecuteProject, s.execEvidence), execution.MaxEvidenceBytes+1<<20),
		page("GET", "/evidence/{sha}", view, s.evidenceFile),
		page("POST", "/rounds/{id}/execution/projects/{pid}/reports", view, s.execReport),
		page("POST", "/rounds/{id}/execution/projects/{pid}/reports/{rid}", comuna.ActionOverseeProject, s.execHandleReport),

		// Federations: members, congresses, documents article by article,
		// elections with ballots cast on phones by credential code.
		page("GET", "/federations", view, s.fedList),
		page("GET", "/federations/{fid}", view, s.fedPage),
		page("GET", "/federations/{fid}/members.csv", view, s.fedMembersCSV),
		page("POST", "/federations/{fid}/entries", rounds, s.fedEntryPost),
		page("GET", "/federations/{fid}/documents/{did}", view, s.fedDocument),
		page("GET", "/federations/{fid}/elections/{eid}", view, s.fedElection),
		page("GET", "/federations/{fid}/elections/{eid}/report.csv", view, s.fedElectionCSV),
		page("GET", "/federations/{fid}/elections/{eid}/ballot", view, s.fedBallotForm),
		page("POST", "/federations/{fid}/elections/{eid}/ballot", view, s.fedBallotCast),

		// The transparency log: public, for anyone to verify.
		page("GET", "/log/checkpoint", view, s.logCheckpoint),
		page("GET", "/log/record/{n}", view, s.logRecord),
		page("GET", "/log/tile/", view, s.logTile),
		page("GET", "/log/proof/record/{n}", view, s.logRecordProof),
		page("GET", "/log/proof/tree", view, s.logTreeProof),
		page("GET", "/log/keys", view, s.logKeys),
		page("GET", "/rounds/{id}/integrity", rounds, s.roundIntegrity),

		// Communal self-government: organs, sessions, minutes, decisions.
		page("GET", "/organs", view, s.organList),
		page("GET", "/organs/{organ}", view, s.organPageGet),
		page("GET", "/organs/{organ}/seats.csv", view, s.seatsCSV),
		page("POST", "/organs/{organ}/sessions", run, s.sessionSchedule),
		page("GET", "/sessions/{session}", view, s.sessionPageGet),
		page("POST", "/sessions/{session}/commands", run, s.sessionCommand),
		page("GET", "/sessions/{session}/minutes", view, s.minutesGet),
		page("POST", "/sessions/{session}/minutes", run, s.minutesChange(false)),
		page("POST", "/sessions/{session}/minutes/publish", run, s.minutesChange(true)),
		page("GET", "/decisions", view, s.decisionList),

		// Administration of accounts.
		page("GET", "/users", users, s.userList),
		page("GET", "/users/new", users, s.userForm),
		page("POST", "/users", users, s.userCreate),

		// JSON API (each route documented in openapi.go's apiOps).
		api("GET", "/openapi.json", view, s.apiOpenAPI),
		api("GET", "/rounds", view, s.apiRounds),
		api("POST", "/rounds", rounds, s.apiRoundCreate),
		api("GET", "/rounds/{id}", view, s.apiRound),
		api("GET", "/rounds/{id}/execution", view, s.apiExecution),
		api("GET", "/rounds/{id}/execution/projects/{pid}", view, s.apiExecProject),
		api("POST", "/rounds/{id}/execution/projects/{pid}/payments", comuna.ActionRecordPayment, s.apiExecEntry),
		api("POST", "/rounds/{id}/execution/projects/{pid}/entries", comuna.ActionExecuteProject, s.apiExecEntry),
		api("POST", "/rounds/{id}/execution/projects/{pid}/oversight", comuna.ActionOverseeProject, s.apiExecEntry),
		api("POST", "/rounds/{id}/execution/projects/{pid}/corrections", rounds, s.apiExecEntry),
		api("GET", "/rounds/{id}/transitions", view, s.apiTransitions),
		api("POST", "/rounds/{id}/transitions", rounds, s.apiTransition),
		api("GET", "/territory/summary", view, s.apiTerritorySummary),
		api("GET", "/territory/units", view, s.apiUnits),
		api("GET", "/territory/units/{level}/{code}", view, s.apiUnit),
		api("GET", "/rounds/{id}/circuits/{code}", view, s.apiCircuit),
		api("GET", "/rounds/{id}/proposals", view, s.apiProposals),
		api("POST", "/rounds/{id}/proposals", submit, s.apiProposalCreate),
		api("GET", "/proposals/{id}", view, s.apiProposal),
		api("POST", "/proposals/{id}/review", review, s.apiReview),
		api("GET", "/rounds/{id}/circuits/{code}/ballot", view, s.apiBallot),
		api("POST", "/rounds/{id}/circuits/{code}/ballot", ballot, s.apiBallotSave),
		api("POST", "/rounds/{id}/circuits/{code}/ballot/publish", ballot, s.apiBallotPublish),
		api("GET", "/rounds/{id}/circuits/{code}/ballot/versions", view, s.apiBallotVersions),
		api("GET", "/rounds/{id}/tables", view, s.apiRoundTables),
		api("GET", "/rounds/{id}/tables/{code}", poll, s.apiTable),
		api("POST", "/rounds/{id}/tables/{code}/checkins", poll, s.apiCheckIn),
		api("POST", "/rounds/{id}/tables/{code}/walkins", poll, s.apiWalkIns),
		api("POST", "/rounds/{id}/tables/{code}/walkins/{rid}/confirm", poll, s.apiWalkInDecision(true)),
		api("POST", "/rounds/{id}/tables/{code}/walkins/{rid}/refuse", poll, s.apiWalkInDecision(false)),
		api("POST", "/rounds/{id}/tables/{code}/close", poll, s.apiCloseTable),
		api("POST", "/rounds/{id}/tables/{code}/entries", tally, s.apiEntry),
		api("POST", "/rounds/{id}/tables/{code}/corrections", tally, s.apiCorrection),
		api("GET", "/rounds/{id}/tables/{code}/corrections", view, s.apiCorrections),
		api("POST", "/rounds/{id}/tables/{code}/corrections/{cid}/confirm", tally, s.apiCorrectionDecision(true)),
		api("POST", "/rounds/{id}/tables/{code}/corrections/{cid}/refuse", tally, s.apiCorrectionDecision(false)),
		api("POST", "/rounds/{id}/circuits/{code}/reopen", rounds, s.apiReopen),
		api("GET", "/rounds/{id}/reopenings", view, s.apiReopenings),
		api("GET", "/rounds/{id}/tables/{code}/sheets", view, s.apiSheetVersions),
		api("GET", "/rounds/{id}/sheets", view, s.apiSheets),
		api("GET", "/rounds/{id}/funded", view, s.apiFunded),
		api("GET", "/rounds/{id}/results", view, s.apiResults),
		api("GET", "/rounds/{id}/results/{level}/{code}", view, s.apiResultsUnit),
		api("GET", "/rounds/{id}/audits", view, s.apiAudits),
		api("POST", "/rounds/{id}/audits", rounds, s.apiAuditCreate),
		api("GET", "/rounds/{id}/audits/{aid}", view, s.apiAudit),
		api("POST", "/rounds/{id}/audits/{aid}/tables/{code}", recount, s.apiRecount),
		api("GET", "/federations", view, s.apiFederations),
		api("POST", "/federations", rounds, s.apiFederationCreate),
		api("GET", "/federations/{fid}", view, s.apiFederation),
		api("POST", "/federations/{fid}/entries", rounds, s.apiFederationEntry),
		api("GET", "/federations/{fid}/elections/{eid}", view, s.apiFederationElection),
		api("GET", "/organs", view, s.apiOrgans),
		api("POST", "/organs", organs, s.apiOrganCreate),
		api("GET", "/organs/{organ}", view, s.apiOrgan),
		api("POST", "/organs/{organ}/seats", organs, s.apiSeatSave),
		api("GET", "/organs/{organ}/sessions", view, s.apiSessions),
		api("POST", "/organs/{organ}/sessions", run, s.apiSessionSchedule),
		api("GET", "/sessions/{session}", view, s.apiSession),
		api("POST", "/sessions/{session}/commands", run, s.apiSessionCommand),
		api("GET", "/sessions/{session}/minutes", view, s.apiMinutes),
		api("POST", "/sessions/{session}/minutes", run, s.apiMinutesChange),
		api("GET", "/decisions", view, s.apiDecisions),
		api("GET", "/users", users, s.apiUsers),
		api("POST", "/users", users, s.apiUserCreate),
		api("POST", "/tokens", internal, s.apiTokenCreate),
		api("GET", "/me", internal, s.apiMe),
	}
}
