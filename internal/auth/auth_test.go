package auth

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// fast keeps the tests quick; DefaultParams is exercised once.
var fast = Params{Time: 1, Memory: 64, Threads: 1, KeyLen: 32, SaltLen: 16}

func TestHashPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("HashPassword = %q, want the PHC prefix with the default parameters", h)
	}
	if !CheckPassword(h, "correct horse battery") {
		t.Error("CheckPassword(hash, right password) = false, want true")
	}
	if CheckPassword(h, "correct horse batterY") {
		t.Error("CheckPassword(hash, wrong password) = true, want false")
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal; want distinct salts")
	}
}

func TestHashPasswordShort(t *testing.T) {
	if _, err := HashPassword("short"); err != ErrShortPassword {
		t.Errorf("HashPassword(short) error = %v, want ErrShortPassword", err)
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	good, err := HashPasswordParams("password123456", fast)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	for _, h := range []string{
		"",
		"password123",
		"$argon2i$v=19$m=64,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=18$m=64,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=64,t=0,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=99999999,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=64,t=1,p=1$!!!$" + parts[5],
		"$argon2id$v=19$m=64,t=1,p=1$" + parts[4] + "$short",
		good + "$extra",
	} {
		if CheckPassword(h, "password123456") {
			t.Errorf("CheckPassword(%q) = true, want false", h)
		}
	}
	if !CheckPassword(good, "password123456") {
		t.Error("CheckPassword(good) = false, want true")
	}
	if CheckNoPassword("password123456") {
		t.Error("CheckNoPassword = true, want false")
	}
}

func TestNewToken(t *testing.T) {
	tok, hash := NewToken()
	if len(tok) != 43 {
		t.Errorf("len(token) = %d, want 43 (32 bytes base64url)", len(tok))
	}
	if strings.ContainsAny(tok, "+/=") {
		t.Errorf("token %q is not unpadded base64url", tok)
	}
	if !bytes.Equal(hash, HashToken(tok)) {
		t.Error("NewToken hash != HashToken(token)")
	}
	if len(hash) != 32 {
		t.Errorf("len(hash) = %d, want 32", len(hash))
	}
	tok2, _ := NewToken()
	if tok == tok2 {
		t.Error("two tokens are equal")
	}
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestLimiter(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := NewLimiter(5, 5)
	l.Now = c.now
	for i := range 5 {
		if !l.Allow("ip") {
			t.Fatalf("attempt %d refused, want the burst of 5 allowed", i+1)
		}
	}
	if l.Allow("ip") {
		t.Error("sixth attempt allowed, want refused")
	}
	if !l.Allow("other") {
		t.Error("another key refused, want keys independent")
	}
	if got, want := l.RetryAfter("ip"), 12*time.Second; got != want {
		t.Errorf("RetryAfter = %v, want %v", got, want)
	}
	c.advance(11 * time.Second)
	if l.Allow("ip") {
		t.Error("attempt after 11s allowed, want refused (one per 12s)")
	}
	c.advance(1 * time.Second)
	if !l.Allow("ip") {
		t.Error("attempt after 12s refused, want allowed")
	}
	if l.Allow("ip") {
		t.Error("second attempt after refill allowed, want refused")
	}
	c.advance(time.Hour)
	for i := range 5 {
		if !l.Allow("ip") {
			t.Fatalf("after an hour attempt %d refused, want the burst back but no more", i+1)
		}
	}
	if l.Allow("ip") {
		t.Error("burst exceeded after an hour, want the bucket capped at 5")
	}
	l.Reset("ip")
	if !l.Allow("ip") {
		t.Error("attempt after Reset refused")
	}
}

func TestLimiterPrune(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := NewLimiter(2, 60)
	l.Now = c.now
	for i := range maxKeys {
		l.Allow(string(rune('a'+i%26)) + strings.Repeat("x", i/26))
	}
	c.advance(time.Minute)
	l.Allow("new")
	if n := len(l.buckets); n > 1 {
		t.Errorf("after pruning %d buckets remain, want 1", n)
	}
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("correct horse battery"); err != nil {
			b.Fatal(err)
		}
	}
}
