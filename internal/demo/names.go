package demo

// Word lists for plausible Venezuelan place and project names. Names repeat
// across the country as they do in reality (most states have a Sucre and a
// Bolívar municipality); codes are what identify a unit.

// stateInfo is a state with its code, its population in thousands (for
// spreading circuits, councils and census) and its number of
// municipalities.
type stateInfo struct {
	code, name     string
	population     int
	municipalities int
}

// states lists the 23 states and the Capital District, with approximate
// populations and real municipality counts (335 in all).
var states = []stateInfo{
	{"ZU", "Zulia", 4100, 21},
	{"MI", "Miranda", 3000, 21},
	{"LA", "Lara", 1950, 9},
	{"CA", "Carabobo", 2400, 14},
	{"DC", "Distrito Capital", 2100, 1},
	{"AR", "Aragua", 1750, 18},
	{"AN", "Anzoátegui", 1650, 21},
	{"BO", "Bolívar", 1550, 11},
	{"TA", "Táchira", 1250, 29},
	{"FA", "Falcón", 1000, 25},
	{"SU", "Sucre", 1000, 15},
	{"MO", "Monagas", 980, 13},
	{"PO", "Portuguesa", 970, 14},
	{"ME", "Mérida", 900, 23},
	{"BA", "Barinas", 880, 12},
	{"GU", "Guárico", 830, 15},
	{"TR", "Trujillo", 760, 20},
	{"YA", "Yaracuy", 680, 14},
	{"AP", "Apure", 520, 7},
	{"NE", "Nueva Esparta", 520, 11},
	{"LG", "La Guaira", 380, 1},
	{"CO", "Cojedes", 350, 9},
	{"DA", "Delta Amacuro", 190, 4},
	{"AM", "Amazonas", 180, 7},
}

// heroes are people whose names Venezuelan places, schools and communes
// carry.
var heroes = []string{
	"Simón Bolívar", "Antonio José de Sucre", "Francisco de Miranda", "José Antonio Páez",
	"Rafael Urdaneta", "José Félix Ribas", "Ezequiel Zamora", "Santiago Mariño", "Manuel Piar",
	"Juan Germán Roscio", "Andrés Bello", "Simón Rodríguez", "Cecilio Acosta", "Andrés Eloy Blanco",
	"Luisa Cáceres de Arismendi", "Josefa Camejo", "Manuela Sáenz", "Juana Ramírez", "Negro Primero",
	"José Leonardo Chirino", "Guaicaipuro", "Tamanaco", "Manaure", "Terepaima", "Apacuana",
	"Negra Hipólita", "José Gregorio Hernández", "Rómulo Gallegos", "Teresa Carreño", "Alí Primera",
	"Argimiro Gabaldón", "Fabricio Ojeda", "Jacinto Lara", "Juan Crisóstomo Falcón", "Pedro Camejo",
	"José Tadeo Monagas", "Hugo Chávez", "Luis Beltrán Prieto Figueroa", "Lino Gallardo",
	"Francisco Fajardo", "Cacique Mara", "Cacique Nigale", "Urquía", "Yare", "Paramaconi",
	"Chaima", "Baruta", "Cayaurima", "Josefa Joaquina Sánchez", "Ana Soto", "Eulalia Buroz",
}

// municipalityNames are names municipalities commonly carry.
var municipalityNames = []string{
	"Libertador", "Sucre", "Bolívar", "Miranda", "Páez", "Urdaneta", "Ribas", "Zamora", "Mariño",
	"Piar", "Arismendi", "Bermúdez", "Cedeño", "Girardot", "Independencia", "Federación", "Unión",
	"Jiménez", "Torres", "Crespo", "Iribarren", "Palavecino", "Guaicaipuro", "Plaza", "Baralt",
	"Lagunillas", "Cabimas", "San Francisco", "Andrés Bello", "Andrés Eloy Blanco", "José Félix Ribas",
	"Ezequiel Zamora", "Francisco Linares Alcántara", "Santos Michelena", "Tovar", "Rangel",
	"Campo Elías", "Alberto Adriani", "Sotillo", "Freites", "Anaco", "Guanipa", "Simón Planas",
	"Morán", "Carirubana", "Colina", "Mauroa", "Democracia", "Acosta", "Brión", "Paz Castillo",
	"Tomás Lander", "Cristóbal Rojas", "Carrizal", "Los Salias", "Mara", "Machiques de Perijá",
	"Rosario de Perijá", "Valmore Rodríguez", "Simón Rodríguez", "Juan José Mora", "Puerto Cabello",
	"Diego Ibarra", "Los Guayos", "Naguanagua", "San Diego", "Valencia", "Atures", "Autana",
	"Caroní", "Heres", "Angostura", "Roscio", "Sifontes", "Tucupita", "Antonio Díaz", "Pedernales",
	"Casacoima", "Maturín", "Caripe", "Cedeño", "Ezequiel Zamora", "Punceres", "Valdez",
	"Benítez", "Cajigal", "Ribero", "Montes", "Mejía", "Guanare", "Ospino", "Turén", "Araure",
	"Obispos", "Pedraza", "Rojas", "Sosa", "Arvelo Torrealba", "Cruz Paredes", "Boconó", "Valera",
	"Escuque", "Carache", "Pampán", "Candelaria", "Peña", "Nirgua", "Bruzual", "Cocorote",
	"Veroes", "Sabaneta", "Achaguas", "Biruaca", "Muñoz", "Pedro Camejo", "Rómulo Gallegos",
	"Tinaco", "Tinaquillo", "Anzoátegui", "Pao de San Juan Bautista", "Marcano", "Maneiro",
	"Antolín del Campo", "García", "Gómez", "Tubores", "Villalba", "Díaz", "Infante", "Monagas",
	"Roscio", "Zaraza", "Chaguaramas", "Ortiz", "Mellado", "Guásimos", "Cárdenas", "Junín",
	"Lobatera", "Michelena", "Panamericano", "Uribante", "Ayacucho", "Córdoba", "Fernández Feo",
	"Alberto Arvelo Torrealba", "Obispo Ramos de Lora", "Tulio Febres Cordero", "Justo Briceño",
}

// saints and places name parishes, circuits and neighbourhoods.
var saints = []string{
	"San José", "San Juan", "Santa Rosalía", "San Pedro", "Santa Teresa", "San Agustín", "Santa Lucía",
	"San Bernardino", "San Isidro", "San Rafael", "Santa Bárbara", "Santa Rosa", "San Antonio",
	"San Miguel", "San Francisco", "Santa Ana", "San Martín", "Santa Inés", "San Judas Tadeo",
	"San Benito", "Santa Cruz", "San Luis", "San Sebastián", "San Diego", "Santa Eduvigis",
	"San Joaquín", "Santa Clara", "San Blas", "San Nicolás", "Santa Marta",
}

var places = []string{
	"Las Malvinas", "El Paraíso", "La Pastora", "Los Olivos", "Brisas del Lago", "La Isabelica",
	"El Carmen", "Los Cortijos", "La Cañada", "El Manguito", "Las Flores", "El Samán", "Los Mangos",
	"La Ceiba", "El Cují", "Los Cedros", "La Esperanza", "Nueva Esperanza", "El Progreso",
	"La Victoria", "El Guanábano", "Los Chaguaramos", "El Araguaney", "La Trinidad", "Pueblo Nuevo",
	"El Milagro", "Las Palmas", "La Floresta", "El Junquito", "La Montañita", "Los Naranjos",
	"Los Samanes", "Las Acacias", "El Chaparral", "Monte Bello", "Bella Vista", "Campo Alegre",
	"Cerro Verde", "La Candelaria", "Altagracia", "Chiquinquirá", "La Concepción", "El Valle",
	"La Vega", "Los Jabillos", "El Limón", "La Guamita", "Los Apamates", "El Naranjal",
	"Las Mercedes", "Las Delicias", "La Pradera", "El Rosario", "Valle Verde", "Mata de Coco",
	"El Tamarindo", "La Puerta", "Sabana Grande", "El Pilar", "La Peñita", "Los Cerritos",
	"Palo Negro", "La Carucieña", "El Tostao", "Los Guasimitos", "Agua Salada", "El Cardonal",
	"Los Robles", "La Fría", "El Corozo", "Caña de Azúcar", "La Morita", "Las Lomas", "El Bosque",
	"Los Próceres", "La Pica", "El Toco", "Las Tunitas", "Boca de Río", "El Saladillo",
}

// dates name neighbourhoods after days of the national calendar.
var dates = []string{
	"5 de Julio", "19 de Abril", "24 de Junio", "4 de Febrero", "23 de Enero", "12 de Octubre",
	"13 de Abril", "27 de Febrero", "24 de Julio", "1° de Mayo", "8 de Diciembre", "3 de Agosto",
}

// settlements are the kinds of neighbourhood a council names itself by.
var settlements = []string{"Barrio", "Sector", "Urbanización", "Caserío", "Barrio", "Sector", "Barrio", "Conjunto Residencial", "Comunidad"}

// communeAdjectives qualify some commune names.
var communeAdjectives = []string{"", "", "", "Socialista ", "Agroecológica ", "Productiva ", "Ecosocialista ", "Bolivariana "}

// schools are the kinds of building that host a voting centre.
var schools = []string{"Unidad Educativa", "Escuela Bolivariana", "Liceo Bolivariano", "Escuela Básica Nacional", "Unidad Educativa Nacional", "Centro de Educación Inicial", "Escuela Técnica Robinsoniana"}

// streets are where projects and centres are.
var streets = []string{
	"calle Principal", "avenida Bolívar", "calle Sucre", "calle Miranda", "avenida Universidad",
	"calle Comercio", "avenida Libertador", "calle Páez", "carrera 5", "calle 7", "calle 12",
	"carrera 19", "avenida 4 de Mayo", "calle Los Mangos", "calle El Carmen", "avenida Intercomunal",
	"calle La Paz", "calle Ricaurte", "calle Urdaneta", "avenida Circunvalación",
}

// rivers name watersheds for environmental projects.
var rivers = []string{"Guaire", "Tuy", "Catatumbo", "Apure", "Caroní", "Motatán", "Yaracuy", "Tocuyo", "Manzanares", "Neverí", "Chama", "Torbes", "Cabriales", "Guárico", "Portuguesa", "Santo Domingo"}

// reasons a reviewer rejects a proposal, and those given on accepting.
var rejectReasons = []string{
	"El costo estimado supera el monto asignado por proyecto y no se presentó un plan de cofinanciamiento.",
	"El terreno propuesto no cuenta con documento de propiedad ni autorización de uso.",
	"Duplica un proyecto del mismo consejo comunal ya financiado en la consulta anterior.",
	"Corresponde a la vialidad nacional, competencia del Ministerio de Transporte.",
	"Falta el estudio de suelo exigido para obras de contención en ladera.",
	"El cómputo métrico no coincide con las cantidades del presupuesto presentado.",
}

var acceptReasons = []string{
	"Costo y factibilidad técnica verificados.",
	"Presupuesto conforme a precios de referencia; factible.",
	"Factible. Se verificó el acta de asamblea y el cómputo métrico.",
	"Verificado en inspección de campo; costo razonable.",
}
