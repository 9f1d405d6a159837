// Package web is Comuna's HTTP server: the HTML pages and the JSON API
// under /api/v1/, both over a comuna.Store. Every route is registered in
// one table with the action it needs; one middleware authenticates and
// authorizes, and one function maps errors to HTTP statuses.
package web

import (
	"context"
	"errors"
	"github.com/comuna/comuna/internal/assemblies/federation"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/comuna/comuna/internal/assemblies/parliament"
	"github.com/comuna/comuna/internal/audit"
	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/blob"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/counting"
	"github.com/comuna/comuna/internal/execution"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/voteday"
	"golang.org/x/mod/sumdb/note"
)

// Config is what the server needs from its caller.
type Config struct {
	// Store holds every record of the consultation itself.
	Store comuna.Store
	// Counting is the application layer for what follows from the count:
	// live results, each circuit's decision and audit reports. Required.
	Counting *counting.Service
	// Audits keeps the audits of the paper and their hand counts; nil
	// makes audit pages and endpoints answer 503 unavailable.
	Audits audit.Store
	// Logger receives request logs and internal errors; nil discards them.
	Logger *slog.Logger
	// SecureCookies marks cookies Secure; set it when serving over HTTPS.
	SecureCookies bool
	// SessionTTL is how long a login lasts; zero means 12 hours.
	SessionTTL time.Duration
	// LoginBurst and LoginPerMinute limit login attempts per client address
	// and per username; zero means 5 and 5.
	LoginBurst     int
	LoginPerMinute int
	// Now is the clock; nil means comuna.Now.
	Now func() time.Time
	// VoteDay keeps the poll book, tally sheets and their versions; nil
	// makes vote-day pages and endpoints answer 503 unavailable.
	VoteDay voteday.Store
	// PollBookKey is the electoral authority's key for hashing identity
	// documents; the store sees only the hashes. The zero key makes
	// check-ins answer 503 unavailable.
	PollBookKey pollbook.Key
	// Log serves the transparency log under /log/; nil makes those
	// endpoints answer 503 unavailable.
	Log LogStore
	// LogSigner signs the checkpoints served at /log/checkpoint; nil
	// makes that endpoint answer 503 while records and tiles are served.
	LogSigner note.Signer
	// Execution keeps funded projects and their histories; nil makes
	// those pages and endpoints answer 503 unavailable.
	Execution execution.Store
	// Federation keeps federations, their congresses and elections;
	// nil answers their pages 503.
	Federation federation.Store
	// Parliament keeps the organs of councils and communes, their
	// sessions, minutes and decisions; nil makes those pages answer 503.
	Parliament parliament.Store
	// Blobs keeps evidence files by content; nil makes uploads and the
	// files answer 503 unavailable.
	Blobs blob.Store
}

// Server serves Comuna's pages and API. Create it with New.
type Server struct {
	store      comuna.Store
	counting   *counting.Service
	audits     audit.Store
	log        *slog.Logger
	secure     bool
	sessionTTL time.Duration
	now        func() time.Time
	pages      map[string]*template.Template
	assets     *assets
	ipLimit    *auth.Limiter
	userLimit  *auth.Limiter
	origin     *http.CrossOriginProtection
	routes     []route
	handler    http.Handler
	voteday    voteday.Store
	pollKey    pollbook.Key
	rkeys      roundKeys
	pollLog    pollLog
	vd         *votedayCache
	tokens     tokenCache // API token → account, for tokenTTL
	tlog       LogStore
	logSigner  note.Signer
	exec       execution.Store
	fed        federation.Store
	parliament parliament.Store
	blobs      blob.Store
}

// New parses the templates and static assets once and builds the routes.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("web: Config.Store is nil")
	}
	if cfg.Counting == nil {
		return nil, errors.New("web: Config.Counting is nil (counting.New over the store)")
	}
	s := &Server{
		store:      cfg.Store,
		counting:   cfg.Counting,
		audits:     cfg.Audits,
		log:        cfg.Logger,
		secure:     cfg.SecureCookies,
		sessionTTL: cfg.SessionTTL,
		now:        cfg.Now,
		origin:     http.NewCrossOriginProtection(),
		voteday:    cfg.VoteDay,
		pollKey:    cfg.PollBookKey,
		vd:         newVotedayCache(),
		tlog:       cfg.Log,
		logSigner:  cfg.LogSigner,
		exec:       cfg.Execution,
		fed:        cfg.Federation,
		parliament: cfg.Parliament,
		blobs:      cfg.Blobs,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.sessionTTL == 0 {
		s.sessionTTL = 12 * time.Hour
	}
	if s.now == nil {
		s.now = comuna.Now
	}
	burst, per := cfg.LoginBurst, cfg.LoginPerMinute
	if burst == 0 {
		burst = 5
	}
	if per == 0 {
		per = 5
	}
	s.ipLimit = auth.NewLimiter(burst, per)
	s.userLimit = auth.NewLimiter(burst, per)
	s.ipLimit.Now, s.userLimit.Now = s.now, s.now
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	s.routes = s.routeTable()
	mux := http.NewServeMux()
	for i := range s.routes {
		rt := &s.routes[i]
		mux.Handle(rt.Method+" "+rt.Pattern, s.guard(rt))
	}
	mux.Handle("/", s.guard(&route{Action: comuna.ActionView, h: s.notFound}))
	mux.Handle("/api/", s.guard(&route{Action: comuna.ActionView, API: true, h: s.notFound}))
	s.handler = s.recoverPanics(s.logRequests(s.securityHeaders(mux)))
	return s, nil
}

// Handler returns the server's root handler.
func (s *Server) Handler() http.Handler { return s.handler }

// healthz answers 200 "ok" when the store answers, 503 otherwise.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.store.Ping(ctx); err != nil {
		s.log.Warn("healthz: store unreachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("unavailable\n"))
		return nil
	}
	_, _ = w.Write([]byte("ok\n"))
	return nil
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return comuna.Errorf(comuna.ENotFound, "no page at %s", r.URL.Path)
}
