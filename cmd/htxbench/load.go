package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// measure loads one target: opt.concurrency workers send GET requests back
// to back for opt.warmup, then for opt.duration while every latency is kept.
// It returns ctx's error when interrupted.
func measure(ctx context.Context, addr string, t target, opt options) (Summary, error) {
	client := newClient(addr, opt.concurrency)
	defer client.CloseIdleConnections()

	var stop atomic.Bool
	defer context.AfterFunc(ctx, func() { stop.Store(true) })()

	from := time.Now().Add(opt.warmup)
	end := from.Add(opt.duration)
	paths := t.rotate
	if len(paths) == 0 {
		paths = []string{t.path}
	}
	uris := make([]string, len(paths))
	for i, p := range paths {
		uris[i] = "http://" + addr + p
	}
	tallies := make([]tally, opt.concurrency)
	var wg sync.WaitGroup
	for i := range tallies {
		// Workers start apart in the rotation, so that they rarely ask
		// for one key at the same time.
		start := i * len(uris) / len(tallies)
		wg.Go(func() { tallies[i] = work(client, uris, start, from, end, &stop) })
	}
	wg.Wait()
	elapsed := time.Since(from)
	if err := ctx.Err(); err != nil {
		return Summary{}, fmt.Errorf("%s: interrupted: %w", t.name, err)
	}
	return summarize(t, opt.concurrency, merge(tallies), elapsed), nil
}

// newClient returns a fasthttp client for one server: fasthttp allocates
// almost nothing per request, so the client takes as little as possible of
// the cores it shares with the servers. With one connection per worker, no
// worker ever waits for another's connection.
func newClient(addr string, conns int) *fasthttp.HostClient {
	return &fasthttp.HostClient{
		Addr:                addr,
		MaxConns:            conns,
		MaxConnWaitTimeout:  5 * time.Second,
		MaxIdleConnDuration: time.Minute,
		ReadTimeout:         10 * time.Second,
		WriteTimeout:        10 * time.Second,
	}
}

// work is one worker: it GETs uris in turn from start until end (or
// stop), keeping the latency of every success that started at or after
// from and every failure.
func work(client *fasthttp.HostClient, uris []string, start int, from, end time.Time, stop *atomic.Bool) tally {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(uris[start%len(uris)])

	var t tally
	t.latencies = make([]time.Duration, 0, 1<<14)
	for n := start; !stop.Load(); n++ {
		if len(uris) > 1 {
			req.SetRequestURI(uris[n%len(uris)])
		}
		begin := time.Now()
		if !begin.Before(end) {
			break
		}
		err := client.Do(req, resp)
		latency := time.Since(begin)
		t.record(!begin.Before(from), latency, failure(err, resp.StatusCode()))
	}
	return t
}

// failure describes a failed request, or is "" for a 2xx answer.
func failure(err error, status int) string {
	switch {
	case err != nil:
		return err.Error()
	case status < 200 || status > 299:
		return fmt.Sprintf("HTTP %d", status)
	}
	return ""
}
