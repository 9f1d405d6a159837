package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Phone is the viewport the layout test holds every page to.
const phoneWidth, phoneHeight = 390, 844

// demoPages are the small demo's pages: every page template, with the
// demo's own round, circuit, council and table.
var demoPages = []string{
	"/", "/rounds", "/rounds/1", "/rounds/2", "/territory",
	"/territory/state/ZU", "/territory/municipality/ZU-01", "/territory/circuit/" + voteDayCircuit,
	"/rounds/1/circuits/" + voteDayCircuit, "/rounds/2/circuits/" + voteDayCircuit,
	"/rounds/1/proposals", "/rounds/2/proposals", "/proposals/1",
	"/rounds/1/circuits/" + voteDayCircuit + "/ballot/print",
	"/rounds/1/results", "/rounds/1/results/state/ZU", "/rounds/1/results/municipality/ZU-01",
	"/rounds/1/results/circuit/" + voteDayCircuit, "/rounds/1/results/circuit/" + voteDayCircuit + "/verify",
	"/rounds/1/tables/" + voteDayTable + "/sheets", "/rounds/1/audits",
	"/tasks", "/account", "/review", "/rounds/2/review", "/rounds/2/proposals/new",
	"/rounds/1/circuits/" + voteDayCircuit + "/ballot/edit",
	"/rounds/1/tables/" + voteDayTable, "/rounds/1/tables/" + voteDayTable + "/sheet",
	"/users", "/users/new", "/rounds/new", "/rounds/1/integrity",
}

// roleDependent are the pages whose content depends on who looks; the
// other roles than the public and the administrator (who sees the most)
// are held to these, so the test stays within a few minutes.
var roleDependent = map[string]bool{
	"/": true, "/rounds/1": true, "/rounds/2": true, "/proposals/1": true, "/tasks": true, "/account": true,
	"/review": true, "/rounds/2/review": true, "/rounds/2/proposals/new": true,
	"/rounds/1/circuits/" + voteDayCircuit + "/ballot/edit": true,
	"/rounds/1/tables/" + voteDayTable:                      true, "/rounds/1/tables/" + voteDayTable + "/sheet": true,
}

// demoRoles are the demo's accounts ("" is the public).
var demoRoles = []string{"", "admin", "revisor", "coordinador", "vocero", "mesa", "observador"}

// overflowJS returns the page's scroll width and, when it is wider than
// the viewport, the elements that stick out, to name them in the failure.
const overflowJS = `(() => {
  const w = window.innerWidth, sw = document.documentElement.scrollWidth;
  const out = [];
  if (sw > w) {
    const clipped = el => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
      }
      return false;
    };
    for (const el of document.querySelectorAll('body *')) {
      if (clipped(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.right > w + 1 && r.width > 0) {
        let name = el.tagName.toLowerCase();
        if (el.className && typeof el.className === 'string') name += '.' + el.className.trim().split(/\s+/).join('.');
        out.push(name + ' (' + Math.round(r.right) + 'px): ' + (el.textContent || '').trim().slice(0, 40));
        if (out.length >= 4) break;
      }
    }
  }
  return [String(sw)].concat(out);
})()`

// TestPhoneLayout opens every page of the small demo as the public and
// the administrator, and every page whose content depends on the role as
// each other role, in both languages, at 390×844, and fails when a page
// is wider than the phone. Screenshots of a few pages go to COMUNA_SCREENSHOTS when set.
//
// It walks about 250 pages and took over ten minutes on a loaded 2-core
// machine, so it runs only when COMUNA_TEST_LAYOUT=1 until it is made
// faster (one browser tab per role in parallel, fewer logins).
func TestPhoneLayout(t *testing.T) {
	if os.Getenv("COMUNA_TEST_LAYOUT") != "1" {
		t.Skip("the phone-layout walk runs with COMUNA_TEST_LAYOUT=1 (it takes minutes)")
	}
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	prog := startProgram(t, bin, "--demo", "--db", dir+"/layout.db")
	ctx := browserFor(t, 15*time.Minute)
	base := prog.URL
	shots := os.Getenv("COMUNA_SCREENSHOTS")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(phoneWidth, phoneHeight)); err != nil {
		t.Fatal(err)
	}
	for _, role := range demoRoles {
		for _, lang := range []string{"es", "en"} {
			if role != "" {
				layoutLogin(t, ctx, base, role, lang)
			} else if err := chromedp.Do(ctx, chromedp.Navigate(base+"/?lang="+lang)); err != nil {
				t.Fatal(err)
			}
			for _, path := range demoPages {
				if role != "" && role != "admin" && !roleDependent[path] {
					continue
				}
				if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
					t.Fatalf("%s as %q: %v", path, role, err)
				}
				got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](overflowJS))
				if err != nil {
					t.Fatalf("%s as %q: %v", path, role, err)
				}
				if got[0] != fmt.Sprint(phoneWidth) {
					t.Errorf("%s as %q (%s) is %s px wide on a %d px phone: %s", path, role, lang, got[0], phoneWidth, strings.Join(got[1:], "; "))
				}
				if shots != "" && lang == "es" && (role == "" || strings.HasPrefix(path, "/tasks") || path == "/rounds/1") {
					shoot(t, ctx, filepath.Join(shots, fmt.Sprintf("phone-%s-%s.png", roleName(role), slug(path))))
				}
			}
			if role != "" {
				layoutLogout(t, ctx, base)
			}
		}
	}
}

func roleName(r string) string {
	if r == "" {
		return "public"
	}
	return r
}

func slug(path string) string {
	s := strings.Trim(strings.NewReplacer("/", "_", "?", "_", "=", "_").Replace(path), "_")
	if s == "" {
		return "home"
	}
	return s
}

// shoot saves a full-page screenshot.
func shoot(t *testing.T, ctx context.Context, file string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(file, buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// layoutLogin signs a demo account in, in lang.
func layoutLogin(t *testing.T, ctx context.Context, base, user, lang string) {
	t.Helper()
	// The demo's documented passwords: comuna-USER, with -demo where that
	// is shorter than the 12 characters every password needs (mesa).
	password := "comuna-" + user
	if len(password) < 12 {
		password += "-demo"
	}
	// A login that fails must fail the test now, not wait for the whole
	// browser's limit.
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/login?lang="+lang),
		chromedp.WaitVisible(`#f-username`),
		chromedp.SendKeys(`#f-username`, user),
		chromedp.SendKeys(`#f-password`, password),
		chromedp.Submit(`#f-password`),
		chromedp.WaitNotPresent(`#f-password`),
	)
	if err != nil {
		t.Fatalf("log in as %s: %v", user, err)
	}
}

func layoutLogout(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`a[href^="/login"]`)); err != nil {
		t.Fatalf("log out: %v", err)
	}
}
