package web

import (
	"sync"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// tokenTTL is how long an API token's account is remembered. A token
// revoked or an account disabled in the database is refused at most this
// long after; in exchange a busy poll book does not read the token's
// account on every check-in.
const tokenTTL = 10 * time.Second

// maxCachedTokens bounds the cache; when full it starts over.
const maxCachedTokens = 100_000

// tokenCache remembers which account an API token hash belongs to, for
// tokenTTL. Only successful lookups are cached: an unknown token is looked
// up every time.
type tokenCache struct {
	mu      sync.Mutex
	entries map[string]cachedToken
}

type cachedToken struct {
	user *comuna.User
	at   time.Time
}

// get returns the account of a token hash if it was looked up less than
// tokenTTL before now.
func (c *tokenCache) get(hash []byte, now time.Time) (*comuna.User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[string(hash)]
	if !ok || now.Sub(e.at) >= tokenTTL || now.Before(e.at) {
		return nil, false
	}
	return e.user, true
}

// put remembers the account of a token hash, as read at now.
func (c *tokenCache) put(hash []byte, u *comuna.User, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxCachedTokens {
		c.entries = make(map[string]cachedToken)
	}
	c.entries[string(hash)] = cachedToken{user: u, at: now}
}
