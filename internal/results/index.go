package results

import (
	"cmp"
	"slices"

	"github.com/comuna/comuna/internal/comuna"
)

// LevelNation is the level of the one node above the states: the whole
// territory of the round. Its code is "".
const LevelNation comuna.Level = "nation"

// treeLevels are the levels that have nodes in the results, top down. A
// table's parent in the results is the circuit it serves, not its centre.
var treeLevels = []comuna.Level{
	LevelNation, comuna.LevelState, comuna.LevelMunicipality, comuna.LevelParish,
	comuna.LevelCommune, comuna.LevelCircuit, comuna.LevelTable,
}

// nodeKey identifies a node by level and code.
type nodeKey struct {
	level comuna.Level
	code  string
}

// span is a range [lo, hi) of node ids.
type span struct{ lo, hi int32 }

// Index is the territory of one round arranged for results: every node
// (nation, states, municipalities, parishes, communes, circuits, tables)
// with its parent, its children in code order, its census and the tables
// it expects. Territory is frozen per round, so a caller builds the Index
// once per round and passes it to every Compute. It is read-only once
// built and safe for concurrent use.
//
// Node ids are assigned level by level from the nation down, and within a
// level by parent and then by code, so that a parent's id is always below
// its children's and the children of a node are one contiguous range.
type Index struct {
	nodes  []Node // identity, tree links and static figures; Compute copies it
	ids    map[nodeKey]int32
	tables map[string]int32 // table code → node id, the hot lookup of Compute
	levels map[comuna.Level]span
	byCode map[comuna.Level][]int32 // a level's ids in code order
}

// NewIndex builds the index of a round's territory from its units, in any
// order. Councils give their circuit its census and centres give tables
// their centre's name; both are not nodes of the results. It returns an
// EInvalid *comuna.Error for a territory that does not hold together: an
// unknown level, a code used twice at one level, a unit whose parent is
// missing, a table serving an unknown circuit, or a negative census.
func NewIndex(units []comuna.Unit) (*Index, error) {
	byLevel := make(map[comuna.Level][]*comuna.Unit, len(comuna.Levels))
	seen := make(map[nodeKey]bool, len(units))
	for i := range units {
		u := &units[i]
		if !comuna.ValidLevel(u.Level) {
			return nil, comuna.Errorf(comuna.EInvalid, "results: unit %q has unknown level %q", u.Code, u.Level)
		}
		k := nodeKey{u.Level, u.Code}
		if seen[k] {
			return nil, comuna.Errorf(comuna.EInvalid, "results: %s %q appears twice", u.Level, u.Code)
		}
		seen[k] = true
		if u.Census < 0 {
			return nil, comuna.Errorf(comuna.EInvalid, "results: %s %q has a negative census", u.Level, u.Code)
		}
		byLevel[u.Level] = append(byLevel[u.Level], u)
	}

	x := &Index{
		ids:    make(map[nodeKey]int32, len(units)),
		levels: make(map[comuna.Level]span, len(treeLevels)),
		byCode: make(map[comuna.Level][]int32, len(treeLevels)),
	}
	centres := make(map[string]string, len(byLevel[comuna.LevelCentre])) // code → name
	for _, c := range byLevel[comuna.LevelCentre] {
		if !seen[nodeKey{comuna.LevelParish, c.Parent}] {
			return nil, comuna.Errorf(comuna.EInvalid, "results: centre %q is in unknown parish %q", c.Code, c.Parent)
		}
		centres[c.Code] = c.Name
	}
	n := 1 + len(units) - len(byLevel[comuna.LevelCouncil]) - len(byLevel[comuna.LevelCentre])
	x.nodes = make([]Node, 0, n)
	x.nodes = append(x.nodes, Node{Level: LevelNation, Name: "Nation", parent: -1})
	x.ids[nodeKey{LevelNation, ""}] = 0
	x.levels[LevelNation] = span{0, 1}
	x.byCode[LevelNation] = []int32{0}

	type placed struct {
		u      *comuna.Unit
		parent int32
	}
	for _, level := range treeLevels[1:] {
		us := byLevel[level]
		ps := make([]placed, len(us))
		for i, u := range us {
			pl, pc := comuna.ParentLevel(level), u.Parent
			switch level {
			case comuna.LevelState:
				pl, pc = LevelNation, ""
			case comuna.LevelTable:
				if _, ok := centres[u.Parent]; !ok {
					return nil, comuna.Errorf(comuna.EInvalid, "results: table %q is in unknown centre %q", u.Code, u.Parent)
				}
				pl, pc = comuna.LevelCircuit, u.Circuit
			}
			p, ok := x.ids[nodeKey{pl, pc}]
			if !ok {
				return nil, comuna.Errorf(comuna.EInvalid, "results: %s %q names unknown %s %q", level, u.Code, pl, pc)
			}
			ps[i] = placed{u, p}
		}
		slices.SortFunc(ps, func(a, b placed) int {
			return cmp.Or(cmp.Compare(a.parent, b.parent), cmp.Compare(a.u.Code, b.u.Code))
		})
		lo := int32(len(x.nodes))
		for _, p := range ps {
			id := int32(len(x.nodes))
			parent := &x.nodes[p.parent]
			if parent.first == parent.end {
				parent.first = id
			}
			parent.end = id + 1
			nd := Node{Level: level, Code: p.u.Code, Name: p.u.Name, ParentLevel: parent.Level, Parent: parent.Code, parent: p.parent}
			switch level {
			case comuna.LevelTable:
				nd.Centre, nd.CentreName = p.u.Parent, centres[p.u.Parent]
				nd.TablesExpected = 1
			case comuna.LevelCircuit:
				nd.Circuits = 1
			}
			x.nodes = append(x.nodes, nd)
			x.ids[nodeKey{level, p.u.Code}] = id
		}
		hi := int32(len(x.nodes))
		x.levels[level] = span{lo, hi}
		order := make([]int32, 0, hi-lo)
		for id := lo; id < hi; id++ {
			order = append(order, id)
		}
		slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(x.nodes[a].Code, x.nodes[b].Code) })
		x.byCode[level] = order
	}

	for _, c := range byLevel[comuna.LevelCouncil] {
		id, ok := x.ids[nodeKey{comuna.LevelCircuit, c.Parent}]
		if !ok {
			return nil, comuna.Errorf(comuna.EInvalid, "results: council %q names unknown circuit %q", c.Code, c.Parent)
		}
		x.nodes[id].Census += c.Census
	}
	// Children come after their parents, so one backward pass sums the
	// static figures all the way up.
	for id := len(x.nodes) - 1; id > 0; id-- {
		nd, p := &x.nodes[id], &x.nodes[x.nodes[id].parent]
		p.Census += nd.Census
		p.TablesExpected += nd.TablesExpected
		p.Circuits += nd.Circuits
	}

	tables := x.levels[comuna.LevelTable]
	x.tables = make(map[string]int32, tables.hi-tables.lo)
	for id := tables.lo; id < tables.hi; id++ {
		x.tables[x.nodes[id].Code] = id
	}
	return x, nil
}

// Len returns the number of nodes of a level (1 for LevelNation).
func (x *Index) Len(level comuna.Level) int {
	s := x.levels[level]
	return int(s.hi - s.lo)
}

// TablePath is where a table sits: its centre and the chain of units above
// the circuit it serves.
type TablePath struct {
	Table        string
	Centre       string
	Circuit      string
	Commune      string
	Parish       string
	Municipality string
	State        string
}

// TablePath resolves a table to its centre, circuit, commune, parish,
// municipality and state in constant time; false if the table is not in
// the round's territory.
func (x *Index) TablePath(table string) (TablePath, bool) {
	id, ok := x.tables[table]
	if !ok {
		return TablePath{}, false
	}
	t := &x.nodes[id]
	circuit := &x.nodes[t.parent]
	commune := &x.nodes[circuit.parent]
	parish := &x.nodes[commune.parent]
	municipality := &x.nodes[parish.parent]
	return TablePath{
		Table: t.Code, Centre: t.Centre, Circuit: circuit.Code, Commune: commune.Code,
		Parish: parish.Code, Municipality: municipality.Code, State: municipality.Parent,
	}, true
}
