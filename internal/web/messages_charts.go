package web

// chartsMessages are the catalogue's labels of the results charts, in
// Spanish and English.
var chartsMessages = map[string][2]string{
	"charts.title":                  {"Gráficos", "Charts"},
	"charts.map":                    {"Mapa de participación por estado (cada casilla lleva al estado)", "Turnout by state on a map (each tile opens the state)"},
	"charts.turnout":                {"Participación", "Turnout"},
	"charts.funded":                 {"Proyectos financiados", "Projects funded"},
	"charts.reported":               {"Mesas con acta", "Tables reported"},
	"charts.turnoutby.nation":       {"Participación por estado", "Turnout by state"},
	"charts.turnoutby.state":        {"Participación por municipio", "Turnout by municipality"},
	"charts.turnoutby.municipality": {"Participación por parroquia", "Turnout by parish"},
	"charts.fundedby.nation":        {"Proyectos financiados por estado (circuitos definitivos)", "Projects funded by state (final circuits)"},
	"charts.fundedby.state":         {"Proyectos financiados por municipio (circuitos definitivos)", "Projects funded by municipality (final circuits)"},
	"charts.fundedby.municipality":  {"Proyectos financiados por parroquia (circuitos definitivos)", "Projects funded by parish (final circuits)"},
	"charts.evening":                {"Mesas con acta a lo largo de la noche", "Tables reported over the evening"},
	"charts.category":               {"Proyectos financiados por categoría", "Projects funded by category"},
	"charts.category.prov":          {"Proyectos financiados por categoría (con los provisionales)", "Projects funded by category (provisional ones included)"},
	"results.fundedfinal":           {"Proyectos financiados (circuitos definitivos)", "Projects funded (final circuits)"},
	"results.fundedprov":            {"Financiados provisionalmente", "Funded provisionally"},
}

func init() {
	for k, v := range chartsMessages {
		messages[k] = v
	}
}
