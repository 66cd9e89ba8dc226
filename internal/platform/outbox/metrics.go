package outbox

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
)

// relayMetrics are the relay's counters and the backlog, by consumer.
type relayMetrics struct {
	delivered *prometheus.CounterVec
	failures  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
}

func newRelayMetrics(d *sqlx.DB, log *slog.Logger, reg prometheus.Registerer) *relayMetrics {
	m := &relayMetrics{
		delivered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "htxmarket_outbox_delivered_total", Help: "Outbox messages delivered, by consumer.",
		}, []string{"consumer"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "htxmarket_outbox_failures_total", Help: "Outbox messages whose delivery failed, by consumer.",
		}, []string{"consumer"}),
		// Up to a minute: a Meilisearch write waits until the document is
		// indexed.
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "htxmarket_outbox_batch_duration_seconds",
			Help:    "Time to claim, deliver and settle one batch of outbox messages, by consumer.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"consumer"}),
	}
	reg.MustRegister(m.delivered, m.failures, m.duration, &backlog{db: d, log: log})
	return m
}

// observe records the time a claimed batch took, delivered or not.
func (m *relayMetrics) observe(consumer string, took time.Duration) {
	m.duration.WithLabelValues(consumer).Observe(took.Seconds())
}

// backlog reports, whenever the metrics are gathered, how many messages
// each subscribed consumer still has to receive and how long the oldest has
// waited: the figures to alert on when a consumer falls behind or stops.
// Every worker replica reports the same figures, read from the database.
type backlog struct {
	db  *sqlx.DB
	log *slog.Logger
}

var (
	pendingDesc = prometheus.NewDesc("htxmarket_outbox_pending",
		"Outbox messages not yet delivered, by consumer, retries included, parked ones not.", []string{"consumer"}, nil)
	oldestDesc = prometheus.NewDesc("htxmarket_outbox_oldest_pending_age_seconds",
		"How long the oldest undelivered outbox message has waited, by consumer; 0 when none waits.", []string{"consumer"}, nil)
	parkedDesc = prometheus.NewDesc("htxmarket_outbox_parked",
		"Outbox messages parked after failing OUTBOX_MAX_ATTEMPTS times, by consumer: no longer tried, listed at GET /api/v1/admin/outbox/parked.",
		[]string{"consumer"}, nil)
)

// backlogTimeout keeps a slow database from holding up a scrape.
const backlogTimeout = 3 * time.Second

func (b *backlog) Describe(ch chan<- *prometheus.Desc) {
	ch <- pendingDesc
	ch <- oldestDesc
	ch <- parkedDesc
}

func (b *backlog) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), backlogTimeout)
	defer cancel()
	rows, err := Backlog(ctx, b.db)
	if err != nil {
		// The other metrics are still worth serving; the gap in these
		// series shows on the dashboards.
		b.log.WarnContext(ctx, "outbox backlog metrics", "err", err)
		return
	}
	for _, r := range rows {
		ch <- prometheus.MustNewConstMetric(pendingDesc, prometheus.GaugeValue, float64(r.Pending), r.Consumer)
		ch <- prometheus.MustNewConstMetric(oldestDesc, prometheus.GaugeValue, r.OldestAge.Seconds(), r.Consumer)
		ch <- prometheus.MustNewConstMetric(parkedDesc, prometheus.GaugeValue, float64(r.Parked), r.Consumer)
	}
}

// ConsumerBacklog is what one consumer has still to receive.
type ConsumerBacklog struct {
	Consumer  string
	Pending   int64         // parked messages left out
	OldestAge time.Duration // 0 when nothing is pending
	Parked    int64
}

// Backlog returns the backlog of every subscribed consumer, those with
// nothing pending included, by name.
func Backlog(ctx context.Context, ext sqlx.QueryerContext) ([]ConsumerBacklog, error) {
	const q = `
SELECT s.consumer,
       count(p.message_id) FILTER (WHERE p.parked_at IS NULL) AS pending,
       coalesce(extract(epoch FROM now() - min(p.created_at) FILTER (WHERE p.parked_at IS NULL)), 0)::float8 AS oldest_seconds,
       count(p.message_id) FILTER (WHERE p.parked_at IS NOT NULL) AS parked
FROM (SELECT DISTINCT consumer FROM outbox_subscriptions) s
LEFT JOIN outbox_pending p ON p.consumer = s.consumer
GROUP BY s.consumer
ORDER BY s.consumer`
	var rows []struct {
		Consumer string  `db:"consumer"`
		Pending  int64   `db:"pending"`
		Oldest   float64 `db:"oldest_seconds"`
		Parked   int64   `db:"parked"`
	}
	if err := sqlx.SelectContext(ctx, ext, &rows, q); err != nil {
		return nil, fmt.Errorf("outbox: backlog: %w", err)
	}
	out := make([]ConsumerBacklog, len(rows))
	for i, r := range rows {
		out[i] = ConsumerBacklog{Consumer: r.Consumer, Pending: r.Pending,
			OldestAge: time.Duration(max(r.Oldest, 0) * float64(time.Second)), Parked: r.Parked}
	}
	return out, nil
}
