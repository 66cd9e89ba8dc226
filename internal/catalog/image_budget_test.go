package catalog

import (
	"bytes"
	"context"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"htxmarket/internal/platform/web"
)

// TestImageMemoryReadsTheHeader: what decoding will take is read from the
// header: bits per channel, colour type, a progressive JPEG's
// coefficients.
func TestImageMemoryReadsTheHeader(t *testing.T) {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, 64, 48)), nil); err != nil {
		t.Fatal(err)
	}
	baseline := b.Bytes()
	sof, progressive := jpegFrame(baseline)
	if len(sof) < 15 || progressive || sof[5] != 3 || sof[7] != 0x22 {
		t.Fatalf("frame of Go's JPEG: % x, progressive %v", sof, progressive)
	}
	prog := bytes.Clone(baseline)
	i := bytes.Index(prog, []byte{0xff, 0xc0})
	prog[i+1] = 0xc2
	const w, h = 6000, 4000
	base, _ := imageMemory(baseline, "image/jpeg", w, h)
	more, costly := imageMemory(prog, "image/jpeg", w, h)
	if planes := int64(w * h * 3 / 2); more-base != 4*planes || costly == "" {
		t.Errorf("a progressive JPEG needs %d bytes more (%q), want the coefficients, %d", more-base, costly, 4*planes)
	}

	for _, tt := range []struct {
		name       string
		depth, ct  byte
		bpp        int64 // decoded, with the 8-bit copy
		costlyWord string
	}{
		{"grey", 8, 0, 1, ""},
		{"grey 16", 16, 0, 3, "16 bit"},
		{"paletted", 8, 3, 1, ""},
		{"rgb", 8, 2, 4, ""},
		{"rgba 16", 16, 6, 12, "16 bit"},
	} {
		hdr := pngHeaderOf(1000, 1000, tt.depth, tt.ct)
		decoded, costly := pngMemory(hdr, 1_000_000)
		if decoded != tt.bpp*1_000_000 || !strings.Contains(costly, tt.costlyWord) {
			t.Errorf("%s: %d bytes (%q), want %d per pixel", tt.name, decoded, costly, tt.bpp)
		}
	}
}

// TestPixelBombOfSixteenBitsIsRefused: the 6324×6324 PNG at 16
// bits per channel passes the 40 megapixel check; it needs more than the
// budget and is refused before decoding, saying why.
func TestPixelBombOfSixteenBitsIsRefused(t *testing.T) {
	hdr := pngHeaderOf(6324, 6324, 16, 2)
	_, err := processImage(context.Background(), hdr, testLimits, newDecodeBudget(DefaultImageDecodeBudget))
	var p *web.DetailError
	if !errors.Is(err, ErrImageTooManyPixels) || !errors.As(err, &p) || !strings.Contains(p.Message, "16 bit") {
		t.Fatalf("err %v, want ErrImageTooManyPixels naming 16 bits", err)
	}
}

// TestDecodeBudgetWaitsThenRefuses: an upload that does not fit beside
// those in progress waits for them, and past the wait is refused.
func TestDecodeBudgetWaitsThenRefuses(t *testing.T) {
	b := newDecodeBudget(100)
	b.wait = 50 * time.Millisecond
	release, err := b.acquire(context.Background(), 80)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.acquire(context.Background(), 50); !errors.Is(err, ErrImageBusy) {
		t.Fatalf("err %v, want ErrImageBusy", err)
	}
	go func() {
		time.Sleep(10 * time.Millisecond)
		release()
	}()
	if _, err := b.acquire(context.Background(), 50); err != nil {
		t.Fatalf("after the other is done: %v", err)
	}
}

// pngHeaderOf is pngHeader with another depth and colour type.
func pngHeaderOf(w, h uint32, depth, colourType byte) []byte {
	hdr := pngHeader(w, h)
	hdr[24], hdr[25] = depth, colourType
	crc := crc32.ChecksumIEEE(hdr[12:29])
	return append(hdr[:29], byte(crc>>24), byte(crc>>16), byte(crc>>8), byte(crc))
}
