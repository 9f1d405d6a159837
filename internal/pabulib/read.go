package pabulib

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"unsafe"
)

// maxInput bounds what Read accepts, so a hostile stream cannot exhaust
// memory; the largest real pabulib files are a few tens of megabytes.
const maxInput = 1 << 30

// Read parses a pabulib file. Errors are *Error values naming the line and,
// where it applies, the field.
func Read(r io.Reader) (*File, error) {
	var buf bytes.Buffer
	if s, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := s.Stat(); err == nil && fi.Size() > 0 && fi.Size() <= maxInput {
			buf.Grow(int(fi.Size()) + bytes.MinRead)
		}
	} else if l, ok := r.(interface{ Len() int }); ok {
		buf.Grow(l.Len() + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, maxInput+1)); err != nil {
		return nil, err
	}
	if buf.Len() > maxInput {
		return nil, errors.New("pabulib: input larger than 1 GiB")
	}
	data := buf.Bytes()
	if len(data) == 0 {
		return parse("")
	}
	// The buffer is never written again, so the parsed strings may share it.
	return parse(unsafe.String(&data[0], len(data)))
}

// section names the part of the file being read.
type section int

const (
	secNone section = iota
	secMeta
	secProjects
	secVotes
)

// parser holds the state of one Read. Unquoted fields are substrings of the
// input, so the bulk of a file is parsed without copying.
type parser struct {
	sc      scanner
	f       *File
	byID    map[string]int
	arena   []string // backing store for Vote.Fields
	ints    []int    // backing store for Vote.Ballot
	points  []int64  // backing store for Vote.Points
	voteCol int
	ptsCol  int
	idCol   int
}

func parse(s string) (*File, error) {
	s = strings.TrimPrefix(s, "\ufeff")
	p := &parser{sc: scanner{s: s, line: 1}, f: &File{}, voteCol: -1, ptsCol: -1, idCol: -1}
	p.f.CRLF = strings.Contains(s[:min(len(s), 4096)], "\r\n")
	sec := secNone
	var header []string
	needHeader := false
	var rec []string
	seen := map[section]bool{}
	for {
		line := p.sc.line
		var ok bool
		var err error
		rec, ok, err = p.sc.record(rec[:0])
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) == 1 {
			name := strings.ToUpper(strings.TrimSpace(rec[0]))
			next := secNone
			switch name {
			case "META":
				next = secMeta
			case "PROJECTS":
				next = secProjects
			case "VOTES":
				next = secVotes
			}
			if next != secNone {
				if seen[next] {
					return nil, &Error{Line: line, Err: fmt.Errorf("section %s repeated", name)}
				}
				if needHeader {
					return nil, &Error{Line: line, Err: errors.New("section without header row")}
				}
				seen[next] = true
				sec = next
				needHeader = true
				continue
			}
		}
		if sec == secNone {
			return nil, &Error{Line: line, Err: errors.New("expected a section name (META, PROJECTS or VOTES)")}
		}
		if needHeader {
			header = make([]string, len(rec))
			for i, h := range rec {
				header[i] = strings.TrimSpace(h)
			}
			if err := p.header(sec, header, line); err != nil {
				return nil, err
			}
			needHeader = false
			continue
		}
		if len(rec) != len(header) {
			return nil, &Error{Line: line, Err: fmt.Errorf("%d fields, header has %d", len(rec), len(header))}
		}
		var err2 error
		switch sec {
		case secMeta:
			p.f.Meta = append(p.f.Meta, KV{Key: strings.TrimSpace(rec[0]), Value: rec[1], Line: line})
		case secProjects:
			err2 = p.project(rec, line)
		case secVotes:
			err2 = p.vote(rec, line)
		}
		if err2 != nil {
			return nil, err2
		}
	}
	if needHeader {
		return nil, &Error{Line: p.sc.line, Err: errors.New("section without header row")}
	}
	for _, want := range []section{secMeta, secProjects, secVotes} {
		if !seen[want] {
			return nil, &Error{Line: p.sc.line, Err: fmt.Errorf("missing %s section", [...]string{"", "META", "PROJECTS", "VOTES"}[want])}
		}
	}
	return p.f, nil
}

func (p *parser) header(sec section, h []string, line int) error {
	col := func(name string) int {
		for i, c := range h {
			if strings.EqualFold(c, name) {
				return i
			}
		}
		return -1
	}
	switch sec {
	case secMeta:
		if len(h) != 2 {
			return &Error{Line: line, Err: fmt.Errorf("META header has %d columns, want key;value", len(h))}
		}
	case secProjects:
		p.f.ProjectColumns = h
		if col("project_id") != 0 {
			return &Error{Line: line, Field: "project_id", Err: errors.New("PROJECTS header must start with project_id")}
		}
		if col("cost") < 0 {
			return &Error{Line: line, Field: "cost", Err: errors.New("PROJECTS header has no cost column")}
		}
		p.byID = make(map[string]int)
	case secVotes:
		if p.byID == nil {
			return &Error{Line: line, Err: errors.New("VOTES section before PROJECTS")}
		}
		p.f.VoteColumns = h
		if col("voter_id") != 0 {
			return &Error{Line: line, Field: "voter_id", Err: errors.New("VOTES header must start with voter_id")}
		}
		p.voteCol = col("vote")
		if p.voteCol < 0 {
			return &Error{Line: line, Field: "vote", Err: errors.New("VOTES header has no vote column")}
		}
		p.ptsCol = col("points")
		p.f.Votes = make([]Vote, 0, strings.Count(p.sc.s[p.sc.pos:], "\n")+1)
	}
	return nil
}

func (p *parser) project(rec []string, line int) error {
	fields := append([]string(nil), rec...)
	id := strings.TrimSpace(fields[0])
	if id == "" {
		return &Error{Line: line, Field: "project_id", Err: errors.New("empty project id")}
	}
	if strings.ContainsAny(id, ",") {
		return &Error{Line: line, Field: "project_id", Err: fmt.Errorf("project id %q contains a comma", id)}
	}
	if _, dup := p.byID[id]; dup {
		return &Error{Line: line, Field: "project_id", Err: fmt.Errorf("project %q listed twice", id)}
	}
	costCol := 0
	for i, c := range p.f.ProjectColumns {
		if strings.EqualFold(c, "cost") {
			costCol = i
		}
	}
	cost, err := parseDecimal(fields[costCol])
	if err != nil {
		return &Error{Line: line, Field: "cost", Err: err}
	}
	if cost.Sign() < 0 {
		return &Error{Line: line, Field: "cost", Err: fmt.Errorf("negative cost %s", fields[costCol])}
	}
	p.byID[id] = len(p.f.Projects)
	p.f.Projects = append(p.f.Projects, Project{ID: id, Cost: cost, Fields: fields, Line: line})
	return nil
}

func (p *parser) vote(rec []string, line int) error {
	if len(p.arena)+len(rec) > cap(p.arena) {
		p.arena = make([]string, 0, max(4096, 4*len(rec)))
	}
	start := len(p.arena)
	p.arena = append(p.arena, rec...)
	fields := p.arena[start:len(p.arena):len(p.arena)]
	v := Vote{VoterID: strings.TrimSpace(fields[0]), Fields: fields, Line: line}
	ballot, err := p.ballot(fields[p.voteCol], line)
	if err != nil {
		return err
	}
	v.Ballot = ballot
	if p.ptsCol >= 0 {
		pts, err := p.pointList(fields[p.ptsCol], line)
		if err != nil {
			return err
		}
		if len(pts) != len(ballot) {
			return &Error{Line: line, Field: "points", Err: fmt.Errorf("%d points for %d projects", len(pts), len(ballot))}
		}
		v.Points = pts
	}
	p.f.Votes = append(p.f.Votes, v)
	return nil
}

func (p *parser) ballot(s string, line int) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return []int{}, nil
	}
	n := strings.Count(s, ",") + 1
	if len(p.ints)+n > cap(p.ints) {
		p.ints = make([]int, 0, max(8192, 2*n))
	}
	start := len(p.ints)
	for s != "" {
		var id string
		if i := strings.IndexByte(s, ','); i >= 0 {
			id, s = s[:i], s[i+1:]
		} else {
			id, s = s, ""
		}
		id = strings.TrimSpace(id)
		j, ok := p.byID[id]
		if !ok {
			return nil, &Error{Line: line, Field: "vote", Err: fmt.Errorf("unknown project %q", id)}
		}
		for _, k := range p.ints[start:] {
			if k == j {
				return nil, &Error{Line: line, Field: "vote", Err: fmt.Errorf("project %q listed twice", id)}
			}
		}
		p.ints = append(p.ints, j)
	}
	return p.ints[start:len(p.ints):len(p.ints)], nil
}

func (p *parser) pointList(s string, line int) ([]int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return []int64{}, nil
	}
	n := strings.Count(s, ",") + 1
	if len(p.points)+n > cap(p.points) {
		p.points = make([]int64, 0, max(8192, 2*n))
	}
	start := len(p.points)
	for s != "" {
		var t string
		if i := strings.IndexByte(s, ','); i >= 0 {
			t, s = s[:i], s[i+1:]
		} else {
			t, s = s, ""
		}
		t = strings.TrimSpace(t)
		x, err := strconv.ParseInt(t, 10, 64)
		if err != nil || x < -1e12 || x > 1e12 {
			if f, ferr := strconv.ParseFloat(t, 64); ferr == nil && f == float64(int64(f)) && f >= -1e12 && f <= 1e12 {
				x, err = int64(f), nil
			}
		}
		if err != nil || x < -1e12 || x > 1e12 {
			return nil, &Error{Line: line, Field: "points", Err: fmt.Errorf("invalid point value %q", t)}
		}
		p.points = append(p.points, x)
	}
	return p.points[start:len(p.points):len(p.points)], nil
}

// scanner splits the input into semicolon-separated records, honouring
// double quotes (which may hold ';', '""' and line breaks).
type scanner struct {
	s    string
	pos  int
	line int
}

// record appends the fields of the next record to rec. ok is false at the
// end of the input.
func (sc *scanner) record(rec []string) (fields []string, ok bool, err error) {
	if sc.pos >= len(sc.s) {
		return rec, false, nil
	}
	s := sc.s
	for {
		// One field starts at sc.pos.
		if sc.pos < len(s) && s[sc.pos] == '"' {
			startLine := sc.line
			var b strings.Builder
			i := sc.pos + 1
			for {
				j := strings.IndexByte(s[i:], '"')
				if j < 0 {
					return rec, false, &Error{Line: startLine, Err: errors.New("unterminated quoted field")}
				}
				chunk := s[i : i+j]
				sc.line += strings.Count(chunk, "\n")
				b.WriteString(chunk)
				i += j + 1
				if i < len(s) && s[i] == '"' {
					b.WriteByte('"')
					i++
					continue
				}
				break
			}
			rec = append(rec, b.String())
			sc.pos = i
			if sc.pos >= len(s) {
				return rec, true, nil
			}
			switch s[sc.pos] {
			case ';':
				sc.pos++
				continue
			case '\n':
				sc.pos++
				sc.line++
				return rec, true, nil
			case '\r':
				if sc.pos+1 < len(s) && s[sc.pos+1] == '\n' {
					sc.pos += 2
					sc.line++
					return rec, true, nil
				}
			}
			return rec, false, &Error{Line: sc.line, Err: errors.New("unexpected text after closing quote")}
		}
		// Unquoted field: up to ';' or end of line.
		i := sc.pos
		for i < len(s) && s[i] != ';' && s[i] != '\n' {
			i++
		}
		end := i
		if i >= len(s) || s[i] == '\n' {
			if end > sc.pos && s[end-1] == '\r' {
				end--
			}
		}
		field := s[sc.pos:end]
		if strings.IndexByte(field, '"') >= 0 {
			return rec, false, &Error{Line: sc.line, Err: errors.New("stray quote in unquoted field")}
		}
		rec = append(rec, field)
		if i >= len(s) {
			sc.pos = i
			return rec, true, nil
		}
		sc.pos = i + 1
		if s[i] == '\n' {
			sc.line++
			return rec, true, nil
		}
	}
}
