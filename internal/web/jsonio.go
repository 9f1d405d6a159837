package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/comuna/comuna/internal/comuna"
)

// writeJSON writes v as JSON with status.
func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		s.log.Warn("write json", "err", err)
	}
}

// decodeJSON reads one JSON object into v strictly: a missing or other
// Content-Type, unknown, repeated or differently-cased keys, wrong types
// and trailing data are EInvalid errors naming the field at fault; a body
// over the route's limit is ETooLarge.
func decodeJSON(r *http.Request, v any) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return comuna.Errorf(comuna.EInvalid, "send the body with Content-Type: application/json")
	}
	if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
		return comuna.Errorf(comuna.EInvalid, "Content-Type must be application/json, not %q", ct)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return jsonError(err)
	}
	if err := checkKeys(body, v); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return comuna.Errorf(comuna.EInvalid, "unexpected data after the JSON object")
	}
	return nil
}

func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return comuna.Errorf(comuna.EInvalid, "the request body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return comuna.Errorf(comuna.EInvalid, "the JSON body ends too soon")
	case errors.As(err, &syntax):
		return comuna.Errorf(comuna.EInvalid, "malformed JSON at byte %d: %v", syntax.Offset, syntax)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return comuna.Errorf(comuna.EInvalid, "the body must be a JSON object, not %s", typ.Value)
		}
		return comuna.FieldError(typ.Field, "%s must be %s, not %s", typ.Field, jsonKind(typ.Type.Kind().String()), typ.Value)
	case errors.As(err, &tooBig):
		return comuna.Errorf(comuna.ETooLarge, "the request body is larger than %d bytes", tooBig.Limit)
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return comuna.FieldError(name, "unknown field %q", name)
	}
	return comuna.Errorf(comuna.EInvalid, "bad JSON: %v", err)
}

func jsonKind(k string) string {
	switch {
	case strings.HasPrefix(k, "int"), strings.HasPrefix(k, "uint"), strings.HasPrefix(k, "float"):
		return "a number"
	case k == "bool":
		return "true or false"
	case k == "string":
		return "a string"
	case k == "slice":
		return "an array"
	case k == "struct", k == "map":
		return "an object"
	}
	return "a " + k
}

// checkKeys refuses what encoding/json lets through: a key given twice in
// one object (json keeps the last, so two readers of the body could see
// different values) and a key that matches a field only when case is
// ignored ("Document_Type" for "document_type"). The names v's type
// knows are its fields' JSON names, at any depth.
func checkKeys(body []byte, v any) error {
	known := knownNames(reflect.TypeOf(v))
	dec := json.NewDecoder(bytes.NewReader(body))
	type object struct {
		keys    map[string]bool
		wantKey bool
	}
	var stack []*object
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return nil // the decoder proper reports malformed JSON
		}
		var top *object
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.wantKey {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1] != nil {
					stack[len(stack)-1].wantKey = true
				}
				continue
			}
			key, _ := tok.(string)
			if top.keys[key] {
				return comuna.FieldError(key, "key %q appears twice in one object", key)
			}
			top.keys[key] = true
			if !known[key] {
				for name := range known {
					if strings.EqualFold(name, key) {
						return comuna.FieldError(key, "unknown field %q (did you mean %q? keys are case-sensitive)", key, name)
					}
				}
			}
			top.wantKey = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &object{keys: map[string]bool{}, wantKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, nil)
			continue
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value ended: the enclosing object wants its next key.
		if len(stack) > 0 && stack[len(stack)-1] != nil {
			stack[len(stack)-1].wantKey = true
		}
	}
}

// namesOf caches knownNames by type.
var namesOf sync.Map // reflect.Type → map[string]bool

// knownNames returns the JSON names of t's fields at any depth.
func knownNames(t reflect.Type) map[string]bool {
	if m, ok := namesOf.Load(t); ok {
		return m.(map[string]bool)
	}
	m := map[string]bool{}
	jsonNames(t, m, map[reflect.Type]bool{})
	namesOf.Store(t, m)
	return m
}

// jsonNames adds the JSON names of t's fields, and of the structs they
// hold, to names.
func jsonNames(t reflect.Type, names map[string]bool, seen map[reflect.Type]bool) {
	for t != nil && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map) {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			jsonNames(f.Type, names, seen)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		names[name] = true
		jsonNames(f.Type, names, seen)
	}
}
