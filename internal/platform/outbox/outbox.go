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
//
// A message that fails is retried on its own, so that it cannot fail the
// messages around it again and again; one that still fails after
// MaxAttempts attempts while its consumer delivers others is parked: kept,
// no longer tried, counted in the metrics and listed for administrators
// (Parked). Failures while nothing is delivered (the consumer's service
// down) park nothing.
package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
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
	return WritePrepared(ctx, nil, tx, topic, key, payload)
}

// WritePrepared is Write through a statement prepared in p (one round trip
// instead of two), for hot paths such as checkout; p may be nil.
func WritePrepared(ctx context.Context, p *db.Prepared, tx sqlx.ExtContext, topic, key string, payload any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("outbox: encode %s payload: %w", topic, err)
	}
	const q = `
INSERT INTO outbox (topic, key, payload)
VALUES ($1, $2, $3)`
	if _, err := p.Exec(ctx, tx, q, topic, key, b); err != nil {
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
	Poll time.Duration
	// MaxAttempts is the number of failed attempts after which a message
	// is parked (OUTBOX_MAX_ATTEMPTS), provided this relay delivered
	// another message of its consumer since the message's previous
	// failure; 0 never parks.
	MaxAttempts int
	metrics     *relayMetrics

	mu sync.Mutex
	// delivered is, by consumer, when the last round of this relay that
	// delivered something began, on the database's clock.
	delivered map[string]time.Time
}

// DefaultMaxAttempts is MaxAttempts unless configured.
const DefaultMaxAttempts = 10

// NewRelay returns a relay on d. reg may be nil; when it is not, the relay
// counts what it delivers and how long batches take, and reports every
// consumer's backlog when reg is gathered (see metrics.go).
func NewRelay(d *sqlx.DB, log *slog.Logger, reg prometheus.Registerer) *Relay {
	r := &Relay{db: d, log: log, MinBackoff: time.Second, MaxBackoff: 5 * time.Minute, Poll: time.Second,
		MaxAttempts: DefaultMaxAttempts, delivered: map[string]time.Time{}}
	if reg != nil {
		r.metrics = newRelayMetrics(d, log, reg)
	}
	return r
}

// ErrDelivery wraps a consumer's failure to handle a batch.
var ErrDelivery = errors.New("outbox: delivery failed")

// claimed is a message as the relay claims it: with the time of its last
// failure, when it failed before, and the time of the claim, both on the
// database's clock.
type claimed struct {
	Message
	FailedAt time.Time `db:"failed_at"`
	Round    time.Time `db:"round"`
}

// RunOnce delivers at most one batch of due messages to c and returns how
// many it delivered. The batch's rows stay locked while c handles them. A
// message that failed before is delivered alone; when a batch fails, its
// messages are tried one by one, so that one bad message fails only itself.
func (r *Relay) RunOnce(ctx context.Context, c Consumer) (int, error) {
	if c.BatchSize <= 0 {
		c.BatchSize = 100
	}
	start := time.Now()
	var delivered, claimedN, failed int
	var round time.Time
	var handleErr error
	err := db.InTx(ctx, r.db, func(tx *sqlx.Tx) error {
		delivered, failed, handleErr = 0, 0, nil
		const claim = `
SELECT o.id, o.topic, o.key, o.payload, o.created_at, p.attempts, p.updated_at AS failed_at, now() AS round
FROM outbox_pending p
JOIN outbox o ON o.id = p.message_id
WHERE p.consumer = $1
  AND p.next_attempt_at <= now()
  AND p.parked_at IS NULL
ORDER BY p.next_attempt_at, p.message_id
LIMIT $2
FOR UPDATE OF p SKIP LOCKED`
		var batch []claimed
		if err := tx.SelectContext(ctx, &batch, claim, c.Name, c.BatchSize); err != nil {
			return fmt.Errorf("outbox: claim for %s: %w", c.Name, err)
		}
		// A message that failed before goes alone; a fresh batch stops
		// before the first such message.
		if len(batch) > 0 && batch[0].Attempts > 0 {
			batch = batch[:1]
		} else if i := slices.IndexFunc(batch, func(m claimed) bool { return m.Attempts > 0 }); i > 0 {
			batch = batch[:i]
		}
		claimedN = len(batch)
		if len(batch) == 0 {
			return nil
		}
		round = batch[0].Round
		ok, bad, errs := r.deliver(ctx, c, batch)
		if len(ok) > 0 {
			const done = `
DELETE FROM outbox_pending
WHERE consumer = $1 AND message_id = ANY($2)`
			ids := make([]int64, len(ok))
			for i, m := range ok {
				ids[i] = m.ID
			}
			if _, err := tx.ExecContext(ctx, done, c.Name, pq.Array(ids)); err != nil {
				return fmt.Errorf("outbox: mark delivered for %s: %w", c.Name, err)
			}
		}
		delivered, failed = len(ok), len(bad)
		if len(bad) > 0 {
			// The failures are recorded and committed; the messages stay
			// queued, or parked.
			handleErr = errs[0]
			return r.recordFailure(ctx, tx, c.Name, bad, errs, round, len(ok) > 0)
		}
		return nil
	})
	if err == nil && delivered > 0 {
		r.mu.Lock()
		r.delivered[c.Name] = round
		r.mu.Unlock()
	}
	if r.metrics != nil && claimedN > 0 {
		r.metrics.observe(c.Name, time.Since(start))
		if err == nil { // rolled back: the batch comes back as it was
			r.metrics.failures.WithLabelValues(c.Name).Add(float64(failed))
			r.metrics.delivered.WithLabelValues(c.Name).Add(float64(delivered))
		}
	}
	if err == nil && handleErr != nil {
		err = fmt.Errorf("%w: %s: %w", ErrDelivery, c.Name, handleErr)
	}
	return delivered, err
}

// deliver hands batch to c. When a batch of several fails, it tries its
// messages one at a time to tell the bad from the good, unless the first
// two fail too: the consumer is down, and they all wait.
func (r *Relay) deliver(ctx context.Context, c Consumer, batch []claimed) (ok, bad []claimed, errs []error) {
	msgs := make([]Message, len(batch))
	for i, m := range batch {
		msgs[i] = m.Message
	}
	herr := c.Handle(ctx, msgs)
	if herr == nil {
		return batch, nil, nil
	}
	if len(batch) == 1 {
		return nil, batch, []error{herr}
	}
	for i, m := range batch {
		if len(ok) == 0 && len(bad) == 2 {
			for _, rest := range batch[i:] {
				bad, errs = append(bad, rest), append(errs, herr)
			}
			break
		}
		if err := c.Handle(ctx, []Message{m.Message}); err != nil {
			bad, errs = append(bad, m), append(errs, err)
		} else {
			ok = append(ok, m)
		}
	}
	return ok, bad, errs
}

// recordFailure schedules each message's next attempt with exponential
// backoff, or parks it: when this is its MaxAttempts-th failure and the
// consumer took other messages since its previous failure (others: in
// this round, which began at round), so that it is the message that
// fails, not the consumer.
func (r *Relay) recordFailure(ctx context.Context, tx *sqlx.Tx, name string, batch []claimed, errs []error,
	round time.Time, others bool) error {
	const retry = `
UPDATE outbox_pending
SET attempts = attempts + 1,
    next_attempt_at = now() + $3 * interval '1 millisecond',
    last_error = $4,
    updated_at = now()
WHERE consumer = $1 AND message_id = $2`
	const park = `
UPDATE outbox_pending
SET attempts = attempts + 1,
    parked_at = now(),
    last_error = $3,
    updated_at = now()
WHERE consumer = $1 AND message_id = $2`
	r.mu.Lock()
	last := r.delivered[name]
	r.mu.Unlock()
	var parked int
	for i, m := range batch {
		msg := truncate(errs[i].Error(), 1000)
		since := round
		if m.Attempts > 0 {
			since = m.FailedAt
		}
		if r.MaxAttempts > 0 && m.Attempts+1 >= r.MaxAttempts && (others || last.After(since)) {
			if _, err := tx.ExecContext(ctx, park, name, m.ID, msg); err != nil {
				return fmt.Errorf("outbox: park for %s: %w", name, err)
			}
			parked++
			r.log.ErrorContext(ctx, "outbox message parked", "consumer", name, "message", m.ID, "topic", m.Topic,
				"key", m.Key, "attempts", m.Attempts+1, "err", errs[i])
			continue
		}
		wait := r.backoff(m.Attempts + 1)
		if _, err := tx.ExecContext(ctx, retry, name, m.ID, wait.Milliseconds(), msg); err != nil {
			return fmt.Errorf("outbox: record failure for %s: %w", name, err)
		}
	}
	if retried := len(batch) - parked; retried > 0 {
		r.log.WarnContext(ctx, "outbox delivery failed; will retry", "consumer", name, "messages", retried, "err", errs[0])
	}
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
