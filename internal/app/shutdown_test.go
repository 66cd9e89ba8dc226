package app_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"htxmarket/internal/app"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/db/dbtest"
)

func testConfig(t *testing.T, vars map[string]string) config.Config {
	t.Helper()
	all := map[string]string{"APP_ENV": "test", "STORAGE_DIR": t.TempDir()}
	for k, v := range vars {
		all[k] = v
	}
	cfg, err := config.FromLookup(func(k string) (string, bool) { v, ok := all[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestGracefulShutdownOnSIGTERM sends the process a real SIGTERM while a
// slow request is in flight: the server must stop accepting connections,
// finish that request, and close the database pool.
func TestGracefulShutdownOnSIGTERM(t *testing.T) {
	d := dbtest.New(t)
	cfg := testConfig(t, map[string]string{"SHUTDOWN_TIMEOUT": "10s"})
	srv, err := app.NewServer(cfg, app.NewLogger(cfg, &bytes.Buffer{}), d, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	started, release := make(chan struct{}), make(chan struct{})
	srv.App.Get("/api/test/slow", func(c *fiber.Ctx) error {
		close(started)
		<-release
		return c.SendString("finished")
	})

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "http://" + ln.Addr().String()
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln) }()

	type result struct {
		body string
		err  error
	}
	slow := make(chan result, 1)
	go func() {
		res, err := http.Get(addr + "/api/test/slow")
		if err != nil {
			slow <- result{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		slow <- result{string(b), err}
	}()
	<-started

	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// New connections are refused soon after the signal.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", ln.Addr().String(), 200*time.Millisecond)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("server still accepts connections after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case err := <-done:
		t.Fatalf("server stopped before the in-flight request finished: %v", err)
	case <-time.After(100 * time.Millisecond):
	}

	close(release)
	if r := <-slow; r.err != nil || r.body != "finished" {
		t.Fatalf("in-flight request was not drained: %q %v", r.body, r.err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop")
	}
	if err := d.Ping(); err == nil {
		t.Fatal("database pool still open after shutdown")
	}
}
