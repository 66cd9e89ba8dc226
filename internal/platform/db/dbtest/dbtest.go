// Package dbtest gives tests their own fresh PostgreSQL database, cloned from
// a template that holds every migration, so that a test starts from a known
// schema in milliseconds and never sees another test's rows.
//
// It connects to DATABASE_URL when set, else to the local server at
// 127.0.0.1:5432, and fails the test with a clear message when no server
// answers.
package dbtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/db"
	"htxmarket/migrations"
)

// DefaultServerURL is the server used when DATABASE_URL is unset.
const DefaultServerURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// lockKey serialises template creation and cloning across test processes
// (go test runs packages in parallel).
const lockKey = 73_961_204

var (
	counter atomic.Int64
	tmplMu  sync.Mutex
	tmpl    string
)

// New returns a connection to a fresh, migrated database that is dropped when
// the test ends.
func New(t testing.TB) *sqlx.DB {
	t.Helper()
	dsn := NewURL(t)
	d, err := db.Open(context.Background(), dsn, db.Options{MaxOpenConns: 10})
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// NewURL creates a fresh, migrated database and returns its URL, for tests
// that start a server process of their own. It is dropped when the test ends.
func NewURL(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin := adminConn(t, ctx)
	defer admin.Close()

	template, err := ensureTemplate(ctx, admin)
	if err != nil {
		t.Fatalf("dbtest: template: %v", err)
	}
	name := fmt.Sprintf("htxmarket_test_%d_%d", os.Getpid(), counter.Add(1))
	err = withLock(ctx, admin, func(c *sqlx.Conn) error {
		_, err := c.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s",
			pq.QuoteIdentifier(name), pq.QuoteIdentifier(template)))
		return err
	})
	if err != nil {
		t.Fatalf("dbtest: clone %s: %v", template, err)
	}
	t.Cleanup(func() { Drop(t, name) })
	return withDatabase(serverURL(), name)
}

// Drop removes a database made by NewURL, closing its connections first.
func Drop(t testing.TB, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin := adminConn(t, ctx)
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(name)+" WITH (FORCE)"); err != nil {
		t.Errorf("dbtest: drop %s: %v", name, err)
	}
}

// URL returns the URL of database name on the test server.
func URL(name string) string { return withDatabase(serverURL(), name) }

func serverURL() string {
	if v := os.Getenv("DATABASE_URL"); v != "" {
		return withDatabase(v, "postgres")
	}
	return DefaultServerURL
}

func adminConn(t testing.TB, ctx context.Context) *sqlx.DB {
	t.Helper()
	d, err := db.Open(ctx, serverURL(), db.Options{MaxOpenConns: 2})
	if err != nil {
		t.Fatalf("dbtest: no PostgreSQL reachable at %s (set DATABASE_URL, or start the local server): %v",
			hostOnly(serverURL()), err)
	}
	return d
}

// ensureTemplate creates, once per schema, a database with every migration
// applied and marks it as a template. Its name carries a hash of the
// migration files, so a changed migration gets a new template.
func ensureTemplate(ctx context.Context, admin *sqlx.DB) (string, error) {
	tmplMu.Lock()
	defer tmplMu.Unlock()
	if tmpl != "" {
		return tmpl, nil
	}
	sum, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := "htxmarket_tmpl_" + sum
	err = withLock(ctx, admin, func(c *sqlx.Conn) error {
		var exists bool
		if err := c.GetContext(ctx, &exists,
			`SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)`, name); err != nil {
			return err
		}
		if exists {
			return nil
		}
		// A half-built template from an interrupted run is rebuilt.
		if _, err := c.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(name)+" WITH (FORCE)"); err != nil {
			return err
		}
		if _, err := c.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
			return err
		}
		if err := migrate(ctx, withDatabase(serverURL(), name)); err != nil {
			return err
		}
		_, err := c.ExecContext(ctx, "ALTER DATABASE "+pq.QuoteIdentifier(name)+" WITH is_template true ALLOW_CONNECTIONS false")
		return err
	})
	if err != nil {
		return "", err
	}
	tmpl = name
	return name, nil
}

func migrate(ctx context.Context, dsn string) error {
	d, err := db.Open(ctx, dsn, db.Options{MaxOpenConns: 1})
	if err != nil {
		return err
	}
	defer d.Close()
	m, err := db.NewMigrator(d.DB, migrations.FS)
	if err != nil {
		return err
	}
	_, err = m.Up(ctx)
	return err
}

func withLock(ctx context.Context, admin *sqlx.DB, fn func(c *sqlx.Conn) error) error {
	c, err := admin.Connx(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return err
	}
	defer c.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", lockKey)
	return fn(c)
}

func migrationsHash() (string, error) {
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, err := fs.ReadFile(migrations.FS, n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

func withDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	u.Path = "/" + name
	return u.String()
}

func hostOnly(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(invalid URL)"
	}
	return u.Host
}
