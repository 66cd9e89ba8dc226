package app_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"
)

// imageSeeds are small valid pictures in the formats an upload may be.
func imageSeeds(t testing.TB) [][]byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 24, 16))
	for y := range 16 {
		for x := range 24 {
			img.Set(x, y, color.NRGBA{uint8(x * 10), uint8(y * 15), 120, 255})
		}
	}
	var p, j, g bytes.Buffer
	if err := png.Encode(&p, img); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&j, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	if err := gif.Encode(&g, img, nil); err != nil {
		t.Fatal(err)
	}
	return [][]byte{p.Bytes(), j.Bytes(), g.Bytes()}
}

// resizePNGHeader gives a PNG's header other dimensions, bit depth and
// colour type, with a correct checksum half the time: the file claims a
// picture its data does not hold, or a huge one.
func resizePNGHeader(r *rand.Rand, b []byte) []byte {
	if len(b) < 33 || string(b[12:16]) != "IHDR" {
		return b
	}
	out := append([]byte(nil), b...)
	dims := []uint32{0, 1, 7, 6324, 10001, 65535, 1 << 20, 1<<31 - 1, 1<<32 - 1}
	binary.BigEndian.PutUint32(out[16:], dims[r.IntN(len(dims))])
	binary.BigEndian.PutUint32(out[20:], dims[r.IntN(len(dims))])
	out[24] = []byte{1, 2, 4, 8, 16, 3}[r.IntN(6)]
	out[25] = []byte{0, 2, 3, 4, 6, 7}[r.IntN(6)]
	if r.IntN(2) == 0 {
		binary.BigEndian.PutUint32(out[29:], crc32.ChecksumIEEE(out[12:29]))
	}
	return out
}

// resizeJPEGFrame gives a JPEG's frame header other dimensions.
func resizeJPEGFrame(r *rand.Rand, b []byte) []byte {
	out := append([]byte(nil), b...)
	for i := 2; i+9 < len(out); i++ {
		if out[i] == 0xff && (out[i+1] == 0xc0 || out[i+1] == 0xc2) {
			binary.BigEndian.PutUint16(out[i+5:], uint16(r.IntN(65536)))
			binary.BigEndian.PutUint16(out[i+7:], uint16(r.IntN(65536)))
			return out
		}
	}
	return out
}

// randomImage returns a mutated picture.
func randomImage(r *rand.Rand, seeds [][]byte) []byte {
	b := seeds[r.IntN(len(seeds))]
	switch r.IntN(6) {
	case 0:
		return resizePNGHeader(r, seeds[0])
	case 1:
		return resizeJPEGFrame(r, seeds[1])
	case 2:
		return b[:r.IntN(len(b))]
	case 3:
		out := make([]byte, r.IntN(2048))
		for i := range out {
			out[i] = byte(r.IntN(256))
		}
		return append([]byte("\x89PNG\r\n\x1a\n"), out...)
	}
	return mutate(r, b, 1<<20)
}

// TestImageUploadsProperty uploads mutated pictures (bit flips, cut
// files, headers claiming other or huge sizes, random bytes behind a
// PNG signature) to a product, as its cooperative's manager: none answers
// 5xx, every 4xx is problem+json. What is accepted is deleted again, so
// that the product never reaches its limit of pictures.
func TestImageUploadsProperty(t *testing.T) {
	w := newFuzzWorld(t)
	seeds := imageSeeds(t)
	r := fuzzRand(4)
	target := "/api/v1/products/" + w.product + "/images"
	seen := statuses{}
	const n = 400
	for i := range n {
		data := randomImage(r, seeds)
		if i < len(seeds) {
			data = seeds[i]
		}
		// The form itself stays well made: a broken one is refused by the
		// HTTP server's parser before any route runs.
		ct, body := multipartFile("file", "anh.png", data)
		if r.IntN(25) == 0 {
			ct, body = multipartFile([]string{"image", "File", ""}[r.IntN(3)], "anh.png", data)
		}
		res := w.send(t, "POST", target, w.manager, ct, body)
		check(t, res, "POST", target, fmt.Sprintf("the picture %.200q", data))
		seen.add(res.Code)
		if res.Code == 201 {
			for _, id := range imageIDs(t, res.Body.Bytes()) {
				if del := w.send(t, "DELETE", target+"/"+id, w.manager, "", nil); del.Code != 200 {
					t.Fatalf("delete image: %d %s", del.Code, del.Body)
				}
			}
		}
		if t.Failed() {
			break
		}
	}
	seen.expectSomeOK(t)
	noErrorsLogged(t, w)
}

// FuzzImageUpload uploads the fuzzer's picture.
func FuzzImageUpload(f *testing.F) {
	for _, s := range imageSeeds(f) {
		f.Add(s)
	}
	w := newFuzzWorld(f)
	target := "/api/v1/products/" + w.product + "/images"
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		ct, body := multipartFile("file", "anh.png", data)
		res := w.send(t, "POST", target, w.manager, ct, body)
		check(t, res, "POST", target, fmt.Sprintf("the picture %.200q", data))
		if res.Code == 201 {
			for _, id := range imageIDs(t, res.Body.Bytes()) {
				w.send(t, "DELETE", target+"/"+id, w.manager, "", nil)
			}
		}
	})
}

// imageIDs returns the IDs of the pictures of the product an upload
// answers with.
func imageIDs(t testing.TB, product []byte) []string {
	t.Helper()
	var p struct {
		Images []struct {
			ID string `json:"id"`
		} `json:"images"`
	}
	if err := json.Unmarshal(product, &p); err != nil || len(p.Images) == 0 {
		t.Fatalf("an accepted upload answered %v: %.300s", err, product)
	}
	ids := make([]string, len(p.Images))
	for i, img := range p.Images {
		ids[i] = img.ID
	}
	return ids
}
