package demo

import (
	"strings"
)

// template is a project title pattern. Placeholders: {place} is the
// council's neighbourhood ("Barrio Las Malvinas"), {core} its bare name
// ("Las Malvinas"), {street} a street ("calle Sucre"), {hero} a person,
// {river} a river and {n} a small number.
type template struct {
	category string
	title    string
}

// categoryWeights says how often each category is nominated: water and
// roads dominate the real consultations.
var categoryWeights = []struct {
	category string
	weight   int
}{
	{"water", 22}, {"roads", 22}, {"electricity", 12}, {"health", 8}, {"education", 9},
	{"retaining-walls", 8}, {"environment", 5}, {"security", 4}, {"sport", 4},
	{"communal-house", 3}, {"production", 2}, {"culture", 1},
}

// templates lists the title patterns of each category.
var templates = map[string][]string{
	"water": {
		"Rehabilitación de la red de aguas blancas del sector {core}",
		"Sustitución de la tubería de aguas servidas de la {street}",
		"Construcción de un tanque de almacenamiento de agua potable en {place}",
		"Perforación y equipamiento de un pozo profundo en {place}",
		"Instalación de la red de cloacas de {place}",
		"Rehabilitación de la estación de bombeo del sector {core}",
	},
	"roads": {
		"Asfaltado de la {street} en {place}",
		"Construcción de aceras y brocales en {place}",
		"Rehabilitación de la vialidad interna de {place}",
		"Construcción de badén y cunetas en la {street}",
		"Pavimentación en concreto de la vereda {n} de {place}",
		"Construcción de escaleras y pasamanos en el sector {core}",
	},
	"electricity": {
		"Sustitución de transformadores del sector {core}",
		"Alumbrado público con luminarias LED en la {street}",
		"Rehabilitación del tendido eléctrico de {place}",
	},
	"health": {
		"Dotación del ambulatorio de {place}",
		"Dotación del ambulatorio rural {hero}",
		"Rehabilitación del consultorio popular de {place}",
		"Equipamiento de la Sala de Rehabilitación Integral {hero}",
	},
	"education": {
		"Rehabilitación de la Escuela Bolivariana {hero}",
		"Dotación de pupitres y pizarras para el Liceo Bolivariano {hero}",
		"Impermeabilización del techo de la Unidad Educativa {hero}",
		"Construcción de dos aulas en la Escuela Básica {hero}",
	},
	"retaining-walls": {
		"Muro de contención en {place}",
		"Construcción de muro de gaviones en la {street}",
		"Muro de contención y drenajes en la vereda {n} de {place}",
	},
	"environment": {
		"Saneamiento y canalización de la quebrada de {place}",
		"Reforestación de la cuenca del río {river}",
		"Recuperación de la plaza {hero} y sus áreas verdes",
		"Plan de recolección de desechos sólidos del sector {core}",
	},
	"security": {
		"Instalación de cámaras de vigilancia en {place}",
		"Cerco perimetral e iluminación de la cancha de {place}",
	},
	"sport": {
		"Techado de la cancha de usos múltiples de {place}",
		"Rehabilitación del campo de béisbol {hero}",
	},
	"communal-house": {
		"Construcción de la casa comunal de {place}",
		"Culminación de la casa comunal del sector {core}",
	},
	"production": {
		"Dotación de la panadería comunal de {place}",
		"Equipamiento de la unidad de producción avícola de {place}",
		"Sistema de riego para el conuco comunal de {place}",
	},
	"culture": {
		"Dotación de instrumentos para la orquesta comunitaria de {place}",
		"Rehabilitación de la casa de la cultura {hero}",
	},
}

// fill replaces the placeholders of a title pattern.
func fill(pattern string, vars map[string]string) string {
	if !strings.Contains(pattern, "{") {
		return pattern
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(pattern, '{')
		if i < 0 {
			b.WriteString(pattern)
			return b.String()
		}
		j := strings.IndexByte(pattern[i:], '}')
		if j < 0 {
			b.WriteString(pattern)
			return b.String()
		}
		b.WriteString(pattern[:i])
		b.WriteString(vars[pattern[i+1:i+j]])
		pattern = pattern[i+j+1:]
	}
}

// months are the Spanish month names, for descriptions.
var months = []string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}
