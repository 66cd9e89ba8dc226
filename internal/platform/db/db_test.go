package db_test

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/migrations"
)

func TestMigrationsUpDownUp(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	m, err := db.NewMigrator(d.DB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	top, err := m.Version(ctx)
	if err != nil || top == 0 {
		t.Fatalf("template must be fully migrated: version %d, %v", top, err)
	}
	if err := m.DownTo(ctx, 0); err != nil {
		t.Fatalf("down: %v", err)
	}
	var tables int
	if err := d.GetContext(ctx, &tables, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'goose_db_version'`); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Fatalf("after down to 0, %d tables remain", tables)
	}
	n, err := m.Up(ctx)
	if err != nil {
		t.Fatalf("up again: %v", err)
	}
	files, _ := fs.Glob(migrations.FS, "*.sql")
	if n != len(files) {
		t.Fatalf("up again applied %d migrations, want all %d", n, len(files))
	}
	if v, _ := m.Version(ctx); v != top {
		t.Fatalf("version after up again %d, want %d", v, top)
	}
	var provinces int
	if err := d.GetContext(ctx, &provinces, `SELECT count(*) FROM provinces`); err != nil || provinces != 34 {
		t.Fatalf("provinces after up/down/up: %d, %v", provinces, err)
	}
}

func TestClassify(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	_, err := d.ExecContext(ctx, `INSERT INTO provinces (slug, name, kind, capital, lat, lng, position) VALUES ('ha-noi', 'x', 'city', 'x', 0, 0, 99)`)
	if !errors.Is(db.Classify(err), db.ErrDuplicate) {
		t.Fatalf("want ErrDuplicate, got %v", err)
	}
	_, err = d.ExecContext(ctx, `INSERT INTO province_names (name, province_slug, kind) VALUES ('Nowhere', 'no-such', 'alias')`)
	if !errors.Is(db.Classify(err), db.ErrForeignKey) {
		t.Fatalf("want ErrForeignKey, got %v", err)
	}
	var x int
	err = d.GetContext(ctx, &x, `SELECT 1 FROM provinces WHERE slug = 'none'`)
	if !errors.Is(db.Classify(err), db.ErrNotFound) || !errors.Is(db.Classify(err), sql.ErrNoRows) {
		t.Fatalf("want ErrNotFound wrapping sql.ErrNoRows, got %v", err)
	}
}

func TestInTxRollsBackOnError(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := db.InTx(ctx, d, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE provinces SET capital = 'changed'`); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("want boom, got %v", err)
	}
	var changed int
	d.GetContext(ctx, &changed, `SELECT count(*) FROM provinces WHERE capital = 'changed'`)
	if changed != 0 {
		t.Fatalf("rollback failed: %d rows changed", changed)
	}
}

// TestInTxRetriesSerializationFailures runs two serializable transactions
// that each read what the other writes, which PostgreSQL resolves by failing
// one with 40001; InTx must retry it so both effects land.
func TestInTxRetriesSerializationFailures(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, `CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL); INSERT INTO counters VALUES (1, 0), (2, 0)`); err != nil {
		t.Fatal(err)
	}
	var attempts atomic.Int32
	var barrier, wg sync.WaitGroup
	barrier.Add(2)
	errs := make([]error, 2)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var arrived atomic.Bool
			errs[i] = db.InTxOpts(ctx, d, &sql.TxOptions{Isolation: sql.LevelSerializable}, func(tx *sqlx.Tx) error {
				attempts.Add(1)
				var sum int
				if err := tx.GetContext(ctx, &sum, `SELECT sum(n) FROM counters`); err != nil {
					return err
				}
				// On the first attempt both transactions read before either
				// writes, which makes the conflict certain.
				if !arrived.Swap(true) {
					barrier.Done()
					barrier.Wait()
				}
				_, err := tx.ExecContext(ctx, `UPDATE counters SET n = $1 + 1 WHERE id = $2`, sum, i+1)
				return err
			})
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("transaction failed instead of retrying: %v", err)
		}
	}
	if attempts.Load() < 3 {
		t.Fatalf("expected a retry, got %d attempts", attempts.Load())
	}
	var total int
	d.GetContext(ctx, &total, `SELECT sum(n) FROM counters`)
	if total != 3 { // serial order: one writes 1, the other then reads 1 and writes 2
		t.Fatalf("sum = %d, want 3 (a serial outcome)", total)
	}
}

func TestEnsureDatabaseCreatesMissing(t *testing.T) {
	ctx := context.Background()
	name := "htxmarket_test_ensure"
	dbtest.Drop(t, name)
	url := dbtest.URL(name)
	if err := db.EnsureDatabase(ctx, url); err != nil {
		t.Fatalf("ensure: %v", err)
	}
	t.Cleanup(func() { dbtest.Drop(t, name) })
	if err := db.EnsureDatabase(ctx, url); err != nil {
		t.Fatalf("ensure on an existing database: %v", err)
	}
	d, err := db.Open(ctx, url, db.Options{})
	if err != nil {
		t.Fatalf("database was not created: %v", err)
	}
	d.Close()
}
