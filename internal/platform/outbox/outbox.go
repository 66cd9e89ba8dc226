// Package outbox delivers changes to other systems reliably. A service
// writes a Message with Write inside the transaction that makes the change,
// so the message exists exactly when the change does; the worker's Relay
// hands each message to every consumer subscribed to its topic, in batches,
// retrying failed messages with backoff, never dropping one.
//
// Delivery is at least once and not strictly ordered (workers run side by
// side, and a failed message is retried later): a consumer must be
// idempotent and should treat a message as "this key changed", reading the
// current state rather than trusting the payload's order.
package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/prometheus/client_golang/prometheus"

	"htxmarket/internal/platform/db"
)

// Message is one change to deliver.
type Message struct {
	ID        int64           `db:"id"`
	Topic     string          `db:"topic"`
	Key       string          `db:"key"`
	Payload   json.RawMessage `db:"payload"`
	CreatedAt time.Time       `db:"created_at"`
	Attempts  int             `db:"attempts"`
}

// Write records a message in the caller's transaction; a trigger queues it
// for every consumer subscribed to topic (so bulk inserts into outbox are
// queued too). key names the entity that changed (a product ID).
func Write(ctx context.Context, tx sqlx.ExtContext, topic, key string, payload any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("outbox: encode %s payload: %w", topic, err)
	}
	const q = `
INSERT INTO outbox (topic, key, payload)
VALUES ($1, $2, $3)`
	if _, err := tx.ExecContext(ctx, q, topic, key, b); err != nil {
		return fmt.Errorf("outbox: write %s: %w", topic, err)
	}
	return nil
}

// Consumer receives the messages of some topics in batches.
type Consumer struct {
	// Name identifies the consumer's queue.
	Name   string
	Topics []string
	// Handle delivers a batch. When it fails, every message of the batch is
	// retried later with backoff.
	Handle    func(ctx context.Context, batch []Message) error
	BatchSize int
}

// Subscribe makes sure c receives every message written from now on.
func Subscribe(ctx context.Context, ext sqlx.ExtContext, c Consumer) error {
	const q = `
INSERT INTO outbox_subscriptions (consumer, topic)
SELECT $1, unnest($2::text[])
ON CONFLICT (consumer, topic) DO NOTHING`
	if _, err := ext.ExecContext(ctx, q, c.Name, pq.Array(c.Topics)); err != nil {
		return fmt.Errorf("outbox: subscribe %s: %w", c.Name, err)
	}
	return nil
}

// Relay moves messages from the outbox to consumers.
type Relay struct {
	db  *sqlx.DB
	log *slog.Logger
	// MinBackoff and MaxBackoff bound the wait before a failed message is
	// tried again; it doubles with each failure.
	MinBackoff, MaxBackoff time.Duration
	// Poll is the wait when there is nothing to deliver.
	Poll    time.Duration
	metrics *relayMetrics
}

// NewRelay returns a relay on d. reg may be nil; when it is not, the relay
// counts what it delivers and how long batches take, and reports every
// consumer's backlog when reg is gathered (see metrics.go).
func NewRelay(d *sqlx.DB, log *slog.Logger, reg prometheus.Registerer) *Relay {
	r := &Relay{db: d, log: log, MinBackoff: time.Second, MaxBackoff: 5 * time.Minute, Poll: time.Second}
	if reg != nil {
		r.metrics = newRelayMetrics(d, log, reg)
	}
	return r
}

// ErrDelivery wraps a consumer's failure to handle a batch.
var ErrDelivery = errors.New("outbox: delivery failed")

// RunOnce delivers at most one batch of due messages to c and returns how
// many it delivered. The batch's rows stay locked while c handles them.
func (r *Relay) RunOnce(ctx context.Context, c Consumer) (int, error) {
	if c.BatchSize <= 0 {
		c.BatchSize = 100
	}
	start := time.Now()
	var delivered, claimed int
	var handleErr error
	err := db.InTx(ctx, r.db, func(tx *sqlx.Tx) error {
		delivered, handleErr = 0, nil
		const claim = `
SELECT o.id, o.topic, o.key, o.payload, o.created_at, p.attempts
FROM outbox_pending p
JOIN outbox o ON o.id = p.message_id
WHERE p.consumer = $1
  AND p.next_attempt_at <= now()
ORDER BY p.next_attempt_at, p.message_id
LIMIT $2
FOR UPDATE OF p SKIP LOCKED`
		var batch []Message
		if err := tx.SelectContext(ctx, &batch, claim, c.Name, c.BatchSize); err != nil {
			return fmt.Errorf("outbox: claim for %s: %w", c.Name, err)
		}
		claimed = len(batch)
		if len(batch) == 0 {
			return nil
		}
		ids := make([]int64, len(batch))
		for i, m := range batch {
			ids[i] = m.ID
		}
		if herr := c.Handle(ctx, batch); herr != nil {
			// The failure is recorded and committed; the messages stay queued.
			handleErr = herr
			return r.recordFailure(ctx, tx, c.Name, batch, herr)
		}
		const done = `
DELETE FROM outbox_pending
WHERE consumer = $1 AND message_id = ANY($2)`
		if _, err := tx.ExecContext(ctx, done, c.Name, pq.Array(ids)); err != nil {
			return fmt.Errorf("outbox: mark delivered for %s: %w", c.Name, err)
		}
		delivered = len(batch)
		return nil
	})
	if r.metrics != nil && claimed > 0 {
		r.metrics.observe(c.Name, time.Since(start))
		switch {
		case err != nil: // rolled back: the batch comes back as it was
		case handleErr != nil:
			r.metrics.failures.WithLabelValues(c.Name).Add(float64(claimed))
		default:
			r.metrics.delivered.WithLabelValues(c.Name).Add(float64(delivered))
		}
	}
	if err == nil && handleErr != nil {
		err = fmt.Errorf("%w: %s: %w", ErrDelivery, c.Name, handleErr)
	}
	return delivered, err
}

// recordFailure schedules each message's next attempt with exponential
// backoff.
func (r *Relay) recordFailure(ctx context.Context, tx *sqlx.Tx, name string, batch []Message, herr error) error {
	const q = `
UPDATE outbox_pending
SET attempts = attempts + 1,
    next_attempt_at = now() + $3 * interval '1 millisecond',
    last_error = $4,
    updated_at = now()
WHERE consumer = $1 AND message_id = $2`
	msg := truncate(herr.Error(), 1000)
	for _, m := range batch {
		wait := r.backoff(m.Attempts + 1)
		if _, err := tx.ExecContext(ctx, q, name, m.ID, wait.Milliseconds(), msg); err != nil {
			return fmt.Errorf("outbox: record failure for %s: %w", name, err)
		}
	}
	r.log.WarnContext(ctx, "outbox delivery failed; will retry", "consumer", name, "messages", len(batch), "err", herr)
	return nil
}

func (r *Relay) backoff(attempts int) time.Duration {
	d := r.MinBackoff
	for i := 1; i < attempts && d < r.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, r.MaxBackoff)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// Run subscribes every consumer and delivers to them until ctx ends: a
// consumer with messages is served again at once, an idle one waits.
func (r *Relay) Run(ctx context.Context, consumers ...Consumer) error {
	for _, c := range consumers {
		if err := Subscribe(ctx, r.db, c); err != nil {
			return err
		}
	}
	for {
		busy := false
		for _, c := range consumers {
			n, err := r.RunOnce(ctx, c)
			switch {
			case err == nil:
				busy = busy || n > 0
			case ctx.Err() != nil, errors.Is(err, ErrDelivery): // logged by recordFailure
			default:
				r.log.ErrorContext(ctx, "outbox relay", "consumer", c.Name, "err", err)
			}
		}
		if busy {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(r.Poll):
		}
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
