package comuna

import (
	"context"
	"strings"
)

// Level is a level of the territory, from the state down to a voting table.
type Level string

// The levels of the territory. The administrative chain runs state →
// municipality → parish → commune → circuit → council; voting centres sit
// in a parish and hold tables, each table serving one circuit.
const (
	LevelState        Level = "state"
	LevelMunicipality Level = "municipality"
	LevelParish       Level = "parish"
	LevelCommune      Level = "commune"
	LevelCircuit      Level = "circuit"
	LevelCouncil      Level = "council"
	LevelCentre       Level = "centre"
	LevelTable        Level = "table"
)

// Levels lists the levels in the order a territory file must define them:
// every unit's parent comes before the unit.
var Levels = []Level{LevelState, LevelMunicipality, LevelParish, LevelCommune, LevelCircuit, LevelCouncil, LevelCentre, LevelTable}

// ParentLevel returns the level of a unit's parent, or "" for a state.
func ParentLevel(l Level) Level {
	switch l {
	case LevelMunicipality:
		return LevelState
	case LevelParish:
		return LevelMunicipality
	case LevelCommune:
		return LevelParish
	case LevelCircuit:
		return LevelCommune
	case LevelCouncil:
		return LevelCircuit
	case LevelCentre:
		return LevelParish
	case LevelTable:
		return LevelCentre
	}
	return ""
}

// ValidLevel reports whether l is one of the known levels.
func ValidLevel(l Level) bool {
	return ParentLevel(l) != "" || l == LevelState
}

// Unit is one place of the territory at any level. Codes are stable across
// territory versions, so a circuit keeps its code when it changes shape
// between rounds; a unit is identified by (version, level, code).
type Unit struct {
	Level   Level
	Code    string
	Parent  string // code of the parent unit ("" for a state)
	Name    string
	Census  int64  // councils: residents aged 15 and over
	Circuit string // tables: the circuit the table serves
	Address string // centres: street address
}

// MaxCodeLen is the longest unit code, in bytes.
const MaxCodeLen = 40

// ValidCode reports whether s is a well-formed unit code: 1 to MaxCodeLen
// ASCII letters, digits, dots, dashes or underscores, starting with a
// letter or digit. It is the one rule for the code of every unit, from a
// state to a table, wherever a code arrives: the territory file, a
// check-in, a tally sheet.
func ValidCode(s string) bool {
	if len(s) < 1 || len(s) > MaxCodeLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !alnum && (i == 0 || c != '.' && c != '_' && c != '-') {
			return false
		}
	}
	return true
}

// Validate checks a unit on its own, naming the field at fault. References
// to other units are checked by the store, which knows what exists.
func (u *Unit) Validate() error {
	if !ValidLevel(u.Level) {
		return FieldError("kind", "unknown kind %q (want one of state, municipality, parish, commune, circuit, council, centre, table)", u.Level)
	}
	if !ValidCode(u.Code) {
		return FieldError("code", "code %q must be 1 to 40 letters, digits, dots, dashes or underscores", u.Code)
	}
	if strings.TrimSpace(u.Name) == "" {
		return FieldError("name", "a %s needs a name", u.Level)
	}
	if len(u.Name) > 200 {
		return FieldError("name", "name is longer than 200 characters")
	}
	if u.Level == LevelState {
		if u.Parent != "" {
			return FieldError("parent", "a state has no parent")
		}
	} else if u.Parent == "" {
		return FieldError("parent", "a %s needs its %s", u.Level, ParentLevel(u.Level))
	}
	if u.Census < 0 {
		return FieldError("census", "census cannot be negative")
	}
	if u.Census != 0 && u.Level != LevelCouncil {
		return FieldError("census", "only a council has a census")
	}
	if u.Level == LevelTable && u.Circuit == "" {
		return FieldError("circuit", "a table must name the circuit it serves")
	}
	if u.Level != LevelTable && u.Circuit != "" {
		return FieldError("circuit", "only a table serves a circuit")
	}
	return nil
}

// TerritoryVersion is one frozen or editable copy of the whole territory.
// The registry edits the single editable version; each round freezes a copy
// when it is created, so later edits never rewrite a past round.
type TerritoryVersion struct {
	ID      int64
	Label   string
	Frozen  bool
	Created Time
}

// Summary counts the units of a territory version by level, with the census
// total.
type Summary struct {
	Counts map[Level]int64
	Census int64
}

// UnitFilter selects units of one version for listing.
type UnitFilter struct {
	Version int64  // 0 means the editable version
	Level   Level  // "" means any level
	Parent  string // children of this unit code (with Level set)
	Circuit string // tables serving this circuit
	Query   string // substring of code or name, ignoring case and accents
	Limit   int    // 0 means a default of 100
	Offset  int
}

// Path is a unit with the chain of its ancestors, state first.
type Path struct {
	Unit      Unit
	Ancestors []Unit
}

// UnitStats adds to a unit the counts below it that pages show.
type UnitStats struct {
	Children int64 // units one level down
	Councils int64
	Census   int64 // residents aged 15+ in the councils below
	Tables   int64
}

// TerritoryService stores the registry and its versions.
type TerritoryService interface {
	// ImportUnits adds or replaces units of the editable version, by code,
	// in one transaction: any error leaves the territory as it was. The
	// sequence yields each unit with its source line; progress, if not
	// nil, is called after every batch with the number of units read.
	ImportUnits(ctx context.Context, units UnitSource, progress func(n int)) (int, error)
	// Units lists units matching the filter, ordered by level and code.
	Units(ctx context.Context, f UnitFilter) ([]Unit, error)
	// Unit returns one unit with its ancestors; ENotFound if absent.
	Unit(ctx context.Context, version int64, level Level, code string) (*Path, error)
	// UnitStats counts what lies below a unit.
	UnitStats(ctx context.Context, version int64, level Level, code string) (*UnitStats, error)
	// EachUnit calls fn for every unit of a version in file order (parents
	// first), for export.
	EachUnit(ctx context.Context, version int64, fn func(Unit) error) error
	// TerritorySummary counts a version's units.
	TerritorySummary(ctx context.Context, version int64) (*Summary, error)
	// EditableVersion returns the version that imports change.
	EditableVersion(ctx context.Context) (*TerritoryVersion, error)
}

// UnitSource yields units to import one by one; Next returns io.EOF at the
// end, and an *Error carrying Line and Field for a bad row.
type UnitSource interface {
	Next() (Unit, int, error) // the unit and its line number
}

// OverCensus reports whether a unit admitted more voters (check-ins and
// walk-ins) than its census of residents aged 15+, which results and
// sheets flag rather than accept silently. An unknown census (0) is
// never passed.
func OverCensus(admitted, census int64) bool { return census > 0 && admitted > census }
