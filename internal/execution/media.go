package execution

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"

	"github.com/comuna/comuna/internal/comuna"
)

// ThumbWidth is the width of the thumbnails pages show.
const ThumbWidth = 320

// Sniff names a file's media type by its first bytes, never by its name or
// what the client says: JPEG, PNG or PDF, "" for anything else.
func Sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "application/pdf"
	}
	return ""
}

// Clean prepares an upload to be stored and published: a photo is decoded
// and encoded again, which drops everything but its pixels — the camera's
// EXIF block with its GPS position, the phone's model, comments — so a
// picture never tells more than it shows; a PDF is kept as sent. It
// returns the bytes to store, their media type and, for a photo, a
// thumbnail ThumbWidth wide (nil for a PDF).
func Clean(data []byte) (clean []byte, mediaType string, thumb []byte, err error) {
	if len(data) > MaxEvidenceBytes {
		return nil, "", nil, comuna.Errorf(comuna.ETooLarge, "the file must be at most %d MB", MaxEvidenceBytes>>20)
	}
	mediaType = Sniff(data)
	switch mediaType {
	case "application/pdf":
		return data, mediaType, nil, nil
	case "image/jpeg", "image/png":
	default:
		return nil, "", nil, comuna.FieldError("file", "the file is not a JPEG or PNG photo or a PDF")
	}
	// The header first, so that a small file declaring a huge picture is
	// refused before it is decoded into memory.
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, "", nil, comuna.FieldError("file", "the photo cannot be read; send it again")
	}
	if cfg.Width > 12000 || cfg.Height > 12000 {
		return nil, "", nil, comuna.FieldError("file", "the photo is larger than 12,000 pixels a side")
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, "", nil, comuna.FieldError("file", "the photo cannot be read; send it again")
	}
	b := img.Bounds()
	var out bytes.Buffer
	if mediaType == "image/png" {
		err = png.Encode(&out, img)
	} else {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: 88})
	}
	if err != nil {
		return nil, "", nil, err
	}
	w := ThumbWidth
	if b.Dx() < w {
		w = b.Dx()
	}
	h := max(1, b.Dy()*w/max(1, b.Dx()))
	small := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(small, small.Bounds(), img, b, draw.Src, nil)
	var tb bytes.Buffer
	if err := jpeg.Encode(&tb, small, &jpeg.Options{Quality: 80}); err != nil {
		return nil, "", nil, err
	}
	return out.Bytes(), mediaType, tb.Bytes(), nil
}
