// Package demo generates Comuna's demonstration data and loads it into a
// store: a territory of states down to communal councils with their voting
// centres and tables, two consultation rounds (one with published ballots,
// one taking proposals) and one account per role, with two table members
// at the first table so that a sheet's double entry by two people can be
// shown.
//
// The data is synthetic but plausible — Venezuelan states, municipality,
// parish, commune and council names built from word lists, project titles
// of the kinds councils nominate — and deterministic: a scale always
// yields exactly the same data, so screenshots, tests and benchmarks
// agree.
//
// The current round is left in the ballots phase rather than voting: its
// ballots can still be looked at and edited, and vote day is shown by
// moving it on from the round's page (as the browser test does) or with
// comuna simulate, which checks in voters and enter every table's sheet
// against a running server. A demo loaded already voting would have
// empty poll books and no sheets anyway, and a demo with invented
// check-ins would need the poll-book key, which is not part of the data.
//
// The demo accounts, whose passwords are public and must never reach a
// real deployment, are:
//
//	username     password            role
//	admin        comuna-admin        national administrator
//	revisor      comuna-revisor      reviewer
//	coordinador  comuna-coordinador  coordinator of the first circuit
//	vocero       comuna-vocero       spokesperson of that circuit's first council
//	mesa         comuna-mesa-demo    member of the circuit's first table
//	mesa2        comuna-mesa2        second member of that same table
//	observador   comuna-observador   observer (read-only)
package demo

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"math/rand/v2"

	"github.com/comuna/comuna/internal/comuna"
)

// seed fixes the demo: the same scale always yields the same data.
const seed = 20261213

// Login is a demo account with its public password.
type Login struct {
	Username string
	Password string
	Name     string
	Role     comuna.Role
	Scope    string // unit code for scoped roles
}

// Data is a generated demo before it is stored.
type Data struct {
	Scale  Scale
	Units  []comuna.Unit // parents before children
	Logins []Login       // the admin first
	Rounds []Round       // the current round first
}

// Generate returns the demo data of a scale.
func Generate(s Scale) *Data {
	p := planFor(s)
	t := generateTerritory(rand.New(rand.NewPCG(seed, 1)), p)
	first := t.circuits[0]
	d := &Data{
		Scale: s,
		Units: t.units,
		Logins: []Login{
			login("admin", "Administración Nacional", comuna.RoleAdmin, ""),
			login("revisor", "Equipo de Revisión Técnica", comuna.RoleReviewer, ""),
			login("coordinador", "Coordinación del "+first.code, comuna.RoleCoordinator, first.code),
			login("vocero", "Vocería del "+t.councils[first.councils[0]].code, comuna.RoleSpokesperson, t.councils[first.councils[0]].code),
			login("mesa", "Miembro de "+first.tables[0], comuna.RoleTableMember, first.tables[0]),
			login("mesa2", "Segundo miembro de "+first.tables[0], comuna.RoleTableMember, first.tables[0]),
			login("observador", "Observación Electoral", comuna.RoleObserver, ""),
			login("secretaria", "Secretaría de la "+firstCommune(t.units).Name, comuna.RoleSecretary, firstCommune(t.units).Code),
			login("fondo", "Oficial del Fondo de Compensación", comuna.RoleFundOfficer, ""),
			login("finanzas", "Vocería de finanzas del "+t.councils[first.councils[0]].code, comuna.RoleFinance, t.councils[first.councils[0]].code),
			login("contraloria", "Contraloría de la "+communeOf(t.units, first.code).Name, comuna.RoleComptroller, communeOf(t.units, first.code).Code),
		},
		Rounds: []Round{
			currentRound(rand.New(rand.NewPCG(seed, 2)), t, p),
			nextRound(rand.New(rand.NewPCG(seed, 3)), t, p),
		},
	}
	return d
}

// communeOf is the commune a circuit belongs to, whose comptrollers
// oversee its funded projects.
func communeOf(units []comuna.Unit, circuit string) comuna.Unit {
	parent := ""
	for _, u := range units {
		if u.Level == comuna.LevelCircuit && u.Code == circuit {
			parent = u.Parent
		}
	}
	for _, u := range units {
		if u.Level == comuna.LevelCommune && u.Code == parent {
			return u
		}
	}
	return comuna.Unit{}
}

// firstCommune is the demo's first commune, whose organs its secretary
// runs.
func firstCommune(units []comuna.Unit) comuna.Unit {
	for _, u := range units {
		if u.Level == comuna.LevelCommune {
			return u
		}
	}
	return comuna.Unit{}
}

func login(username, name string, role comuna.Role, scope string) Login {
	return Login{Username: username, Password: demoPassword(username), Name: name, Role: role, Scope: scope}
}

// demoPassword is "comuna-" and the username, with "-demo" after it when
// that is shorter than the 12 characters every password needs.
func demoPassword(username string) string {
	pw := "comuna-" + username
	if len(pw) < 12 {
		pw += "-demo"
	}
	return pw
}

// Count returns how many units of a level the data has.
func (d *Data) Count(l comuna.Level) int {
	n := 0
	for _, u := range d.Units {
		if u.Level == l {
			n++
		}
	}
	return n
}

// Census returns the residents aged 15 and over of all councils.
func (d *Data) Census() int64 {
	var n int64
	for _, u := range d.Units {
		n += u.Census
	}
	return n
}

// Hash returns a digest of all the data, to check that generation is
// deterministic.
func (d *Data) Hash() string {
	h := sha256.New()
	str := func(s string) {
		binary.Write(h, binary.LittleEndian, int64(len(s)))
		h.Write([]byte(s))
	}
	num := func(n int64) { binary.Write(h, binary.LittleEndian, n) }
	for _, u := range d.Units {
		str(string(u.Level))
		str(u.Code)
		str(u.Parent)
		str(u.Name)
		num(u.Census)
		str(u.Circuit)
		str(u.Address)
	}
	for _, l := range d.Logins {
		str(fmt.Sprintf("%+v", l))
	}
	for _, r := range d.Rounds {
		hashRound(h, str, num, r)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func hashRound(h hash.Hash, str func(string), num func(int64), r Round) {
	str(fmt.Sprintf("%+v", r.Round))
	str(string(r.Phase))
	for _, p := range r.Proposals {
		str(fmt.Sprintf("%+v", *p))
	}
	for _, b := range r.Ballots {
		str(b.Circuit)
		str(b.Created.String())
		for _, i := range b.Items {
			num(int64(i))
		}
	}
}
