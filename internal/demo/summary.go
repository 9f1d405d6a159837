package demo

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// WriteText writes the summary for a person: what was loaded, in how
// long, and the demo logins with their passwords.
func (s *Summary) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Loaded the %s demo in %s.\n\nTerritory:", s.Scale, s.Elapsed.Round(100*time.Millisecond))
	for i, l := range comuna.Levels {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, " %s %s", thousands(int64(s.Units[l])), levelPlural(l, s.Units[l]))
	}
	fmt.Fprintf(&b, "; %s residents aged 15+.\n\nRounds:\n", thousands(s.Census))
	for _, r := range s.Rounds {
		fmt.Fprintf(&b, "  #%d %s (vote %s), phase %s: %s proposals", r.ID, r.Name, r.VoteDate.Format("2006-01-02"), r.Phase, thousands(int64(r.Proposals)))
		if r.Accepted+r.Rejected > 0 {
			fmt.Fprintf(&b, " (%s accepted, %s rejected)", thousands(int64(r.Accepted)), thousands(int64(r.Rejected)))
		}
		if r.Submitted > 0 && r.Submitted == r.Proposals {
			b.WriteString(" awaiting review")
		}
		if r.Ballots > 0 {
			fmt.Fprintf(&b, ", %s published ballots", thousands(int64(r.Ballots)))
		}
		b.WriteString("\n")
	}
	if f := s.Federation; f != nil {
		fmt.Fprintf(&b, "\nFederation #%d %s: %d members, a congress, statutes under amendment, a board elected by STV; an election open to the delegates, whose credential codes are:\n", f.ID, f.Name, f.Members)
		for _, c := range f.Codes {
			fmt.Fprintf(&b, "  %s  %s\n", c.Code, c.Name)
		}
	}
	b.WriteString("\nDemo logins (public passwords: never use them for real):\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  USERNAME\tPASSWORD\tROLE\tSCOPE")
	for _, l := range s.Logins {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", l.Username, l.Password, l.Role, l.Scope)
	}
	tw.Flush()
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n"))
	return err
}

func levelPlural(l comuna.Level, n int) string {
	if n == 1 {
		return string(l)
	}
	switch l {
	case comuna.LevelParish:
		return "parishes"
	case comuna.LevelMunicipality:
		return "municipalities"
	}
	return string(l) + "s"
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
