// Package progress draws a progress bar for long jobs such as imports and
// the demo load. On a terminal it redraws one line in place; anywhere else
// (a log file, a CI job) it prints a plain line every few seconds and one at
// the end, so logs stay short.
package progress

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Bar reports how far a job has come. Its methods are safe for concurrent
// use; a nil *Bar ignores every call, so callers need not check.
type Bar struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	label    string
	total    int64 // 0 or less: unknown
	done     int64
	start    time.Time
	last     time.Time // last time a line was drawn
	lastLen  int       // width of the last line drawn on a terminal
	drawn    bool      // something of this stage is on the screen
	active   bool      // the stage has had an update
	finished bool
	width    int // width of the bar itself, in cells
	every    time.Duration
	now      func() time.Time
}

// Intervals between updates: a terminal redraws often enough to look
// alive, a log gets one line every few seconds.
const (
	ttyInterval   = 100 * time.Millisecond
	plainInterval = 5 * time.Second
)

// New returns a bar writing to w, labelled label, for a job of total steps
// (0 or less when the total is unknown). It redraws in place when w is a
// terminal.
func New(w io.Writer, label string, total int64) *Bar {
	return newBar(w, IsTerminal(w), label, total, time.Now)
}

func newBar(w io.Writer, tty bool, label string, total int64, now func() time.Time) *Bar {
	b := &Bar{w: w, tty: tty, label: label, total: total, width: 30, now: now}
	b.every = plainInterval
	if tty {
		b.every = ttyInterval
	}
	b.start = now()
	return b
}

// IsTerminal reports whether w is a character device such as a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Set records that n steps are done.
func (b *Bar) Set(n int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done = n
	b.maybeDraw()
}

// Add records n more steps done.
func (b *Bar) Add(n int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done += n
	b.maybeDraw()
}

// SetTotal changes the total, for jobs that learn it as they go.
func (b *Bar) SetTotal(total int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.total = total
}

// Stage finishes the current stage, if it had any update, and starts a new
// stage with its own label, total and clock. It lets one bar follow a job
// of several steps.
func (b *Bar) Stage(label string, total int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.active && !b.finished {
		b.finish()
	}
	b.label, b.total, b.done = label, total, 0
	b.start, b.last = b.now(), time.Time{}
	b.drawn, b.active, b.finished, b.lastLen = false, false, false, 0
}

// Finish draws the final state and ends the line. Later calls do nothing
// until the next Stage.
func (b *Bar) Finish() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.finished {
		b.finish()
	}
}

func (b *Bar) finish() {
	b.finished = true
	if b.tty {
		b.drawTTY()
		io.WriteString(b.w, "\n")
		return
	}
	elapsed := b.now().Sub(b.start)
	fmt.Fprintf(b.w, "%s: done, %s in %s%s\n", b.label, count(b.done), duration(elapsed), rate(b.done, elapsed))
}

// maybeDraw draws when enough time has passed since the last line. The
// first update of a stage on a terminal draws at once; in a log it waits
// for the interval, so short stages print only their final line.
func (b *Bar) maybeDraw() {
	if b.finished {
		return
	}
	b.active = true
	now := b.now()
	if b.last.IsZero() {
		if !b.tty {
			b.last = b.start
		}
	}
	if !b.last.IsZero() && now.Sub(b.last) < b.every {
		return
	}
	b.last = now
	if b.tty {
		b.drawTTY()
		return
	}
	b.drawn = true
	elapsed := now.Sub(b.start)
	if b.total > 0 {
		fmt.Fprintf(b.w, "%s: %s/%s (%d%%)%s, %s\n", b.label, count(b.done), count(b.total), percent(b.done, b.total), rate(b.done, elapsed), duration(elapsed))
	} else {
		fmt.Fprintf(b.w, "%s: %s%s, %s\n", b.label, count(b.done), rate(b.done, elapsed), duration(elapsed))
	}
}

// drawTTY redraws the line in place: label, bar, count/total, percent,
// rate and elapsed time.
func (b *Bar) drawTTY() {
	b.drawn = true
	elapsed := b.now().Sub(b.start)
	var s strings.Builder
	s.WriteString(b.label)
	s.WriteByte(' ')
	if b.total > 0 {
		fill := int(int64(b.width) * min(b.done, b.total) / b.total)
		s.WriteByte('[')
		s.WriteString(strings.Repeat("=", fill))
		if fill < b.width {
			s.WriteByte('>')
			s.WriteString(strings.Repeat(" ", b.width-fill-1))
		}
		s.WriteString("] ")
		fmt.Fprintf(&s, "%s/%s %3d%%", count(b.done), count(b.total), percent(b.done, b.total))
	} else {
		s.WriteString(count(b.done))
	}
	s.WriteString(rate(b.done, elapsed))
	s.WriteString(" ")
	s.WriteString(duration(elapsed))
	line := s.String()
	pad := b.lastLen - len(line)
	b.lastLen = len(line)
	if pad > 0 {
		line += strings.Repeat(" ", pad)
	}
	io.WriteString(b.w, "\r"+line)
}

func percent(done, total int64) int64 {
	if total <= 0 {
		return 0
	}
	return min(100, done*100/total)
}

// rate formats the steps per second, or nothing before a rate makes sense.
func rate(done int64, elapsed time.Duration) string {
	if elapsed < 100*time.Millisecond || done <= 0 {
		return ""
	}
	r := float64(done) / elapsed.Seconds()
	if r < 10 {
		return fmt.Sprintf("  %.1f/s", r)
	}
	return "  " + count(int64(r)) + "/s"
}

// duration formats elapsed time as m:ss, or with tenths under ten seconds.
func duration(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	s := int64(d / time.Second)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// count formats n with thousands separators.
func count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
