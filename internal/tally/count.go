package tally

// Count adds up accepted tally sheets: of one circuit, or of any unit above
// (commune, parish, municipality, state, nation) by merging its circuits.
// Vote counts by ballot number only make sense within one circuit, whose
// ballot they index; above a circuit only the totals mean anything.
type Count struct {
	// Votes[i] counts ballots for ballot number i+1; it grows to the
	// longest sheet added.
	Votes          []int64
	Blank          int64
	Null           int64
	Cast           int64
	Received       int64
	Unused         int64
	TablesReported int
}

// Add counts one accepted sheet. The caller adds each table's current
// accepted version once; a correction replaces the earlier version by
// recounting, or by Sub then Add.
func (c *Count) Add(s Sheet) {
	c.apply(s, 1)
}

// Sub takes back a sheet added before, so that a corrected sheet can
// replace its earlier version in a running count.
func (c *Count) Sub(s Sheet) {
	c.apply(s, -1)
}

func (c *Count) apply(s Sheet, sign int64) {
	if n := len(s.Votes); n > len(c.Votes) {
		c.Votes = append(c.Votes, make([]int64, n-len(c.Votes))...)
	}
	for i, v := range s.Votes {
		c.Votes[i] += sign * v
	}
	c.Blank += sign * s.Blank
	c.Null += sign * s.Null
	c.Cast += sign * s.Cast
	c.Received += sign * s.Received
	c.Unused += sign * s.Unused
	c.TablesReported += int(sign)
}

// Merge adds another count's totals, for rolling circuits up to larger
// units. Votes by number are added position by position; they are
// meaningful only when both counts are of the same circuit.
func (c *Count) Merge(o Count) {
	if n := len(o.Votes); n > len(c.Votes) {
		c.Votes = append(c.Votes, make([]int64, n-len(c.Votes))...)
	}
	for i, v := range o.Votes {
		c.Votes[i] += v
	}
	c.Blank += o.Blank
	c.Null += o.Null
	c.Cast += o.Cast
	c.Received += o.Received
	c.Unused += o.Unused
	c.TablesReported += o.TablesReported
}

// Valid counts the ballots that chose a project.
func (c *Count) Valid() int64 {
	var n int64
	for _, v := range c.Votes {
		n += v
	}
	return n
}

// Turnout returns ballots cast per resident aged 15 and over in the census,
// from 0 to 1 (or above, if the census is out of date), and false when the
// census is unknown.
func (c *Count) Turnout(census int64) (float64, bool) {
	if census <= 0 {
		return 0, false
	}
	return float64(c.Cast) / float64(census), true
}

// ByCircuit adds up sheets by their circuit.
func ByCircuit(sheets []Sheet) map[string]*Count {
	out := make(map[string]*Count)
	for _, s := range sheets {
		c := out[s.Circuit]
		if c == nil {
			c = &Count{Votes: make([]int64, 0, len(s.Votes))}
			out[s.Circuit] = c
		}
		c.Add(s)
	}
	return out
}
