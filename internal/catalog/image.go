package catalog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/web"
)

// Errors of product images; internal/app maps them to statuses.
var (
	ErrImageNotFound      = errors.New("không tìm thấy ảnh sản phẩm")
	ErrImageUnsupported   = errors.New("chỉ nhận ảnh JPEG, PNG hoặc WebP")
	ErrImageTooLarge      = errors.New("tệp ảnh quá lớn")
	ErrImageTooManyPixels = errors.New("ảnh có quá nhiều điểm ảnh; hãy thu nhỏ ảnh rồi tải lên lại")
	ErrImageUnreadable    = errors.New("không đọc được tệp ảnh; tệp có thể bị hỏng")
	ErrTooManyImages      = errors.New("sản phẩm đã có đủ số ảnh tối đa; hãy xoá bớt ảnh trước khi thêm")
	ErrDuplicateImage     = errors.New("ảnh này đã có trong sản phẩm")
	errNoMedia            = errors.New("catalog: no media storage configured (WithImages)")
)

// Image is a picture of a product, as its page shows it.
type Image struct {
	ID        uuid.UUID `json:"id"`
	URL       string    `json:"url"` // the original, without metadata
	ThumbURL  string    `json:"thumb_url"`
	MediumURL string    `json:"medium_url"`
	Alt       string    `json:"alt"`
	Width     int       `json:"width"` // of the original
	Height    int       `json:"height"`

	position    int
	contentType string // of the original
	size        int    // of the original, in bytes
	keys        imageKeys
}

// imageKeys are where an image's files are in the media storage.
type imageKeys struct{ original, thumb, medium string }

func (k imageKeys) all() []string { return []string{k.original, k.thumb, k.medium} }

// NewImage is an uploaded image file with its alternative text.
type NewImage struct {
	Data []byte
	Alt  string
}

// ImageUpdate changes the fields that are set. Position moves the image
// (from 0, the first); the others shift to make room.
type ImageUpdate struct {
	Alt      *string `json:"alt"`
	Position *int    `json:"position"`
}

// ImageLimits bound what an upload may be.
type ImageLimits struct {
	MaxBytes      int // of the file (IMAGE_MAX_BYTES)
	MaxPixels     int // width × height, checked before decoding
	MaxSide       int // px, either side
	MaxPerProduct int
	// DecodeBudget is the memory, in bytes, that the uploads being decoded
	// and resized at once may take together (IMAGE_DECODE_BUDGET): each
	// takes what its header says it will need (imageMemory), one that
	// needs more than all of it is refused, and others wait their turn.
	DecodeBudget int64
	// DecodeWait is how long an upload waits for its share of the budget
	// before it is refused with ErrImageBusy (default 15 s, within the
	// server's write timeout).
	DecodeWait time.Duration
}

// Default image limits.
const (
	DefaultImageMaxBytes = 8 << 20
	maxImagePixels       = 40_000_000
	maxImageSide         = 10_000
	maxImagesPerProduct  = 12
	maxAlt               = 300
)

// Media keeps the images' files; internal/platform/storage implements it.
type Media interface {
	Put(ctx context.Context, key, contentType string, r io.Reader) error
	Delete(ctx context.Context, key string) error
	URL(key string) string
}

// imageStore is the part of Store that keeps the images' rows.
type imageStore interface {
	Images(ctx context.Context, ext sqlx.ExtContext, productID uuid.UUID) ([]Image, error)
	InsertImage(ctx context.Context, ext sqlx.ExtContext, productID uuid.UUID, img Image, now time.Time) error
	UpdateImage(ctx context.Context, ext sqlx.ExtContext, img Image, now time.Time) error
	DeleteImage(ctx context.Context, ext sqlx.ExtContext, id uuid.UUID) error
}

// images is the service's image configuration.
type images struct {
	media  Media
	limits ImageLimits
	budget *decodeBudget // the memory of decodes in progress
	log    *slog.Logger  // files that could not be removed
}

// WithImages lets the service keep product images in media. Zero limits
// take the defaults. Without it, uploads fail.
func WithImages(media Media, limits ImageLimits, log *slog.Logger) Option {
	if limits.MaxBytes <= 0 {
		limits.MaxBytes = DefaultImageMaxBytes
	}
	if limits.MaxPixels <= 0 {
		limits.MaxPixels = maxImagePixels
	}
	if limits.MaxSide <= 0 {
		limits.MaxSide = maxImageSide
	}
	if limits.MaxPerProduct <= 0 {
		limits.MaxPerProduct = maxImagesPerProduct
	}
	if limits.DecodeBudget <= 0 {
		limits.DecodeBudget = DefaultImageDecodeBudget
	}
	budget := newDecodeBudget(limits.DecodeBudget)
	if limits.DecodeWait > 0 {
		budget.wait = limits.DecodeWait
	}
	return func(s *Service) {
		s.images = &images{media: media, limits: limits, budget: budget, log: log}
	}
}

// withImageURLs fills in the URLs of a product's images and its thumbnail.
func (s *Service) withImageURLs(p *Product) {
	if s.images == nil {
		return
	}
	for i := range p.Images {
		img := &p.Images[i]
		img.URL = s.images.media.URL(img.keys.original)
		img.ThumbURL = s.images.media.URL(img.keys.thumb)
		img.MediumURL = s.images.media.URL(img.keys.medium)
	}
	if len(p.Images) > 0 {
		p.ThumbURL = &p.Images[0].ThumbURL
	}
}

// thumbURL is the address of a list item's thumbnail, nil without one.
func (s *Service) thumbURL(key string) *string {
	if key == "" || s.images == nil {
		return nil
	}
	u := s.images.media.URL(key)
	return &u
}

func checkAlt(v *web.ValidationError, alt string) string {
	alt = strings.TrimSpace(alt)
	v.Check(utf8.RuneCountInString(alt) <= maxAlt, "alt", "mô tả ảnh tối đa 300 ký tự")
	return alt
}

// AddImage adds an image at the end of a product's images. The file is
// checked and resized before anything is written; its files are written
// in the transaction that inserts its row, and removed again when that
// transaction fails, so that a failed upload leaves nothing behind.
func (s *Service) AddImage(ctx context.Context, viewer *auth.Principal, idOrSlug string, n NewImage) (Product, error) {
	if s.images == nil {
		return Product{}, errNoMedia
	}
	// Who may upload is checked before the costly decoding, and again
	// under the product's lock.
	if err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		_, err := s.lock(ctx, tx, viewer, idOrSlug, editors)
		return err
	}); err != nil {
		return Product{}, err
	}
	var v web.ValidationError
	alt := checkAlt(&v, n.Alt)
	if err := v.Err(); err != nil {
		return Product{}, err
	}
	pi, err := processImage(ctx, n.Data, s.images.limits, s.images.budget)
	if err != nil {
		return Product{}, err
	}
	// The ID is chosen once: a retried transaction writes the same files.
	id, err := uuid.NewV7()
	if err != nil {
		return Product{}, err
	}
	var written []string
	p, err := s.editImages(ctx, viewer, idOrSlug, func(tx *sqlx.Tx, p Product, imgs []Image) error {
		if len(imgs) >= s.images.limits.MaxPerProduct {
			return web.Detail(ErrTooManyImages, "Mỗi sản phẩm có tối đa %d ảnh; hãy xoá bớt ảnh trước khi thêm.", s.images.limits.MaxPerProduct)
		}
		sum := pi.sumPrefix(p.ID)
		if slices.ContainsFunc(imgs, func(i Image) bool { return strings.HasPrefix(i.keys.original, sum) }) {
			return ErrDuplicateImage
		}
		// The files written below are this image's own (its ID is in
		// their keys), so removing them when the upload fails, or when the
		// image is deleted, removes no other image's files.
		keys := pi.keys(p.ID, id)
		for _, f := range []struct {
			key string
			enc encodedImage
		}{{keys.original, pi.original}, {keys.thumb, pi.thumb}, {keys.medium, pi.medium}} {
			written = append(written, f.key)
			if err := s.images.media.Put(ctx, f.key, f.enc.contentType, bytes.NewReader(f.enc.data)); err != nil {
				return err
			}
		}
		img := Image{ID: id, Alt: alt, Width: pi.original.width, Height: pi.original.height, position: len(imgs),
			contentType: pi.original.contentType, size: len(pi.original.data), keys: keys}
		return s.store.InsertImage(ctx, tx, p.ID, img, s.now())
	})
	if err != nil {
		s.removeFiles(ctx, written)
		return Product{}, err
	}
	return p, nil
}

// UpdateImage changes an image's alternative text or position.
func (s *Service) UpdateImage(ctx context.Context, viewer *auth.Principal, idOrSlug string, imageID uuid.UUID, u ImageUpdate) (Product, error) {
	return s.editImages(ctx, viewer, idOrSlug, func(tx *sqlx.Tx, _ Product, imgs []Image) error {
		i := slices.IndexFunc(imgs, func(img Image) bool { return img.ID == imageID })
		if i < 0 {
			return fmt.Errorf("catalog: image %s: %w", imageID, ErrImageNotFound)
		}
		var v web.ValidationError
		changed := slices.Clone(imgs)
		if u.Alt != nil {
			changed[i].Alt = checkAlt(&v, *u.Alt)
		}
		if u.Position != nil {
			to := *u.Position
			v.Check(to >= 0 && to < len(imgs), "position", fmt.Sprintf("vị trí phải từ 0 đến %d", len(imgs)-1))
			if v.Err() == nil {
				img := changed[i]
				changed = slices.Insert(slices.Delete(changed, i, i+1), to, img)
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		return s.saveImages(ctx, tx, imgs, changed)
	})
}

// DeleteImage removes an image and, once that is committed, its files.
func (s *Service) DeleteImage(ctx context.Context, viewer *auth.Principal, idOrSlug string, imageID uuid.UUID) (Product, error) {
	var gone imageKeys
	p, err := s.editImages(ctx, viewer, idOrSlug, func(tx *sqlx.Tx, _ Product, imgs []Image) error {
		i := slices.IndexFunc(imgs, func(img Image) bool { return img.ID == imageID })
		if i < 0 {
			return fmt.Errorf("catalog: image %s: %w", imageID, ErrImageNotFound)
		}
		if err := s.store.DeleteImage(ctx, tx, imageID); err != nil {
			return err
		}
		gone = imgs[i].keys
		return s.saveImages(ctx, tx, imgs, slices.Delete(slices.Clone(imgs), i, i+1))
	})
	if err != nil {
		return Product{}, err
	}
	// Its files are the image's own: their keys hold its ID (or, for an
	// image stored before they did, its product's ID and its content,
	// which a new upload of the same file no longer writes to).
	s.removeFiles(ctx, gone.all())
	return p, nil
}

// saveImages writes the images of after whose position (their index) or
// alternative text differs from before.
func (s *Service) saveImages(ctx context.Context, tx *sqlx.Tx, before, after []Image) error {
	old := map[uuid.UUID]Image{}
	for _, img := range before {
		old[img.ID] = img
	}
	now := s.now()
	for i, img := range after {
		img.position = i
		if o, ok := old[img.ID]; ok && o.position == i && o.Alt == img.Alt {
			continue
		}
		if err := s.store.UpdateImage(ctx, tx, img, now); err != nil {
			return err
		}
	}
	return nil
}

// editImages locks a product for an editor, hands its images to apply and
// records the change like every other write: the product's updated_at and
// its outbox record, in the same transaction; then it drops the product's
// cached pages and returns it.
func (s *Service) editImages(ctx context.Context, viewer *auth.Principal, idOrSlug string,
	apply func(tx *sqlx.Tx, p Product, imgs []Image) error) (Product, error) {
	var id uuid.UUID
	var slug string
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		p, err := s.lock(ctx, tx, viewer, idOrSlug, editors)
		if err != nil {
			return err
		}
		imgs, err := s.store.Images(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if err := apply(tx, p, imgs); err != nil {
			return err
		}
		p.UpdatedAt = s.now()
		if err := s.store.Update(ctx, tx, p); err != nil {
			return err
		}
		id, slug = p.ID, p.Slug
		return s.changed(ctx, tx, viewer, p.ID, p.Cooperative.ID, "images")
	})
	if id != uuid.Nil {
		s.cache.forgetProduct(id, slug)
	}
	if err != nil {
		return Product{}, err
	}
	return s.Get(ctx, viewer, id.String())
}

// removeFiles deletes files no row refers to. It runs after the request's
// outcome is settled, so a failure is logged, not returned: the files are
// orphans, harmless but for their space.
func (s *Service) removeFiles(ctx context.Context, keys []string) {
	ctx = context.WithoutCancel(ctx)
	for _, k := range keys {
		if err := s.images.media.Delete(ctx, k); err != nil && s.images.log != nil {
			s.images.log.ErrorContext(ctx, "catalog: orphan image file", "key", k, "err", err)
		}
	}
}

// ImageMaxBytes is the largest image file accepted.
func (s *Service) ImageMaxBytes() int {
	if s.images == nil {
		return DefaultImageMaxBytes
	}
	return s.images.limits.MaxBytes
}
