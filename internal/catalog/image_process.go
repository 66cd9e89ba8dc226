package catalog

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/image/webp"

	"htxmarket/internal/platform/web"
)

// What an upload becomes. Every stored file is re-encoded from the decoded
// pixels, which drops EXIF (GPS position, camera serial), ICC profiles and
// anything hidden after the image data.
//
//   - The original keeps its size: a JPEG stays JPEG (quality 90), a PNG
//     stays PNG (lossless, alpha kept); a WebP becomes PNG when it has
//     transparent pixels, else JPEG, as the standard library has no WebP
//     encoder.
//   - The thumbnail (400 px wide) and the medium size (1200 px wide) are
//     JPEG at quality 82, never enlarged; transparent pixels are laid on
//     white, the background product pages use, because JPEG is a fraction
//     of PNG's size for photos and every browser and social network reads it.
const (
	thumbWidth      = 400
	mediumWidth     = 1200
	resizedQuality  = 82
	originalQuality = 90
)

// formats are the accepted uploads, by the type http.DetectContentType
// sniffs from their first bytes; the client's Content-Type and file name
// are not trusted.
var formats = map[string]struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}{
	"image/jpeg": {jpeg.DecodeConfig, jpeg.Decode},
	"image/png":  {png.DecodeConfig, png.Decode},
	"image/webp": {webp.DecodeConfig, webp.Decode},
}

// encodedImage is one file to store.
type encodedImage struct {
	data          []byte
	contentType   string
	ext           string
	width, height int
}

// processedImage is an upload checked, cleaned and resized, ready to store.
type processedImage struct {
	sum                     string // hex SHA-256 of the uploaded bytes
	original, thumb, medium encodedImage
}

// keys are the storage keys of the files of the image imageID on a
// product: its content's hash (what tells a duplicate, see sumPrefix)
// and the image's own ID, so that a key's file never changes and may be
// cached for good, and no two images — a deleted one and the same file
// uploaded again while the delete removes its files — share a file.
func (p processedImage) keys(productID, imageID fmt.Stringer) imageKeys {
	base := p.sumPrefix(productID) + imageID.String()
	return imageKeys{
		original: base + "-orig" + p.original.ext,
		thumb:    base + "-w" + strconv.Itoa(thumbWidth) + p.thumb.ext,
		medium:   base + "-w" + strconv.Itoa(mediumWidth) + p.medium.ext,
	}
}

// sumPrefix begins the keys of every image of the product with this
// content, including those stored before keys held the image's ID
// ("products/<product>/<sum>-orig.jpg").
func (p processedImage) sumPrefix(productID fmt.Stringer) string {
	return "products/" + productID.String() + "/" + p.sum + "-"
}

// processImage checks an upload and makes its files. The cheap checks come
// first: size, sniffed type, then the dimensions from the header alone, so
// that a small file claiming billions of pixels (a decompression bomb) is
// refused before any pixel memory is allocated. Then the memory that
// decoding and resizing it will take, also from the header: an image that
// needs more than the whole budget is refused, and one that needs more
// than is free waits (briefly) for other uploads to finish.
func processImage(ctx context.Context, data []byte, lim ImageLimits, budget *decodeBudget) (processedImage, error) {
	if len(data) == 0 {
		return processedImage{}, &web.ValidationError{Fields: []web.FieldError{{Field: "file", Message: "tệp ảnh trống"}}}
	}
	if len(data) > lim.MaxBytes {
		return processedImage{}, web.Detail(ErrImageTooLarge, "Tệp ảnh quá lớn: tối đa %s.", megabytes(lim.MaxBytes))
	}
	ct := http.DetectContentType(data)
	f, ok := formats[ct]
	if !ok {
		return processedImage{}, fmt.Errorf("catalog: upload sniffed as %s: %w", ct, ErrImageUnsupported)
	}
	cfg, err := f.config(bytes.NewReader(data))
	if err != nil {
		return processedImage{}, fmt.Errorf("catalog: %s header: %v: %w", ct, err, ErrImageUnreadable)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > lim.MaxSide || cfg.Height > lim.MaxSide ||
		int64(cfg.Width)*int64(cfg.Height) > int64(lim.MaxPixels) {
		return processedImage{}, web.Detail(ErrImageTooManyPixels,
			"Ảnh %d×%d px vượt giới hạn: tối đa %s megapixel và %s px mỗi cạnh.", cfg.Width, cfg.Height,
			strconv.Itoa(lim.MaxPixels/1_000_000), thousands(lim.MaxSide))
	}

	need, costly := imageMemory(data, ct, cfg.Width, cfg.Height)
	if need > budget.total {
		if costly != "" {
			costly = ", " + costly + ","
		}
		return processedImage{}, web.Detail(ErrImageTooManyPixels,
			"Ảnh %d×%d px%s cần khoảng %d MB bộ nhớ để xử lý, quá giới hạn %d MB của máy chủ. Hãy thu nhỏ ảnh (hoặc lưu ở dạng JPEG thường, 8 bit mỗi kênh màu) rồi tải lên lại.",
			cfg.Width, cfg.Height, costly, (need+(1<<20)-1)>>20, budget.total>>20)
	}
	release, err := budget.acquire(ctx, need)
	if err != nil {
		return processedImage{}, web.Detail(err, "Máy chủ đang xử lý nhiều ảnh lớn cùng lúc. Hãy thử tải ảnh lên lại sau ít phút.")
	}
	// makeFiles returns before release: the decoded pixels are garbage
	// when release collects them.
	out, err := makeFiles(data, ct, f.decode)
	release()
	return out, err
}

// makeFiles decodes an upload that passed processImage's checks and
// encodes its original, thumbnail and medium files.
func makeFiles(data []byte, ct string, decode func(io.Reader) (image.Image, error)) (processedImage, error) {
	img, err := decode(bytes.NewReader(data))
	if err != nil {
		return processedImage{}, fmt.Errorf("catalog: decode %s: %v: %w", ct, err, ErrImageUnreadable)
	}
	if ct == "image/jpeg" {
		img = orient(img, jpegOrientation(data)) // upright, as EXIF goes with re-encoding
	}
	img, dropped := eightBit(img)
	if dropped >= bigDecode {
		runtime.GC() // the 16-bit pixels: imageMemory counts the 8-bit copy beside them, not more
	}
	sum := sha256.Sum256(data)
	out := processedImage{sum: hex.EncodeToString(sum[:])}
	if out.original, err = encodeOriginal(img, ct); err != nil {
		return processedImage{}, err
	}
	if out.thumb, err = resized(img, thumbWidth); err != nil {
		return processedImage{}, err
	}
	if out.medium, err = resized(img, mediumWidth); err != nil {
		return processedImage{}, err
	}
	return out, nil
}

func encodeOriginal(img image.Image, sniffed string) (encodedImage, error) {
	b := img.Bounds()
	out := encodedImage{width: b.Dx(), height: b.Dy()}
	var buf bytes.Buffer
	var err error
	if sniffed == "image/png" || (sniffed == "image/webp" && !opaque(img)) {
		out.contentType, out.ext = "image/png", ".png"
		err = png.Encode(&buf, img)
	} else {
		out.contentType, out.ext = "image/jpeg", ".jpg"
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: originalQuality})
	}
	if err != nil {
		return encodedImage{}, fmt.Errorf("catalog: encode original: %w", err)
	}
	out.data = buf.Bytes()
	return out, nil
}

// resized scales img to width (never up), keeping its proportions, on a
// white background, as JPEG.
func resized(img image.Image, width int) (encodedImage, error) {
	b := img.Bounds()
	w, h := resizedSize(b.Dx(), b.Dy(), width)
	dst := resize(img, w, h)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: resizedQuality}); err != nil {
		return encodedImage{}, fmt.Errorf("catalog: encode %d px: %w", width, err)
	}
	return encodedImage{data: buf.Bytes(), contentType: "image/jpeg", ext: ".jpg", width: w, height: h}, nil
}

// opaque reports whether every pixel of img is opaque.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// megabytes writes n bytes the Vietnamese way: "8 MB", "0,5 MB".
func megabytes(n int) string {
	return strings.Replace(strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64), ".", ",", 1) + " MB"
}

// thousands writes n with dots between thousands: 10.000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// Picture is an upload checked, cleaned of its metadata and resized by the
// pipeline product images go through, for another capability to store
// (a cooperative's logo and cover).
type Picture struct {
	Original, Thumb, Medium PictureFile // Thumb is 400 px wide, Medium 1,200 px, never enlarged
}

// PictureFile is one encoded size of a Picture.
type PictureFile struct {
	Data          []byte
	ContentType   string // image/jpeg or image/png
	Ext           string // .jpg or .png
	Width, Height int
}

// ProcessPicture checks an upload and makes its files as AddImage does,
// under the same limits and sharing the same decode budget, so that
// uploads elsewhere cannot take more memory than product images may.
func (s *Service) ProcessPicture(ctx context.Context, data []byte) (Picture, error) {
	if s.images == nil {
		return Picture{}, errNoMedia
	}
	pi, err := processImage(ctx, data, s.images.limits, s.images.budget)
	if err != nil {
		return Picture{}, err
	}
	file := func(e encodedImage) PictureFile {
		return PictureFile{Data: e.data, ContentType: e.contentType, Ext: e.ext, Width: e.width, Height: e.height}
	}
	return Picture{Original: file(pi.original), Thumb: file(pi.thumb), Medium: file(pi.medium)}, nil
}
