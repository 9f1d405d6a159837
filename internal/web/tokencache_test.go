package web

import (
	"net/http"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

func TestTokenCache(t *testing.T) {
	var c tokenCache
	now := time.Date(2026, 12, 13, 8, 0, 0, 0, time.UTC)
	u := &comuna.User{ID: 7, Username: "mesa"}
	if _, ok := c.get([]byte("h1"), now); ok {
		t.Fatal("empty cache has an entry")
	}
	c.put([]byte("h1"), u, now)
	for _, tt := range []struct {
		at   time.Time
		hash string
		ok   bool
	}{
		{now, "h1", true},
		{now.Add(tokenTTL - time.Millisecond), "h1", true},
		{now.Add(tokenTTL), "h1", false},
		{now.Add(-time.Second), "h1", false}, // the clock went back
		{now, "h2", false},
	} {
		got, ok := c.get([]byte(tt.hash), tt.at)
		if ok != tt.ok || (ok && got != u) {
			t.Errorf("get(%s, now%+v) = %v, %v; want ok %v", tt.hash, tt.at.Sub(now), got, ok, tt.ok)
		}
	}
}

// TestTokenCacheServes checks that a cached token still authenticates and
// that a token not in the database is refused every time.
func TestTokenCacheServes(t *testing.T) {
	e := newEnv(t)
	for range 3 {
		w := e.do(request{method: "GET", path: "/api/v1/me", user: "admin", bearer: true})
		if w.Code != 200 {
			t.Fatalf("GET /api/v1/me with a token = %d, want 200", w.Code)
		}
	}
	if len(e.srv.tokens.entries) != 1 {
		t.Errorf("cache holds %d tokens after three calls with one, want 1", len(e.srv.tokens.entries))
	}
	for range 2 {
		w := e.do(request{method: "GET", path: "/api/v1/me", header: http.Header{"Authorization": {"Bearer not-a-token-of-anyone"}}})
		if w.Code != http.StatusUnauthorized {
			t.Errorf("GET /api/v1/me with an unknown token = %d, want 401", w.Code)
		}
	}
	if len(e.srv.tokens.entries) != 1 {
		t.Errorf("cache holds %d tokens after unknown ones, want 1 (refusals are not cached)", len(e.srv.tokens.entries))
	}
}
