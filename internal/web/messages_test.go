package web

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

// TestCatalogue checks that every label a template asks for, and every
// domain value pages translate, is in the catalogue in both languages.
func TestCatalogue(t *testing.T) {
	for key, m := range messages {
		if m[0] == "" || m[1] == "" {
			t.Errorf("messages[%q] = %q, want both languages", key, m)
		}
	}
	re := regexp.MustCompile(`\.T "([a-z0-9._]+)"|\.Form\.(?:Req|Input|Choice) "[a-z_]+" (?:"[a-z]+" )?"([a-z0-9._]+)"`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	for _, f := range files {
		b, _ := fs.ReadFile(templateFS, f)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			key := m[1] + m[2]
			if _, ok := messages[key]; !ok {
				t.Errorf("%s: no message %q", f, key)
			}
		}
	}
	var keys []string
	for _, p := range comuna.Phases {
		keys = append(keys, "phase."+string(p))
	}
	for _, r := range comuna.Roles {
		keys = append(keys, "role."+string(r))
	}
	for _, c := range comuna.Categories {
		keys = append(keys, "category."+c)
	}
	for _, l := range comuna.Levels {
		keys = append(keys, "level."+string(l), "levels."+string(l))
	}
	for _, c := range []string{comuna.EInvalid, comuna.ENotFound, comuna.EConflict, comuna.EForbidden, comuna.EUnauthorized, comuna.ERateLimited, comuna.EUnavailable, comuna.EInternal} {
		keys = append(keys, "error."+c)
	}
	for _, k := range keys {
		if _, ok := messages[k]; !ok {
			t.Errorf("no message %q", k)
		}
	}
}
