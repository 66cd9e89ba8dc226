package catalog

import (
	"image"
	"image/color"
	"math"
)

// resize scales src to dw×dh with the Catmull-Rom filter (widened by the
// scale when it shrinks, so that no detail aliases) and lays it on white,
// into a new RGBA. It reads the source a row at a time and keeps only the
// rows one output row needs: golang.org/x/image/draw's kernels hold a
// buffer of dw × the source's height × 32 bytes (150 MB for the 1,200 px
// medium size of a 4,000 px tall photo), which made resizing cost more
// memory than decoding.
func resize(src image.Image, dw, dh int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	if sw == 0 || sh == 0 || dw == 0 || dh == 0 {
		return dst
	}
	cols, rows := filterTaps(sw, dw), filterTaps(sh, dh)
	read := newRowReader(src)
	// ring holds the converted source rows the current output row needs:
	// at most the widest vertical footprint.
	width := 0
	for _, t := range rows {
		width = max(width, len(t.weights))
	}
	ring := make([][]float32, width)
	ringRow := make([]int, width)
	for i := range ring {
		ring[i] = make([]float32, 4*sw)
		ringRow[i] = -1
	}
	row := func(y int) []float32 {
		slot := y % width
		if ringRow[slot] != y {
			read(ring[slot], b.Min.Y+y)
			ringRow[slot] = y
		}
		return ring[slot]
	}
	acc := make([]float32, 4*sw)
	for y, vt := range rows {
		clear(acc)
		for k, w := range vt.weights {
			r := row(vt.first + k)
			for i, v := range r {
				acc[i] += w * v
			}
		}
		out := dst.Pix[y*dst.Stride : y*dst.Stride+4*dw]
		for x, ht := range cols {
			var c [4]float32
			for k, w := range ht.weights {
				p := acc[4*(ht.first+k):]
				c[0] += w * p[0]
				c[1] += w * p[1]
				c[2] += w * p[2]
				c[3] += w * p[3]
			}
			// Premultiplied colour over opaque white.
			a := min(max(c[3], 0), 0xffff)
			for i := range 3 {
				out[4*x+i] = uint8(min(max(c[i]+0xffff-a, 0), 0xffff)/257 + 0.5)
			}
			out[4*x+3] = 0xff
		}
	}
	return dst
}

// taps are the source pixels (first, first+1, …) that make one output
// pixel, with their weights, which sum to 1.
type taps struct {
	first   int
	weights []float32
}

// filterTaps computes, for each of n output pixels along an axis of m
// source pixels, its Catmull-Rom taps. Taps past the edge count as the
// edge pixel.
func filterTaps(m, n int) []taps {
	scale := float64(m) / float64(n)
	spread := max(scale, 1) // the kernel widens when it shrinks
	support := 2 * spread
	out := make([]taps, n)
	for i := range out {
		centre := (float64(i)+0.5)*scale - 0.5
		lo := int(math.Floor(centre - support + 1))
		hi := int(math.Ceil(centre + support - 1))
		first, last := max(lo, 0), min(hi, m-1)
		ws := make([]float32, last-first+1)
		var sum float64
		for j := lo; j <= hi; j++ {
			w := catmullRom((float64(j) - centre) / spread)
			ws[min(max(j, first), last)-first] += float32(w)
			sum += w
		}
		if sum != 0 {
			for k := range ws {
				ws[k] = float32(float64(ws[k]) / sum)
			}
		}
		out[i] = taps{first: first, weights: ws}
	}
	return out
}

// catmullRom is the Catmull-Rom cubic (B = 0, C = ½), as
// golang.org/x/image/draw.CatmullRom.
func catmullRom(t float64) float64 {
	t = math.Abs(t)
	switch {
	case t < 1:
		return (1.5*t-2.5)*t*t + 1
	case t < 2:
		return ((-0.5*t+2.5)*t-4)*t + 2
	}
	return 0
}

// newRowReader returns a function that fills row with the pixels of
// source row y as premultiplied RGBA, 0 to 0xffff, reading the pixel
// buffers of the types the decoders return without an interface call per
// pixel.
func newRowReader(src image.Image) func(row []float32, y int) {
	b := src.Bounds()
	const e8 = 257 // 8 bits to 16
	switch s := src.(type) {
	case *image.YCbCr:
		return func(row []float32, y int) {
			for x := b.Min.X; x < b.Max.X; x++ {
				yi, ci := s.YOffset(x, y), s.COffset(x, y)
				r, g, bl := color.YCbCrToRGB(s.Y[yi], s.Cb[ci], s.Cr[ci])
				i := 4 * (x - b.Min.X)
				row[i], row[i+1], row[i+2], row[i+3] = float32(r)*e8, float32(g)*e8, float32(bl)*e8, 0xffff
			}
		}
	case *image.RGBA:
		return func(row []float32, y int) {
			p := s.Pix[s.PixOffset(b.Min.X, y):]
			for i := range 4 * b.Dx() {
				row[i] = float32(p[i]) * e8
			}
		}
	case *image.NRGBA:
		return func(row []float32, y int) {
			p := s.Pix[s.PixOffset(b.Min.X, y):]
			for i := 0; i < 4*b.Dx(); i += 4 {
				a := float32(p[i+3]) / 0xff
				row[i], row[i+1], row[i+2], row[i+3] = float32(p[i])*e8*a, float32(p[i+1])*e8*a, float32(p[i+2])*e8*a, float32(p[i+3])*e8
			}
		}
	case *image.RGBA64:
		return func(row []float32, y int) {
			p := s.Pix[s.PixOffset(b.Min.X, y):]
			for i := range 4 * b.Dx() {
				row[i] = float32(uint16(p[2*i])<<8 | uint16(p[2*i+1]))
			}
		}
	case *image.NRGBA64:
		return func(row []float32, y int) {
			p := s.Pix[s.PixOffset(b.Min.X, y):]
			for i := 0; i < 4*b.Dx(); i += 4 {
				v := func(k int) float32 { return float32(uint16(p[2*(i+k)])<<8 | uint16(p[2*(i+k)+1])) }
				a := v(3)
				row[i], row[i+1], row[i+2], row[i+3] = v(0)*a/0xffff, v(1)*a/0xffff, v(2)*a/0xffff, a
			}
		}
	case *image.Gray:
		return func(row []float32, y int) {
			p := s.Pix[s.PixOffset(b.Min.X, y):]
			for x := range b.Dx() {
				v := float32(p[x]) * e8
				row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = v, v, v, 0xffff
			}
		}
	case *image.Gray16:
		return func(row []float32, y int) {
			p := s.Pix[s.PixOffset(b.Min.X, y):]
			for x := range b.Dx() {
				v := float32(uint16(p[2*x])<<8 | uint16(p[2*x+1]))
				row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = v, v, v, 0xffff
			}
		}
	case *image.Paletted:
		pal := make([][4]float32, len(s.Palette))
		for i, c := range s.Palette {
			r, g, bl, a := c.RGBA()
			pal[i] = [4]float32{float32(r), float32(g), float32(bl), float32(a)}
		}
		return func(row []float32, y int) {
			p := s.Pix[s.PixOffset(b.Min.X, y):]
			for x := range b.Dx() {
				var c [4]float32 // an index past the palette is transparent
				if int(p[x]) < len(pal) {
					c = pal[p[x]]
				}
				copy(row[4*x:4*x+4], c[:])
			}
		}
	}
	return func(row []float32, y int) {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := src.At(x, y).RGBA()
			i := 4 * (x - b.Min.X)
			row[i], row[i+1], row[i+2], row[i+3] = float32(r), float32(g), float32(bl), float32(a)
		}
	}
}

// eightBit returns img as a type that the encoders and resize read
// without a call per pixel, and how many bytes of pixels it left behind:
// 16-bit channels become 8 (what screens show; PNG's encoder would box
// every 16-bit pixel, garbage as large as the image), CMYK becomes RGBA,
// an NYCbCrA its YCbCr when opaque or else an NRGBA, and an opaque NRGBA
// is read as the RGBA it equals.
func eightBit(img image.Image) (image.Image, int) {
	b := img.Bounds()
	switch s := img.(type) {
	case *image.Gray16:
		d := image.NewGray(b)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			src, dst := s.Pix[s.PixOffset(b.Min.X, y):], d.Pix[d.PixOffset(b.Min.X, y):]
			for x := range b.Dx() {
				dst[x] = src[2*x]
			}
		}
		return d, len(s.Pix)
	case *image.RGBA64:
		d := image.NewRGBA(b)
		high(d.Pix, d.Stride, s.Pix, s.Stride, b)
		return d, len(s.Pix)
	case *image.NRGBA64:
		d := image.NewNRGBA(b)
		high(d.Pix, d.Stride, s.Pix, s.Stride, b)
		return d, len(s.Pix)
	case *image.CMYK:
		d := image.NewRGBA(b)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			src, dst := s.Pix[s.PixOffset(b.Min.X, y):], d.Pix[d.PixOffset(b.Min.X, y):]
			for i := 0; i < 4*b.Dx(); i += 4 {
				dst[i], dst[i+1], dst[i+2] = color.CMYKToRGB(src[i], src[i+1], src[i+2], src[i+3])
				dst[i+3] = 0xff
			}
		}
		return d, len(s.Pix)
	case *image.NYCbCrA:
		if s.Opaque() {
			return &s.YCbCr, 0
		}
		d := image.NewNRGBA(b)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			dst := d.Pix[d.PixOffset(b.Min.X, y):]
			for x := b.Min.X; x < b.Max.X; x++ {
				yi, ci := s.YOffset(x, y), s.COffset(x, y)
				i := 4 * (x - b.Min.X)
				dst[i], dst[i+1], dst[i+2] = color.YCbCrToRGB(s.Y[yi], s.Cb[ci], s.Cr[ci])
				dst[i+3] = s.A[s.AOffset(x, y)]
			}
		}
		return d, len(s.Y) + len(s.Cb) + len(s.Cr) + len(s.A)
	case *image.NRGBA:
		if s.Opaque() {
			return &image.RGBA{Pix: s.Pix, Stride: s.Stride, Rect: s.Rect}, 0
		}
	}
	return img, 0
}

// high copies the high bytes of 16-bit channels into 8-bit ones.
func high(dst []uint8, dstStride int, src []uint8, srcStride int, b image.Rectangle) {
	for y := range b.Dy() {
		d, s := dst[y*dstStride:], src[y*srcStride:]
		for i := range 4 * b.Dx() {
			d[i] = s[2*i]
		}
	}
}
