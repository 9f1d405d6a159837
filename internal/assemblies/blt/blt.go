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

// Ballot is one ballot line: Weight identical ballots. Prefs lists the
// candidates in order of preference; Rank is nil unless the ballot ranks
// some candidates equally, and then gives each preference's rank (from 0,
// non-decreasing: "1 2=3 4" has Prefs 0 1 2 3 and Rank 0 1 1 2).
type Ballot struct {
	Weight int64
	Prefs  []int
	Rank   []int
	Line   int // the line of the file it came from (0 when built in code)
}

// HasEqualRanks reports whether the ballot ranks some candidates equally.
func (b Ballot) HasEqualRanks() bool { return b.Rank != nil }

// Ranks groups the preferences by rank.
func (b Ballot) Ranks() [][]int {
	var out [][]int
	for i, c := range b.Prefs {
		if i > 0 && b.Rank != nil && b.Rank[i] == b.Rank[i-1] {
			out[len(out)-1] = append(out[len(out)-1], c)
			continue
		}
		out = append(out, []int{c})
	}
	return out
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
	maxWeight     = 1_000_000_000
	maxFileSize   = 256 << 20
)

// atoi parses a whole number of at most 9 digits without allocating.
func atoi(s string) (int, bool) {
	if s == "" || len(s) > 10 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + int(d)
	}
	return n, true
}

// appendFields appends the space-separated words of s to dst.
func appendFields(dst []string, s string) []string {
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r') {
			i++
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '\r' {
			j++
		}
		if j > i {
			dst = append(dst, s[i:j])
		}
		i = j
	}
	return dst
}

func lineErr(line int, format string, args ...any) error {
	return &comuna.Error{Code: comuna.EInvalid, Line: line, Message: fmt.Sprintf(format, args...)}
}

// Read parses a BLT file. Errors name the line at fault.
func Read(r io.Reader) (*Election, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, lineErr(1, "the file is larger than %d bytes", maxFileSize)
	}
	text := string(data)
	lineNo := 0
	next := func() (string, bool) {
		for len(text) > 0 {
			var s string
			if i := strings.IndexByte(text, '\n'); i >= 0 {
				s, text = text[:i], text[i+1:]
			} else {
				s, text = text, ""
			}
			lineNo++
			s = strings.TrimSpace(s)
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
		n, ok := atoi(tok)
		if !ok || n < 1 || n > nc {
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
	seen := make([]int, nc) // the ballot number that last ranked each candidate
	var toks []string
	// one backing array for every ballot's preferences, sized from the file
	ints := make([]int, 0, len(text)/2+16)
	e.Ballots = make([]Ballot, 0, strings.Count(text, "\n")+1)
	for {
		if s == "0" {
			break
		}
		toks = appendFields(toks[:0], s)
		if strings.HasPrefix(toks[0], "(") { // an optional ballot id: (id) weight …
			toks = toks[1:]
			if len(toks) == 0 {
				return nil, lineErr(lineNo, "a ballot id with no ballot")
			}
		}
		if len(toks) < 2 {
			return nil, lineErr(lineNo, "want \"weight preferences… 0\", got %q", s)
		}
		w, ok := atoi(toks[0])
		if !ok || w > maxWeight {
			return nil, lineErr(lineNo, "ballot weight %q: want a whole number from 0 to %d", toks[0], maxWeight)
		}
		if toks[len(toks)-1] != "0" {
			return nil, lineErr(lineNo, "a ballot line must end with 0")
		}
		b := Ballot{Weight: int64(w), Line: lineNo}
		stamp := len(e.Ballots) + 1
		i0 := len(ints)
		equal := false
		for _, tok := range toks[1 : len(toks)-1] {
			if strings.IndexByte(tok, '=') >= 0 {
				equal = true
			}
			for tok != "" {
				part := tok
				if i := strings.IndexByte(tok, '='); i >= 0 {
					part, tok = tok[:i], tok[i+1:]
					if tok == "" {
						return nil, lineErr(lineNo, "an equal ranking %q with nothing after =", part+"=")
					}
				} else {
					tok = ""
				}
				c, err := parseCand(part, lineNo)
				if err != nil {
					return nil, err
				}
				if seen[c] == stamp {
					return nil, lineErr(lineNo, "the ballot ranks candidate %s twice", part)
				}
				seen[c] = stamp
				ints = append(ints, c)
			}
		}
		if len(ints) > i0 {
			b.Prefs = ints[i0:len(ints):len(ints)]
		}
		if equal {
			b.Rank = make([]int, 0, len(b.Prefs))
			for rank, tok := range toks[1 : len(toks)-1] {
				for range strings.Count(tok, "=") + 1 {
					b.Rank = append(b.Rank, rank)
				}
			}
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
		for _, r := range b.Ranks() {
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
