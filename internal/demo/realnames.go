package demo

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"sync"
)

// venezuelaCSV is the real list of Venezuela's municipalities and
// parishes (data/README.md; MIT, data/venezuela.LICENSE).
//
//go:embed data/venezuela.csv
var venezuelaCSV []byte

// realMunicipality is a municipality with its parishes, as listed.
type realMunicipality struct {
	name     string
	parishes []string
}

// stateCSVNames maps the demo's state codes to the list's state names.
var stateCSVNames = map[string]string{
	"ZU": "Zulia", "MI": "Miranda", "LA": "Lara", "CA": "Carabobo", "DC": "Distrito Capital", "AR": "Aragua",
	"AN": "Anzoátegui", "BO": "Bolívar", "TA": "Táchira", "FA": "Falcón", "SU": "Sucre", "MO": "Monagas",
	"PO": "Portuguesa", "ME": "Mérida", "BA": "Barinas", "GU": "Guárico", "TR": "Trujillo", "YA": "Yaracuy",
	"AP": "Apure", "NE": "Nueva Esparta", "LG": "Vargas", "CO": "Cojedes", "DA": "Delta Amacuro", "AM": "Amazonas",
}

// realTerritory returns each state's municipalities, in the list's order,
// by the demo's state code.
var realTerritory = sync.OnceValue(func() map[string][]realMunicipality {
	byName := map[string]string{}
	for code, name := range stateCSVNames {
		byName[name] = code
	}
	rows, err := csv.NewReader(bytes.NewReader(venezuelaCSV)).ReadAll()
	if err != nil {
		panic("demo: data/venezuela.csv: " + err.Error())
	}
	out := map[string][]realMunicipality{}
	for _, row := range rows[1:] {
		code, muni, parish := byName[row[1]], row[3], row[5]
		if code == "" {
			panic("demo: data/venezuela.csv names an unknown state " + row[1])
		}
		ms := out[code]
		if len(ms) == 0 || ms[len(ms)-1].name != muni {
			ms = append(ms, realMunicipality{name: muni})
		}
		ms[len(ms)-1].parishes = append(ms[len(ms)-1].parishes, parish)
		out[code] = ms
	}
	return out
})
