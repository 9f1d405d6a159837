package e2e

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestParliamentSessionInBrowser runs one session of the demo's first
// communal parliament in the browser as its secretary: attendance until
// the quorum is met, an agenda item with a speakers list, a motion with an
// amendment, a roll call needing ⅔ that fails and a simple-majority roll
// call that passes; the session closes, its minutes are drafted and
// published, approved as the first item of the next session, and the
// approved text is a record of the public log.
func TestParliamentSessionInBrowser(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	prog := startProgram(t, bin, "--demo", "--db", dir+"/e2e.db")
	ctx := browser(t)
	base := prog.URL
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return s
	}
	// act runs js on the live session page (a click or a submit) and waits
	// for the next page: its #live carries a new version tag.
	act := func(what, js string) {
		t.Helper()
		old := eval(`document.getElementById('live').dataset.etag`)
		eval(`(function(){` + js + `; return ""})()`)
		for i := 0; i < 200; i++ {
			time.Sleep(50 * time.Millisecond)
			now, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){var l=document.getElementById('live'); return l && document.readyState==='complete' ? l.dataset.etag : ""})()`))
			if err == nil && now != "" && now != old {
				return
			}
		}
		if e, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){var e=document.getElementById('error'); return e ? e.textContent : ""})()`)); e != "" {
			t.Fatalf("%s: refused: %s", what, e)
		}
		t.Fatalf("%s: the page did not change", what)
	}
	click := func(what, sel string) { t.Helper(); act(what, `document.querySelector('`+sel+`').click()`) }
	do("log in", chromedp.Navigate(base+"/login?lang=en"), chromedp.WaitVisible(`#f-username`),
		chromedp.SendKeys(`#f-username`, "secretaria"), chromedp.SendKeys(`#f-password`, "comuna-secretaria"),
		chromedp.Submit(`#f-password`), chromedp.WaitNotPresent(`#f-password`))

	// The parliament's convened session: open it.
	var sessions struct {
		Sessions []struct {
			ID     int64
			Status string
		}
	}
	getJSON(t, base+"/api/v1/organs/1/sessions", &sessions)
	if len(sessions.Sessions) == 0 || sessions.Sessions[0].Status != "scheduled" {
		t.Fatalf("organ 1's newest session = %+v, want a convened one", sessions.Sessions)
	}
	session := fmt.Sprintf("%s/sessions/%d", base, sessions.Sessions[0].ID)
	do("open the session", chromedp.Navigate(session), chromedp.WaitVisible(`#open-session`))
	click("open the session", `#open-session`)

	// Attendance until the quorum is met, 12 members.
	if got := text(t, ctx, `#quorum`); !strings.Contains(got, "No quorum") {
		t.Fatalf("quorum with nobody present = %q, want no quorum", got)
	}
	for i := 0; i < 12; i++ {
		click("mark present", `#attendance button[value="on"][data-role="principal"]`)
	}
	if got := text(t, ctx, `#quorum`); !strings.Contains(got, "Quorum present") || !strings.Contains(got, "12 present") {
		t.Fatalf("quorum after 12 arrived = %q, want it met with 12 present", got)
	}

	// An agenda item with its speakers list.
	act("add an item", `var f=document.querySelector('#agenda details form'); f.kind.value='motion'; f.title.value='Plan de agua'; f.requestSubmit()`)
	item := eval(`String(document.querySelectorAll('#agenda ol.agenda > li').length)`)
	click("open the item", `button[data-open-item="`+item+`"]`)
	for i, kind := range []string{"for", "against"} {
		act("ask for the floor", fmt.Sprintf(`var f=document.querySelector('#request-speech').form; f.kind.value='%s'; f.seat.selectedIndex=%d; f.requestSubmit()`, kind, i))
	}
	click("next speaker", `#next-speaker`)
	if got := text(t, ctx, `#speaking`); got == "" {
		t.Errorf("nobody has the floor after next speaker")
	}

	// A motion needing ⅔ of those present, with an amendment voted first.
	act("submit a motion", `var f=document.querySelector('#submit-motion').form; f.title.value='Reparar la tubería'; f.text.value='Reparar la tubería del sector.\n\nInformar al banco comunal.'; f.majority.value='two-thirds-present'; f.requestSubmit()`)
	act("amend it", `var f=document.querySelector('button[data-add-amendment="1"]').form; f.kind.value='insert'; f.paragraph.value='1'; f.text.value='Con la mesa técnica de agua.'; f.requestSubmit()`)
	act("vote the amendment", `var b=document.querySelector('button[data-vote-amendment="1-1"]'); b.form.method.value='show-of-hands'; b.click()`)
	act("enter its totals", `var f=document.querySelector('#vote input[name=for]').form; f.for.value='9'; f.against.value='3'; f.requestSubmit()`)
	click("close the vote", `#close-vote`)
	if got := text(t, ctx, `#motion-1`); !strings.Contains(got, "Con la mesa técnica de agua.") {
		t.Fatalf("the motion after its amendment passed shows %q, want the merged text", got)
	}

	rollCall := func(motion string, against int) string {
		t.Helper()
		click("open the roll call", `button[data-vote-motion="`+motion+`"]`)
		for i := 0; ; i++ {
			choice := "for"
			if i < against {
				choice = "against"
			}
			sel := eval(`(function(){var b=document.querySelector('button[data-vote$="-` + choice + `"]'); return b ? '[data-vote="'+b.dataset.vote+'"]' : ""})()`)
			if sel == "" {
				break
			}
			click("vote", `button`+strings.ReplaceAll(sel, `"`, `\"`))
		}
		click("close the roll call", `#close-vote`)
		return text(t, ctx, `#votes ol li:first-child`)
	}
	// 12 present: ⅔ needs 8; 7 for and 5 against fails.
	if got := rollCall("1", 5); !strings.Contains(got, "Failed") || !strings.Contains(got, "two thirds of the 12 members present, 8 votes for") {
		t.Errorf("the ⅔ roll call = %q, want it failed needing 8 of 12", got)
	}
	act("submit a second motion", `var f=document.querySelector('#submit-motion').form; f.title.value='Jornada de limpieza'; f.text.value='Convocar una jornada de limpieza.'; f.requestSubmit()`)
	if got := rollCall("2", 5); !strings.Contains(got, "Passed") || !strings.Contains(got, "Simple majority") {
		t.Errorf("the simple-majority roll call = %q, want it passed", got)
	}

	// Close; the minutes are drafted, then published.
	click("close the session", `#close-session`)
	do("open the minutes", chromedp.Navigate(session+"/minutes"), chromedp.WaitVisible(`#minutes-text`))
	minutes := text(t, ctx, `#minutes-text`)
	for _, want := range []string{"ACTA", "Reparar la tubería", "Jornada de limpieza", "Mayoría calificada"} {
		if !strings.Contains(minutes, want) {
			t.Errorf("the draft minutes lack %q:\n%s", want, minutes)
		}
	}
	do("publish them", chromedp.Click(`#publish-minutes`), chromedp.WaitNotPresent(`#publish-minutes`))

	// The next session approves them as its first item.
	do("convene the next session", chromedp.Navigate(base+"/organs/1"), chromedp.Submit(`form[action="/organs/1/sessions"] button`), chromedp.WaitVisible(`#open-session`))
	next, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	do("open it", chromedp.Click(`#open-session`), chromedp.WaitVisible(`#attendance`))
	for i := 0; i < 12; i++ {
		click("mark present", `#attendance button[value="on"][data-role="principal"]`)
	}
	if got := text(t, ctx, `#agenda ol.agenda > li:first-child`); !strings.Contains(got, "Approval of the minutes") { // the minutes come first
		t.Fatalf("the first item of the next session = %q, want the approval of the minutes", got)
	}
	click("vote the minutes", fmt.Sprintf(`button[data-minutes-of="%d"]`, sessions.Sessions[0].ID))
	act("enter the totals", `var f=document.querySelector('#vote input[name=for]').form; f.for.value='12'; f.against.value='0'; f.requestSubmit()`)
	click("close the vote", `#close-vote`)
	do("see the approved minutes", chromedp.Navigate(session+"/minutes"), chromedp.WaitVisible(`#minutes-status`))
	if got := text(t, ctx, `#minutes-status`); !strings.Contains(strings.ToLower(got), "approved") {
		t.Fatalf("minutes status after the vote = %q, want approved", got)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('textarea[name=text]').length`)); n != 0 {
		t.Errorf("approved minutes still offer an edit form")
	}
	logLink := eval(`document.querySelector('main a[href^="/log/record/"]').getAttribute('href')`)
	body := getText(t, base+logLink)
	if !strings.Contains(body, "comuna minutes v1") || !strings.Contains(body, "Reparar la tubería") {
		t.Errorf("log record %s = %.300q, want the approved minutes", logLink, body)
	}
	t.Logf("next session at %s", next)
}

// getText returns the body of a GET of url.
func getText(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, %v", url, resp.StatusCode, err)
	}
	return string(b)
}
