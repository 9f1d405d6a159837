// Package counting is Comuna's application layer for what follows from a
// round's count: the live results at every level, what each circuit
// funds, and the audits of the paper. Each use case combines several
// reads of the store (sheets, poll-book counters, ballots, hand counts)
// that the web server and the command line would otherwise each put
// together their own way; both call these instead.
//
// A Service works over the concrete SQL store (internal/sqlstore), which
// both backends return, so no caller narrows a wider interface at run
// time. internal/cli builds one per process and hands it to the web
// server.
package counting

import (
	"sync"

	"github.com/comuna/comuna/internal/sqlstore"
)

// Service runs the counting use cases over one store. It caches what
// never changes under a round once voting has started (its territory
// index and published ballots) and the last computation of each round's
// results. Create it with New; it is safe for concurrent use.
type Service struct {
	db      *sqlstore.DB
	mu      sync.Mutex
	results map[int64]*resultsEntry // by round
}

// New returns the counting use cases over db.
func New(db *sqlstore.DB) *Service {
	return &Service{db: db, results: map[int64]*resultsEntry{}}
}
