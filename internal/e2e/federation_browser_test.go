package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestFederationCongressInBrowser runs a congress of the demo federation in
// the browser against the real program: the secretariat calls a congress,
// accredits delegates (each credential code shown once) and checks them in
// by code; an amendment waiting for support gets it, is approved, its
// article and the rest are approved and the statutes approved as a whole;
// a board is elected by Meek STV with gender balance and alternates from
// ballots the delegates cast on phones with their codes (a second ballot
// refused); the round-by-round report is shown; and comuna verify, from
// the public log alone, recounts the election and passes.
func TestFederationCongressInBrowser(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	prog := startProgram(t, bin, "--demo", "--db", dir+"/federation.db")
	ctx := browser(t)
	base := prog.URL
	fed := base + "/federations/1"
	vdLogin(t, ctx, base, "admin")

	// submit fills the form of the page that takes entries of kind (and
	// whose hidden fields match), submits it and waits for the next page.
	submit := func(url, kind string, match, fields map[string]string) string {
		t.Helper()
		if url != "" {
			if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady(`footer, body`)); err != nil {
				t.Fatalf("open %s: %v", url, err)
			}
		}
		m, _ := json.Marshal(match)
		f, _ := json.Marshal(fields)
		js := fmt.Sprintf(`(function(kind, match, fields) {
			const form = [...document.querySelectorAll('form')].find(f => {
				const k = f.querySelector('input[name=kind]');
				if (!k || k.value !== kind) return false;
				return Object.entries(match || {}).every(([n, v]) => { const e = f.querySelector('[name="' + n + '"]'); return e && e.value === v; });
			});
			if (!form) return 'no form';
			for (const [n, v] of Object.entries(fields || {})) { form.querySelector('[name="' + n + '"]').value = v; }
			document.body.dataset.before = '1';
			form.submit();
			return 'ok';
		})(%q, %s, %s)`, kind, m, f)
		res, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil || res != "ok" {
			t.Fatalf("submit %s %v: %q %v", kind, match, res, err)
		}
		waitNewPage(t, ctx)
		if msg := optionalText(t, ctx, `p.error`); msg != "" {
			t.Fatalf("submit %s %v %v: the page says %q", kind, match, fields, msg)
		}
		return optionalText(t, ctx, `main`)
	}

	// a new congress, five delegates accredited and checked in by code
	submit(fed, "congress", nil, map[string]string{"name": "Congreso electoral", "date": "2026-12-02"})
	var codes []string
	for _, d := range []struct{ member, name string }{{"1", "Julia Campos"}, {"1", "Kevin Lugo"}, {"2", "Laura Nieves"}, {"3", "Manuel Ochoa"}, {"4", "Nora Paz"}} {
		submit(fed, "accredit", map[string]string{"congress": "2"}, map[string]string{"member": d.member, "name": d.name})
		code, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-code]').dataset.code`))
		if err != nil || len(code) != 14 {
			t.Fatalf("credential of %s: %q %v", d.name, code, err)
		}
		codes = append(codes, code)
		submit("", "check-in", map[string]string{"congress": "2"}, map[string]string{"code": strings.ToLower(code)})
	}
	if q := optionalText(t, ctx, `#congress-2`); !strings.Contains(q, "5 of 5") && !strings.Contains(q, "5 de 5") {
		t.Fatalf("congress 2 after check-in: %q", q)
	}

	// the statutes: amendment 2 to article 3 gets its supports, passes;
	// the remaining articles pass; the statutes pass as a whole
	doc := fed + "/documents/1"
	submit(doc, "support", map[string]string{"amendment": "2"}, map[string]string{"delegate": "1"})
	submit(doc, "support", map[string]string{"amendment": "2"}, map[string]string{"delegate": "5"})
	submit(doc, "vote-amend", map[string]string{"amendment": "2"}, map[string]string{"yes": "7", "no": "1", "abstain": "1"})
	submit(doc, "vote-article", map[string]string{"article": "3"}, map[string]string{"yes": "8", "no": "1"})
	submit(doc, "vote-article", map[string]string{"article": "4"}, map[string]string{"yes": "9"})
	page := submit(doc, "vote-document", nil, map[string]string{"yes": "9"})
	if s := optionalText(t, ctx, `#doc-status`); s != "Approved" && s != "Aprobado" {
		t.Fatalf("statutes status %q", s)
	}
	if !strings.Contains(page, "cuando la junta no alcance acuerdo") || !strings.Contains(page, "bienes comunes") {
		t.Errorf("the approved text lacks the amendments:\n%s", page)
	}
	vdScreenshots(t, ctx, "federation-statutes")

	// the board of the new congress: 3 seats, 40 %, 2 alternates
	submit(fed, "election", nil, map[string]string{"congress": "2", "name": "Junta electoral", "seats": "3", "rule": "meek-prf",
		"min_percent": "40", "alternates": "2", "seed": "acta 2026-12-02"})
	el := fed + "/elections/3" // the demo holds two
	for _, c := range []struct{ name, group string }{{"Julia Campos", "mujer"}, {"Kevin Lugo", "hombre"}, {"Manuel Ochoa", "hombre"},
		{"Pedro Quiroz", "hombre"}, {"Nora Paz", "mujer"}} {
		submit(el, "candidate", nil, map[string]string{"name": c.name, "group": c.group})
	}
	submit(el, "open", nil, nil)

	// the delegates vote on their phones: men first on most ballots
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	ballots := [][]string{{"2", "3"}, {"3", "2", "4"}, {"4", "2"}, {"2", "4", "1"}, {"1", "5"}}
	vote := func(code string, prefs []string) string {
		t.Helper()
		acts := []chromedp.Action[chromedp.Void]{chromedp.Navigate(el + "/ballot"), chromedp.WaitVisible(`input[name=code]`), chromedp.SendKeys(`input[name=code]`, code)}
		for i, p := range prefs {
			acts = append(acts, chromedp.SetValue(fmt.Sprintf(`select[name=pref%d]`, i+1), p))
		}
		acts = append(acts, chromedp.Click(`form.ballot button`), chromedp.WaitVisible(`#ballot-message`))
		if err := chromedp.Do(ctx, acts...); err != nil {
			t.Fatalf("vote with %s: %v", code, err)
		}
		return optionalText(t, ctx, `#ballot-message`)
	}
	for i, b := range ballots {
		if msg := vote(codes[i], b); !strings.Contains(msg, "recorded") && !strings.Contains(msg, "registrada") {
			t.Fatalf("ballot %d: %q", i+1, msg)
		}
		if i == 0 {
			vdScreenshots(t, ctx, "federation-ballot")
		}
	}
	if msg := vote(codes[0], []string{"5"}); !strings.Contains(msg, "already") && !strings.Contains(msg, "ya votó") {
		t.Errorf("a second ballot from a delegate: %q", msg)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1200, 900)); err != nil {
		t.Fatal(err)
	}
	submit(el, "close", nil, nil)
	elected, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#elected li')].map(li => li.textContent.trim())`))
	if err != nil || len(elected) != 3 {
		t.Fatalf("elected %v %v", elected, err)
	}
	alternates, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#alternates li')].map(li => li.textContent.trim())`))
	rows, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('table.report tbody tr').length`))
	if len(alternates) != 2 || rows < 2 {
		t.Errorf("alternates %v, %d report rows", alternates, rows)
	}
	women := 0
	for _, n := range elected {
		if n == "Julia Campos" || n == "Nora Paz" {
			women++
		}
	}
	if women < 1 {
		t.Errorf("elected %v: the balance gave no seat to a woman", elected)
	}
	vdScreenshots(t, ctx, "federation-election")

	// comuna verify recounts every election from the public log
	out, err := exec.Command(bin, "verify", "--url", base, "--state", filepath.Join(dir, "verify-state")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS") || !strings.Contains(string(out), "2 elections recounted") {
		t.Fatalf("comuna verify: %v\n%s", err, out)
	}
	if os.Getenv("COMUNA_SCREENSHOTS") != "" {
		t.Logf("verify:\n%s", out)
	}
}

// waitNewPage waits until the page a form submitted has replaced the one
// marked before it.
func waitNewPage(t *testing.T, ctx context.Context) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === 'complete' && !!document.body && !document.body.dataset.before`))
		if err == nil && done {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the submitted form's page did not load")
}

// optionalText is the text of sel, or "" when there is none.
func optionalText(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText`, sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}
