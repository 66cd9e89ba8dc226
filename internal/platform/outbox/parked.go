package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// ParkedMessage is a message that a consumer failed to take
// MaxAttempts times while it took others, and that the relay no longer
// tries. Its payload stays in the outbox, unshown: it may hold a
// customer's details.
type ParkedMessage struct {
	Consumer  string    `json:"consumer" db:"consumer"`
	MessageID int64     `json:"message_id" db:"message_id"`
	Topic     string    `json:"topic" db:"topic"`
	Key       string    `json:"key" db:"key"`
	Attempts  int       `json:"attempts" db:"attempts"`
	LastError string    `json:"last_error" db:"last_error"`
	CreatedAt time.Time `json:"created_at" db:"created_at"`
	ParkedAt  time.Time `json:"parked_at" db:"parked_at"`
}

// Parked returns at most limit parked messages, the most recently parked
// first, and how many are parked in all.
func Parked(ctx context.Context, ext sqlx.QueryerContext, limit int) ([]ParkedMessage, int, error) {
	const q = `
SELECT p.consumer, p.message_id, o.topic, o.key, p.attempts, coalesce(p.last_error, '') AS last_error,
       o.created_at, p.parked_at
FROM outbox_pending p
JOIN outbox o ON o.id = p.message_id
WHERE p.parked_at IS NOT NULL
ORDER BY p.parked_at DESC, p.message_id DESC
LIMIT $1`
	out := []ParkedMessage{}
	if err := sqlx.SelectContext(ctx, ext, &out, q, limit); err != nil {
		return nil, 0, fmt.Errorf("outbox: parked: %w", err)
	}
	const total = `
SELECT count(*)
FROM outbox_pending
WHERE parked_at IS NOT NULL`
	var n int
	if err := sqlx.GetContext(ctx, ext, &n, total); err != nil {
		return nil, 0, fmt.Errorf("outbox: parked: %w", err)
	}
	return out, n, nil
}
