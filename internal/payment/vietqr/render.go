package vietqr

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/skip2/go-qrcode"
)

// MaxImageSize is the largest PNG side PNG draws, in pixels; it bounds the
// memory a size taken from a request can cost.
const MaxImageSize = 2048

// svgModulePixels is the SVG's default pixels per module; CSS may scale it.
const svgModulePixels = 8

// matrix returns the QR modules of payload at medium error correction
// (about 15% may be damaged), with the standard 4-module quiet zone; true is
// dark. Medium is what bank apps read reliably from a phone screen or a
// printed receipt while keeping the modules large.
func matrix(payload string) ([][]bool, error) {
	if payload == "" {
		return nil, invalid("payload", "chuỗi VietQR trống")
	}
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("vietqr: encode QR: %w", err)
	}
	return q.Bitmap(), nil
}

// PNG draws the QR code of payload as a size×size PNG. Every module has the
// same whole number of pixels, so the code stays sharp; the pixels left over
// widen the white quiet zone. size must be at least one pixel per module
// (the matrix side, quiet zone included: 41 to 53 modules for the payloads
// Payload makes) and at most MaxImageSize; bank apps read 4 or more pixels
// per module comfortably, so 256 is a good size for a screen.
func PNG(payload string, size int) ([]byte, error) {
	bitmap, err := matrix(payload)
	if err != nil {
		return nil, err
	}
	n := len(bitmap)
	if size < n || size > MaxImageSize {
		return nil, invalid("size", "kích thước ảnh QR phải từ %d đến %d điểm ảnh", n, MaxImageSize)
	}
	scale := size / n
	offset := (size - scale*n) / 2

	// Index 0 is the background, so the zeroed image starts white.
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	for y, row := range bitmap {
		for x, dark := range row {
			if !dark {
				continue
			}
			for py := offset + y*scale; py < offset+(y+1)*scale; py++ {
				start := img.PixOffset(offset+x*scale, py)
				for i := range scale {
					img.Pix[start+i] = 1
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("vietqr: encode PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// SVG draws the same QR matrix as PNG as an SVG: one unit per module, the
// 4-module quiet zone included, dark runs of each row as one path with
// crispEdges rendering, so it prints sharply at any size. It is sized at 8
// pixels per module; CSS may scale it.
func SVG(payload string) ([]byte, error) {
	bitmap, err := matrix(payload)
	if err != nil {
		return nil, err
	}
	n := len(bitmap)
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" shape-rendering="crispEdges" role="img" aria-label="Mã VietQR">`,
		n, n, n*svgModulePixels, n*svgModulePixels)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bitmap {
		for x := 0; x < n; {
			if !row[x] {
				x++
				continue
			}
			run := 0
			for x+run < n && row[x+run] {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x, y, run, run)
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	b.WriteByte('\n')
	return b.Bytes(), nil
}
