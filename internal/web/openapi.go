package web

import (
	"encoding/json"
	"github.com/comuna/comuna/internal/assemblies/federation"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"
)

// The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.
// Every operation is one apiOp below; the JSON Schemas of its bodies are
// derived from the Go types the handlers write (their json tags), so the
// description follows the code. TestOpenAPI validates real responses of
// every operation against it and fails when a route of routeTable is not
// here.

// apiOp documents one operation of the JSON API.
type apiOp struct {
	Method  string
	Path    string // as in routeTable, without the /api/v1 prefix
	Tag     string
	Summary string
	Query   []string // query parameters, all optional
	Body    any      // a value of the request body's type, nil for none
	Status  int      // the success status
	Reply   any      // a value of the success body's type
}

// Documentation-only shapes of the handlers that write maps.
type (
	roundsDoc struct {
		Rounds []roundJSON `json:"rounds"`
	}
	transitionsDoc struct {
		Transitions []transitionJSON `json:"transitions"`
	}
	// transitionInput is what POST /rounds/{id}/transitions takes: the
	// phase to move to, the phase it must be in, and, when voting opens,
	// the circuits without a published ballot, excluded explicitly.
	transitionInput struct {
		From            string   `json:"from,omitempty"`
		To              string   `json:"to"`
		ExcludeCircuits []string `json:"exclude_circuits,omitempty"`
	}
	territorySummaryDoc struct {
		Version int64            `json:"version"`
		Counts  map[string]int64 `json:"counts"`
		Census  int64            `json:"census"`
	}
	unitsDoc struct {
		Units  []unitJSON `json:"units"`
		Limit  int        `json:"limit"`
		Offset int        `json:"offset"`
	}
	unitDoc struct {
		Unit      unitJSON   `json:"unit"`
		Ancestors []unitJSON `json:"ancestors"`
		Stats     statsJSON  `json:"stats"`
	}
	circuitDoc struct {
		RoundID   int64          `json:"round_id"`
		Circuit   unitJSON       `json:"circuit"`
		Ancestors []unitJSON     `json:"ancestors"`
		Stats     statsJSON      `json:"stats"`
		Councils  []unitJSON     `json:"councils"`
		Proposals []proposalJSON `json:"proposals"`
		Ballot    *ballotJSON    `json:"ballot"`
	}
	proposalsDoc struct {
		Proposals []proposalJSON `json:"proposals"`
		Limit     int            `json:"limit"`
		Offset    int            `json:"offset"`
	}
	ballotVersionsDoc struct {
		Versions []*ballotJSON `json:"versions"`
	}
	roundTablesDoc struct {
		RoundID int64            `json:"round_id"`
		Tables  []roundTableJSON `json:"tables"`
	}
	walkInsInput struct {
		Count          int64  `json:"count"`
		Reason         string `json:"reason"`
		IdempotencyKey string `json:"idempotency_key,omitempty"`
	}
	executionDoc struct {
		Round    int64         `json:"round_id"`
		Projects []trackedJSON `json:"projects"`
	}
	fundedDoc struct {
		RoundID      int64       `json:"round_id"`
		Epoch        int64       `json:"epoch"`
		Currency     string      `json:"currency"`
		Funded       int         `json:"funded"`
		FundedAmount string      `json:"funded_amount"`
		Projects     []fundedRow `json:"projects"`
	}
	sheetVersionsDoc struct {
		Versions []versionJSON `json:"versions"`
	}
	sheetsDoc struct {
		RoundID int64         `json:"round_id"`
		Sheets  []versionJSON `json:"sheets"`
	}
	resultsDoc struct {
		RoundID  int64      `json:"round_id"`
		Epoch    int64      `json:"epoch"`
		Nation   nodeJSON   `json:"nation"`
		States   []nodeJSON `json:"states"`
		Problems int        `json:"problems"`
	}
	unitRefDoc struct {
		Level string `json:"level"`
		Code  string `json:"code"`
		Name  string `json:"name"`
	}
	resultsUnitDoc struct {
		RoundID   int64        `json:"round_id"`
		Epoch     int64        `json:"epoch"`
		Node      nodeJSON     `json:"node"`
		Ancestors []unitRefDoc `json:"ancestors"`
		Children  []nodeJSON   `json:"children"`
	}
	auditsDoc struct {
		Audits []auditJSON `json:"audits"`
	}
	auditInput struct {
		Kind      string  `json:"kind,omitempty"`
		Seed      string  `json:"seed"`
		RiskLimit float64 `json:"risk_limit,omitempty"`
		Tables    int     `json:"tables,omitempty"`
	}
	recountInput struct {
		Counts  []int64 `json:"counts"`
		Ballots int64   `json:"ballots"`
	}
	usersDoc struct {
		Users []userJSON `json:"users"`
	}
)

// apiOps is every operation of /api/v1. A new route in routeTable needs
// its entry here (TestOpenAPI says which) and a line in API.md.
var apiOps = []apiOp{
	{Method: "GET", Path: "/openapi.json", Tag: "meta", Summary: "This OpenAPI 3.1 description", Reply: map[string]any{}},

	{Method: "GET", Path: "/rounds", Tag: "rounds", Summary: "Every round, newest first", Reply: roundsDoc{}},
	{Method: "POST", Path: "/rounds", Tag: "rounds", Summary: "Create a round (draft)", Body: roundInput{}, Status: 201, Reply: roundJSON{}},
	{Method: "GET", Path: "/rounds/{id}", Tag: "rounds", Summary: "A round with its settings and phase", Reply: roundJSON{}},
	{Method: "GET", Path: "/rounds/{id}/transitions", Tag: "rounds", Summary: "A round's phase changes", Reply: transitionsDoc{}},
	{Method: "POST", Path: "/rounds/{id}/transitions", Tag: "rounds", Summary: "Move a round to its next phase", Body: transitionInput{}, Reply: roundJSON{}},

	{Method: "GET", Path: "/territory/summary", Tag: "territory", Summary: "Counts of units by level and the census", Query: []string{"version"}, Reply: territorySummaryDoc{}},
	{Method: "GET", Path: "/territory/units", Tag: "territory", Summary: "Units by level, parent, circuit or search", Query: []string{"level", "parent", "circuit", "q", "version", "limit", "offset"}, Reply: unitsDoc{}},
	{Method: "GET", Path: "/territory/units/{level}/{code}", Tag: "territory", Summary: "A unit with its ancestors and counts", Query: []string{"version"}, Reply: unitDoc{}},

	{Method: "GET", Path: "/rounds/{id}/circuits/{code}", Tag: "proposals", Summary: "A circuit of a round: councils, proposals, ballot", Reply: circuitDoc{}},
	{Method: "GET", Path: "/rounds/{id}/proposals", Tag: "proposals", Summary: "A round's proposals", Query: []string{"status", "circuit", "council", "limit", "offset"}, Reply: proposalsDoc{}},
	{Method: "POST", Path: "/rounds/{id}/proposals", Tag: "proposals", Summary: "Submit a council's proposal with its minutes", Body: proposalInput{}, Status: 201, Reply: proposalJSON{}},
	{Method: "GET", Path: "/proposals/{id}", Tag: "proposals", Summary: "A proposal", Reply: proposalJSON{}},
	{Method: "POST", Path: "/proposals/{id}/review", Tag: "proposals", Summary: "Accept or reject a proposal with a reason", Body: reviewInput{}, Reply: proposalJSON{}},

	{Method: "GET", Path: "/rounds/{id}/circuits/{code}/ballot", Tag: "ballots", Summary: "A circuit's current ballot", Reply: ballotJSON{}},
	{Method: "POST", Path: "/rounds/{id}/circuits/{code}/ballot", Tag: "ballots", Summary: "Save a new ballot version", Body: ballotInput{}, Status: 201, Reply: ballotJSON{}},
	{Method: "POST", Path: "/rounds/{id}/circuits/{code}/ballot/publish", Tag: "ballots", Summary: "Publish the circuit's latest ballot", Reply: ballotJSON{}},
	{Method: "GET", Path: "/rounds/{id}/circuits/{code}/ballot/versions", Tag: "ballots", Summary: "Every version of a circuit's ballot", Reply: ballotVersionsDoc{}},

	{Method: "GET", Path: "/rounds/{id}/tables", Tag: "vote day", Summary: "Every table of the round with its ballot size", Reply: roundTablesDoc{}},
	{Method: "GET", Path: "/rounds/{id}/tables/{code}", Tag: "vote day", Summary: "A table's poll book and sheet", Reply: tableJSON{}},
	{Method: "POST", Path: "/rounds/{id}/tables/{code}/checkins", Tag: "vote day", Summary: "Check a voter in", Body: checkInInput{}, Reply: checkInJSON{}},
	{Method: "POST", Path: "/rounds/{id}/tables/{code}/walkins", Tag: "vote day", Summary: "Propose walk-ins admitted on paper (a second person confirms)", Body: walkInsInput{}, Status: 202, Reply: walkInJSON{}},
	{Method: "POST", Path: "/rounds/{id}/tables/{code}/walkins/{rid}/confirm", Tag: "vote day", Summary: "Confirm another member's walk-in report", Reply: walkInJSON{}},
	{Method: "POST", Path: "/rounds/{id}/tables/{code}/walkins/{rid}/refuse", Tag: "vote day", Summary: "Refuse another member's walk-in report", Reply: walkInJSON{}},
	{Method: "POST", Path: "/rounds/{id}/tables/{code}/close", Tag: "vote day", Summary: "Close a table", Reply: tableJSON{}},
	{Method: "POST", Path: "/rounds/{id}/tables/{code}/entries", Tag: "vote day", Summary: "Enter a tally sheet (one of two entries)", Body: entryInput{}, Reply: entryJSON{}},
	{Method: "POST", Path: "/rounds/{id}/tables/{code}/corrections", Tag: "vote day", Summary: "Propose a correction of an accepted sheet with a reason (a second person confirms)", Body: correctionInput{}, Status: 202, Reply: correctionJSON{}},
	{Method: "GET", Path: "/rounds/{id}/tables/{code}/sheets", Tag: "vote day", Summary: "Every version of a table's sheet", Reply: sheetVersionsDoc{}},
	{Method: "GET", Path: "/rounds/{id}/sheets", Tag: "vote day", Summary: "Open data: every accepted current sheet", Reply: sheetsDoc{}},
	{Method: "GET", Path: "/rounds/{id}/results", Tag: "results", Summary: "National results with every state", Reply: resultsDoc{}},
	{Method: "GET", Path: "/rounds/{id}/results/{level}/{code}", Tag: "results", Summary: "A unit's results with ancestors and children", Reply: resultsUnitDoc{}},
	{Method: "GET", Path: "/rounds/{id}/funded", Tag: "results", Summary: "Open data: every project of every ballot, funded or not, with the nation's totals", Reply: fundedDoc{}},

	{Method: "GET", Path: "/rounds/{id}/execution", Tag: "execution", Summary: "A round's funded projects and where each stands", Reply: executionDoc{}},
	{Method: "GET", Path: "/rounds/{id}/execution/projects/{pid}", Tag: "execution", Summary: "A funded project with its log records", Reply: trackedJSON{}},
	{Method: "POST", Path: "/rounds/{id}/execution/projects/{pid}/payments", Tag: "execution", Summary: "Record a payment (fund officer)", Body: execInput{}, Status: 201, Reply: trackedJSON{}},
	{Method: "POST", Path: "/rounds/{id}/execution/projects/{pid}/entries", Tag: "execution", Summary: "Report progress or confirm a payment (council's finance spokesperson)", Body: execInput{}, Status: 201, Reply: trackedJSON{}},
	{Method: "POST", Path: "/rounds/{id}/execution/projects/{pid}/oversight", Tag: "execution", Summary: "Open or close a finding (commune's comptroller)", Body: execInput{}, Status: 201, Reply: trackedJSON{}},
	{Method: "POST", Path: "/rounds/{id}/execution/projects/{pid}/corrections", Tag: "execution", Summary: "Correct an entry with a reason (administrator)", Body: execInput{}, Status: 201, Reply: trackedJSON{}},

	{Method: "GET", Path: "/rounds/{id}/audits", Tag: "audits", Summary: "A round's audits", Reply: auditsDoc{}},
	{Method: "POST", Path: "/rounds/{id}/audits", Tag: "audits", Summary: "Start a risk-limiting audit or a draw", Body: auditInput{}, Status: 201, Reply: auditJSON{}},
	{Method: "GET", Path: "/rounds/{id}/audits/{aid}", Tag: "audits", Summary: "An audit with its report", Reply: auditJSON{}},
	{Method: "POST", Path: "/rounds/{id}/audits/{aid}/tables/{code}", Tag: "audits", Summary: "Enter a table's hand recount (blind, twice, by the audit's board)", Body: recountInput{}, Reply: recountJSON{}},

	{Method: "GET", Path: "/federations", Tag: "federations", Summary: "Every federation of communes", Reply: []federation.Summary{}},
	{Method: "POST", Path: "/federations", Tag: "federations", Summary: "Found a federation", Body: federation.Entry{}, Status: 201, Reply: fedJSON{}},
	{Method: "GET", Path: "/federations/{fid}", Tag: "federations", Summary: "A federation with its members and record", Reply: fedJSON{}},
	{Method: "POST", Path: "/federations/{fid}/entries", Tag: "federations", Summary: "Append an entry to a federation's record", Body: federation.Entry{}, Status: 201, Reply: fedEntryJSON{}},
	{Method: "GET", Path: "/federations/{fid}/elections/{eid}", Tag: "federations", Summary: "An election of a federation's congress", Reply: federation.Election{}},

	{Method: "GET", Path: "/users", Tag: "accounts", Summary: "Every account", Reply: usersDoc{}},
	{Method: "POST", Path: "/users", Tag: "accounts", Summary: "Create an account", Body: userInput{}, Status: 201, Reply: userJSON{}},
	{Method: "POST", Path: "/tokens", Tag: "accounts", Summary: "Create an API token (shown once)", Body: tokenInput{}, Status: 201, Reply: tokenJSON{}},
	{Method: "GET", Path: "/me", Tag: "accounts", Summary: "The calling account", Reply: userJSON{}},
}

// openAPIDoc builds the description once.
var openAPIDoc = sync.OnceValue(func() []byte {
	b, err := json.MarshalIndent(buildOpenAPI(), "", "  ")
	if err != nil {
		panic(err)
	}
	return b
})

// apiOpenAPI serves the description.
func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(openAPIDoc())
	return err
}

type obj = map[string]any

// schemaGen turns Go types into JSON Schemas under components/schemas.
type schemaGen struct {
	defs  obj
	names map[reflect.Type]string
}

var timeType = reflect.TypeOf(time.Time{})

// of returns the schema of t, a $ref for named struct types.
func (g *schemaGen) of(t reflect.Type) obj {
	switch {
	case t == timeType:
		return obj{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Pointer:
		inner := g.of(t.Elem())
		return obj{"oneOf": []any{inner, obj{"type": "null"}}}
	}
	switch t.Kind() {
	case reflect.String:
		return obj{"type": "string"}
	case reflect.Bool:
		return obj{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return obj{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return obj{"type": "number"}
	case reflect.Slice, reflect.Array:
		// A nil slice is written as null.
		return obj{"type": []any{"array", "null"}, "items": g.of(t.Elem())}
	case reflect.Map:
		return obj{"type": "object", "additionalProperties": g.of(t.Elem())}
	case reflect.Interface:
		return obj{}
	case reflect.Struct:
		if t.Name() == "" {
			return g.object(t)
		}
		name, ok := g.names[t]
		if !ok {
			name = schemaName(t)
			for taken := true; taken; {
				taken = false
				for _, n := range g.names {
					if n == name {
						name += "_"
						taken = true
					}
				}
			}
			g.names[t] = name
			g.defs[name] = g.object(t)
		}
		return obj{"$ref": "#/components/schemas/" + name}
	}
	return obj{}
}

// object is a struct's schema: its JSON fields the way encoding/json
// writes them (embedded structs flattened, the shallower field winning),
// omitempty fields optional, nothing else allowed.
func (g *schemaGen) object(t reflect.Type) obj {
	props := obj{}
	req := map[string]bool{}
	seen := map[string]int{} // name → depth
	var walk func(t reflect.Type, depth int)
	walk = func(t reflect.Type, depth int) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			ft := f.Type
			if f.Anonymous && name == "" {
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					walk(ft, depth+1)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if d, ok := seen[name]; ok && d <= depth {
				continue
			}
			seen[name] = depth
			s := g.of(ft)
			if strings.Contains(opts, "string") {
				s = obj{"type": "string"}
			}
			props[name] = s
			req[name] = !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero")
		}
	}
	walk(t, 0)
	var required []string
	for name, r := range req {
		if r {
			required = append(required, name)
		}
	}
	sort.Strings(required)
	out := obj{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

// schemaName names a component after its Go type: roundJSON → Round.
func schemaName(t reflect.Type) string {
	n := strings.TrimSuffix(strings.TrimSuffix(t.Name(), "JSON"), "Doc")
	if n == "" {
		n = t.Name()
	}
	return strings.ToUpper(n[:1]) + n[1:]
}

// buildOpenAPI assembles the document from apiOps.
func buildOpenAPI() obj {
	g := &schemaGen{defs: obj{}, names: map[reflect.Type]string{}}
	errRef := g.of(reflect.TypeOf(errorBody{}))
	paths := obj{}
	for _, op := range apiOps {
		item, _ := paths[op.Path].(obj)
		if item == nil {
			item = obj{}
			paths[op.Path] = item
		}
		var params []any
		for _, seg := range strings.Split(op.Path, "/") {
			if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
				name := seg[1 : len(seg)-1]
				sch := obj{"type": "string"}
				if name == "id" || name == "aid" || name == "pid" || name == "rid" || name == "fid" || name == "eid" {
					sch = obj{"type": "integer", "minimum": 1}
				}
				params = append(params, obj{"name": name, "in": "path", "required": true, "schema": sch})
			}
		}
		for _, q := range op.Query {
			sch := obj{"type": "string"}
			switch q {
			case "limit", "offset", "version":
				sch = obj{"type": "integer", "minimum": 0}
			}
			params = append(params, obj{"name": q, "in": "query", "required": false, "schema": sch})
		}
		status := op.Status
		if status == 0 {
			status = http.StatusOK
		}
		reply := obj{"type": "object"}
		if _, isMap := op.Reply.(map[string]any); !isMap && op.Reply != nil {
			reply = g.of(reflect.TypeOf(op.Reply))
		}
		o := obj{
			"operationId": operationID(op),
			"summary":     op.Summary,
			"tags":        []any{op.Tag},
			"responses": obj{
				itoa(status): obj{"description": http.StatusText(status),
					"content": obj{"application/json": obj{"schema": reply}}},
				"default": obj{"description": "An error: {\"error\":{\"code\",\"message\",\"field\"}}",
					"content": obj{"application/json": obj{"schema": errRef}}},
			},
		}
		if params != nil {
			o["parameters"] = params
		}
		if op.Body != nil {
			o["requestBody"] = obj{"required": true,
				"content": obj{"application/json": obj{"schema": g.of(reflect.TypeOf(op.Body))}}}
		}
		if op.Method != "GET" {
			o["security"] = []any{obj{"bearer": []any{}}, obj{"session": []any{}}}
		}
		item[strings.ToLower(op.Method)] = o
	}
	// The reconcile errors of a tally sheet (422) carry every field at fault.
	g.defs["ReconcileErrors"] = obj{"type": "object", "required": []any{"error", "errors"},
		"properties": obj{"error": g.of(reflect.TypeOf(errorJSON{})),
			"errors": obj{"type": "array", "items": g.of(reflect.TypeOf(errorJSON{}))}}}
	return obj{
		"openapi":           "3.1.0",
		"jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
		"info": obj{
			"title":       "Comuna JSON API",
			"version":     "1",
			"description": "Popular consultations end to end: rounds, territory, proposals, ballots, vote day, results and audits. See API.md for the conventions (snake_case, dates YYYY-MM-DD, moments RFC 3339 UTC, money as decimal strings).",
		},
		"servers": []any{obj{"url": "/api/v1"}},
		"paths":   paths,
		"components": obj{
			"schemas": g.defs,
			"securitySchemes": obj{
				"bearer":  obj{"type": "http", "scheme": "bearer", "description": "An API token from /account, POST /api/v1/tokens or `comuna user token`."},
				"session": obj{"type": "apiKey", "in": "cookie", "name": sessionCookie, "description": "A logged-in browser's session; state-changing calls also need the X-CSRF-Token header."},
			},
		},
	}
}

// operationID is a stable name for an operation: get_rounds_id_results.
func operationID(op apiOp) string {
	r := strings.NewReplacer("/", "_", "{", "", "}", "", ".", "_", "-", "_")
	return strings.ToLower(op.Method) + strings.TrimRight(r.Replace(op.Path), "_")
}

// documented reports whether a route of the table is in apiOps.
func documented(method, pattern string) bool {
	for _, op := range apiOps {
		if op.Method == method && "/api/v1"+op.Path == pattern {
			return true
		}
	}
	return false
}
