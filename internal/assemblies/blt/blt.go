// Package blt reads and writes the BLT ballot format, the de-facto exchange
// format of single-transferable-vote counters:
//
//	candidates seats
//	-2                      (optional: withdraws candidate 2)
//	[nick a b c]            (optional: short names used on the ballot lines)
//	[tie c a b]             (optional: the tie-break order, earliest first)
//	weight pref1 pref2 ... 0   (one line per ballot group; b=c ranks two equally)
//	0
//	"Name of candidate 1"
//	...
//	"Title"
//
// Candidates are numbered from 1 in the file and from 0 in this package.
package blt

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

// Ballot is one ballot line: Weight identical ballots with the same ranking.
// Each rank holds one candidate, or several ranked equally.
type Ballot struct {
	Weight int64
	Ranks  [][]int
	Line   int // the line of the file it came from (0 when built in code)
}

// HasEqualRanks reports whether some rank of the ballot holds more than one
// candidate.
func (b Ballot) HasEqualRanks() bool {
	for _, r := range b.Ranks {
		if len(r) > 1 {
			return true
		}
	}
	return false
}

// Election is the content of a BLT file.
type Election struct {
	Seats     int
	Names     []string // one per candidate, as the file spells them
	Withdrawn []int    // candidate indices, in file order
	Nicks     []string // short names, when the file has a [nick] line
	Tie       []int    // tie-break order, when the file has a [tie] line
	Ballots   []Ballot
	Title     string
}

// Candidates is the number of candidates.
func (e *Election) Candidates() int { return len(e.Names) }

// IsWithdrawn reports whether candidate c is withdrawn.
func (e *Election) IsWithdrawn(c int) bool {
	for _, w := range e.Withdrawn {
		if w == c {
			return true
		}
	}
	return false
}

// TotalWeight is the number of ballots: the sum of every line's weight.
func (e *Election) TotalWeight() int64 {
	var n int64
	for _, b := range e.Ballots {
		n += b.Weight
	}
	return n
}

// maxCandidates and maxSeats bound what a file may declare, so a hostile
// header cannot make the reader allocate without limit.
const (
	maxCandidates = 10000
	maxWeight     = 1 << 40
)

func lineErr(line int, format string, args ...any) error {
	return &comuna.Error{Code: comuna.EInvalid, Line: line, Message: fmt.Sprintf(format, args...)}
}

// Read parses a BLT file. Errors name the line at fault.
func Read(r io.Reader) (*Election, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	lineNo := 0
	next := func() (string, bool) {
		for sc.Scan() {
			lineNo++
			s := strings.TrimSpace(sc.Text())
			if i := strings.IndexByte(s, '#'); i >= 0 && !strings.Contains(s[:i], "\"") {
				s = strings.TrimSpace(s[:i])
			}
			if s != "" {
				return s, true
			}
		}
		return "", false
	}
	e := &Election{}
	head, ok := next()
	if !ok {
		if err := sc.Err(); err != nil {
			return nil, err
		}
		return nil, lineErr(1, "empty file: want a first line \"candidates seats\"")
	}
	f := strings.Fields(head)
	if len(f) != 2 {
		return nil, lineErr(lineNo, "want \"candidates seats\", got %q", head)
	}
	nc, err1 := strconv.Atoi(f[0])
	ns, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || nc < 1 || ns < 1 {
		return nil, lineErr(lineNo, "want two positive whole numbers \"candidates seats\", got %q", head)
	}
	if nc > maxCandidates {
		return nil, lineErr(lineNo, "%d candidates is more than the %d this reader accepts", nc, maxCandidates)
	}
	if ns > nc {
		return nil, lineErr(lineNo, "%d seats for %d candidates", ns, nc)
	}
	e.Seats = ns
	nickIndex := map[string]int{}
	seenWithdrawn := make([]bool, nc)
	parseCand := func(tok string, line int) (int, error) {
		if e.Nicks != nil {
			if c, ok := nickIndex[tok]; ok {
				return c, nil
			}
		}
		n, err := strconv.Atoi(tok)
		if err != nil || n < 1 || n > nc {
			if e.Nicks != nil {
				return 0, lineErr(line, "%q is neither a candidate's nick nor a number from 1 to %d", tok, nc)
			}
			return 0, lineErr(line, "candidate %q: want a number from 1 to %d", tok, nc)
		}
		return n - 1, nil
	}
	var s string
	// withdrawn candidates and options
	for {
		s, ok = next()
		if !ok {
			return nil, lineErr(lineNo+1, "the file ends before the ballots' closing 0")
		}
		if strings.HasPrefix(s, "-") {
			for _, tok := range strings.Fields(s) {
				n, err := strconv.Atoi(tok)
				if err != nil || n >= 0 || -n > nc {
					return nil, lineErr(lineNo, "withdrawn candidate %q: want -N with N from 1 to %d", tok, nc)
				}
				if seenWithdrawn[-n-1] {
					return nil, lineErr(lineNo, "candidate %d withdrawn twice", -n)
				}
				seenWithdrawn[-n-1] = true
				e.Withdrawn = append(e.Withdrawn, -n-1)
			}
			continue
		}
		if strings.HasPrefix(s, "[") {
			if !strings.HasSuffix(s, "]") {
				return nil, lineErr(lineNo, "option %q has no closing ]", s)
			}
			of := strings.Fields(s[1 : len(s)-1])
			if len(of) == 0 {
				return nil, lineErr(lineNo, "empty option []")
			}
			switch of[0] {
			case "nick":
				if e.Nicks != nil {
					return nil, lineErr(lineNo, "a second [nick] line")
				}
				if len(of)-1 != nc {
					return nil, lineErr(lineNo, "[nick] gives %d names for %d candidates", len(of)-1, nc)
				}
				e.Nicks = of[1:]
				for i, n := range e.Nicks {
					if _, dup := nickIndex[n]; dup {
						return nil, lineErr(lineNo, "nick %q given twice", n)
					}
					nickIndex[n] = i
				}
			case "tie":
				if e.Tie != nil {
					return nil, lineErr(lineNo, "a second [tie] line")
				}
				if len(of)-1 != nc {
					return nil, lineErr(lineNo, "[tie] orders %d candidates, the file has %d", len(of)-1, nc)
				}
				seen := make([]bool, nc)
				for _, tok := range of[1:] {
					c, err := parseCand(tok, lineNo)
					if err != nil {
						return nil, err
					}
					if seen[c] {
						return nil, lineErr(lineNo, "[tie] names candidate %s twice", tok)
					}
					seen[c] = true
					e.Tie = append(e.Tie, c)
				}
			default:
				return nil, lineErr(lineNo, "unknown option [%s]: want [nick …] or [tie …]", of[0])
			}
			continue
		}
		break
	}
	// ballots, up to the closing 0
	for {
		if s == "0" {
			break
		}
		toks := strings.Fields(s)
		if strings.HasPrefix(toks[0], "(") { // an optional ballot id: (id) weight …
			toks = toks[1:]
			if len(toks) == 0 {
				return nil, lineErr(lineNo, "a ballot id with no ballot")
			}
		}
		w, err := strconv.ParseInt(toks[0], 10, 64)
		if err != nil || w < 0 || w > maxWeight {
			return nil, lineErr(lineNo, "ballot weight %q: want a whole number ≥ 0", toks[0])
		}
		if toks[len(toks)-1] != "0" {
			return nil, lineErr(lineNo, "a ballot line must end with 0")
		}
		b := Ballot{Weight: w, Line: lineNo}
		seen := map[int]bool{}
		for _, tok := range toks[1 : len(toks)-1] {
			var rank []int
			for _, part := range strings.Split(tok, "=") {
				c, err := parseCand(part, lineNo)
				if err != nil {
					return nil, err
				}
				if seen[c] {
					return nil, lineErr(lineNo, "the ballot ranks candidate %s twice", part)
				}
				seen[c] = true
				rank = append(rank, c)
			}
			b.Ranks = append(b.Ranks, rank)
		}
		e.Ballots = append(e.Ballots, b)
		s, ok = next()
		if !ok {
			return nil, lineErr(lineNo+1, "the file ends before the ballots' closing 0")
		}
	}
	// names and title: quoted strings, any number to a line
	var strs []string
	var strLines []int
	for {
		s, ok = next()
		if !ok {
			break
		}
		for len(s) > 0 {
			if s[0] != '"' {
				return nil, lineErr(lineNo, "want a quoted name, got %q", s)
			}
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				return nil, lineErr(lineNo, "a name with no closing quote")
			}
			strs = append(strs, normalizeName(s[1:1+end]))
			strLines = append(strLines, lineNo)
			s = strings.TrimSpace(s[2+end:])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(strs) < nc {
		return nil, lineErr(lineNo+1, "%d candidate names for %d candidates", len(strs), nc)
	}
	if len(strs) > nc+1 {
		return nil, lineErr(strLines[nc+1], "unexpected text after the title")
	}
	e.Names = strs[:nc]
	if len(strs) == nc+1 {
		e.Title = strs[nc]
	}
	return e, nil
}

// Write writes e in the BLT format. Read(Write(e)) gives e back.
func Write(w io.Writer, e *Election) error {
	bw := bufio.NewWriter(w)
	nc := len(e.Names)
	fmt.Fprintf(bw, "%d %d\n", nc, e.Seats)
	if len(e.Withdrawn) > 0 {
		for i, c := range e.Withdrawn {
			if i > 0 {
				bw.WriteByte(' ')
			}
			fmt.Fprintf(bw, "-%d", c+1)
		}
		bw.WriteByte('\n')
	}
	name := func(c int) string {
		if e.Nicks != nil {
			return e.Nicks[c]
		}
		return strconv.Itoa(c + 1)
	}
	if e.Nicks != nil {
		fmt.Fprintf(bw, "[nick %s]\n", strings.Join(e.Nicks, " "))
	}
	if e.Tie != nil {
		bw.WriteString("[tie")
		for _, c := range e.Tie {
			bw.WriteString(" " + name(c))
		}
		bw.WriteString("]\n")
	}
	for _, b := range e.Ballots {
		bw.WriteString(strconv.FormatInt(b.Weight, 10))
		for _, r := range b.Ranks {
			bw.WriteByte(' ')
			for i, c := range r {
				if i > 0 {
					bw.WriteByte('=')
				}
				bw.WriteString(name(c))
			}
		}
		bw.WriteString(" 0\n")
	}
	bw.WriteString("0\n")
	for _, n := range e.Names {
		bw.WriteString("\"" + strings.ReplaceAll(n, "\"", "'") + "\"\n")
	}
	bw.WriteString("\"" + strings.ReplaceAll(e.Title, "\"", "'") + "\"\n")
	return bw.Flush()
}

// normalizeName collapses each run of spaces inside a quoted name to one
// space, as the reference counter's reader does (it reads the file as
// whitespace-separated words): "Ellen   Hurcombe" is "Ellen Hurcombe" and
// "Kieran  Wild " is "Kieran Wild ".
func normalizeName(s string) string {
	q := strings.Join(strings.Fields("\""+s+"\""), " ")
	return q[1 : len(q)-1]
}
