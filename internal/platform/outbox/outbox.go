// Package outbox delivers changes to other systems reliably. A service
// writes a Message with Write inside the transaction that makes the change,
// so the message exists exactly when the change does; the worker's Relay
// hands messages to each Consumer in commit-safe order, in batches, and
// retries a failed batch with backoff without ever skipping or losing one.
// Delivery is at least once: consumers must be idempotent (an index upsert,
// a webhook with the message ID).
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
	TxID      string          `db:"txid"`
	Topic     string          `db:"topic"`
	Key       string          `db:"key"`
	Payload   json.RawMessage `db:"payload"`
	CreatedAt time.Time       `db:"created_at"`
}

// Write records a message in the caller's transaction. key names the entity
// that changed (a product ID), so consumers can coalesce repeated changes.
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

// Consumer receives the messages of some topics, in order, in batches.
type Consumer struct {
	// Name identifies the consumer's cursor; changing it replays everything.
	Name   string
	Topics []string
	// Handle delivers a batch. When it fails, the whole batch is retried
	// later; messages are never skipped.
	Handle    func(ctx context.Context, batch []Message) error
	BatchSize int
}

// Relay moves messages from the outbox to consumers.
type Relay struct {
	db  *sqlx.DB
	log *slog.Logger
	// Backoff bounds the wait after a failed batch; it doubles per failure.
	MinBackoff, MaxBackoff time.Duration
	// Poll is the wait when there is nothing to deliver.
	Poll    time.Duration
	metrics *relayMetrics
}

type relayMetrics struct {
	delivered *prometheus.CounterVec
	failures  *prometheus.CounterVec
	lag       *prometheus.GaugeVec
}

// NewRelay returns a relay on d. reg may be nil.
func NewRelay(d *sqlx.DB, log *slog.Logger, reg prometheus.Registerer) *Relay {
	r := &Relay{db: d, log: log, MinBackoff: time.Second, MaxBackoff: 5 * time.Minute, Poll: time.Second}
	if reg != nil {
		r.metrics = &relayMetrics{
			delivered: prometheus.NewCounterVec(prometheus.CounterOpts{
				Name: "htxmarket_outbox_delivered_total", Help: "Outbox messages delivered, by consumer.",
			}, []string{"consumer"}),
			failures: prometheus.NewCounterVec(prometheus.CounterOpts{
				Name: "htxmarket_outbox_failures_total", Help: "Failed outbox batches, by consumer.",
			}, []string{"consumer"}),
			lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
				Name: "htxmarket_outbox_pending", Help: "Messages in the last batch read, by consumer (0 when caught up).",
			}, []string{"consumer"}),
		}
		reg.MustRegister(r.metrics.delivered, r.metrics.failures, r.metrics.lag)
	}
	return r
}

// ErrBusy means another worker holds the consumer's cursor.
var ErrBusy = errors.New("outbox: consumer busy in another worker")

// errBackingOff means the consumer's last batch failed and it is waiting.
var errBackingOff = errors.New("outbox: backing off")

// RunOnce delivers at most one batch to c and returns how many messages it
// delivered. The cursor row is locked while the batch is handled, so that
// workers running side by side never deliver the same batch concurrently.
func (r *Relay) RunOnce(ctx context.Context, c Consumer) (int, error) {
	if c.BatchSize <= 0 {
		c.BatchSize = 100
	}
	const ensure = `
INSERT INTO outbox_cursors (consumer)
VALUES ($1)
ON CONFLICT (consumer) DO NOTHING`
	if _, err := r.db.ExecContext(ctx, ensure, c.Name); err != nil {
		return 0, fmt.Errorf("outbox: cursor %s: %w", c.Name, err)
	}
	var delivered int
	var handleErr error
	err := db.InTx(ctx, r.db, func(tx *sqlx.Tx) error {
		delivered, handleErr = 0, nil
		var cur struct {
			LastTxID      string    `db:"last_txid"`
			LastID        int64     `db:"last_id"`
			Attempts      int       `db:"attempts"`
			NextAttemptAt time.Time `db:"next_attempt_at"`
			Now           time.Time `db:"now"`
		}
		const lock = `
SELECT last_txid::text AS last_txid, last_id, attempts, next_attempt_at, now() AS now
FROM outbox_cursors
WHERE consumer = $1
FOR UPDATE SKIP LOCKED`
		if err := tx.GetContext(ctx, &cur, lock, c.Name); err != nil {
			if errors.Is(db.Classify(err), db.ErrNotFound) {
				return ErrBusy
			}
			return err
		}
		if cur.NextAttemptAt.After(cur.Now) {
			return errBackingOff
		}
		const read = `
SELECT id, txid::text AS txid, topic, key, payload, created_at
FROM outbox
WHERE (txid, id) > ($1::xid8, $2)
  AND txid < pg_snapshot_xmin(pg_current_snapshot())
  AND topic = ANY($3)
ORDER BY txid, id
LIMIT $4`
		var batch []Message
		if err := tx.SelectContext(ctx, &batch, read, cur.LastTxID, cur.LastID, pq.Array(c.Topics), c.BatchSize); err != nil {
			return fmt.Errorf("outbox: read for %s: %w", c.Name, err)
		}
		if r.metrics != nil {
			r.metrics.lag.WithLabelValues(c.Name).Set(float64(len(batch)))
		}
		if len(batch) == 0 {
			return nil
		}
		if herr := c.Handle(ctx, batch); herr != nil {
			// The failure is recorded and committed; the cursor stays put.
			handleErr = herr
			return r.recordFailure(ctx, tx, c.Name, cur.Attempts+1, herr)
		}
		last := batch[len(batch)-1]
		const advance = `
UPDATE outbox_cursors
SET last_txid = $2::xid8, last_id = $3, attempts = 0, next_attempt_at = now(), last_error = NULL, updated_at = now()
WHERE consumer = $1`
		if _, err := tx.ExecContext(ctx, advance, c.Name, last.TxID, last.ID); err != nil {
			return fmt.Errorf("outbox: advance %s: %w", c.Name, err)
		}
		delivered = len(batch)
		return nil
	})
	if r.metrics != nil && delivered > 0 {
		r.metrics.delivered.WithLabelValues(c.Name).Add(float64(delivered))
	}
	if err == nil && handleErr != nil {
		err = handlerError{handleErr}
	}
	return delivered, err
}

// handlerError carries a consumer's failure out of the transaction that
// recorded it.
type handlerError struct{ err error }

func (e handlerError) Error() string { return "outbox: deliver: " + e.err.Error() }
func (e handlerError) Unwrap() error { return e.err }

// recordFailure schedules the next attempt with exponential backoff.
func (r *Relay) recordFailure(ctx context.Context, tx *sqlx.Tx, name string, attempts int, herr error) error {
	wait := r.backoff(attempts)
	const q = `
UPDATE outbox_cursors
SET attempts = $2, next_attempt_at = now() + $3 * interval '1 millisecond', last_error = $4, updated_at = now()
WHERE consumer = $1`
	if _, err := tx.ExecContext(ctx, q, name, attempts, wait.Milliseconds(), truncate(herr.Error(), 1000)); err != nil {
		return fmt.Errorf("outbox: record failure of %s: %w", name, err)
	}
	if r.metrics != nil {
		r.metrics.failures.WithLabelValues(name).Inc()
	}
	r.log.WarnContext(ctx, "outbox delivery failed; will retry", "consumer", name, "attempts", attempts,
		"retry_in", wait.String(), "err", herr)
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

// Run delivers to every consumer until ctx ends: a consumer with messages
// is served again at once, an idle or failing one waits.
func (r *Relay) Run(ctx context.Context, consumers ...Consumer) {
	for {
		busy := false
		for _, c := range consumers {
			n, err := r.RunOnce(ctx, c)
			switch {
			case err == nil:
				busy = busy || n > 0
			case errors.Is(err, ErrBusy), errors.Is(err, errBackingOff), ctx.Err() != nil:
			default:
				var he handlerError
				if !errors.As(err, &he) {
					r.log.ErrorContext(ctx, "outbox relay", "consumer", c.Name, "err", err)
				}
			}
		}
		if busy {
			continue
		}
		select {
		case <-ctx.Done():
			return
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
