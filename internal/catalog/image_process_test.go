package catalog

import (
	"bytes"
	"context"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"runtime"
	"testing"

	"github.com/google/uuid"
)

var testLimits = ImageLimits{MaxBytes: DefaultImageMaxBytes, MaxPixels: maxImagePixels, MaxSide: maxImageSide, MaxPerProduct: 12}

func TestProcessImage(t *testing.T) {
	photo := encodeJPEG(t, solid(1600, 900, color.NRGBA{R: 200, G: 120, B: 40, A: 255}))
	transparent := encodePNG(t, solid(300, 200, color.NRGBA{A: 0}))
	tests := []struct {
		name                   string
		data                   []byte
		original               string
		width, height          int
		thumbW, thumbH, medium int
	}{
		{"JPEG stays JPEG", photo, "image/jpeg", 1600, 900, 400, 225, 1200},
		{"PNG stays PNG, small ones are not enlarged", transparent, "image/png", 300, 200, 300, 200, 300},
		{"opaque WebP becomes JPEG", vp8l(40, 20, color.NRGBA{R: 10, G: 200, B: 30, A: 255}), "image/jpeg", 40, 20, 40, 20, 40},
		{"WebP with alpha becomes PNG", vp8l(8, 8, color.NRGBA{R: 10, G: 200, B: 30, A: 128}), "image/png", 8, 8, 8, 8, 8},
		{"tall", encodePNG(t, solid(2000, 5000, color.NRGBA{B: 255, A: 255})), "image/png", 2000, 5000, 400, 1000, 1200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := processImage(context.Background(), tt.data, testLimits, newDecodeBudget(DefaultImageDecodeBudget))
			if err != nil {
				t.Fatal(err)
			}
			if p.original.contentType != tt.original || p.original.width != tt.width || p.original.height != tt.height {
				t.Fatalf("original %s %dx%d", p.original.contentType, p.original.width, p.original.height)
			}
			for _, r := range []struct {
				enc  encodedImage
				w, h int
			}{{p.thumb, tt.thumbW, tt.thumbH}, {p.medium, tt.medium, tt.medium * tt.height / tt.width}} {
				img, err := jpeg.Decode(bytes.NewReader(r.enc.data))
				if err != nil || r.enc.contentType != "image/jpeg" {
					t.Fatalf("resized: %v %s", err, r.enc.contentType)
				}
				if b := img.Bounds(); b.Dx() != r.w || b.Dy() != r.h || r.enc.width != r.w || r.enc.height != r.h {
					t.Fatalf("resized to %v, want %dx%d", b, r.w, r.h)
				}
			}
			keys := p.keys(uuid.MustParse("01900000-0000-7000-8000-000000000001"), uuid.MustParse("01900000-0000-7000-8000-000000000002"))
			if keys.thumb != "products/01900000-0000-7000-8000-000000000001/"+p.sum+"-01900000-0000-7000-8000-000000000002-w400.jpg" || len(p.sum) != 64 {
				t.Fatalf("keys %+v", keys)
			}
		})
	}

	t.Run("transparent pixels are laid on white", func(t *testing.T) {
		p, err := processImage(context.Background(), transparent, testLimits, newDecodeBudget(DefaultImageDecodeBudget))
		if err != nil {
			t.Fatal(err)
		}
		img, _ := jpeg.Decode(bytes.NewReader(p.thumb.data))
		if r, g, b, _ := img.At(10, 10).RGBA(); r>>8 < 250 || g>>8 < 250 || b>>8 < 250 {
			t.Fatalf("background %d %d %d", r>>8, g>>8, b>>8)
		}
	})

	t.Run("metadata is dropped", func(t *testing.T) {
		// An EXIF segment right after the JPEG's start marker.
		exif := append([]byte{0xff, 0xe1, 0, 2 + 6 + 16}, []byte("Exif\x00\x00GPS 21.0285N105.8")...)
		withExif := append(append(append([]byte{}, photo[:2]...), exif...), photo[2:]...)
		p, err := processImage(context.Background(), withExif, testLimits, newDecodeBudget(DefaultImageDecodeBudget))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(p.original.data, []byte("GPS")) || bytes.Contains(p.original.data, []byte("Exif")) {
			t.Fatal("the original kept its EXIF segment")
		}
	})

	refused := []struct {
		name string
		data []byte
		lim  ImageLimits
		want error
	}{
		{"text", []byte("đây không phải là ảnh, chỉ là chữ"), testLimits, ErrImageUnsupported},
		{"GIF", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), testLimits, ErrImageUnsupported},
		{"SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), testLimits, ErrImageUnsupported},
		{"cut short", photo[:len(photo)/2], testLimits, ErrImageUnreadable},
		{"bad header", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDRgarbage"), testLimits, ErrImageUnreadable},
		{"pixel bomb", pngHeader(50_000, 50_000), testLimits, ErrImageTooManyPixels},
		{"too wide", pngHeader(10_001, 10), testLimits, ErrImageTooManyPixels},
		{"too many bytes", photo, ImageLimits{MaxBytes: len(photo) - 1, MaxPixels: maxImagePixels, MaxSide: maxImageSide}, ErrImageTooLarge},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			_, err := processImage(context.Background(), tt.data, tt.lim, newDecodeBudget(DefaultImageDecodeBudget))
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// TestPixelBombAllocatesNothing checks that a header claiming 2.5 billion
// pixels is refused before any pixel buffer exists (decoding would take
// 10 GB).
func TestPixelBombAllocatesNothing(t *testing.T) {
	bomb := pngHeader(50_000, 50_000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 10 {
		if _, err := processImage(context.Background(), bomb, testLimits, newDecodeBudget(DefaultImageDecodeBudget)); !errors.Is(err, ErrImageTooManyPixels) {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Fatalf("refusing 10 bombs allocated %d bytes", n)
	}
}

func TestMessages(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{megabytes(8 << 20), "8 MB"}, {megabytes(1 << 19), "0,5 MB"}, {thousands(10_000), "10.000"}, {thousands(400), "400"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func solid(w, h int, c color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

func encodePNG(t *testing.T, img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t *testing.T, img image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngHeader is the start of a PNG claiming w×h RGBA pixels, with no pixel
// data: what a decompression bomb shows before its payload.
func pngHeader(w, h uint32) []byte {
	ihdr := []byte("IHDR")
	ihdr = append(ihdr, byte(w>>24), byte(w>>16), byte(w>>8), byte(w), byte(h>>24), byte(h>>16), byte(h>>8), byte(h),
		8, 6, 0, 0, 0) // 8 bits, RGBA, deflate, no filter, no interlace
	crc := crc32.ChecksumIEEE(ihdr)
	out := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d")
	out = append(out, ihdr...)
	return append(out, byte(crc>>24), byte(crc>>16), byte(crc>>8), byte(crc))
}

// vp8l writes a lossless WebP of one colour, the simplest stream the
// format allows: no transforms, no colour cache, and for each of green,
// red, blue, alpha and distance a prefix code of one symbol, which takes
// no bits per pixel. No WebP encoder is at hand, and this exercises the
// real decoder without a binary test file.
func vp8l(w, h int, c color.NRGBA) []byte {
	var bw bitWriter
	bw.write(0x2f, 8) // signature
	bw.write(uint64(w-1), 14)
	bw.write(uint64(h-1), 14)
	alpha := uint64(0)
	if c.A != 255 {
		alpha = 1
	}
	bw.write(alpha, 1)
	bw.write(0, 3) // version
	bw.write(0, 1) // no transform
	bw.write(0, 1) // no colour cache
	bw.write(0, 1) // no meta prefix codes
	for _, sym := range []uint8{c.G, c.R, c.B, c.A, 0} {
		bw.write(1, 1) // simple code
		bw.write(0, 1) // one symbol
		bw.write(1, 1) // of 8 bits
		bw.write(uint64(sym), 8)
	}
	data := bw.bytes()
	if len(data)%2 == 1 {
		data = append(data, 0)
	}
	le := func(n int) []byte { return []byte{byte(n), byte(n >> 8), byte(n >> 16), byte(n >> 24)} }
	chunk := append(append([]byte("VP8L"), le(len(bw.bytes()))...), data...)
	return append(append(append([]byte("RIFF"), le(4+len(chunk))...), "WEBP"...), chunk...)
}

// bitWriter packs bits least significant first, as VP8L reads them.
type bitWriter struct {
	buf []byte
	acc uint64
	n   uint
}

func (b *bitWriter) write(v uint64, n uint) {
	b.acc |= v << b.n
	b.n += n
	for b.n >= 8 {
		b.buf = append(b.buf, byte(b.acc))
		b.acc >>= 8
		b.n -= 8
	}
}

func (b *bitWriter) bytes() []byte {
	if b.n > 0 {
		return append(b.buf[:len(b.buf):len(b.buf)], byte(b.acc))
	}
	return b.buf
}
