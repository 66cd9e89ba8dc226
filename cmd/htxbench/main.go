// Command htxbench measures the throughput and latency of HTX Market's HTTP
// endpoints and, in the same run, of a bare Fiber handler that returns the
// very same bytes.
//
// The real server (every middleware, the database pool, the queries, JSON
// encoding) runs in this process against a database of its own; the baseline
// is fiber.New() with one handler per path that sends the body the real server
// returned, with its Content-Type. The difference between the two lines is what
// the platform costs on top of Fiber itself. Both are measured in one run, on
// one machine, one after the other, because absolute figures move with the
// hardware, the load on it and the Go version; only the ratio is comparable
// from run to run.
//
// The load generator keeps a fixed number of workers, each with its own
// keep-alive connection, sending GET requests back to back: after a warm-up it
// records every latency and reports requests per second and percentiles. The
// client runs in the same process as both servers and shares their cores,
// so the figures are a lower bound of what each server alone could do. The
// server logs at warn level, so the per-request access log is not measured.
//
// Usage:
//
//	go run ./cmd/htxbench [-duration 10s] [-concurrency 32] [-warmup 2s]
//	                      [-targets provinces,baseline] [-json out.json]
//	                      [-cpuprofile cpu.out] [-caches on|off]
//
// BENCH_DATABASE_URL names the database (created and migrated when needed).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"
)

// The servers a target can be sent to.
const (
	serverApp      = "app"      // the real HTX Market server
	serverBaseline = "baseline" // bare Fiber returning the app's bytes
)

// target is one endpoint to load. A baseline target's path must also be
// served by the app: the baseline returns what the app returned there. A
// target with rotate requests those paths in turn instead of path (which
// then only names it in the report), so that caches see many keys as with
// real traffic rather than one hot key.
type target struct {
	name   string
	path   string
	server string // serverApp or serverBaseline
	rotate []string
}

// targets are every endpoint htxbench knows, in the order they run.
var targets = []target{
	{"provinces", "/api/v1/provinces", serverApp, nil},
	// A filtered, paginated page and a product page of the 100,000
	// generated products (see catalog.go).
	{"products", "/api/v1/products?province=ha-noi&group=thuc-pham&sort=price_asc&limit=24", serverApp, nil},
	{"product", "/api/v1/products/… (one product)", serverApp, nil},
	// The same, spread over many distinct pages and products.
	{"products-rotating", "/api/v1/products?… (1,088 filters)", serverApp, rotatingLists()},
	{"product-rotating", "/api/v1/products/… (1,000 products)", serverApp, nil},
	// The product list page's request (search without words: total and
	// facets), searches and suggestions, each over many keys.
	{"search-lists-rotating", "/api/v1/search?… (1,088 filters, no words)", serverApp, rotatingSearchLists()},
	{"search-rotating", "/api/v1/search?q=… (1,200 queries)", serverApp, rotatingSearches()},
	{"suggest-rotating", "/api/v1/search/suggest?q=… (90 prefixes)", serverApp, rotatingSuggestions()},
	{"baseline", "/api/v1/provinces", serverBaseline, nil},
}

// withProducts fills the product targets with slugs of the bench catalog.
func withProducts(ts []target, slugs []string) []target {
	out := slices.Clone(ts)
	for i, t := range out {
		switch t.name {
		case "product":
			out[i].path = "/api/v1/products/" + slugs[len(slugs)/2]
		case "product-rotating":
			out[i].rotate = make([]string, len(slugs))
			for j, s := range slugs {
				out[i].rotate[j] = "/api/v1/products/" + s
			}
		}
	}
	return out
}

// defaultDatabaseURL is the bench's own database, apart from the one
// `make run` uses, so that benchmarking never touches development data.
const defaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/htxmarket_bench?sslmode=disable"

// options are the command line.
type options struct {
	duration    time.Duration
	warmup      time.Duration
	concurrency int
	targets     []target
	jsonPath    string
	cpuProfile  string
	// caches says whether the response caches are on: the catalog's
	// public pages (CATALOG_CACHE_TTL) and the search engine's answers
	// (SEARCH_CACHE_TTL).
	caches bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "htxbench:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	opt, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	dbURL := defaultDatabaseURL
	if v, ok := os.LookupEnv("BENCH_DATABASE_URL"); ok && v != "" {
		dbURL = v
	}

	// Servers: the real one first, then the baseline serving its bytes.
	app, slugs, err := startApp(ctx, dbURL, opt.caches)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, app.stop()) }()
	opt.targets = withProducts(opt.targets, slugs)
	pages, err := capture(app.addr, opt.targets)
	if err != nil {
		return err
	}
	base, err := startBaseline(pages)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, base.stop()) }()
	addrs := map[string]string{serverApp: app.addr, serverBaseline: base.addr}

	// Load, one target after the other, printing each line as it is ready.
	if opt.cpuProfile != "" {
		f, err := os.Create(opt.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	printHeader(stdout, opt)
	results := make([]Summary, 0, len(opt.targets))
	for _, t := range opt.targets {
		s, err := measure(ctx, addrs[t.server], t, opt)
		if err != nil {
			return err
		}
		printRow(stdout, s)
		results = append(results, s)
	}
	printComparison(stdout, results)

	if opt.jsonPath != "" {
		if err := writeJSON(opt.jsonPath, opt, results); err != nil {
			return err
		}
	}
	if n := printErrors(stderr, results); n > 0 {
		return fmt.Errorf("%d requests failed", n)
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("htxbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	var names string
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long to measure each target, after the warm-up")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "how long to load each target before measuring")
	fs.IntVar(&o.concurrency, "concurrency", 32, "concurrent workers, each with its own keep-alive connection")
	fs.StringVar(&names, "targets", targetNames(targets), "comma-separated targets to run, in this order")
	fs.StringVar(&o.jsonPath, "json", "", "also write the results as JSON to this file")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole load (client and servers) to this file")
	caches := fs.String("caches", "on", "on: the server's response caches as configured by default; off: every response cache off")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	switch *caches {
	case "on", "off":
		o.caches = *caches == "on"
	default:
		return o, errors.New("-caches is on or off")
	}
	if o.duration <= 0 || o.warmup < 0 || o.concurrency <= 0 {
		return o, errors.New("-duration and -concurrency must be positive, -warmup not negative")
	}
	var err error
	o.targets, err = selectTargets(names)
	return o, err
}

// selectTargets returns the targets named in the comma-separated list.
func selectTargets(names string) ([]target, error) {
	var out []target
	for _, name := range strings.Split(names, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		t, ok := findTarget(name)
		if !ok {
			return nil, fmt.Errorf("unknown target %q; known: %s", name, targetNames(targets))
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, errors.New("-targets names no target")
	}
	return out, nil
}

func findTarget(name string) (target, bool) {
	for _, t := range targets {
		if t.name == name {
			return t, true
		}
	}
	return target{}, false
}

func targetNames(ts []target) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.name
	}
	return strings.Join(names, ",")
}
