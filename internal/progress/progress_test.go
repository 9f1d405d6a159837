package progress

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a fake time source the tests move by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                   { return &clock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)} }
func plain(buf *bytes.Buffer, c *clock, label string, total int64) *Bar {
	return newBar(buf, false, label, total, c.now)
}

func TestPlainPrintsEveryFewSecondsAndAtTheEnd(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := plain(&buf, c, "units", 1000)
	for i := 0; i < 10; i++ {
		c.advance(time.Second)
		b.Add(100)
	}
	b.Finish()
	b.Finish() // a second Finish prints nothing
	got := buf.String()
	want := "units: 500/1,000 (50%)  100/s, 5.0s\n" +
		"units: 1,000/1,000 (100%)  100/s, 0:10\n" +
		"units: done, 1,000 in 0:10  100/s\n"
	if got != want {
		t.Errorf("plain output:\ngot  %q\nwant %q", got, want)
	}
}

func TestPlainUnknownTotal(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := plain(&buf, c, "rows", 0)
	c.advance(6 * time.Second)
	b.Set(1200)
	b.Finish()
	want := "rows: 1,200  200/s, 6.0s\nrows: done, 1,200 in 6.0s  200/s\n"
	if got := buf.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestShortJobPrintsOnlyTheFinalLine(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := plain(&buf, c, "users", 6)
	for i := 0; i < 6; i++ {
		b.Add(1)
	}
	b.Finish()
	if got, want := buf.String(), "users: done, 6 in 0.0s\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTerminalRedrawsOneLine(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := newBar(&buf, true, "circuits", 10, c.now)
	b.width = 10
	b.Set(5)                   // drawn at once
	b.Set(6)                   // too soon: skipped
	c.advance(2 * time.Second) // now it redraws
	b.Set(10)
	b.Finish()
	got := buf.String()
	want := "\rcircuits [=====>    ] 5/10  50% 0.0s" +
		"\rcircuits [==========] 10/10 100%  5.0/s 2.0s" +
		"\rcircuits [==========] 10/10 100%  5.0/s 2.0s\n"
	if got != want {
		t.Errorf("terminal output:\ngot  %q\nwant %q", got, want)
	}
	if strings.Count(got, "\n") != 1 {
		t.Errorf("terminal output has %d newlines, want 1", strings.Count(got, "\n"))
	}
}

func TestTerminalPadsAShorterLine(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := newBar(&buf, true, "a-long-label", 0, c.now)
	b.Set(123456)
	b.Stage("x", 0)
	b.Set(1)
	got := buf.String()
	lines := strings.Split(got, "\n")
	if len(lines) != 2 {
		t.Fatalf("got %q, want two lines", got)
	}
	if want := "\rx 1 0.0s"; lines[1] != want {
		t.Errorf("second stage line = %q, want %q", lines[1], want)
	}
}

func TestStageStartsAfresh(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := plain(&buf, c, "one", 2)
	c.advance(6 * time.Second)
	b.Set(1)
	b.Stage("two", 3)
	c.advance(time.Second)
	b.Set(3)
	b.Finish()
	want := "one: 1/2 (50%)  0.2/s, 6.0s\n" +
		"one: done, 1 in 6.0s  0.2/s\n" +
		"two: done, 3 in 1.0s  3.0/s\n"
	if got := buf.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestNilBarIsANoOp(t *testing.T) {
	var b *Bar
	b.Set(1)
	b.Add(1)
	b.SetTotal(2)
	b.Stage("x", 1)
	b.Finish()
}

func TestConcurrentUse(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, "parallel", 8000)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				b.Add(1)
			}
		}()
	}
	wg.Wait()
	b.Finish()
	if !strings.Contains(buf.String(), "done, 8,000 in") {
		t.Errorf("got %q, want the final count 8,000", buf.String())
	}
}

func TestIsTerminal(t *testing.T) {
	if IsTerminal(&bytes.Buffer{}) {
		t.Error("IsTerminal(buffer) = true, want false")
	}
}

func TestCount(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {21000000, "21,000,000"}, {-1234, "-1,234"}} {
		if got := count(tt.n); got != tt.want {
			t.Errorf("count(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestStagesEachEndWithALine(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := plain(&buf, c, "", 0)
	b.Stage("territory", 10) // nothing happened before: nothing printed
	b.Set(10)
	b.Stage("accounts", 6)
	b.Set(6)
	b.Stage("rounds", 3) // no update: no line
	b.Stage("ballots", 2)
	b.Set(2)
	b.Finish()
	want := "territory: done, 10 in 0.0s\naccounts: done, 6 in 0.0s\nballots: done, 2 in 0.0s\n"
	if got := buf.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
