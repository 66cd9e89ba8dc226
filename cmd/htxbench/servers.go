package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"
	"github.com/valyala/fasthttp"

	"htxmarket/internal/app"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/db"
	"htxmarket/migrations"
)

// running is a server listening on a loopback port.
type running struct {
	addr string
	stop func() error
}

// startApp prepares the bench database and serves the real HTX Market
// server on a free loopback port until stop is called.
func startApp(ctx context.Context, dbURL string, caches bool) (running, []string, error) {
	env := map[string]string{"APP_ENV": config.EnvTest, "DATABASE_URL": dbURL, "LOG_LEVEL": "warn"}
	if !caches {
		env["CATALOG_CACHE_TTL"], env["SEARCH_CACHE_TTL"] = "0", "0"
	}
	cfg, err := config.FromLookup(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		return running{}, nil, err
	}
	log := app.NewLogger(cfg, io.Discard)

	d, err := prepareDB(ctx, cfg)
	if err != nil {
		return running{}, nil, err
	}
	srv, err := app.NewServer(cfg, log, d, app.Options{})
	if err != nil {
		d.Close()
		return running{}, nil, err
	}
	slugs, err := ensureCatalog(ctx, d, srv)
	if err != nil {
		d.Close()
		return running{}, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		d.Close()
		return running{}, nil, err
	}

	// Run owns the pool from here: it closes it when it returns.
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(runCtx, ln) }()
	stop := func() error {
		cancel()
		return <-done
	}
	// Ready once the search index is loaded (/readyz): the first requests
	// would otherwise measure its loading.
	addr := ln.Addr().String()
	for deadline := time.Now().Add(5 * time.Minute); ; {
		if _, err := fetch(addr, "/readyz"); err == nil {
			break
		}
		if time.Now().After(deadline) {
			return running{}, nil, errors.Join(errors.New("the server was not ready within 5 minutes"), stop())
		}
		time.Sleep(200 * time.Millisecond)
	}
	return running{addr: addr, stop: stop}, slugs, nil
}

// prepareDB creates the bench database when it is missing, opens it with
// the server's default pool settings, and migrates it.
func prepareDB(ctx context.Context, cfg config.Config) (*sqlx.DB, error) {
	if err := db.EnsureDatabase(ctx, cfg.DB.URL); err != nil {
		return nil, fmt.Errorf("database %s: %w", config.MaskURL(cfg.DB.URL), err)
	}
	d, err := db.Open(ctx, cfg.DB.URL, db.Options{
		MaxOpenConns:    cfg.DB.MaxOpenConns,
		MaxIdleConns:    cfg.DB.MaxIdleConns,
		ConnMaxLifetime: cfg.DB.ConnMaxLifetime,
		ConnMaxIdleTime: cfg.DB.ConnMaxIdleTime,
	})
	if err != nil {
		return nil, err
	}
	m, err := db.NewMigrator(d.DB, migrations.FS)
	if err == nil {
		_, err = m.Up(ctx)
	}
	if err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// page is what a server returned for a path.
type page struct {
	path        string
	contentType string
	body        []byte
}

// capture fetches, from the app at addr, every path a baseline target will
// request, so that the baseline can return the same bytes.
func capture(addr string, ts []target) ([]page, error) {
	var pages []page
	seen := map[string]bool{}
	for _, t := range ts {
		if t.server != serverBaseline || seen[t.path] {
			continue
		}
		seen[t.path] = true
		p, err := fetch(addr, t.path)
		if err != nil {
			return nil, fmt.Errorf("capture %s from the app: %w", t.path, err)
		}
		pages = append(pages, p)
	}
	return pages, nil
}

// fetch GETs path from addr and fails unless the answer is 200.
func fetch(addr, path string) (page, error) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI("http://" + addr + path)
	if err := fasthttp.DoTimeout(req, resp, 10*time.Second); err != nil {
		return page{}, err
	}
	if resp.StatusCode() != fiber.StatusOK {
		return page{}, fmt.Errorf("HTTP %d: %.200s", resp.StatusCode(), resp.Body())
	}
	return page{
		path:        path,
		contentType: string(resp.Header.ContentType()),
		body:        bytes.Clone(resp.Body()),
	}, nil
}

// startBaseline serves each page at its path with a bare Fiber app (no
// middleware, default settings) on a free loopback port, and checks that it
// returns the captured bytes.
func startBaseline(pages []page) (running, error) {
	f := fiber.New(fiber.Config{DisableStartupMessage: true})
	for _, p := range pages {
		route, err := routeOf(p.path)
		if err != nil {
			return running{}, err
		}
		f.Get(route, func(c *fiber.Ctx) error {
			c.Set(fiber.HeaderContentType, p.contentType)
			return c.Send(p.body)
		})
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return running{}, err
	}
	done := make(chan error, 1)
	go func() { done <- f.Listener(ln) }()
	stop := func() error {
		err := f.ShutdownWithTimeout(5 * time.Second)
		if lerr := <-done; lerr != nil && !errors.Is(lerr, net.ErrClosed) {
			err = errors.Join(err, lerr)
		}
		if err != nil {
			return fmt.Errorf("baseline: shutdown: %w", err)
		}
		return nil
	}
	r := running{addr: ln.Addr().String(), stop: stop}
	if err := verify(r.addr, pages); err != nil {
		return running{}, errors.Join(err, stop())
	}
	return r, nil
}

// routeOf is the Fiber route of a target path: the path without its query.
func routeOf(path string) (string, error) {
	u, err := url.ParseRequestURI(path)
	if err != nil {
		return "", fmt.Errorf("target path %q: %w", path, err)
	}
	return u.Path, nil
}

// verify checks that the baseline returns the captured bytes and type.
func verify(addr string, pages []page) error {
	for _, want := range pages {
		got, err := fetch(addr, want.path)
		if err != nil {
			return fmt.Errorf("baseline %s: %w", want.path, err)
		}
		if got.contentType != want.contentType || !bytes.Equal(got.body, want.body) {
			return fmt.Errorf("baseline %s: returns other bytes than the app (two targets sharing a path with different queries?)", want.path)
		}
	}
	return nil
}
