package pabulib

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Write writes f in the pabulib format. The project_id and cost columns are
// written from Project.ID and Project.Cost, and the voter_id, vote and points
// columns from the Vote fields; every other column is written as read. Fields
// that hold a semicolon, a quote or a line break are quoted.
func Write(w io.Writer, f *File) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	eol := "\n"
	if f.CRLF {
		eol = "\r\n"
	}
	rec := func(fields []string) {
		for i, s := range fields {
			if i > 0 {
				bw.WriteByte(';')
			}
			writeField(bw, s)
		}
		bw.WriteString(eol)
	}
	bw.WriteString("META" + eol)
	rec([]string{"key", "value"})
	for _, kv := range f.Meta {
		rec([]string{kv.Key, kv.Value})
	}
	bw.WriteString("PROJECTS" + eol)
	rec(f.ProjectColumns)
	row := make([]string, len(f.ProjectColumns))
	for i := range f.Projects {
		p := &f.Projects[i]
		if len(p.Fields) != len(f.ProjectColumns) {
			return fmt.Errorf("pabulib: project %q has %d fields for %d columns", p.ID, len(p.Fields), len(f.ProjectColumns))
		}
		copy(row, p.Fields)
		for c, name := range f.ProjectColumns {
			switch strings.ToLower(name) {
			case "project_id":
				row[c] = p.ID
			case "cost":
				if p.Cost != nil {
					if old, err := parseDecimal(p.Fields[c]); err != nil || old.Cmp(p.Cost) != 0 {
						row[c] = FormatDecimal(p.Cost)
					}
				}
			}
		}
		rec(row)
	}
	bw.WriteString("VOTES" + eol)
	rec(f.VoteColumns)
	row = make([]string, len(f.VoteColumns))
	var sb strings.Builder
	for i := range f.Votes {
		v := &f.Votes[i]
		if len(v.Fields) != len(f.VoteColumns) {
			return fmt.Errorf("pabulib: voter %q has %d fields for %d columns", v.VoterID, len(v.Fields), len(f.VoteColumns))
		}
		copy(row, v.Fields)
		for c, name := range f.VoteColumns {
			switch strings.ToLower(name) {
			case "voter_id":
				row[c] = v.VoterID
			case "vote":
				sb.Reset()
				for k, j := range v.Ballot {
					if k > 0 {
						sb.WriteByte(',')
					}
					sb.WriteString(f.Projects[j].ID)
				}
				row[c] = sb.String()
			case "points":
				sb.Reset()
				for k, x := range v.Points {
					if k > 0 {
						sb.WriteByte(',')
					}
					sb.WriteString(strconv.FormatInt(x, 10))
				}
				row[c] = sb.String()
			}
		}
		rec(row)
	}
	return bw.Flush()
}

func writeField(bw *bufio.Writer, s string) {
	if !strings.ContainsAny(s, ";\"\r\n") {
		bw.WriteString(s)
		return
	}
	bw.WriteByte('"')
	bw.WriteString(strings.ReplaceAll(s, `"`, `""`))
	bw.WriteByte('"')
}
