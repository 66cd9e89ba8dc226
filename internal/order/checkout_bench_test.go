package order_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"github.com/valyala/fasthttp"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
	"htxmarket/internal/order"
)

// TestCheckoutLoad measures checkouts per second over real HTTP: 32
// shoppers each fill a cart with 3 lines from 2 cooperatives and check out
// with cash on delivery, again and again; then, in the same run and on the
// same PostgreSQL, pgbench's default TPC-B-like script at the same
// concurrency. It prints both; it asserts only that nothing failed.
//
//	HTX_CHECKOUT_BENCH=1 go test ./internal/order -run CheckoutLoad -v -timeout 10m
//
// HTX_CHECKOUT_BENCH_DURATION (default 20s) and _CONCURRENCY (32) change the load.
func TestCheckoutLoad(t *testing.T) {
	if os.Getenv("HTX_CHECKOUT_BENCH") == "" {
		t.Skip("set HTX_CHECKOUT_BENCH=1 to run the checkout load test")
	}
	duration, _ := time.ParseDuration(envOr("HTX_CHECKOUT_BENCH_DURATION", "20s"))
	var concurrency int
	fmt.Sscan(envOr("HTX_CHECKOUT_BENCH_CONCURRENCY", "32"), &concurrency)

	env := apptest.New(t, map[string]string{"LOG_LEVEL": "error", "DB_MAX_OPEN_CONNS": envOr("HTX_CHECKOUT_BENCH_DB_CONNS", "20")})
	f := authtest.Setup(t, env)
	// Each checkout buys 2 packagings of one cooperative and 1 of the
	// other, drawn from `products` per cooperative (1: everyone buys the
	// same three, the hottest rows there can be).
	var perCoop int
	fmt.Sscan(envOr("HTX_CHECKOUT_BENCH_PRODUCTS", "50"), &perCoop)
	var coopA, coopB []uuid.UUID
	for i := range max(perCoop, 2) {
		a := newProduct(t, env, f.Coop.Slug, fmt.Sprintf("Chè Tân Cương %d", i), 150_000, 1_000_000_000)
		b := newProduct(t, env, f.OtherCoop.Slug, fmt.Sprintf("Cà phê Cầu Đất %d", i), 200_000, 1_000_000_000)
		coopA, coopB = append(coopA, a.Variants[0].ID), append(coopB, b.Variants[0].ID)
	}
	pick := func(r *rand.Rand) []uuid.UUID {
		if perCoop <= 1 {
			return []uuid.UUID{coopA[0], coopA[1], coopB[0]}
		}
		i := r.IntN(perCoop)
		return []uuid.UUID{coopA[i], coopA[(i+1+r.IntN(perCoop-1))%perCoop], coopB[r.IntN(perCoop)]}
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go env.Server.App.Listener(ln)
	defer env.Server.App.Shutdown()
	base := "http://" + ln.Addr().String()
	body, _ := json.Marshal(map[string]any{"payment_method": "cod", "shipping_address": map[string]any{
		"recipient": "Khách sỉ", "phone": "0901234567", "province": "ha-noi", "commune": "Phường Hoàn Kiếm", "street": "1 Tràng Tiền"}})

	var dbName string
	if err := env.DB.Get(&dbName, `SELECT current_database()`); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("HTX_CHECKOUT_BENCH_SKIP_CART") == "" {
		cartPhase(t, base, body, concurrency, duration, pick)
	}

	// Checkouts alone: carts filled beforehand in SQL, one per checkout.
	onlyPerSec, only, pgPer, n := checkoutsOnly(t, env, dbName, base, body, concurrency, duration, pick)
	t.Logf("checkout alone (carts of 3 lines from 2 cooperatives filled beforehand), c%d, %s: %.0f checkouts/s; p50 %s, p95 %s, p99 %s",
		concurrency, duration, onlyPerSec, only(0.5), only(0.95), only(0.99))
	tps, bench, benchCPU := pgbench(t, env.Config.DB.URL, concurrency, duration)
	t.Logf("pgbench TPC-B-like (scale 10), c%d, %s: %.0f tps", concurrency, duration, tps)
	t.Logf("checkout alone is %.1f%% of pgbench (target ≥ 30%%)", 100*onlyPerSec/tps)
	t.Logf("database %s: PostgreSQL CPU %s for %d checkouts; %s for %d pgbench transactions", dbName, pgPer, n, benchCPU, bench)
	if pgPer > 0 && benchCPU > 0 {
		t.Logf("PostgreSQL CPU per checkout %s, per pgbench transaction %s: a checkout costs the server %.1f pgbench transactions",
			(pgPer / time.Duration(n)).Round(time.Microsecond), (benchCPU / time.Duration(bench)).Round(time.Microsecond),
			float64(pgPer)/float64(n)/(float64(benchCPU)/float64(bench)))
	}
}

// cartPhase has concurrency shoppers fill a cart with 3 cart adds and
// check it out, again and again, for d.
func cartPhase(t *testing.T, base string, body []byte, concurrency int, duration time.Duration, pick func(*rand.Rand) []uuid.UUID) {
	var (
		mu        sync.Mutex
		latencies []time.Duration
		failures  int
	)
	transport := &http.Transport{MaxIdleConnsPerHost: concurrency, MaxConnsPerHost: concurrency}
	warm := time.Now().Add(2 * time.Second)
	end := warm.Add(duration)
	var wg sync.WaitGroup
	for w := range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			jar, _ := cookiejar.New(nil)
			cl := &http.Client{Jar: jar, Transport: transport, Timeout: 10 * time.Second}
			r := rand.New(rand.NewPCG(uint64(w), 7))
			var mine []time.Duration
			bad := 0
			for i := 0; time.Now().Before(end); i++ {
				for _, v := range pick(r) {
					b, _ := json.Marshal(map[string]any{"variant_id": v, "quantity": 1})
					if st := send(cl, base+"/api/v1/cart/items", b, ""); st != 201 {
						bad++
					}
				}
				start := time.Now()
				st := send(cl, base+"/api/v1/checkout", body, fmt.Sprint(w, "-", i))
				if st != 201 {
					bad++
					continue
				}
				if start.After(warm) {
					mine = append(mine, time.Since(start))
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			failures += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	if failures > 0 {
		t.Errorf("%d requests failed", failures)
	}
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[int(float64(len(latencies)-1)*p)] }
	perSec := float64(len(latencies)) / duration.Seconds()
	t.Logf("checkout with its 3 cart adds (3 lines, 2 cooperatives, COD), c%d, %s: %.0f checkouts/s; checkout p50 %s, p95 %s, p99 %s",
		concurrency, duration, perSec, pct(0.5).Round(time.Microsecond), pct(0.95).Round(time.Microsecond), pct(0.99).Round(time.Microsecond))
}

func send(c *http.Client, url string, body []byte, key string) int {
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := c.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// pgbench runs the default script on a database of its own beside the
// test's and returns its transactions per second, the number of
// transactions and the server's CPU time for them.
func pgbench(t *testing.T, dsn string, clients int, d time.Duration) (float64, int, time.Duration) {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("htx_pgbench_%d", os.Getpid())
	admin := *u
	admin.Path = "/postgres"
	// pgbench connects as the server does (lib/pq's default is require);
	// libpq would otherwise encrypt its connections (sslmode=prefer) when
	// the server's are plain.
	sslmode := u.Query().Get("sslmode")
	if sslmode == "" {
		sslmode = "require"
	}
	run := func(args ...string) string {
		cmd := exec.CommandContext(context.Background(), args[0], args[1:]...)
		cmd.Env = append(os.Environ(), "PGSSLMODE="+sslmode)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	run("psql", admin.String(), "-qc", "DROP DATABASE IF EXISTS "+name)
	run("psql", admin.String(), "-qc", "CREATE DATABASE "+name)
	defer run("psql", admin.String(), "-qc", "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	db := *u
	db.Path = "/" + name
	host, port, _ := net.SplitHostPort(u.Host)
	user := u.User.Username()
	args := []string{"-h", host, "-p", port, "-U", user}
	run(append(append([]string{"pgbench"}, args...), "-i", "-q", "-s", "10", name)...)
	stopCPU := pgCPU(name)
	out := run(append(append([]string{"pgbench"}, args...), "-c", fmt.Sprint(clients), "-j", "2",
		"-T", fmt.Sprint(int(d.Seconds())), name)...)
	cpu := stopCPU()
	m := regexp.MustCompile(`tps = ([0-9.]+)`).FindStringSubmatch(out)
	n := regexp.MustCompile(`number of transactions actually processed: ([0-9]+)`).FindStringSubmatch(out)
	if m == nil || n == nil {
		t.Fatalf("pgbench output: %s", out)
	}
	var tps float64
	var count int
	fmt.Sscan(m[1], &tps)
	fmt.Sscan(n[1], &count)
	return tps, count, cpu
}

// checkoutsOnly fills enough guest carts in SQL, then has concurrency
// shoppers check them out for d and returns checkouts per second and the
// latency percentiles, and the PostgreSQL CPU time that all checkouts
// (warm-up included) took and their number.
func checkoutsOnly(t *testing.T, env *apptest.Env, dbName, base string, body []byte, concurrency int, d time.Duration,
	pick func(*rand.Rand) []uuid.UUID) (float64, func(float64) time.Duration, time.Duration, int) {
	t.Helper()
	const carts = 60_000
	tokens := make([]string, carts)
	r := rand.New(rand.NewPCG(1, 2))
	for start := 0; start < carts; start += 5000 {
		var ids, items, variants []uuid.UUID
		var hashes [][]byte
		var cartOf []uuid.UUID
		for i := start; i < start+5000; i++ {
			tokens[i] = fmt.Sprintf("checkout-bench-token-%08d", i)
			id := uuid.New()
			ids, hashes = append(ids, id), append(hashes, order.HashCartToken(tokens[i]))
			for _, v := range pick(r) {
				items, variants, cartOf = append(items, uuid.New()), append(variants, v), append(cartOf, id)
			}
		}
		env.DB.MustExec(`INSERT INTO carts (id, token_hash) SELECT * FROM unnest($1::uuid[], $2::bytea[])`, pq.Array(ids), pq.Array(hashes))
		env.DB.MustExec(`INSERT INTO cart_items (id, cart_id, variant_id, quantity) SELECT i, c, v, 1 FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS t (i, c, v)`,
			pq.Array(items), pq.Array(cartOf), pq.Array(variants))
	}
	env.DB.MustExec(`ANALYZE carts; ANALYZE cart_items`)
	var next atomic.Int64
	var done atomic.Int64
	stopCPU := pgCPU(dbName)
	goCPU := processCPU()
	if f := os.Getenv("HTX_CHECKOUT_BENCH_MARK"); f != "" {
		os.WriteFile(f, []byte(dbName), 0o644) // for a profiler: the checkouts start now
	}
	var mu sync.Mutex
	var lat []time.Duration
	failures := 0
	warm := time.Now().Add(time.Second)
	end := warm.Add(d)
	// The load comes from fasthttp's client, the lightest at hand (the
	// server's own HTTP library): on a machine whose cores the server,
	// PostgreSQL and the load share, the load should cost as little as
	// pgbench's client does. It asks for gzip as browsers do and leaves the
	// answer packed.
	cl := &fasthttp.Client{MaxConnsPerHost: concurrency, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	var wg sync.WaitGroup
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(res)
			var mine []time.Duration
			bad := 0
			for time.Now().Before(end) {
				i := int(next.Add(1)) - 1
				if i >= carts {
					break
				}
				req.Reset()
				req.SetRequestURI(base + "/api/v1/checkout")
				req.Header.SetMethod("POST")
				req.Header.SetContentType("application/json")
				req.Header.Set("Idempotency-Key", strconv.Itoa(i))
				req.Header.Set("Accept-Encoding", "gzip")
				req.Header.SetCookie(order.CartCookie, tokens[i])
				req.SetBody(body)
				start := time.Now()
				if err := cl.Do(req, res); err != nil || res.StatusCode() != 201 {
					bad++
					continue
				}
				done.Add(1)
				if start.After(warm) {
					mine = append(mine, time.Since(start))
				}
			}
			mu.Lock()
			lat, failures = append(lat, mine...), failures+bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	cpu := stopCPU()
	t.Logf("this process (server and load) CPU per checkout: %s", ((processCPU() - goCPU) / time.Duration(max(done.Load(), 1))).Round(time.Microsecond))
	if failures > 0 {
		t.Errorf("%d checkouts failed", failures)
	}
	if next.Load() >= carts {
		t.Logf("ran out of carts before the end")
	}
	slices.Sort(lat)
	return float64(len(lat)) / d.Seconds(), func(p float64) time.Duration { return lat[int(float64(len(lat)-1)*p)].Round(time.Microsecond) },
		cpu, int(done.Load())
}
