package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Prune deletes messages older than age that no consumer still waits for,
// and returns how many it deleted. The log is kept for age for inspection
// and replays; undelivered messages are never deleted.
func Prune(ctx context.Context, ext sqlx.ExtContext, age time.Duration) (int64, error) {
	const q = `
DELETE FROM outbox o
WHERE o.created_at < now() - $1 * interval '1 second'
  AND NOT EXISTS (SELECT 1 FROM outbox_pending p WHERE p.message_id = o.id)`
	res, err := ext.ExecContext(ctx, q, int64(age.Seconds()))
	if err != nil {
		return 0, fmt.Errorf("outbox: prune: %w", err)
	}
	return res.RowsAffected()
}
