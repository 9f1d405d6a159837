package web

// guardsMessages are the catalogue's guard rails: the confirmation of a
// phase move, the readiness check before voting, refusals at a table and
// of impossible dates, in Spanish and English.
var guardsMessages = map[string][2]string{
	"move.confirmtitle": {"¿Pasar a la fase «%s»?", "Move to the “%s” phase?"},
	"move.does":         {"Qué hace:", "What it does:"},
	"move.freezes":      {"Qué congela:", "What it freezes:"},
	"move.noway":        {"Las fases no tienen vuelta atrás: el cambio queda en el historial y en el registro público.", "Phases have no way back: the move stays in the history and in the public log."},
	"move.confirm":      {"Sí, pasar a «%s»", "Yes, move to “%s”"},
	"move.cancel":       {"Cancelar", "Cancel"},
	"move.stale":        {"La consulta ya cambió de fase: revise la página antes de seguir.", "The round has already changed phase: check the page before going on."},

	"move.does.proposals":    {"Abre la convocatoria: cada consejo puede presentar propuestas con su acta de asamblea.", "Opens the call: every council may submit proposals with its assembly minutes."},
	"move.freezes.proposals": {"Las reglas de la consulta y su copia del territorio.", "The round's rules and its copy of the territory."},
	"move.does.review":       {"Cierra la convocatoria; la revisión técnica sigue.", "Closes the call; the technical review goes on."},
	"move.freezes.review":    {"La lista de propuestas: no se admiten nuevas.", "The list of proposals: no new ones are taken."},
	"move.does.ballots":      {"Termina la revisión; cada coordinación arma y publica la papeleta de su circuito.", "Ends the review; each coordinator builds and publishes their circuit's ballot."},
	"move.freezes.ballots":   {"Las decisiones de revisión.", "The review decisions."},
	"move.does.voting":       {"Abre los cuadernos de votación de todas las mesas con papeleta publicada.", "Opens the poll books of every table whose circuit has a published ballot."},
	"move.freezes.voting":    {"Las papeletas publicadas: ya no pueden cambiar. Los circuitos sin papeleta quedan fuera de esta consulta.", "The published ballots: they can no longer change. Circuits without a ballot stay out of this round."},
	"move.does.counting":     {"Cierra la votación en todas las mesas; las mesas cargan sus actas.", "Closes voting at every table; tables enter their tally sheets."},
	"move.freezes.counting":  {"Los registros de votantes: no se admiten más.", "Check-ins: no more are taken."},
	"move.does.results":      {"Publica los resultados como definitivos.", "Publishes the results as final."},
	"move.freezes.results":   {"Las actas: solo caben correcciones con su motivo, que quedan en el registro.", "The tally sheets: only corrections with a reason, which stay in the log."},
	"move.does.execution":    {"Pasa los proyectos financiados a ejecución.", "Moves the funded projects into execution."},
	"move.freezes.execution": {"La lista de proyectos financiados.", "The list of funded projects."},
	"move.does.closed":       {"Cierra la consulta.", "Closes the round."},
	"move.freezes.closed":    {"Todo: la consulta queda solo para consulta pública.", "Everything: the round stays for the public to read."},
	"ready.title":            {"Verificación antes de abrir la votación", "Readiness check before voting opens"},
	"ready.noballot":         {"%d de %d circuitos no tienen papeleta publicada:", "%d of %d circuits have no published ballot:"},
	"ready.ballotsok":        {"Los %d circuitos tienen papeleta publicada.", "All %d circuits have a published ballot."},
	"ready.nomembers":        {"%d de %d mesas no tienen miembro de mesa con cuenta:", "%d of %d tables have no table member with an account:"},
	"ready.membersok":        {"Las %d mesas tienen miembro de mesa.", "All %d tables have a table member."},
	"ready.key.pollbook":     {"Clave del cuaderno de votación", "Poll-book key"},
	"ready.keysmissing":      {"no está configurada: sin ella no se puede registrar votantes.", "not configured: without it no voter can be checked in."},
	"ready.keysok":           {"La clave del cuaderno de votación está configurada.", "The poll-book key is configured."},
	"ready.nologkey":         {"El registro público no tiene clave de firma: sus puntos de control no se firman.", "The public log has no signing key: its checkpoints are not signed."},
	"ready.blocked":          {"No se puede abrir la votación: falta %s.", "Voting cannot open: missing %s."},
	"ready.mustexclude":      {"%d de %d circuitos no tienen papeleta publicada: marque la casilla para excluirlos de esta votación, o publique sus papeletas.", "%d of %d circuits have no published ballot: tick the box to exclude them from this vote, or publish their ballots."},
	"ready.excludetick":      {"Excluir de esta votación los %d circuitos sin papeleta publicada: sus mesas no registrarán votantes.", "Exclude the %d circuits without a published ballot from this vote: their tables will check no one in."},
	"checkin.noballot":       {"El circuito %s no tiene papeleta publicada: esta mesa no vota en esta consulta. No entregue papeletas.", "Circuit %s has no published ballot: this table does not vote in this round. Hand out no ballots."},
	"table.noballot":         {"El circuito %s no tiene papeleta publicada: esta mesa no vota en esta consulta y no registra votantes.", "Circuit %s has no published ballot: this table does not vote in this round and checks no one in."},
	"date.votepast":          {"La fecha de votación %s ya pasó: elija una fecha futura.", "The vote date %s is in the past: choose a future date."},
	"date.assemblyfuture":    {"La asamblea no puede tener fecha futura (%s).", "The assembly cannot be dated in the future (%s)."},
}

func init() {
	for k, v := range guardsMessages {
		messages[k] = v
	}
}
