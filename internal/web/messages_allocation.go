package web

// allocationMessages are the catalogue's labels for allocation rules and
// their settings, in Spanish and English. They join
// messages when the package starts.
var allocationMessages = map[string][2]string{
	"alloc.title":              {"Asignación", "Allocation"},
	"alloc.rule":               {"Regla de asignación", "Allocation rule"},
	"alloc.budget":             {"Presupuesto por circuito", "Budget per circuit"},
	"alloc.sat":                {"Satisfacción", "Satisfaction"},
	"alloc.completion":         {"Completar (MES)", "Completion (MES)"},
	"alloc.fill":               {"Relleno (MES)", "Fill (MES)"},
	"alloc.default":            {"Según la forma de votar", "The vote rule's default"},
	"alloc.help":               {"Sin presupuesto, ganan los proyectos más votados (los ganadores por circuito). Con presupuesto, la regla lo reparte: voraz, igualdad de partes (MES) o Phragmén.", "Without a budget the most voted projects win (the winners per circuit). With a budget, the rule spends it: greedy, equal shares (MES) or Phragmén."},
	"allocrule.topk":           {"Los más votados (top-k)", "Most voted (top-k)"},
	"allocrule.greedy":         {"Voraz (más apoyo primero)", "Greedy (most support first)"},
	"allocrule.mes":            {"Igualdad de partes (MES)", "Method of Equal Shares (MES)"},
	"allocrule.phragmen":       {"Phragmén secuencial", "Sequential Phragmén"},
	"allocsat.cost":            {"Costo", "Cost"},
	"allocsat.card":            {"Número de proyectos", "Number of projects"},
	"allocsat.points":          {"Puntos", "Points"},
	"allocsat.borda":           {"Borda", "Borda"},
	"alloccompletion.none":     {"Ninguno", "None"},
	"alloccompletion.increase": {"Aumentar el presupuesto", "Increase the budget"},
	"alloccompletion.add1":     {"Sumar 1 por votante (add1)", "Add 1 per voter (add1)"},
	"allocfill.none":           {"Ninguno", "None"},
	"allocfill.greedy":         {"Voraz", "Greedy"},
}

func init() {
	for k, v := range allocationMessages {
		messages[k] = v
	}
}
