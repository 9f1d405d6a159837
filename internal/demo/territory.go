package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/comuna/comuna/internal/comuna"
)

// council is what the proposal generator needs to know of a council.
type council struct {
	code    string
	name    string
	place   string // "Barrio Las Malvinas"
	core    string // "Las Malvinas"
	parish  string // the parish's name, for locations
	census  int64
	circuit int // index into territory.circuits
}

// circuit lists a circuit's councils and the tables that serve it.
type circuit struct {
	code     string
	councils []int // indexes into territory.councils
	tables   []string
}

// territory is the generated registry: units in file order (parents
// first) and the councils and circuits the rounds refer to.
type territory struct {
	units    []comuna.Unit
	councils []council
	circuits []circuit
}

// namer hands out names unique within one scope, numbering repeats.
type namer map[string]int

func (n namer) unique(name string) string {
	n[name]++
	if k := n[name]; k > 1 {
		return fmt.Sprintf("%s %s", name, roman(k))
	}
	return name
}

func roman(n int) string {
	numerals := []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}
	if n >= 1 && n <= len(numerals) {
		return numerals[n-1]
	}
	return fmt.Sprint(n)
}

func pick(rng *rand.Rand, list []string) string { return list[rng.IntN(len(list))] }

// placeName is a neighbourhood, village or landmark name.
func placeName(rng *rand.Rand) string {
	switch r := rng.IntN(20); {
	case r < 12:
		return pick(rng, places)
	case r < 15:
		return pick(rng, saints)
	case r < 18:
		return pick(rng, heroes)
	default:
		return pick(rng, dates)
	}
}

// generateTerritory builds the registry of a plan: states down to
// councils, then voting centres and their tables, each table serving one
// circuit.
func generateTerritory(rng *rand.Rand, p plan) *territory {
	t := &territory{
		councils: make([]council, 0, p.councils.total),
		circuits: make([]circuit, 0, p.circuits),
	}
	var (
		munis, parishes, communes []comuna.Unit
		circuits                  = make([]comuna.Unit, 0, p.circuits)
		councils                  = make([]comuna.Unit, 0, p.councils.total)
		centres                   = make([]comuna.Unit, 0, p.centres.total)
		tables                    = make([]comuna.Unit, 0, p.tables.total)
	)
	pop := make([]float64, len(p.states))
	muniCount := make([]int, len(p.states))
	parishWeight := make([]float64, len(p.states))
	totalPop, totalMunis := 0.0, 0
	for i, s := range p.states {
		pop[i] = float64(s.population)
		muniCount[i] = s.municipalities
		if p.munis > 0 {
			muniCount[i] = p.munis
		}
		totalPop += pop[i]
		totalMunis += muniCount[i]
	}
	for i := range p.states {
		parishWeight[i] = float64(muniCount[i]) + pop[i]/totalPop*float64(totalMunis)
	}
	parishesPer := apportion(p.parishes-totalMunis, parishWeight, 0)
	circuitsPer := apportion(p.circuits, pop, 1)
	communesPer := apportion(p.communes, pop, 1)
	councilsPer := scatter(rng, p.councils, p.circuits)
	tablesPer := scatter(rng, p.tables, p.circuits)
	centresPer := scatter(rng, p.centres, p.circuits)

	units := make([]comuna.Unit, 0, len(p.states))
	for si, s := range p.states {
		units = append(units, comuna.Unit{Level: comuna.LevelState, Code: s.code, Name: s.name})
		// Municipalities and their parishes.
		var stateParishes []comuna.Unit
		muniNames := rng.Perm(len(municipalityNames))
		perMuni := scatter(rng, span{parishesPer[si] + muniCount[si], 1, parishesPer[si] + muniCount[si]}, muniCount[si])
		for m := 0; m < muniCount[si]; m++ {
			mcode := fmt.Sprintf("%s-%02d", s.code, m+1)
			// Real names from data/venezuela.csv; the word list is drawn
			// from all the same, so everything below stays as it was.
			name := municipalityNames[muniNames[m%len(muniNames)]]
			var real *realMunicipality
			if rs := realTerritory()[s.code]; m < len(rs) {
				real = &rs[m]
				name = real.name
			}
			munis = append(munis, comuna.Unit{Level: comuna.LevelMunicipality, Code: mcode, Parent: s.code, Name: name})
			names := namer{}
			for q := 0; q < perMuni[m]; q++ {
				var pname string
				if q == 0 {
					pname = name // the seat parish shares the municipality's name
				} else {
					pname = placeName(rng)
				}
				if real != nil && q < len(real.parishes) {
					pname = real.parishes[q]
				}
				pname = names.unique(pname)
				pu := comuna.Unit{Level: comuna.LevelParish, Code: fmt.Sprintf("%s-%02d", mcode, q+1), Parent: mcode, Name: pname}
				stateParishes = append(stateParishes, pu)
			}
		}
		parishes = append(parishes, stateParishes...)
		// Communes spread over the state's parishes, circuits over communes.
		nComm := min(communesPer[si], circuitsPer[si])
		circPer := scatter(rng, span{circuitsPer[si], 1, circuitsPer[si]}, nComm)
		communeNames, circuitNames, centreNames := namer{}, namer{}, namer{}
		cc, vc := 0, 0
		for k := 0; k < nComm; k++ {
			parish := stateParishes[rng.IntN(len(stateParishes))]
			kcode := fmt.Sprintf("%s-CM-%04d", s.code, k+1)
			kname := communeNames.unique("Comuna " + pick(rng, communeAdjectives) + placeOrHero(rng))
			communes = append(communes, comuna.Unit{Level: comuna.LevelCommune, Code: kcode, Parent: parish.Code, Name: kname})
			for c := 0; c < circPer[k]; c++ {
				ci := len(t.circuits)
				cc++
				ccode := fmt.Sprintf("%s-CC-%04d", s.code, cc)
				circuits = append(circuits, comuna.Unit{Level: comuna.LevelCircuit, Code: ccode, Parent: kcode,
					Name: circuitNames.unique("Circuito Comunal " + placeOrHero(rng))})
				circ := circuit{code: ccode}
				councilNames := namer{}
				for j := 0; j < councilsPer[ci]; j++ {
					core := placeName(rng)
					place := pick(rng, settlements) + " " + core
					name := councilNames.unique("Consejo Comunal " + place)
					co := council{
						code:    fmt.Sprintf("%s-%02d", ccode, j+1),
						name:    name,
						place:   place,
						core:    core,
						parish:  parish.Name,
						census:  censusOf(rng),
						circuit: ci,
					}
					circ.councils = append(circ.councils, len(t.councils))
					t.councils = append(t.councils, co)
					councils = append(councils, comuna.Unit{Level: comuna.LevelCouncil, Code: co.code, Parent: ccode, Name: co.name, Census: co.census})
				}
				// Voting centres in the commune's parish, tables dealt over them.
				nCentres := min(centresPer[ci], tablesPer[ci])
				first := len(centres)
				for v := 0; v < nCentres; v++ {
					vc++
					centres = append(centres, comuna.Unit{
						Level: comuna.LevelCentre, Code: fmt.Sprintf("%s-VC-%04d", s.code, vc), Parent: parish.Code,
						Name:    centreNames.unique(pick(rng, schools) + " " + pick(rng, heroes)),
						Address: address(rng, t.councils[circ.councils[rng.IntN(len(circ.councils))]].place, parish.Name),
					})
				}
				perCentre := make([]int, nCentres)
				for m := 0; m < tablesPer[ci]; m++ {
					v := m % nCentres
					perCentre[v]++
					centre := centres[first+v]
					tcode := fmt.Sprintf("%s-%d", centre.Code, perCentre[v])
					tables = append(tables, comuna.Unit{Level: comuna.LevelTable, Code: tcode, Parent: centre.Code,
						Name: fmt.Sprintf("Mesa %d", perCentre[v]), Circuit: ccode})
					circ.tables = append(circ.tables, tcode)
				}
				t.circuits = append(t.circuits, circ)
			}
		}
	}
	t.units = slices.Concat(units, munis, parishes, communes, circuits, councils, centres, tables)
	return t
}

func placeOrHero(rng *rand.Rand) string {
	if rng.IntN(3) == 0 {
		return pick(rng, heroes)
	}
	return placeName(rng)
}

// censusOf draws a council's residents aged 15 and over: most councils
// have a few hundred, some over two thousand (a log-normal around 430, so
// that 49,000 councils hold about 21 million people).
func censusOf(rng *rand.Rand) int64 {
	const mu, sigma = 5.90, 0.55
	n := math.Exp(mu + sigma*rng.NormFloat64())
	return int64(max(120, min(2500, math.Round(n))))
}

// address is a centre's street address.
func address(rng *rand.Rand, place, parish string) string {
	return fmt.Sprintf("%s, %s, parroquia %s", capitalize(pick(rng, streets)), place, parish)
}
