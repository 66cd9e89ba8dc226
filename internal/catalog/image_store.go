package catalog

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/db"
)

type imageRow struct {
	ID          uuid.UUID `db:"id"`
	Position    int       `db:"position"`
	Alt         string    `db:"alt"`
	OriginalKey string    `db:"original_key"`
	ContentType string    `db:"content_type"`
	Width       int       `db:"width"`
	Height      int       `db:"height"`
	Bytes       int       `db:"bytes"`
	ThumbKey    string    `db:"thumb_key"`
	MediumKey   string    `db:"medium_key"`
}

// toImage converts a row; the service turns the keys into URLs.
func toImage(r imageRow) Image {
	return Image{ID: r.ID, Alt: r.Alt, Width: r.Width, Height: r.Height, position: r.Position,
		contentType: r.ContentType, size: r.Bytes,
		keys: imageKeys{original: r.OriginalKey, thumb: r.ThumbKey, medium: r.MediumKey}}
}

// Images returns a product's images by position.
func (s *PGStore) Images(ctx context.Context, ext sqlx.ExtContext, productID uuid.UUID) ([]Image, error) {
	const q = `
SELECT id, position, alt, original_key, content_type, width, height, bytes, thumb_key, medium_key
FROM product_images
WHERE product_id = $1
ORDER BY position, id`
	var rows []imageRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q, productID); err != nil {
		return nil, fmt.Errorf("catalog: images: %w", err)
	}
	out := make([]Image, len(rows))
	for i, r := range rows {
		out[i] = toImage(r)
	}
	return out, nil
}

// InsertImage writes a new image of a product.
func (s *PGStore) InsertImage(ctx context.Context, ext sqlx.ExtContext, productID uuid.UUID, img Image, now time.Time) error {
	const q = `
INSERT INTO product_images (id, product_id, position, alt, original_key, content_type, width, height, bytes,
                            thumb_key, medium_key, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`
	_, err := ext.ExecContext(ctx, q, img.ID, productID, img.position, img.Alt, img.keys.original, img.contentType,
		img.Width, img.Height, img.size, img.keys.thumb, img.keys.medium, now)
	if err != nil {
		return fmt.Errorf("catalog: insert image: %w", db.Classify(err))
	}
	return nil
}

// UpdateImage writes an image's position and alternative text.
func (s *PGStore) UpdateImage(ctx context.Context, ext sqlx.ExtContext, img Image, now time.Time) error {
	const q = `
UPDATE product_images
SET position = $2, alt = $3, updated_at = $4
WHERE id = $1`
	if _, err := ext.ExecContext(ctx, q, img.ID, img.position, img.Alt, now); err != nil {
		return fmt.Errorf("catalog: update image: %w", db.Classify(err))
	}
	return nil
}

// DeleteImage removes an image's row.
func (s *PGStore) DeleteImage(ctx context.Context, ext sqlx.ExtContext, id uuid.UUID) error {
	const q = `
DELETE FROM product_images
WHERE id = $1`
	if _, err := ext.ExecContext(ctx, q, id); err != nil {
		return fmt.Errorf("catalog: delete image: %w", err)
	}
	return nil
}
