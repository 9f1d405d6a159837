package pollbook

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
)

func mustDoc(t testing.TB, s string) Document {
	t.Helper()
	d, err := ParseDocument(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func testKey() Key {
	var k Key
	for i := range k {
		k[i] = byte(i + 1)
	}
	return k
}

// TestHashGolden pins the hash of one document: changing the encoding
// would let a voter check in twice in a round that spans the change.
func TestHashGolden(t *testing.T) {
	got := testKey().Hash(7, mustDoc(t, "V12345678"))
	const want = "c3a50cff1de3103b8a3246ab9dd0f7b5d684be391e49f5ef8ff3bc91f6dd990d" // checked with openssl dgst -sha256 -mac HMAC
	if hex.EncodeToString(got[:]) != want {
		t.Errorf("Hash(7, V12345678) = %x; want %s", got, want)
	}
}

func TestHashSeparates(t *testing.T) {
	k := testKey()
	base := k.Hash(1, mustDoc(t, "V12345678"))
	if again := k.Hash(1, mustDoc(t, "v-012.345.678")); again != base {
		t.Errorf("two spellings of one cédula hash differently: %x, %x", base, again)
	}
	differ := []struct {
		name string
		sum  [32]byte
	}{
		{"another round", k.Hash(2, mustDoc(t, "V12345678"))},
		{"a foreigner's cédula", k.Hash(1, mustDoc(t, "E12345678"))},
		{"a passport", k.Hash(1, mustDoc(t, "P12345678"))},
		{"another number", k.Hash(1, mustDoc(t, "V12345679"))},
		{"another key", NewKey().Hash(1, mustDoc(t, "V12345678"))},
		{"the zero document", k.Hash(1, Document{})},
	}
	for _, d := range differ {
		if d.sum == base {
			t.Errorf("%s hashes the same as V12345678 in round 1", d.name)
		}
	}
}

func TestParseKey(t *testing.T) {
	k := testKey()
	good := []string{
		k.Hex(),
		strings.ToUpper(k.Hex()),
		" " + k.Hex() + "\n",
		k.Base64(),
		strings.TrimRight(k.Base64(), "="),
		"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=",
	}
	for _, s := range good {
		got, err := ParseKey(s)
		if err != nil || got != k {
			t.Errorf("ParseKey(%q) = %v, %v; want the test key", s, got.Hex(), err)
		}
	}
	var urlKey Key
	for i := range urlKey {
		urlKey[i] = 0xfb
	}
	if got, err := ParseKey("-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_s"); err != nil || got != urlKey {
		t.Errorf("ParseKey(URL base64) = %v, %v; want all 0xfb", got.Hex(), err)
	}
	bad := []string{"", "00", strings.Repeat("0", 64), strings.Repeat("g", 64), k.Hex()[:62], "AQID", "!!!!"}
	for _, s := range bad {
		if got, err := ParseKey(s); err == nil {
			t.Errorf("ParseKey(%q) = %v; want an error", s, got.Hex())
		}
	}
}

func TestKeyHidden(t *testing.T) {
	k := testKey()
	for _, format := range []string{"%v", "%s", "%x", "%#v", "%+v"} {
		if out := fmt.Sprintf(format, k); strings.Contains(out, k.Hex()[:16]) || strings.Contains(out, "[1 2 3") {
			t.Errorf("Sprintf(%q, key) = %q reveals the key", format, out)
		}
		if out := fmt.Sprintf(format, struct{ K Key }{k}); strings.Contains(out, k.Hex()[:16]) || strings.Contains(out, "[1 2 3") {
			t.Errorf("Sprintf(%q, struct with key) = %q reveals the key", format, out)
		}
	}
	if fp := k.Fingerprint(); len(fp) != 16 || fp == NewKey().Fingerprint() {
		t.Errorf("Fingerprint() = %q; want 16 hex digits unique to the key", fp)
	}
}

func TestNewKey(t *testing.T) {
	a, b := NewKey(), NewKey()
	if a == b || a == (Key{}) {
		t.Errorf("NewKey() twice = %s, %s; want two different non-zero keys", a.Hex(), b.Hex())
	}
	if got, err := ParseKey(a.Hex()); err != nil || got != a {
		t.Errorf("ParseKey(k.Hex()) = %v, %v; want k", got, err)
	}
}

func BenchmarkHash(b *testing.B) {
	k := NewKey()
	d := mustDoc(b, "V12345678")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k.Hash(int64(i), d)
	}
}

func BenchmarkNormalize(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Normalize("V", "V-012.345.678")
	}
}

func TestHashMatchesStandardHMAC(t *testing.T) {
	for _, doc := range []string{"V12345", "E84123456", "P12345678901234567890"} {
		k, d := NewKey(), mustDoc(t, doc)
		m := hmac.New(sha256.New, k[:])
		m.Write(message(nil, -3, d))
		if got, want := k.Hash(-3, d), m.Sum(nil); !bytes.Equal(got[:], want) {
			t.Errorf("Hash(-3, %s) = %x; crypto/hmac gives %x", d, got, want)
		}
	}
}
