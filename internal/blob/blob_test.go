package blob

import (
	"context"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

func TestDir(t *testing.T) {
	ctx := context.Background()
	d := Dir(t.TempDir())
	data := []byte("a receipt")
	key := Sum(data)
	if err := d.Put(ctx, key, data); err != nil {
		t.Fatal(err)
	}
	if err := d.Put(ctx, key, data); err != nil {
		t.Errorf("second Put = %v, want nil", err)
	}
	got, err := d.Get(ctx, key)
	if err != nil || string(got) != "a receipt" {
		t.Errorf("Get = %q, %v", got, err)
	}
	if err := d.Put(ctx, key+".thumb", []byte("small")); err != nil {
		t.Errorf("Put(thumb) = %v", err)
	}
	for _, bad := range []string{"../../etc/passwd", strings.Repeat("g", 64), key + "/x", key + ".", "", key[:10]} {
		if err := d.Put(ctx, bad, data); comuna.ErrorCode(err) != comuna.EInvalid {
			t.Errorf("Put(%q) = %v, want invalid", bad, err)
		}
		if _, err := d.Get(ctx, bad); comuna.ErrorCode(err) != comuna.ENotFound {
			t.Errorf("Get(%q) = %v, want not found", bad, err)
		}
	}
	if _, err := d.Get(ctx, Sum([]byte("other"))); comuna.ErrorCode(err) != comuna.ENotFound {
		t.Errorf("Get(missing) = %v, want not found", err)
	}
}
