package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/app"
	"htxmarket/internal/catalog"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/outbox"
)

// TestCheckoutsSurviveSIGKILL starts the real server binary, has 16
// shoppers check out in a loop, kills the process with SIGKILL in the
// middle, and checks that every order in the database is whole (its
// sub-orders, lines and totals) and that stock moved by exactly what the
// orders hold: a checkout is all or nothing.
func TestCheckoutsSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the server binary")
	}
	bin := filepath.Join(t.TempDir(), "htxmarket")
	build := exec.Command("go", "build", "-o", bin, "htxmarket/cmd/htxmarket")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dsn := dbtest.NewURL(t)
	d, err := db.Open(context.Background(), dsn, db.Options{MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	// Two cooperatives, three packagings with plenty of stock.
	cfg := testConfig(t, nil)
	srv, err := app.NewServer(cfg, app.NewLogger(cfg, io.Discard), d, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	admin := &auth.Principal{UserID: uuid.New(), Roles: []auth.Role{auth.RoleAdmin}}
	var variants []uuid.UUID
	const initial = 100_000
	for i, coop := range []string{"HTX Chè Tân Cương", "HTX Cà phê Cầu Đất"} {
		var slug string
		if err := db.InTx(context.Background(), d, func(tx *sqlx.Tx) error {
			c, err := srv.Cooperatives.Store().EnsureForImport(context.Background(), tx, coop, "thai-nguyen")
			slug = c.Slug
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for j := range 3 - i {
			name := fmt.Sprintf("Sản phẩm %d-%d", i, j)
			p, err := srv.Catalog.Create(context.Background(), admin, slug, catalog.NewProduct{
				Name: name, Group: "do-uong", Province: "thai-nguyen", Status: catalog.StatusActive,
				Variants: []catalog.NewVariant{{SKU: catalog.Slugify(name), Unit: "hộp", PriceVND: 50_000, Stock: initial}},
			})
			if err != nil {
				t.Fatal(err)
			}
			variants = append(variants, p.Variants[0].ID)
		}
	}

	// The search indexer (the worker's part) indexes the new products:
	// the server is ready only once it has.
	relay := outbox.NewRelay(d, app.NewLogger(cfg, io.Discard), nil)
	for {
		n, err := relay.RunOnce(context.Background(), srv.SearchIndexer.Consumer())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "APP_ENV=test", "DATABASE_URL="+dsn, "HTTP_ADDR="+addr,
		"PUBLIC_ORIGIN=http://"+addr, "STORAGE_DIR="+t.TempDir(), "LOG_LEVEL=error")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	base := "http://" + addr
	waitUp(t, base+"/readyz")

	var placed, failed atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar, Timeout: 5 * time.Second}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				ok := true
				for _, v := range variants[:3] {
					ok = ok && post(c, base+"/api/v1/cart/items", map[string]any{"variant_id": v, "quantity": 1 + w%3}, "") == 201
				}
				if ok && post(c, base+"/api/v1/checkout", map[string]any{"payment_method": "cod", "shipping_address": map[string]any{
					"recipient": "Khách", "phone": "0901234567", "province": "ha-noi", "commune": "Phường Hoàn Kiếm", "street": "1 Tràng Tiền",
				}}, fmt.Sprint(w, "-", i)) == 201 {
					placed.Add(1)
				} else {
					failed.Add(1)
				}
			}
		}()
	}
	// Kill once checkouts are flowing.
	// The machine may be busy with other packages' tests: wait for a few
	// checkouts, up to a minute.
	deadline := time.Now().Add(time.Minute)
	for placed.Load() < 10 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	close(stop)
	wg.Wait()
	if placed.Load() < 10 {
		t.Fatalf("only %d checkouts before the kill; server output:\n%s", placed.Load(), logs.String())
	}

	// The killed server's connections may still be finishing a COMMIT
	// it sent: wait until none is busy, so that what is read below no
	// longer moves.
	deadline = time.Now().Add(15 * time.Second)
	for {
		var others int
		if err := d.Get(&others, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`); err != nil {
			t.Fatal(err)
		}
		if others == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Every order is whole.
	var broken []string
	const q = `
SELECT o.number
FROM orders o
WHERE o.items_vnd <> (SELECT coalesce(sum(s.items_vnd), 0) FROM sub_orders s WHERE s.order_id = o.id)
   OR o.shipping_vnd <> (SELECT coalesce(sum(s.shipping_vnd), 0) FROM sub_orders s WHERE s.order_id = o.id)
   OR NOT EXISTS (SELECT 1 FROM sub_orders s WHERE s.order_id = o.id)
   OR EXISTS (SELECT 1 FROM sub_orders s WHERE s.order_id = o.id
              AND s.items_vnd <> (SELECT coalesce(sum(l.line_vnd), 0) FROM order_lines l WHERE l.sub_order_id = s.id))`
	if err := d.Select(&broken, q); err != nil {
		t.Fatal(err)
	}
	if len(broken) > 0 {
		t.Errorf("orders not whole after SIGKILL: %v", broken)
	}
	// Stock moved by exactly what the orders hold.
	for _, v := range variants {
		// One statement, one snapshot.
		var got struct {
			Stock int `db:"stock"`
			Sold  int `db:"sold"`
		}
		if err := d.Get(&got, `SELECT (SELECT stock FROM product_variants WHERE id = $1) AS stock,
			(SELECT coalesce(sum(quantity), 0) FROM order_lines WHERE variant_id = $1) AS sold`, v); err != nil {
			t.Fatal(err)
		}
		stock, sold := got.Stock, got.Sold
		if stock+sold != initial {
			t.Errorf("variant %s: stock %d + sold %d != %d", v, stock, sold, initial)
		}
	}
	var orders, keys int
	d.Get(&orders, `SELECT count(*) FROM orders`)
	d.Get(&keys, `SELECT count(*) FROM idempotency_keys WHERE status = 201`)
	if orders != keys {
		t.Errorf("%d orders but %d stored checkout answers", orders, keys)
	}
	t.Logf("%d checkouts answered before SIGKILL, %d orders in the database, %d requests cut", placed.Load(), orders, failed.Load())
}

func post(c *http.Client, url string, body any, key string) int {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
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

func waitUp(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s not ready", url)
}
