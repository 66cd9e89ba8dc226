package catalog

import (
	"bytes"
	"encoding/binary"
	"image"

	"golang.org/x/image/draw"
)

// Phone cameras store the sensor's pixels as they come and write how to turn
// them in the EXIF Orientation tag (values 1 to 8). Re-encoding drops EXIF,
// so the turn is applied to the pixels before the files are made.

// jpegOrientation returns the EXIF Orientation of a JPEG file, 1 (as
// stored) when there is none or anything about it is odd. It reads only the
// segments before the image data, and never past the end of data.
func jpegOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xff || data[1] != 0xd8 {
		return 1
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xff {
			return 1
		}
		marker := data[i+1]
		switch {
		case marker == 0xff: // fill byte before a marker
			i++
			continue
		case marker == 0x01 || marker >= 0xd0 && marker <= 0xd7: // no length
			i += 2
			continue
		case marker == 0xd9 || marker == 0xda: // end of image, start of scan
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[i+2:])) // length includes its 2 bytes
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xe1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

// tiffOrientation reads the Orientation tag (0x0112, one SHORT) from IFD0 of
// the TIFF structure that EXIF data is; 1 when absent or malformed.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:]) != 42 {
		return 1
	}
	off := uint64(bo.Uint32(t[4:]))
	if off < 8 || off+2 > uint64(len(t)) {
		return 1
	}
	count := uint64(bo.Uint16(t[off:]))
	for k := range count {
		e := off + 2 + 12*k
		if e+12 > uint64(len(t)) {
			return 1
		}
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		// Type 3 is SHORT; a single one sits in the first bytes of the
		// value field.
		if bo.Uint16(t[e+2:]) != 3 || bo.Uint32(t[e+4:]) != 1 {
			return 1
		}
		if o := int(bo.Uint16(t[e+8:])); o >= 1 && o <= 8 {
			return o
		}
		return 1
	}
	return 1
}

// orient returns img turned as EXIF orientation o says, so that it shows
// upright: a new *image.RGBA, or img itself for 1 and unknown values. Rows
// are converted one at a time through the standard library's fast paths
// (YCbCr, Gray, CMYK...), so the only large allocation is the result.
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 { // 5 to 8 swap the sides
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	if w == 0 || h == 0 {
		return dst
	}
	// pos is where source pixel (x, y) goes, as an offset in dst.Pix.
	pos := func(x, y int) int {
		var dx, dy int
		switch o {
		case 2: // mirror left-right
			dx, dy = w-1-x, y
		case 3: // rotate 180°
			dx, dy = w-1-x, h-1-y
		case 4: // mirror top-bottom
			dx, dy = x, h-1-y
		case 5: // transpose
			dx, dy = y, x
		case 6: // rotate 90° clockwise
			dx, dy = h-1-y, x
		case 7: // transverse
			dx, dy = h-1-y, w-1-x
		case 8: // rotate 90° counter-clockwise
			dx, dy = y, w-1-x
		}
		return dy*dst.Stride + dx*4
	}
	row := image.NewRGBA(image.Rect(0, 0, w, 1))
	for y := range h {
		draw.Draw(row, row.Bounds(), img, image.Pt(b.Min.X, b.Min.Y+y), draw.Src)
		// pos is linear in x along a source row.
		p, step := pos(0, y), pos(1, y)-pos(0, y)
		for x := 0; x < w; x, p = x+1, p+step {
			copy(dst.Pix[p:p+4], row.Pix[4*x:4*x+4])
		}
	}
	return dst
}
