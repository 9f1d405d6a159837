package simulate

import (
	"bufio"
	"encoding/json"
	"io"
	"sync"
	"time"

	"github.com/comuna/comuna/internal/tally"
)

// AckRecord is one line of the acknowledgement log: a check-in the server
// accepted, or a tally-sheet entry it acknowledged. A durability test
// reads the log back and checks that the server still has every record.
type AckRecord struct {
	Kind           string       `json:"kind"` // "checkin" or "entry"
	Round          int64        `json:"round"`
	Table          string       `json:"table"`
	DocumentType   string       `json:"document_type,omitempty"`
	DocumentNumber string       `json:"document_number,omitempty"`
	BirthDate      string       `json:"birth_date,omitempty"`
	Key            string       `json:"key"`
	Entry          int          `json:"entry,omitempty"`  // 1 or 2: which person's entry
	Status         string       `json:"status,omitempty"` // the entry's answer: waiting or accepted
	Sheet          *tally.Sheet `json:"sheet,omitempty"`  // the sheet entered
}

// Ack-log kinds.
const (
	AckCheckIn = "checkin"
	AckEntry   = "entry"
)

// ackLog appends records as JSON lines, flushing every few milliseconds so
// that a reader following the file sees progress.
type ackLog struct {
	mu   sync.Mutex
	w    *bufio.Writer
	err  error
	stop chan struct{}
	done chan struct{}
}

func newAckLog(w io.Writer) *ackLog {
	if w == nil {
		return nil
	}
	l := &ackLog{w: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-t.C:
				l.mu.Lock()
				if err := l.w.Flush(); err != nil && l.err == nil {
					l.err = err
				}
				l.mu.Unlock()
			}
		}
	}()
	return l
}

// add appends one record; a nil log ignores it.
func (l *ackLog) add(r AckRecord) {
	if l == nil {
		return
	}
	b, _ := json.Marshal(r)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.w.Write(b)
	l.w.WriteByte('\n')
}

// close flushes what is left and reports the first write error.
func (l *ackLog) close() error {
	if l == nil {
		return nil
	}
	close(l.stop)
	<-l.done
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.w.Flush(); err != nil && l.err == nil {
		l.err = err
	}
	return l.err
}

// ReadAckLog parses an acknowledgement log.
func ReadAckLog(r io.Reader) ([]AckRecord, error) {
	var out []AckRecord
	dec := json.NewDecoder(r)
	for dec.More() {
		var rec AckRecord
		if err := dec.Decode(&rec); err != nil {
			return out, err
		}
		out = append(out, rec)
	}
	return out, nil
}
