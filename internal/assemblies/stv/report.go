package stv

// Report is a result with candidates by name, ready for JSON: the shape of
// `comuna count --json`, of the election pages' API and of the
// transparency-log record of an election.
type Report struct {
	Rule       Rule          `json:"rule"`
	Seats      int           `json:"seats"`
	Quota      string        `json:"quota"`
	Elected    []string      `json:"elected"`
	Alternates []string      `json:"alternates,omitempty"`
	Ties       []string      `json:"ties,omitempty"`
	Rounds     []ReportRound `json:"rounds"`
}

// ReportRound is one round of a Report.
type ReportRound struct {
	Round     int              `json:"round"`
	Action    string           `json:"action"`
	Candidate string           `json:"candidate,omitempty"`
	Quota     string           `json:"quota,omitempty"`
	Votes     []CandidateVotes `json:"votes"`
	Exhausted string           `json:"exhausted,omitempty"`
	Elected   []string         `json:"elected,omitempty"`
	Excluded  []string         `json:"excluded,omitempty"`
}

// CandidateVotes is one candidate's votes at the end of a round and the
// change from the round before.
type CandidateVotes struct {
	Name     string `json:"name"`
	Votes    string `json:"votes"`
	Transfer string `json:"transfer,omitempty"`
}

// Report names the result's candidates. Withdrawn candidates are left out
// of the rounds.
func (r *Result) Report(names []string) Report {
	nm := func(cs []int) []string {
		out := make([]string, 0, len(cs))
		for _, c := range cs {
			out = append(out, names[c])
		}
		return out
	}
	rep := Report{Rule: r.Rule, Seats: r.Seats, Quota: r.Quota, Elected: nm(r.Elected), Ties: r.Ties}
	if len(r.Alternates) > 0 {
		rep.Alternates = nm(r.Alternates)
	}
	rep.Rounds = make([]ReportRound, 0, len(r.Rounds))
	for _, rd := range r.Rounds {
		rr := ReportRound{Round: rd.Number, Action: rd.Action, Quota: rd.Quota, Exhausted: rd.Exhausted}
		if rd.Candidate >= 0 {
			rr.Candidate = names[rd.Candidate]
		}
		if len(rd.Elected) > 0 {
			rr.Elected = nm(rd.Elected)
		}
		if len(rd.Excluded) > 0 {
			rr.Excluded = nm(rd.Excluded)
		}
		for c, v := range rd.Votes {
			if v == "" {
				continue
			}
			cv := CandidateVotes{Name: names[c], Votes: v}
			if c < len(rd.Transfers) {
				cv.Transfer = rd.Transfers[c]
			}
			rr.Votes = append(rr.Votes, cv)
		}
		rep.Rounds = append(rep.Rounds, rr)
	}
	return rep
}
