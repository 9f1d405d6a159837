package web

// tasksMessages are the catalogue's labels of "Mis tareas", the page every
// account lands on after logging in, in Spanish and English.
var tasksMessages = map[string][2]string{
	"nav.tasks":             {"Mis tareas", "My tasks"},
	"tasks.title":           {"Mis tareas", "My tasks"},
	"tasks.lead":            {"Lo que puede hacer ahora, en todas las consultas. Su papel: %s", "What you can do now, across every round. Your role: %s"},
	"tasks.empty":           {"No tiene tareas pendientes en ninguna consulta.", "You have nothing to do in any round right now."},
	"tasks.general":         {"Administración", "Administration"},
	"tasks.open":            {"Abrir", "Open"},
	"tasks.admin.phase":     {"Fase actual: %s. Siguiente: %s.", "Current phase: %s. Next: %s."},
	"tasks.admin.phasenote": {"Revise la verificación previa en la página de la consulta antes de pasar de fase.", "Check the readiness list on the round's page before moving it on."},
	"tasks.admin.newround":  {"Crear una consulta nueva.", "Create a new round."},
	"tasks.admin.users":     {"Gestionar las cuentas.", "Manage the accounts."},
	"tasks.review.pending":  {"%s propuestas esperan su revisión.", "%s proposals are waiting for review."},
	"tasks.review.none":     {"No queda nada por revisar en esta consulta.", "Nothing left to review in this round."},
	"tasks.review.go":       {"Revisar", "Review"},
	"tasks.spokes.call":     {"La convocatoria de propuestas está abierta para su consejo %s.", "The call for proposals is open for your council %s."},
	"tasks.spokes.callnote": {"Presente las propuestas aprobadas en asamblea, con su acta.", "Submit the proposals your assembly approved, with its minutes."},
	"tasks.spokes.submit":   {"Presentar una propuesta", "Submit a proposal"},
	"tasks.spokes.mine":     {"Su consejo presentó %s propuestas: %s por revisar, %s aceptadas, %s rechazadas.", "Your council submitted %s proposals: %s to review, %s accepted, %s rejected."},
	"tasks.coord.proposals": {"La convocatoria de propuestas está abierta en su circuito %s.", "The call for proposals is open in your circuit %s."},
	"tasks.coord.noballot":  {"El circuito %s aún no tiene papeleta: prepárela con las propuestas aceptadas.", "Circuit %s has no ballot yet: prepare it from the accepted proposals."},
	"tasks.coord.draft":     {"La papeleta del circuito %s (versión %d) es un borrador: publíquela.", "Circuit %s's ballot (version %d) is a draft: publish it."},
	"tasks.coord.published": {"La papeleta del circuito %s está publicada (versión %d).", "Circuit %s's ballot is published (version %d)."},
	"tasks.coord.edit":      {"Editar la papeleta", "Edit the ballot"},
	"tasks.coord.print":     {"Imprimir la papeleta", "Print the ballot"},
	"tasks.coord.circuit":   {"Siga su circuito %s.", "Follow your circuit %s."},
	"tasks.table.soon":      {"Su mesa %s, el día de la votación.", "Your table %s, on vote day."},
	"tasks.table.opens":     {"La votación abre el %s, cuando la administración nacional abra la fase de votación.", "Voting opens on %s, when the national administration opens the voting phase."},
	"tasks.table.open":      {"La votación está abierta en su mesa %s.", "Voting is open at your table %s."},
	"tasks.table.opennote":  {"Registre a cada votante antes de entregarle la papeleta.", "Check each voter in before handing over the ballot."},
	"tasks.table.checkin":   {"Registrar votantes", "Check voters in"},
	"tasks.table.sheet":     {"Cargue el acta de escrutinio de su mesa %s.", "Enter the tally sheet of your table %s."},
	"tasks.table.enter":     {"Cargar el acta", "Enter the sheet"},
	"tasks.observe":         {"Siga los resultados en vivo.", "Follow the live results."},
	"review.allrounds":      {"Propuestas por revisar en todas las consultas.", "Proposals waiting for review in every round."},
	"review.round":          {"%s: %s por revisar", "%s: %s to review"},
}

func init() {
	for k, v := range tasksMessages {
		messages[k] = v
	}
}
