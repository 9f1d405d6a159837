package web

// decisionMessages are the catalogue's messages of a circuit's decision —
// the "how it was decided" section of its results page and the sentences
// that explain each project's outcome, rendered from the allocation
// engine's data — in Spanish and English. They join messages when the
// package starts.
var decisionMessages = map[string][2]string{
	"decision.title":         {"Cómo se decidió", "How it was decided"},
	"decision.rule":          {"Regla", "Rule"},
	"decision.winners":       {"Ganadores por circuito", "Winners per circuit"},
	"decision.budget":        {"Presupuesto del circuito", "The circuit's budget"},
	"decision.voters":        {"Papeletas con voto por un proyecto (sin blancas ni nulas)", "Ballots with a vote for a project (blank and null left out)"},
	"decision.funded":        {"Financiados, en el orden en que los eligió la regla", "Funded, in the order the rule chose them"},
	"decision.none":          {"Ningún proyecto financiado.", "No project funded."},
	"decision.cost":          {"Costo de los financiados", "Cost of the funded projects"},
	"decision.amount":        {"Monto asignado", "Amount committed"},
	"decision.why":           {"Por qué", "Why"},
	"decision.nothing":       {"Aún no hay votos: el circuito se decide cuando informe su primera mesa.", "No votes yet: the circuit is decided once its first table reports."},
	"decision.error":         {"No se pudo decidir qué financia el circuito: %s", "What the circuit funds could not be decided: %s"},
	"results.opendatafunded": {"Datos abiertos: proyectos financiados", "Open data: funded projects"},

	"explain.vote":  {"%s voto", "%s vote"},
	"explain.votes": {"%s votos", "%s votes"},

	"explain.tiebreak.lottery":       {"el sorteo de desempate", "the lottery tie-break"},
	"explain.tiebreak.lower-cost":    {"el desempate por menor costo", "the lower-cost tie-break"},
	"explain.tiebreak.ballot-number": {"el desempate por número en la boleta", "the ballot-number tie-break"},

	"explain.topk.won":     {"Financiado: %s de %d por votos, con %s, %s más que el primer proyecto que quedó fuera.", "Funded: ranked %s of %d with %s, %s ahead of the first project left out."},
	"explain.topk.wontie":  {"Financiado: %s de %d por votos, con %s, empatado con el primer proyecto que quedó fuera y adelante por %s.", "Funded: ranked %s of %d with %s, tied with the first project left out and ahead of it by %s."},
	"explain.topk.all":     {"Financiado: %s con %s; todos los proyectos ganan.", "Funded: ranked %s with %s; every project wins."},
	"explain.topk.lost":    {"No financiado: %s de %d por votos, con %s, %s menos que el último de los %d ganadores.", "Not funded: ranked %s of %d with %s, %s behind the last of the %d winners."},
	"explain.topk.losttie": {"No financiado: %s de %d por votos, con %s, empatado con el último ganador y detrás por %s.", "Not funded: ranked %s of %d with %s, tied with the last winner and behind it by %s."},
	"explain.topk.novotes": {"No financiado: no tiene votos, y un proyecto sin votos nunca se financia.", "Not funded: it has no votes, and a project without votes is never funded."},

	"explain.greedy.won":       {"Financiado, %s en el orden de más apoyo por costo: cuando le tocó quedaban %s del presupuesto y costaba %s.", "Funded, %s in order of support per cost: when its turn came %s of the budget was left and it cost %s."},
	"explain.greedy.didnotfit": {"No financiado: cuando le tocó solo quedaban %s del presupuesto y costaba %s; habría entrado con un costo de hasta %s.", "Not funded: when its turn came only %s of the budget was left and it cost %s; it would have fit at a cost of at most %s."},
	"explain.fill.won":         {"Financiado, %s en la selección, al repartir de forma voraz lo que dejó MES: quedaban %s y costaba %s.", "Funded, %s in the selection, when what MES left was spent greedily: %s was left and it cost %s."},
	"explain.fill.passed":      {"Al repartir de forma voraz lo que dejó MES tampoco entró: solo quedaban %s.", "The greedy fill then passed it over: only %s was left."},
	"explain.fill.didnotfit":   {"No financiado: al repartir de forma voraz lo que dejó MES solo quedaban %s y costaba %s; habría entrado con un costo de hasta %s.", "Not funded: when what MES left was spent greedily only %s was left and it cost %s; it would have fit at a cost of at most %s."},

	"explain.mes.zerocost":  {"Financiado primero: no cuesta nada y tiene quien lo apoye.", "Funded first: it costs nothing and has supporters."},
	"explain.mes.won":       {"Financiado en la ronda %d: quienes lo apoyan (%s) pagaron su costo de %s, %s cada uno.", "Funded in round %d: its supporters (%s) paid its cost of %s, %s each."},
	"explain.mes.wonrange":  {"Financiado en la ronda %d: quienes lo apoyan (%s) pagaron su costo de %s, entre %s y %s cada uno.", "Funded in round %d: its supporters (%s) paid its cost of %s, between %s and %s each."},
	"explain.mes.outbid":    {"No financiado: en la ronda %d, a quienes lo apoyan (%s) solo les quedaban %s para su costo de %s; habría seguido en carrera con un costo de hasta %s.", "Not funded: by round %d its supporters (%s) had only %s left for its cost of %s; it could have stayed in the running only at a cost of at most %s."},
	"explain.mes.never":     {"No financiado: quienes lo apoyan nunca pudieron pagarlo.", "Not funded: its supporters could never pay for it."},
	"explain.mes.nosupport": {"No financiado: nadie lo apoya, así que la igualdad de partes no puede comprarlo.", "Not funded: no voter supports it, so equal shares cannot buy it."},

	"explain.phragmen.won":          {"Financiado, %s en el orden: quienes lo aprueban (%s) pudieron pagarlo cuando cada uno cargaba %s.", "Funded, %s in order: its supporters (%s) could pay for it once each carried a load of %s."},
	"explain.phragmen.wonnobody":    {"Financiado, %s en el orden: nadie lo aprobó, pero era el siguiente por el desempate y cabía en el presupuesto.", "Funded, %s in order: nobody approved it, but it was next by the tie-break and fit in the budget."},
	"explain.phragmen.tooexpensive": {"No financiado: cuesta %s, más que todo el presupuesto de %s.", "Not funded: it costs %s, more than the whole budget of %s."},
	"explain.phragmen.stopped":      {"No financiado: era el siguiente, pero su costo de %s superaba los %s que quedaban, así que la regla se detuvo aquí.", "Not funded: it was next in line, but its cost of %s exceeded the %s left, so the rule stopped here."},
	"explain.phragmen.notreached":   {"No financiado: la regla se detuvo antes de que la carga de sus partidarios llegara a %s.", "Not funded: the rule stopped before its supporters' load reached %s."},
	"explain.phragmen.nosupport":    {"No financiado: nadie lo aprobó y la regla se detuvo antes de llegar a él.", "Not funded: nobody approved it and the rule stopped before reaching it."},

	"explain.funded":      {"Financiado.", "Funded."},
	"explain.notfunded":   {"No financiado.", "Not funded."},
	"explain.receives":    {"Recibe %s.", "It receives %s."},
	"explain.provisional": {"Provisional: faltan mesas por informar.", "Provisional: not every table has reported."},
}

func init() {
	for k, v := range decisionMessages {
		messages[k] = v
	}
}
