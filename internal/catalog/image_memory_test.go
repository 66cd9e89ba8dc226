package catalog_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"htxmarket/internal/catalog"
	"htxmarket/internal/catalog/catalogtest"
)

// streamPNG is a w×h PNG of one colour (colour type 2, RGB, or 6, RGBA)
// at depth 8 or 16 bits per channel, written a row at a time: the file is
// small (a pixel bomb of 6324×6324 at 16 bits is some 300 kB) and making
// it takes a row of memory, not the image's.
func streamPNG(t testing.TB, w, h, depth, colourType int, shade byte) []byte {
	t.Helper()
	chunk := func(b *bytes.Buffer, kind string, data []byte) {
		binary.Write(b, binary.BigEndian, uint32(len(data)))
		body := append([]byte(kind), data...)
		b.Write(body)
		binary.Write(b, binary.BigEndian, crc32.ChecksumIEEE(body))
	}
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, byte(depth), byte(colourType), 0, 0, 0)
	chunk(&b, "IHDR", ihdr)
	channels := 3
	if colourType == 6 {
		channels = 4
	}
	row := make([]byte, 1+w*channels*depth/8)
	for i := 1; i < len(row); i++ {
		row[i] = shade + byte(i%channels)*40
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	for range h {
		zw.Write(row)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	chunk(&b, "IDAT", z.Bytes())
	chunk(&b, "IEND", nil)
	return b.Bytes()
}

// gradient is a w×h picture computed as it is read, so that encoding a
// large one takes no pixel buffer.
type gradient struct{ w, h int }

func (g gradient) ColorModel() color.Model { return color.RGBAModel }
func (g gradient) Bounds() image.Rectangle { return image.Rect(0, 0, g.w, g.h) }
func (g gradient) At(x, y int) color.Color {
	return color.RGBA{R: uint8(x / 16), G: uint8(y / 12), B: uint8((x + y) / 28), A: 255}
}

// heapInUse is the runtime's HeapInuse: the bytes of spans holding
// objects, live or not yet swept.
func heapInUse() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64() + s[1].Value.Uint64()
}

// TestImageDecodingStaysWithinItsBudget uploads at once the images that
// cost the most memory to decode and resize (issue #12): pixel bombs of
// 6324×6324 at 16 bits per channel, which pass the 40 megapixel check and
// would take some 600 MB each, and images heavy enough that two at a time
// exceed the budget. Sampled every few milliseconds, the process's heap
// must stay within the decode budget and a margin for the rest.
func TestImageDecodingStaysWithinItsBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes some 200 MB of pixels")
	}
	const budget = 128 << 20
	const margin = 48 << 20
	media := newMemMedia()
	s, d := newServiceWith(t, catalog.WithImages(media, catalog.ImageLimits{DecodeBudget: budget, DecodeWait: 5 * time.Minute}, nil))
	ctx := context.Background()
	coop := catalogtest.NewCooperative(t, d, "HTX Gốm Bát Tràng", "ha-noi", "verified")
	manager := managerOf(coop)

	type upload struct {
		name string
		data []byte
	}
	var uploads []upload
	for i := range 2 {
		uploads = append(uploads, upload{fmt.Sprintf("bomb %d: 6324×6324, 16 bits", i), streamPNG(t, 6324, 6324, 16, 2, byte(10*i))})
	}
	for i := range 3 {
		uploads = append(uploads, upload{fmt.Sprintf("heavy %d: 3000×3000, 16 bits", i), streamPNG(t, 3000, 3000, 16, 2, byte(100+10*i))})
	}
	uploads = append(uploads, upload{"4000×4000 RGBA, 8 bits", streamPNG(t, 4000, 4000, 8, 6, 200)})
	var photo bytes.Buffer
	if err := jpeg.Encode(&photo, gradient{4000, 3000}, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	uploads = append(uploads, upload{"4000×3000 JPEG", photo.Bytes()})
	products := make([]string, len(uploads))
	for i := range uploads {
		products[i] = newActiveProduct(t, s, coop, fmt.Sprintf("Bình gốm %d", i), fmt.Sprintf("binh-gom-%d", i)).Slug
	}

	runtime.GC()
	base := heapInUse()
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			peak.Store(max(peak.Load(), heapInUse()))
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	errs := make([]error, len(uploads))
	var wg sync.WaitGroup
	for i, u := range uploads {
		wg.Go(func() {
			_, errs[i] = s.AddImage(ctx, manager, products[i], catalog.NewImage{Data: u.data, Alt: u.name})
		})
	}
	wg.Wait()
	close(stop)
	<-sampled

	for i, u := range uploads {
		switch refused := errors.Is(errs[i], catalog.ErrImageTooManyPixels); {
		case u.name[:4] == "bomb" && !refused:
			t.Errorf("%s: err %v, want ErrImageTooManyPixels", u.name, errs[i])
		case u.name[:4] != "bomb" && errs[i] != nil:
			t.Errorf("%s: %v", u.name, errs[i])
		}
	}
	grew := int64(peak.Load()) - int64(base)
	t.Logf("heap grew by %d MiB at its peak (budget %d MiB)", grew>>20, budget>>20)
	if grew > budget+margin {
		t.Errorf("heap grew by %d MiB, more than the budget of %d MiB and %d MiB", grew>>20, budget>>20, margin>>20)
	}
}
