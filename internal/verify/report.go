package verify

import (
	"fmt"
	"io"
	"strings"
)

// maxListed bounds the mismatches a report lists one by one.
const maxListed = 200

// WriteText prints the report for people: the log verified, each round
// recomputed, then every mismatch, and a last line saying PASS or FAIL.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	if r.LogError != nil {
		fmt.Fprintf(&b, "log: FAILED (%s): %s\n", r.LogError.Problem, r.LogError.Err.Message)
		if len(r.LogError.Records) > 0 {
			fmt.Fprintf(&b, "records at fault: %s\n", joinInts(r.LogError.Records, maxListed))
		}
	} else {
		fmt.Fprintf(&b, "log %s: %d records, tree hash %s; signature, tiles and every record hash verified\n", r.Origin, r.Records, r.TreeHash)
	}
	for _, rr := range r.Rounds {
		if rr.Name == "" {
			fmt.Fprintf(&b, "round %d (%s): not voted yet, its rules are not in the log; %d ballots logged\n", rr.ID, orDash(rr.Phase), rr.Ballots)
			continue
		}
		fmt.Fprintf(&b, "round %d %q (%s): %d ballots, %d sheets (%d versions), %d circuits recomputed (%d final, %d projects funded), %d compared with the published results\n",
			rr.ID, rr.Name, orDash(rr.Phase), rr.Ballots, rr.Sheets, rr.Versions, rr.Circuits, rr.Final, rr.Funded, rr.Compared)
		fmt.Fprintf(&b, "  national totals from the log: %s\n", rr.Totals)
		if rr.Projects > 0 {
			fmt.Fprintf(&b, "  %d funded projects replayed from their logged entries (status, milestones, payments, findings)\n", rr.Projects)
		}
	}
	for _, f := range r.Federations {
		fmt.Fprintf(&b, "federation %d %q: %d entries replayed, %d documents approved, %d elections recounted from %d logged ballots\n",
			f.ID, f.Name, f.Entries, f.Documents, f.Elections, f.Ballots)
	}
	if n := len(r.Mismatches); n > 0 {
		fmt.Fprintf(&b, "%d mismatches:\n", n)
		for i, m := range r.Mismatches {
			if i == maxListed {
				fmt.Fprintf(&b, "  … and %d more\n", n-maxListed)
				break
			}
			fmt.Fprintf(&b, "  %s\n", m.Error())
		}
	}
	if r.OK() {
		b.WriteString("PASS: every result follows from the signed log\n")
	} else {
		b.WriteString("FAIL\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func joinInts(xs []int64, limit int) string {
	var s []string
	for i, x := range xs {
		if i == limit {
			s = append(s, fmt.Sprintf("… %d more", len(xs)-limit))
			break
		}
		s = append(s, fmt.Sprint(x))
	}
	return strings.Join(s, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
