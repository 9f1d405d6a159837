package auth

import (
	"sync"
	"time"
)

// Limiter is a token-bucket rate limiter keyed by string, for login
// attempts by client address and by username: each key may spend Burst
// attempts at once and regains one every Every. It is safe for
// concurrent use and bounds its memory by forgetting full buckets.
type Limiter struct {
	Burst int
	Every time.Duration
	// Now is the clock; nil means time.Now. Tests inject their own.
	Now func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewLimiter returns a limiter allowing burst attempts at once and rate
// attempts per minute after that.
func NewLimiter(burst, perMinute int) *Limiter {
	return &Limiter{Burst: burst, Every: time.Minute / time.Duration(perMinute)}
}

// maxKeys is how many keys a limiter tracks before it forgets the ones
// that have refilled.
const maxKeys = 10000

func (l *Limiter) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Allow spends one attempt for key and reports whether one was left.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if l.buckets == nil {
		l.buckets = make(map[string]*bucket)
	}
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxKeys {
			l.prune(now)
		}
		b = &bucket{tokens: float64(l.Burst), last: now}
		l.buckets[key] = b
	}
	l.refill(b, now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Reset forgets key, as after a successful login.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.buckets, key)
}

// RetryAfter returns how long until key may try again; zero if it may now.
func (l *Limiter) RetryAfter(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		return 0
	}
	now := l.now()
	l.refill(b, now)
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) * float64(l.Every))
}

func (l *Limiter) refill(b *bucket, now time.Time) {
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens += float64(elapsed) / float64(l.Every)
		if b.tokens > float64(l.Burst) {
			b.tokens = float64(l.Burst)
		}
		b.last = now
	}
}

func (l *Limiter) prune(now time.Time) {
	for k, b := range l.buckets {
		l.refill(b, now)
		if b.tokens >= float64(l.Burst) {
			delete(l.buckets, k)
		}
	}
}
