// Package app is the composition root of HTX Market: it reads the
// configuration, opens the database, builds every service and wires them into
// one Fiber application, and runs the command-line subcommands.
package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"htxmarket/frontend"
	"htxmarket/internal/catalog"
	"htxmarket/internal/cooperative"
	"htxmarket/internal/identity"
	"htxmarket/internal/notify"
	"htxmarket/internal/order"
	"htxmarket/internal/payment"
	"htxmarket/internal/payment/ledger"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/outbox"
	"htxmarket/internal/platform/storage"
	"htxmarket/internal/platform/web"
	"htxmarket/internal/search"
	"htxmarket/internal/search/pgsearch"
	"htxmarket/internal/seo"
	"htxmarket/internal/sourcing"
	"htxmarket/internal/trace"
)

// Server is the HTTP side of HTX Market with everything it depends on.
type Server struct {
	cfg config.Config
	log *slog.Logger
	db  *sqlx.DB
	// App is the Fiber application; tests call App.Test.
	App *fiber.App
	// Identity is the accounts and sessions service; tests use it to make
	// users with any role.
	Identity *identity.Service
	// Cooperatives is the cooperative service; tests use it to make
	// cooperatives.
	Cooperatives *cooperative.Service
	// Catalog is the product catalog service; tests and the seed use it.
	Catalog *catalog.Service
	// Search answers product searches.
	Search *search.Service
	// Orders is buying: carts, checkout, orders; tests and the worker use it.
	Orders *order.Service
	// Payments takes the money of orders.
	Payments *payment.Service
	// SearchIndexer feeds the search engine from the outbox; the worker
	// runs one like it, tests drive it by hand.
	SearchIndexer *search.Indexer
	// Sourcing is supply-demand matching: requests, offers, quotes.
	Sourcing *sourcing.Service
	// Trace is traceability: batches, trace events, the public trace page.
	Trace *trace.Service

	warm        searchWarmer // nil: the search engine needs no loading
	searchReady atomic.Bool
}

// Options carries what NewServer cannot read from the configuration.
type Options struct {
	// Frontend is the built single-page application; nil means the embedded one.
	Frontend fs.FS
}

// NewServer builds the Fiber application: middleware, every domain's routes,
// and the SPA fallback.
func NewServer(cfg config.Config, log *slog.Logger, d *sqlx.DB, opt Options) (*Server, error) {
	spec, err := OpenAPIDocument()
	if err != nil {
		return nil, err
	}
	if opt.Frontend == nil {
		opt.Frontend = frontend.Dist()
	}

	// Metrics: HTTP by route, the DB pool, the Go runtime.
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(d.DB, "htxmarket"),
	)
	httpMetrics := web.NewHTTPMetrics(reg)

	app := fiber.New(fiber.Config{
		AppName:               "htxmarket",
		ErrorHandler:          web.ErrorHandler(log, cfg.HTTP.BodyLimit, errorRules),
		BodyLimit:             cfg.HTTP.BodyLimit,
		ReadTimeout:           cfg.HTTP.ReadTimeout,
		WriteTimeout:          cfg.HTTP.WriteTimeout,
		IdleTimeout:           cfg.HTTP.IdleTimeout,
		DisableStartupMessage: true,
		// X-Forwarded-Proto and -Host are believed only from the proxies
		// of TRUSTED_PROXIES (none by default); web.RealIP reads the
		// client's address from X-Forwarded-For.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          cfg.HTTP.TrustedProxies,
	})
	realIP, err := web.RealIP(cfg.HTTP.TrustedProxies)
	if err != nil {
		return nil, err
	}

	// Middleware, outermost first.
	app.Use(web.RequestIDMiddleware())
	app.Use(realIP)
	app.Use(web.Observe(log, httpMetrics))
	app.Use(web.Recover(log))
	// Card payments load Stripe.js, its frames and API when a key is set.
	var stripeCSP web.CSPSources
	if cfg.Buying.StripePublishableKey != "" {
		stripeCSP = web.CSPSources{Script: []string{"https://js.stripe.com"},
			Frame:   []string{"https://js.stripe.com", "https://hooks.stripe.com"},
			Connect: []string{"https://api.stripe.com"}}
	}
	app.Use(web.SecurityHeadersWith(cfg.Env == config.EnvProduction, stripeCSP))
	// A NUL or a byte that is not UTF-8 in the path or the query answers
	// 400 before any handler, or the database, sees it.
	app.Use(web.ValidInput())
	// Text (the application's scripts, JSON, CSV) goes compressed to
	// clients that accept it: shoppers are on phones, and the SPA's script
	// is about 480 kB, 130 kB in gzip. The fastest level: on this traffic
	// the bytes matter more than the last few percent. Images are already
	// compressed and pass as they are.
	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))

	// Platform endpoints.
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) })
	srv := &Server{cfg: cfg, log: log, db: d}
	app.Get("/readyz", srv.readyz)
	app.Get("/metrics", adaptor.HTTPHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	app.Get("/api/openapi.json", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Send(spec)
	})

	// Uploaded files (product images), served at /media/<key>.
	media, err := storage.NewDisk(cfg.Media.StorageDir, "/media")
	if err != nil {
		return nil, err
	}
	app.Get("/media/*", storage.Handler(media))

	// Identity: every /api/v1 route knows its caller and refuses
	// cross-site writes (see internal/platform/auth).
	ids, err := newIdentity(cfg, log, d)
	if err != nil {
		return nil, err
	}
	cookies := auth.Cookies{Secure: cfg.Auth.CookieSecure}
	v1 := app.Group("/api/v1", auth.Middleware(ids, cookies), auth.CSRF(cfg.Auth.Origins...))

	// Domains, under /api/v1.
	provinces := geo.NewService(geo.NewStore(d))
	geo.Routes(v1, provinces)
	identity.Routes(v1, ids, cookies)
	coops := cooperative.NewService(d, cooperative.NewStore(), provinces, coopAccounts{ids})
	cooperative.Routes(v1, coops)
	cooperative.StaffRoutes(v1, coops)
	productCache, err := catalog.NewCache(cfg.CatalogCacheTTL, reg) // pages anonymous shoppers see
	if err != nil {
		return nil, err
	}
	lists := &searchLists{db: d} // public lists from the search index, once it exists
	products := newCatalog(d, coops, provinces, catalog.WithCache(productCache), catalog.WithIndex(lists),
		catalog.WithImages(media, catalog.ImageLimits{MaxBytes: cfg.Media.ImageMaxBytes,
			DecodeBudget: int64(cfg.Media.ImageDecodeBudget)}, log),
		catalog.WithAuditor(catalogAudit{ids}))
	catalog.Routes(v1, products)
	cooperative.ImageRoutes(v1, cooperative.NewImages(coops, media, coopPictures{products}, log)) // logos, covers
	engine, err := newSearchEngine(cfg, log, d, reg)
	if err != nil {
		return nil, err
	}
	lists.engine = indexOf(engine)
	// The postgres engine answers from an index in memory: Run loads it,
	// and the instance is not ready before.
	var warm searchWarmer
	if pg, ok := engine.(*pgsearch.Engine); ok {
		warm = pg
	}
	finder := search.NewService(d, engine, &searchVocabulary{provinces: provinces, products: products})
	search.Routes(v1, finder)
	books := ledger.NewService(d, cfg.Buying.CommissionBPS)
	banks := &lazyBanks{}
	buying := order.NewService(d, order.NewStore(), orderInventory{products}, provinces, books, banks,
		buyingOptions(cfg.Buying), log)
	order.Routes(v1, buying, cookies, orderAccounts{ids}, orderCoops{db: d, coops: coops})
	payments := payment.NewService(d, buying, newCardGateway(cfg.Buying), books,
		payment.Options{PublishableKey: cfg.Buying.StripePublishableKey, BankWebhookSecret: cfg.Buying.BankWebhookSecret}, log)
	banks.payments = payments
	payment.Routes(v1, payments, orderCoops{db: d, coops: coops})
	srv.Sourcing = newSourcing(v1, d, provinces, finder, &searchVocabulary{provinces: provinces, products: products}, buying, orderAccounts{ids}, orderCoops{db: d, coops: coops})
	notify.Routes(v1, notify.NewService(d))
	outbox.Routes(v1, d) // parked messages, for admins
	if cfg.Env == config.EnvDevelopment {
		identity.DevRoutes(v1, ids) // and to loopback clients only
	}

	// Link previews and search engines: robots.txt, the sitemaps, and
	// each page's title, description and Open Graph tags in its HTML.
	pages := seo.NewService(cfg.Auth.PublicOrigin, seoCatalog{products: products, provinces: provinces},
		seoCooperatives{coops: coops, provinces: provinces}, seo.Options{})
	seo.Routes(app, pages)
	catalog.PageRedirects(app, products) // merged products' old pages
	srv.Trace = mountTrace(app, v1, cfg, log, d, provinces, media, products)

	// Everything else that is a page belongs to the single-page application.
	app.Use(web.SPA(opt.Frontend, pages, "/api", "/media", "/metrics", "/healthz", "/readyz"))

	srv.App, srv.Identity, srv.Cooperatives, srv.Catalog, srv.Search = app, ids, coops, products, finder
	srv.Orders, srv.Payments = buying, payments
	srv.SearchIndexer = newSearchIndexer(engine, searchSource{products: products, provinces: provinces})
	srv.warm = warm
	srv.searchReady.Store(warm == nil)
	return srv, nil
}

// searchWarmer is a search engine that loads an index before it answers
// (the postgres engine).
type searchWarmer interface {
	Warm(ctx context.Context) (int, error)
}

// WarmSearch loads the search engine's index, if it keeps one, and then
// marks the instance ready (/readyz). Run calls it in the background;
// until it is done, searches wait for the index.
func (s *Server) WarmSearch(ctx context.Context) error {
	if s.warm == nil {
		return nil
	}
	start := time.Now()
	n, err := s.warm.Warm(ctx)
	if err != nil {
		return fmt.Errorf("app: load the search index: %w", err)
	}
	s.searchReady.Store(true)
	s.log.Info("search index loaded", "products", n, "took", time.Since(start).Round(time.Millisecond).String())
	return nil
}

// warmSearch calls WarmSearch until it succeeds or ctx ends.
func (s *Server) warmSearch(ctx context.Context) {
	for {
		err := s.WarmSearch(ctx)
		if err == nil {
			return
		}
		s.log.Error("search index not loaded; trying again", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(3 * time.Second):
		}
	}
}

// newIdentity builds the accounts service with the configured mailer.
func newIdentity(cfg config.Config, log *slog.Logger, d *sqlx.DB) (*identity.Service, error) {
	store := identity.NewStore(d)
	return identity.NewService(store, newMailer(cfg, store), log, identity.OptionsFromConfig(cfg.Auth))
}

// newMailer is the configured way e-mail leaves: SMTP, or the development
// mailbox in the database.
func newMailer(cfg config.Config, store *identity.PGStore) identity.Mailer {
	if cfg.Mail.Mailer == config.MailerSMTP {
		return identity.SMTPMailer{Addr: cfg.Mail.SMTPAddr, Username: cfg.Mail.SMTPUsername,
			Password: cfg.Mail.SMTPPassword, From: cfg.Mail.From}
	}
	return identity.DevMailer{Store: store}
}

// readyz answers 200 once the database answers and the search index is
// loaded, after the indexer delivered the changes that waited for it when
// the instance started (readiness.go).
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		return web.Detail(web.ErrServiceUnavailable, "Cơ sở dữ liệu chưa sẵn sàng.")
	}
	if !s.searchReady.Load() {
		return web.Detail(web.ErrServiceUnavailable, "Chỉ mục tìm kiếm đang được nạp.")
	}
	return c.JSON(fiber.Map{"status": "ok"})
}

// Run serves on ln until ctx is done (SIGTERM or SIGINT in `serve`), then
// stops accepting connections, lets in-flight requests finish within the
// shutdown timeout, and closes the database pool.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	if s.warm != nil && !s.searchReady.Load() {
		go func() { s.awaitIndexer(ctx); s.warmSearch(ctx) }()
	}
	errc := make(chan error, 1)
	go func() { errc <- s.App.Listener(ln) }()
	s.log.Info("http server listening", "addr", ln.Addr().String())

	select {
	case err := <-errc:
		s.db.Close()
		return fmt.Errorf("app: http server: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down: draining in-flight requests", "timeout", s.cfg.HTTP.ShutdownTimeout.String())
	err := s.App.ShutdownWithTimeout(s.cfg.HTTP.ShutdownTimeout)
	if lerr := <-errc; lerr != nil && !errors.Is(lerr, net.ErrClosed) {
		err = errors.Join(err, lerr)
	}
	s.Identity.Drain()  // e-mail still being handed to the mailer
	s.flushTraceScans() // trace page views counted in memory
	if cerr := s.db.Close(); cerr != nil {
		err = errors.Join(err, cerr)
	}
	if err != nil {
		return fmt.Errorf("app: shutdown: %w", err)
	}
	s.log.Info("shutdown complete")
	return nil
}
