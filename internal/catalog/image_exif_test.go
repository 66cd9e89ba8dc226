package catalog

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// tiffWith builds EXIF TIFF data whose IFD0 holds the given 12-byte
// entries (tag, type, count, first value SHORT), in byte order "II" or "MM".
func tiffWith(order string, entries ...[3]uint32) []byte {
	var bo binary.AppendByteOrder = binary.LittleEndian
	if order == "MM" {
		bo = binary.BigEndian
	}
	t := []byte(order)
	t = bo.AppendUint16(t, 42)
	t = bo.AppendUint32(t, 8)
	t = bo.AppendUint16(t, uint16(len(entries)))
	for _, e := range entries {
		t = bo.AppendUint16(t, uint16(e[0]))
		t = bo.AppendUint16(t, uint16(e[1]))
		t = bo.AppendUint32(t, 1)
		t = bo.AppendUint16(t, uint16(e[2]))
		t = append(t, 0, 0)
	}
	return bo.AppendUint32(t, 0) // no next IFD
}

func orientationTIFF(order string, o int) []byte {
	return tiffWith(order, [3]uint32{0x010f, 2, 0}, [3]uint32{0x0112, 3, uint32(o)})
}

// app1 is an APP1 EXIF segment holding tiff.
func app1(tiff []byte) []byte {
	seg := []byte{0xff, 0xe1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(2+6+len(tiff)))
	return append(append(seg, "Exif\x00\x00"...), tiff...)
}

// withSegments splices segments into a JPEG right after its SOI marker.
func withSegments(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

var tinyJPEG = []byte{0xff, 0xd8, 0xff, 0xd9}

func orientationSeeds() map[string][]byte {
	mm6 := orientationTIFF("MM", 6)
	jfif := []byte{0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0}
	return map[string][]byte{
		"II 1":                 withSegments(tinyJPEG, app1(orientationTIFF("II", 1))),
		"II 3":                 withSegments(tinyJPEG, app1(orientationTIFF("II", 3))),
		"II 6":                 withSegments(tinyJPEG, app1(orientationTIFF("II", 6))),
		"II 8":                 withSegments(tinyJPEG, app1(orientationTIFF("II", 8))),
		"MM 6 after JFIF":      withSegments(tinyJPEG, jfif, app1(mm6)),
		"MM 8":                 withSegments(tinyJPEG, app1(orientationTIFF("MM", 8))),
		"missing tag":          withSegments(tinyJPEG, app1(tiffWith("II", [3]uint32{0x010f, 2, 6}))),
		"value 9":              withSegments(tinyJPEG, app1(orientationTIFF("II", 9))),
		"LONG, not SHORT":      withSegments(tinyJPEG, app1(tiffWith("II", [3]uint32{0x0112, 4, 6}))),
		"truncated segment":    withSegments(tinyJPEG, app1(mm6))[:2+4+6+len(mm6)-3],
		"truncated IFD":        withSegments(tinyJPEG, app1(mm6[:len(mm6)-10])),
		"IFD offset past end":  withSegments(tinyJPEG, app1([]byte("II\x2a\x00\xff\xff\xff\xff"))),
		"bad byte order":       withSegments(tinyJPEG, app1(append([]byte("XX"), mm6[2:]...))),
		"segment length 0":     {0xff, 0xd8, 0xff, 0xe1, 0, 0},
		"Exif after image":     append([]byte{0xff, 0xd8, 0xff, 0xda, 0, 2}, app1(mm6)...),
		"garbage":              []byte("not a jpeg at all, just words"),
		"garbage after SOI":    {0xff, 0xd8, 0x12, 0x34, 0x56},
		"empty":                {},
		"Exif text, not TIFF":  withSegments(tinyJPEG, append([]byte{0xff, 0xe1, 0, 2 + 6 + 16}, "Exif\x00\x00GPS 21.0285N105.8"...)),
		"count claims 65535":   withSegments(tinyJPEG, app1([]byte("MM\x00\x2a\x00\x00\x00\x08\xff\xff"))),
		"fill bytes then Exif": withSegments(tinyJPEG, append([]byte{0xff, 0xff}, app1(orientationTIFF("II", 3))...)),
	}
}

func TestJPEGOrientation(t *testing.T) {
	want := map[string]int{
		"II 1": 1, "II 3": 3, "II 6": 6, "II 8": 8, "MM 6 after JFIF": 6, "MM 8": 8, "fill bytes then Exif": 3,
	}
	for name, data := range orientationSeeds() {
		t.Run(name, func(t *testing.T) {
			w, ok := want[name]
			if !ok {
				w = 1
			}
			if got := jpegOrientation(data); got != w {
				t.Fatalf("got %d, want %d", got, w)
			}
		})
	}
}

func TestOrient(t *testing.T) {
	// The source, 2 wide and 3 tall:
	//	a b
	//	c d
	//	e f
	px := map[byte]color.RGBA{
		'a': {255, 0, 0, 255}, 'b': {0, 255, 0, 255}, 'c': {0, 0, 255, 255},
		'd': {255, 255, 0, 255}, 'e': {0, 255, 255, 255}, 'f': {255, 0, 255, 255},
	}
	src := image.NewNRGBA(image.Rect(10, 20, 12, 23)) // a Min off the origin, as sub-images have
	for i, r := range []string{"ab", "cd", "ef"} {
		for j := range 2 {
			src.Set(10+j, 20+i, px[r[j]])
		}
	}
	for _, tt := range []struct {
		o    int
		want []string // rows of the upright image
	}{
		{1, []string{"ab", "cd", "ef"}},
		{2, []string{"ba", "dc", "fe"}},
		{3, []string{"fe", "dc", "ba"}},
		{4, []string{"ef", "cd", "ab"}},
		{5, []string{"ace", "bdf"}},
		{6, []string{"eca", "fdb"}},
		{7, []string{"fdb", "eca"}},
		{8, []string{"bdf", "ace"}},
	} {
		got := orient(src, tt.o)
		b := got.Bounds()
		if b.Dx() != len(tt.want[0]) || b.Dy() != len(tt.want) {
			t.Fatalf("orientation %d: bounds %v", tt.o, b)
		}
		for y, r := range tt.want {
			for x := range len(r) {
				gr, gg, gb, ga := got.At(b.Min.X+x, b.Min.Y+y).RGBA()
				wr, wg, wb, wa := px[r[x]].RGBA()
				if gr != wr || gg != wg || gb != wb || ga != wa {
					t.Errorf("orientation %d: pixel (%d,%d) is %v, want %c", tt.o, x, y, got.At(b.Min.X+x, b.Min.Y+y), r[x])
				}
			}
		}
	}
}

func TestProcessImageOrientation(t *testing.T) {
	// 1600×900 as stored: left half red, right half blue. Orientation 6
	// means it shows 900×1600, red on top.
	img := image.NewNRGBA(image.Rect(0, 0, 1600, 900))
	for y := range 900 {
		for x := range 1600 {
			c := color.NRGBA{R: 255, A: 255}
			if x >= 800 {
				c = color.NRGBA{B: 255, A: 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	data := withSegments(encodeJPEG(t, img), app1(orientationTIFF("MM", 6)))
	p, err := processImage(context.Background(), data, testLimits, newDecodeBudget(DefaultImageDecodeBudget))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name string
		enc  encodedImage
		w, h int
	}{{"original", p.original, 900, 1600}, {"thumb", p.thumb, 400, 711}, {"medium", p.medium, 900, 1600}} {
		got, err := jpeg.Decode(bytes.NewReader(f.enc.data))
		if err != nil {
			t.Fatal(err)
		}
		b := got.Bounds()
		if f.enc.width != f.w || f.enc.height != f.h || b.Dx() != f.w || b.Dy() != f.h {
			t.Fatalf("%s: stored %dx%d, decoded %v, want %dx%d", f.name, f.enc.width, f.enc.height, b, f.w, f.h)
		}
		top, bottom := got.At(b.Dx()/2, b.Dy()/4), got.At(b.Dx()/2, 3*b.Dy()/4)
		if r, _, bl, _ := top.RGBA(); r>>8 < 200 || bl>>8 > 60 {
			t.Errorf("%s: top is %v, want red", f.name, top)
		}
		if r, _, bl, _ := bottom.RGBA(); r>>8 > 60 || bl>>8 < 200 {
			t.Errorf("%s: bottom is %v, want blue", f.name, bottom)
		}
	}
}

func FuzzOrientation(f *testing.F) {
	for _, data := range orientationSeeds() {
		f.Add(data)
	}
	f.Add(orientationTIFF("II", 6))
	f.Add(orientationTIFF("MM", 3))
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := jpegOrientation(data); o < 1 || o > 8 {
			t.Fatalf("jpegOrientation = %d", o)
		}
		if o := tiffOrientation(data); o < 1 || o > 8 {
			t.Fatalf("tiffOrientation = %d", o)
		}
	})
}
