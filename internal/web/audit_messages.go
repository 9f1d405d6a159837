package web

// auditMessages are the catalogue's labels for audits of the paper and
// the "verify this result" page, in Spanish and English. They join
// messages when the package starts.
var auditMessages = map[string][2]string{
	"audit.list":                 {"Auditorías", "Audits"},
	"audit.title":                {"Auditoría", "Audit"},
	"audit.intro":                {"Tras el escrutinio se sortean mesas para recontar a mano sus papeletas con una semilla pública anunciada en un acto público: cualquiera puede repetir el sorteo. La auditoría de riesgo limitado dice cuántas mesas recontar en cada circuito y pide más cuando aparecen discrepancias.", "After the count, tables are drawn for a hand recount of their paper ballots with a public seed announced at a public ceremony: anyone can repeat the draw. The risk-limiting audit says how many tables to recount in each circuit and asks for more when discrepancies appear."},
	"audit.none":                 {"Todavía no hay auditorías de esta consulta.", "There are no audits of this consultation yet."},
	"audit.new":                  {"Nueva auditoría", "New audit"},
	"audit.kind":                 {"Tipo", "Kind"},
	"audit.kind.risk-limiting":   {"De riesgo limitado (por circuito)", "Risk-limiting (per circuit)"},
	"audit.kind.draw":            {"Sorteo nacional de mesas", "National draw of tables"},
	"audit.seed":                 {"Semilla pública", "Public seed"},
	"audit.seedhelp":             {"Por ejemplo, 20 dígitos de dados lanzados en el acto público. Se publica tal cual.", "For example, 20 dice digits rolled at the public ceremony. It is published as typed."},
	"audit.risklimit":            {"Límite de riesgo (%)", "Risk limit (%)"},
	"audit.badrisk":              {"Escriba un porcentaje, por ejemplo 5.", "Write a percentage, for example 5."},
	"audit.tables":               {"Mesas a sortear", "Tables to draw"},
	"audit.limitortables":        {"Límite de riesgo o mesas", "Risk limit or tables"},
	"audit.created":              {"Creada", "Created"},
	"audit.start":                {"Iniciar la auditoría", "Start the audit"},
	"audit.stale":                {"Un acta se corrigió después de crear esta auditoría: las cifras publicadas con las que compara han cambiado.", "A tally sheet was corrected after this audit was created: the reported counts it compares with have changed."},
	"audit.rederive":             {"Cada sorteo se deriva de la semilla y de las actas publicadas (SHA-256 de «semilla:mesa» o «semilla:draw-N»); ver la documentación del paquete audit.", "Every draw derives from the seed and the published sheets (SHA-256 of \"seed:table\" or \"seed:draw-N\"); see the audit package's documentation."},
	"audit.drawn":                {"Mesas sorteadas", "Tables drawn"},
	"audit.enter":                {"cargar recuento", "enter recount"},
	"audit.pending":              {"Faltan recuentos de", "Recounts missing for"},
	"audit.outcome":              {"Resultado", "Outcome"},
	"audit.outcome.confirmed":    {"Confirmado", "Confirmed"},
	"audit.outcome.escalate":     {"Ampliar la muestra", "Escalate"},
	"audit.outcome.full-count":   {"Recuento total", "Full hand count"},
	"audit.outcome.hand-counted": {"Contado a mano", "Hand counted"},
	"audit.outcome.in-progress":  {"En curso", "In progress"},
	"audit.draws":                {"Extracciones", "Draws"},
	"audit.torecount":            {"Mesas por recontar", "Tables to recount"},
	"audit.reason":               {"Motivo", "Reason"},
	"audit.discrepancies":        {"Discrepancias", "Discrepancies"},
	"audit.nodiscrepancy":        {"Ningún recuento difiere de su acta.", "No recount differs from its sheet."},
	"audit.reported":             {"Acta (por número)", "Sheet (per number)"},
	"audit.recounted":            {"Recuento (por número)", "Recount (per number)"},
	"audit.ballots":              {"Papeletas halladas", "Ballots found"},
	"audit.recount":              {"Recuento a mano", "Hand recount"},
	"audit.blind":                {"Cuente las papeletas de la caja sin mirar el acta y anote los votos de cada número.", "Count the ballots in the box without looking at the sheet and write down the votes for each number."},
	"audit.votesfor":             {"Votos por el número %d", "Votes for number %d"},
	"audit.ballotsfound":         {"Papeletas en la caja (todas)", "Ballots in the box (all)"},
	"audit.save":                 {"Guardar el recuento", "Save the recount"},
	"verify.title":               {"Verifique este resultado", "Verify this result"},
	"verify.intro":               {"Cada acta aceptada está en un registro público a prueba de alteraciones (un árbol de Merkle firmado). Cualquiera puede descargarlo y recalcular los votos y los ganadores de cada circuito.", "Every accepted tally sheet is in a tamper-evident public log (a signed Merkle tree). Anyone can download it and recompute every circuit's votes and winners."},
	"verify.command":             {"Verifíquelo usted", "Verify it yourself"},
	"verify.commandhelp":         {"El comando revisa firmas y pruebas, recalcula todos los circuitos y los compara con los resultados publicados; termina con error ante cualquier diferencia.", "The command checks signatures and proofs, recomputes every circuit and compares them with the published results; it exits with an error on any difference."},
	"verify.log":                 {"Registro público", "Public log"},
	"verify.checkpoint":          {"El registro tiene %d entradas; su punto de control firmado está en", "The log has %d records; its signed checkpoint is at"},
	"verify.nolog":               {"Este servidor no publica un registro.", "This server publishes no log."},
	"verify.version":             {"Versión", "Version"},
	"verify.votes":               {"Votos por número", "Votes per number"},
	"verify.record":              {"Entrada del registro", "Log record"},
	"verify.proof":               {"Prueba", "Proof"},
	"verify.inclusion":           {"de inclusión", "of inclusion"},
	"verify.nosheets":            {"Ninguna mesa de este circuito tiene acta aceptada.", "No table of this circuit has an accepted sheet."},
	"verify.missing":             {"Mesas sin acta", "Tables without a sheet"},
	"verify.noaudit":             {"Sin auditoría de riesgo limitado todavía", "No risk-limiting audit yet"},
}

func init() {
	for k, v := range auditMessages {
		messages[k] = v
	}
}
