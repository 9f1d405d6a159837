package execution

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

// photoWithEXIF is a JPEG carrying an APP1 Exif segment with a GPS tag's
// bytes, as a phone's camera writes one.
func photoWithEXIF(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for x := 0; x < 640; x++ {
		img.Set(x, x%480, color.RGBA{200, 10, 10, 255})
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	exif := append([]byte("Exif\x00\x00"), []byte("GPSLatitude 10.4806N GPSLongitude 66.9036W Pixel 7")...)
	seg := []byte{0xFF, 0xE1, byte((len(exif) + 2) >> 8), byte(len(exif) + 2)}
	data := b.Bytes()
	return append(append(append([]byte{}, data[:2]...), append(seg, exif...)...), data[2:]...)
}

func TestClean(t *testing.T) {
	in := photoWithEXIF(t)
	if !bytes.Contains(in, []byte("GPSLatitude")) {
		t.Fatal("the test photo lacks its EXIF block")
	}
	clean, mt, thumb, err := Clean(in)
	if err != nil {
		t.Fatal(err)
	}
	if mt != "image/jpeg" || bytes.Contains(clean, []byte("GPS")) || bytes.Contains(clean, []byte("Exif")) {
		t.Errorf("Clean kept the metadata (type %s)", mt)
	}
	if img, err := jpeg.Decode(bytes.NewReader(thumb)); err != nil || img.Bounds().Dx() != ThumbWidth || img.Bounds().Dy() != 240 {
		t.Errorf("thumbnail = %v, %v; want %d×240", img, err, ThumbWidth)
	}
	pdf := []byte("%PDF-1.4 a receipt")
	if got, mt, thumb, err := Clean(pdf); err != nil || mt != "application/pdf" || !bytes.Equal(got, pdf) || thumb != nil {
		t.Errorf("Clean(pdf) = %q, %s, %v", got, mt, err)
	}
	for name, data := range map[string][]byte{
		"text":          []byte("hello"),
		"html as image": []byte("<html><script>"),
		"broken jpeg":   {0xFF, 0xD8, 0xFF, 0x00, 0x01},
	} {
		if _, _, _, err := Clean(data); comuna.ErrorCode(err) != comuna.EInvalid {
			t.Errorf("Clean(%s) = %v, want invalid", name, err)
		}
	}
	if _, _, _, err := Clean(make([]byte, MaxEvidenceBytes+1)); comuna.ErrorCode(err) != comuna.ETooLarge {
		t.Errorf("Clean(too large) = %v, want too_large", err)
	}
}
