package catalog

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"time"

	"golang.org/x/sync/semaphore"
)

// ErrImageBusy refuses an upload that waited too long for memory to decode
// it in: other large images are being processed.
var ErrImageBusy = errors.New("máy chủ đang xử lý nhiều ảnh lớn; hãy thử tải ảnh lên lại sau ít phút")

// DefaultImageDecodeBudget is the memory that all uploads being decoded
// and resized at once may take together (IMAGE_DECODE_BUDGET): a third of
// the 768 MiB the deployment gives a server, beside the search index.
const DefaultImageDecodeBudget = 256 << 20

// decodeWait is how long an upload waits by default for its share of the
// budget before it is refused with ErrImageBusy, within the server's
// 30-second write timeout.
const decodeWait = 15 * time.Second

// bigDecode is the share of the budget above which the memory an upload
// took is collected before its share is given back: the garbage collector
// would otherwise leave it in the heap while the next decode allocates,
// and the heap would hold up to twice the budget.
const bigDecode = 16 << 20

// decodeBudget shares the memory for decoding among uploads: each takes
// what imageMemory says it needs, waiting in turn when the rest is taken.
type decodeBudget struct {
	total int64
	sem   *semaphore.Weighted
	wait  time.Duration
}

func newDecodeBudget(total int64) *decodeBudget {
	return &decodeBudget{total: total, sem: semaphore.NewWeighted(total), wait: decodeWait}
}

// acquire takes need bytes of the budget, waiting at most b.wait, and
// returns the function that gives them back.
func (b *decodeBudget) acquire(ctx context.Context, need int64) (release func(), err error) {
	ctx, cancel := context.WithTimeout(ctx, b.wait)
	defer cancel()
	if err := b.sem.Acquire(ctx, need); err != nil {
		return nil, fmt.Errorf("catalog: decode %d MB: %w", need>>20, ErrImageBusy)
	}
	return func() {
		if need >= bigDecode {
			runtime.GC()
		}
		b.sem.Release(need)
	}, nil
}

// imageMemory estimates the most memory that checking, decoding,
// re-encoding and resizing an upload holds at once, from its header alone:
// the decoded pixels (bytes per pixel by format, colour type and depth;
// a progressive JPEG's coefficients; an interlaced PNG's passes), the
// upright copy of a rotated JPEG, the re-encoded original and the two
// resized copies with the rows they are made from. It also names, for a
// refusal, what makes the image costly ("16 bit mỗi kênh", "JPEG
// progressive").
func imageMemory(data []byte, sniffed string, w, h int) (need int64, costly string) {
	px := int64(w) * int64(h)
	var decoded int64
	switch sniffed {
	case "image/png":
		decoded, costly = pngMemory(data, px)
	case "image/jpeg":
		decoded, costly = jpegMemory(data, w, h)
		if o := jpegOrientation(data); o >= 2 && o <= 8 {
			decoded += 4 * px // orient's RGBA copy
		}
	case "image/webp":
		decoded, costly = webpMemory(data, px)
	default:
		decoded = 16 * px
	}
	need = decoded
	// The re-encoded original, in a buffer that doubles as it grows.
	need += 2 * max(4*int64(len(data)), px/2)
	// Each resized copy with the source rows its filter reads (resize);
	// the medium one is the larger, and they are made one after the other.
	for _, width := range []int{thumbWidth, mediumWidth} {
		dw, dh := resizedSize(w, h, width)
		rows := int64(4*float64(w)/float64(dw)) + 3
		need += int64(dw)*int64(dh)*4 + rows*int64(w)*16
	}
	return need + 1<<20, costly
}

// resizedSize is the size of img's copy width pixels wide, never enlarged.
func resizedSize(w, h, width int) (int, int) {
	dw := min(width, w)
	return dw, max(1, int(float64(h)*float64(dw)/float64(w)+0.5))
}

// pngMemory reads the IHDR chunk (and looks for tRNS before the pixel
// data) for the decoded image's bytes per pixel as image/png returns it.
func pngMemory(data []byte, px int64) (int64, string) {
	if len(data) < 33 {
		return 8 * px, ""
	}
	depth, colourType, interlaced := data[24], data[25], data[28] == 1
	// tRNS turns grey and RGB images into NRGBA(64).
	trns := false
	for i := 8; i+8 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[i:]))
		kind := string(data[i+4 : i+8])
		if kind == "IDAT" || n < 0 || i+12+n > len(data) {
			break
		}
		trns = trns || kind == "tRNS"
		i += 12 + n
	}
	var bpp int64
	switch {
	case colourType == 3: // paletted
		bpp = 1
	case colourType == 0 && !trns: // grey
		bpp = 1
		if depth == 16 {
			bpp = 2
		}
	case depth == 16: // (N)RGBA64
		bpp = 8
	default: // (N)RGBA
		bpp = 4
	}
	if depth == 16 { // and its 8-bit copy (eightBit)
		bpp += bpp / 2
	}
	costly := ""
	if depth == 16 {
		costly = "16 bit mỗi kênh màu"
	}
	if interlaced { // each pass decodes into its own image, then into the whole
		bpp *= 2
		costly = "PNG xen kẽ (interlaced)"
	}
	return bpp * px, costly
}

// jpegMemory reads the frame header (SOF) for the components and their
// sampling, as image/jpeg allocates: the YCbCr (or grey) planes padded
// to whole blocks, a CMYK image's extra planes, and a progressive
// image's coefficients, 256 bytes for each block of 8×8.
func jpegMemory(data []byte, w, h int) (int64, string) {
	px := int64(w) * int64(h)
	sof, progressive := jpegFrame(data)
	if len(sof) < 6 {
		return 16 * px, ""
	}
	n := int(sof[5])
	if n < 1 || len(sof) < 6+3*n {
		return 16 * px, ""
	}
	var hmax, vmax int64 = 1, 1
	for i := range n {
		s := sof[6+3*i+1]
		hmax, vmax = max(hmax, int64(s>>4)), max(vmax, int64(s&0xf))
	}
	mxx := (int64(w) + 8*hmax - 1) / (8 * hmax)
	myy := (int64(h) + 8*vmax - 1) / (8 * vmax)
	var planes int64 // bytes of the decoded planes, one per pixel of each
	for i := range n {
		s := sof[6+3*i+1]
		planes += mxx * int64(s>>4) * 8 * myy * int64(s&0xf) * 8
	}
	need := planes
	if n == 4 {
		need += 8 * px // the CMYK image made from the planes, and its RGBA copy (eightBit)
	}
	costly := ""
	if progressive {
		need += 4 * planes
		costly = "JPEG lũy tiến (progressive)"
	}
	return need, costly
}

// jpegFrame returns the body of a JPEG's frame header and whether it is
// progressive; nil when there is none before the first scan.
func jpegFrame(data []byte) ([]byte, bool) {
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xff {
			return nil, false
		}
		m := data[i+1]
		if m == 0xff { // fill byte
			i++
			continue
		}
		if m == 0xd8 || m >= 0xd0 && m <= 0xd7 || m == 0x01 { // no length
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return nil, false
		}
		body := data[i+4 : i+2+n]
		switch {
		case m == 0xda: // start of scan: no frame before it
			return nil, false
		case m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc:
			return body, m == 0xc2 || m == 0xc6 || m == 0xca || m == 0xce
		}
		i += 2 + n
	}
	return nil, false
}

// webpMemory tells lossy from lossless WebP and looks for alpha: lossy is
// YCbCr 4:2:0, with alpha decoded as a lossless image of its own;
// lossless is NRGBA with room for its inverse transforms.
func webpMemory(data []byte, px int64) (int64, string) {
	if len(data) < 30 {
		return 12 * px, ""
	}
	switch string(data[12:16]) {
	case "VP8 ":
		return px * 3 / 2, ""
	case "VP8L":
		return 8 * px, ""
	}
	lossless := bytes.Contains(data[30:min(len(data), 4096)], []byte("VP8L"))
	alpha := data[20]&0x10 != 0
	switch {
	case lossless:
		return 8 * px, ""
	case alpha: // with its NRGBA copy (eightBit)
		return px*5/2 + 8*px + 4*px, "WebP có kênh trong suốt"
	}
	return px * 3 / 2, ""
}
