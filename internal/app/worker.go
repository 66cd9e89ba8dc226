package app

import (
	"context"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"

	"htxmarket/internal/cooperative"
	"htxmarket/internal/identity"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/jobs"
	"htxmarket/internal/platform/outbox"
	"htxmarket/internal/search"
)

// outboxRetention is how long delivered outbox messages are kept.
const outboxRetention = 30 * 24 * time.Hour

// cmdWorker runs the background work until SIGTERM or SIGINT: the outbox
// relay, which delivers changes to their consumers, and the periodic
// housekeeping jobs. Any number of workers may run side by side.
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
	reg := prometheus.NewRegistry()
	relay := outbox.NewRelay(d, log, reg)
	runner := jobs.NewRunner(d, log, reg)
	engine, err := newSearchEngine(cfg, log, d, reg)
	if err != nil {
		return err
	}
	provinces := geo.NewService(geo.NewStore(d))
	coops := cooperative.NewService(d, cooperative.NewStore(), provinces, coopAccounts{ident})
	indexer := newSearchIndexer(engine, searchSource{products: newCatalog(d, coops, provinces), provinces: provinces})

	var wg sync.WaitGroup
	if consumers := outboxConsumers(indexer); len(consumers) > 0 {
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
	runner.Run(ctx, housekeeping(ident, d)...)
	wg.Wait()
	log.Info("worker stopped")
	return nil
}

// outboxConsumers lists who receives the outbox's changes: the search
// index, of catalog and cooperative changes.
func outboxConsumers(indexer *search.Indexer) []outbox.Consumer {
	return []outbox.Consumer{indexer.Consumer()}
}

// housekeeping lists the periodic jobs of the worker.
func housekeeping(ident *identity.Service, d *sqlx.DB) []jobs.Job {
	return []jobs.Job{
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
