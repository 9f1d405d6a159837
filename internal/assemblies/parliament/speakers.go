package parliament

import "time"

// SpeechKind is what a member asks the floor for.
type SpeechKind string

// Speech kinds. A point of order goes before the queue.
const (
	SpeechFor          SpeechKind = "for"
	SpeechAgainst      SpeechKind = "against"
	SpeechPointOfOrder SpeechKind = "point-of-order"
	SpeechQuestion     SpeechKind = "question"
)

// Valid reports whether k is a known kind.
func (k SpeechKind) Valid() bool {
	return k == SpeechFor || k == SpeechAgainst || k == SpeechPointOfOrder || k == SpeechQuestion
}

// Speech statuses.
const (
	SpeechWaiting   = "waiting"
	SpeechSpeaking  = "speaking"
	SpeechDone      = "done"
	SpeechWithdrawn = "withdrawn"
)

// AlternateByGender is the alternation rule that gives the floor, when it
// can, to someone of another gender than the last speaker.
const AlternateByGender = "gender"

// Speech is one request for the floor.
type Speech struct {
	ID      int        `json:"id"`
	SeatID  int64      `json:"seat"`
	Name    string     `json:"name"`
	Gender  string     `json:"gender,omitempty"`
	Kind    SpeechKind `json:"kind"`
	Status  string     `json:"status"`
	Started time.Time  `json:"started,omitzero"`
	Ended   time.Time  `json:"ended,omitzero"`
}

// Speakers is an agenda item's speakers list with its rules.
type Speakers struct {
	TimeLimit int      `json:"time_limit,omitempty"` // seconds per speech, 0 for none
	Alternate string   `json:"alternate,omitempty"`  // "" or AlternateByGender
	Speeches  []Speech `json:"speeches,omitempty"`
}

// Current returns the index of the speech in progress, or -1.
func (l *Speakers) Current() int {
	for i, s := range l.Speeches {
		if s.Status == SpeechSpeaking {
			return i
		}
	}
	return -1
}

// Queue returns the indexes of waiting speeches in the order they will
// speak under the list's rules.
func (l *Speakers) Queue() []int {
	c := *l
	c.Speeches = append([]Speech(nil), l.Speeches...)
	var out []int
	for {
		i := c.next()
		if i < 0 {
			return out
		}
		out = append(out, i)
		c.Speeches[i].Status = SpeechDone
		c.Speeches[i].Started = time.Date(9999, 1, 1, 0, 0, len(out), 0, time.UTC) // order only
	}
}

// next picks the next speaker: the earliest point of order; else, under
// alternation, the earliest request of another gender than the last
// speaker's; else the earliest request.
func (l *Speakers) next() int {
	first, other := -1, -1
	last := ""
	var lastStart time.Time
	for _, s := range l.Speeches {
		if (s.Status == SpeechDone || s.Status == SpeechSpeaking) && s.Kind != SpeechPointOfOrder && !s.Started.Before(lastStart) {
			last, lastStart = s.Gender, s.Started
		}
	}
	for i, s := range l.Speeches {
		if s.Status != SpeechWaiting {
			continue
		}
		if s.Kind == SpeechPointOfOrder {
			return i
		}
		if first < 0 {
			first = i
		}
		if other < 0 && s.Gender != "" && last != "" && s.Gender != last {
			other = i
		}
	}
	if l.Alternate == AlternateByGender && other >= 0 {
		return other
	}
	return first
}
