package trace

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

func TestQRCodes(t *testing.T) {
	link := "https://htx.example/01/08938505974019/10/ABC23456"
	p, err := QRPNG(link, 256)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(p))
	if err != nil || img.Bounds().Dx() != 256 {
		t.Fatalf("PNG: %v, %v", err, img.Bounds())
	}
	svg, err := QRSVG(link)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := qrcode.New(link, qrcode.Medium)
	bits := q.Bitmap()
	dark := 0
	for _, row := range bits {
		for _, b := range row {
			if b {
				dark++
			}
		}
	}
	// Every dark module is covered by exactly one run: the runs' widths
	// add up to the dark modules.
	s := string(svg)
	if !strings.HasPrefix(s, "<svg") || !strings.Contains(s, `viewBox="0 0 `) {
		t.Fatalf("not an SVG: %.80s", s)
	}
	total := 0
	for _, part := range strings.Split(s, "h")[1:] {
		var w int
		for _, r := range part {
			if r < '0' || r > '9' {
				break
			}
			w = w*10 + int(r-'0')
		}
		total += w
	}
	if total != dark {
		t.Fatalf("SVG covers %d modules, the code has %d dark", total, dark)
	}
}
