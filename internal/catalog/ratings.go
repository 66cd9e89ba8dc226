package catalog

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/outbox"
)

// ChangeRatingExpired is the Change of a ChangeMessage that announces an
// OCOP rating which has expired with time, with no write to the product.
const ChangeRatingExpired = "rating_expired"

// AnnounceExpiredRatings tells the catalog's readers about OCOP ratings that
// have expired in the last days days (yesterday's included, today's not:
// a rating is current through its expiry date). Nothing writes to a
// product when its rating expires, so what was copied from it (the search
// index's stars, its cooperative's count of OCOP products) stays as it
// was: for each active product concerned, this refreshes its cooperative's
// figures and writes a product change to the outbox, and returns how many
// products it announced.
//
// It is meant to run every few hours. A product is announced on every run
// during the days after its expiry, which does no harm (consumers read the
// current state) and lets a worker stopped for up to days days catch up.
func (s *Service) AnnounceExpiredRatings(ctx context.Context, days int) (int, error) {
	if days < 1 {
		return 0, fmt.Errorf("catalog: announce expired ratings: look back %d days, want at least 1", days)
	}
	today := s.today()
	var n int
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		expired, err := expiredRatings(ctx, tx, today.AddDate(0, 0, -days), today)
		if err != nil {
			return err
		}
		n = len(expired)
		var coops []uuid.UUID
		seen := map[uuid.UUID]bool{}
		for _, p := range expired {
			if !seen[p.CoopID] {
				seen[p.CoopID] = true
				coops = append(coops, p.CoopID)
			}
		}
		if len(coops) > 0 {
			if err := s.refreshStats(ctx, tx, coops); err != nil {
				return err
			}
		}
		for _, p := range expired {
			err := outbox.Write(ctx, tx, TopicProductChanged, p.ID.String(),
				ChangeMessage{ProductID: p.ID, CooperativeID: p.CoopID, Change: ChangeRatingExpired})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

type expiredRating struct {
	ID     uuid.UUID `db:"id"`
	CoopID uuid.UUID `db:"cooperative_id"`
}

// expiredRatings lists the active products whose rating's last day was on
// or after since and before today. A sequential scan of products, a few
// times a day: cheaper than an index every write would keep up.
func expiredRatings(ctx context.Context, ext sqlx.ExtContext, since, today time.Time) ([]expiredRating, error) {
	const q = `
SELECT id, cooperative_id
FROM products
WHERE status = 'active'
  AND ocop_stars IS NOT NULL
  AND ocop_expires_on >= $1::date
  AND ocop_expires_on < $2::date
ORDER BY id`
	var rows []expiredRating
	if err := sqlx.SelectContext(ctx, ext, &rows, q, since.Format(time.DateOnly), today.Format(time.DateOnly)); err != nil {
		return nil, fmt.Errorf("catalog: expired ratings: %w", err)
	}
	return rows, nil
}
