package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"htxmarket/internal/catalog"
	"htxmarket/internal/cooperative"
	"htxmarket/internal/identity"
	"htxmarket/internal/notify"
	"htxmarket/internal/order"
	"htxmarket/internal/payment/ledger"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/jobs"
	"htxmarket/internal/platform/outbox"
	"htxmarket/internal/search"
)

// outboxRetention is how long delivered outbox messages are kept.
const outboxRetention = 30 * 24 * time.Hour

// ratingLookback is how many days after an OCOP rating's expiry the worker
// still announces it (catalog.Service.AnnounceExpiredRatings): workers
// stopped over a long weekend still catch up.
const ratingLookback = 3

// cmdWorker runs the background work until SIGTERM or SIGINT: the outbox
// relay, which delivers changes to their consumers, and the periodic
// housekeeping jobs. Any number of workers may run side by side. Each
// serves /metrics and /healthz on WORKER_ADDR.
func cmdWorker(ctx context.Context, env *Env, _ []string) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	cfg, log, d, err := boot(ctx, env)
	if err != nil {
		return err
	}
	defer d.Close()
	ident, err := newIdentity(cfg, log, d)
	if err != nil {
		return err
	}
	reg := newWorkerRegistry(d)
	relay := outbox.NewRelay(d, log, reg)
	relay.MaxAttempts = cfg.OutboxMaxAttempts
	runner := jobs.NewRunner(d, log, reg)
	engine, err := newSearchEngine(cfg, log, d, reg)
	if err != nil {
		return err
	}
	provinces := geo.NewService(geo.NewStore(d))
	coops := cooperative.NewService(d, cooperative.NewStore(), provinces, coopAccounts{ident})
	products := newCatalog(d, coops, provinces)
	indexer := newSearchIndexer(engine, searchSource{products: products, provinces: provinces})
	buying := order.NewService(d, order.NewStore(), orderInventory{products}, provinces,
		ledger.NewService(d, cfg.Buying.CommissionBPS), nil, buyingOptions(cfg.Buying), log)

	// Listen before any work starts: a taken port stops the worker at once.
	var ln net.Listener
	if cfg.WorkerAddr != "" {
		if ln, err = net.Listen("tcp", cfg.WorkerAddr); err != nil {
			return fmt.Errorf("app: worker: %w", err)
		}
		log.Info("worker http listening", "addr", ln.Addr().String())
	}

	var wg sync.WaitGroup
	if ln != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := serveWorkerHTTP(ctx, ln, workerHandler(reg)); err != nil {
				log.Error("worker http stopped", "err", err)
				stop()
			}
		}()
	}
	notifier := orderNotifier{db: d, buying: buying, coops: coops.Store(), notes: notify.NewService(d),
		mailer: newMailer(cfg, identity.NewStore(d)), baseURL: cfg.Auth.PublicOrigin}
	sourcingConsumer, sourcingJob := sourcingWorker(cfg, d, ident, coops, provinces)
	if consumers := append(outboxConsumers(indexer, notifier), sourcingConsumer); len(consumers) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := relay.Run(ctx, consumers...); err != nil {
				log.Error("outbox relay stopped", "err", err)
				stop()
			}
		}()
	}
	log.Info("worker started")
	runner.Run(ctx, append(housekeeping(ident, products, buying, d), sourcingJob)...)
	wg.Wait()
	log.Info("worker stopped")
	return nil
}

// newWorkerRegistry holds the worker's metrics: the DB pool and the Go
// runtime here; the outbox relay, the jobs and the search engine add theirs.
func newWorkerRegistry(d *sqlx.DB) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(d.DB, "htxmarket"),
	)
	return reg
}

// workerHandler serves the worker's metrics and its liveness.
func workerHandler(reg prometheus.Gatherer) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}`))
	})
	return mux
}

// workerShutdown bounds the wait for a scrape in progress at SIGTERM.
const workerShutdown = 5 * time.Second

// serveWorkerHTTP serves h on ln until ctx ends.
func serveWorkerHTTP(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("app: worker http: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), workerShutdown)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	if err != nil {
		return fmt.Errorf("app: worker http shutdown: %w", err)
	}
	return nil
}

// outboxConsumers lists who receives the outbox's changes: the search
// index, of catalog and cooperative changes.
func outboxConsumers(indexer *search.Indexer, notifier orderNotifier) []outbox.Consumer {
	return []outbox.Consumer{indexer.Consumer(), notifier.consumer()}
}

// housekeeping lists the periodic jobs of the worker.
func housekeeping(ident *identity.Service, products *catalog.Service, buying *order.Service, d *sqlx.DB) []jobs.Job {
	return []jobs.Job{
		// Unpaid card and bank-transfer orders give their stock back once
		// their deadline passes; a minute late at most.
		{Name: "order.expire-unpaid", Every: time.Minute, Run: func(ctx context.Context) error {
			_, err := buying.ExpireUnpaid(ctx)
			return err
		}},
		{Name: "order.prune", Every: time.Hour, Run: buying.PruneCarts},
		// Ratings expire at midnight with no write to the catalog. A job
		// waits up to its period after a worker starts, so a daily one could
		// be put off by every deployment; four times a day, the search
		// index drops expired stars within hours.
		{Name: "catalog.ratings-expired", Every: 6 * time.Hour, Run: func(ctx context.Context) error {
			_, err := products.AnnounceExpiredRatings(ctx, ratingLookback)
			return err
		}},
		{Name: "identity.prune", Every: 10 * time.Minute, Run: func(ctx context.Context) error {
			_, err := ident.Prune(ctx)
			return err
		}},
		{Name: "outbox.prune", Every: time.Hour, Run: func(ctx context.Context) error {
			_, err := outbox.Prune(ctx, d, outboxRetention)
			return err
		}},
	}
}
