package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/outbox"
)

type recorder struct {
	mu   sync.Mutex
	keys []string
	fail error
}

func (r *recorder) handle(_ context.Context, batch []outbox.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	for _, m := range batch {
		r.keys = append(r.keys, m.Key)
	}
	return nil
}

func (r *recorder) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.keys...)
}

func write(t *testing.T, d *sqlx.DB, topic, key string) {
	t.Helper()
	err := db.InTx(context.Background(), d, func(tx *sqlx.Tx) error {
		return outbox.Write(context.Background(), tx, topic, key, map[string]string{"k": key})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func setup(t *testing.T, name string, batch int, topics ...string) (*sqlx.DB, *outbox.Relay, outbox.Consumer, *recorder) {
	t.Helper()
	d := dbtest.New(t)
	rec := &recorder{}
	c := outbox.Consumer{Name: name, Topics: topics, Handle: rec.handle, BatchSize: batch}
	if err := outbox.Subscribe(context.Background(), d, c); err != nil {
		t.Fatal(err)
	}
	r := outbox.NewRelay(d, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	r.MinBackoff, r.MaxBackoff = 200*time.Millisecond, 400*time.Millisecond
	return d, r, c, rec
}

func TestDeliversOnlySubscribedTopicsInBatches(t *testing.T) {
	d, r, c, rec := setup(t, "index", 2, "product.changed")
	for _, k := range []string{"a", "b", "c"} {
		write(t, d, "product.changed", k)
	}
	write(t, d, "order.placed", "x")
	ctx := context.Background()
	n1, err1 := r.RunOnce(ctx, c)
	n2, err2 := r.RunOnce(ctx, c)
	n3, err3 := r.RunOnce(ctx, c)
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	if n1 != 2 || n2 != 1 || n3 != 0 {
		t.Fatalf("batches %d %d %d, want 2 1 0", n1, n2, n3)
	}
	if got := rec.got(); fmt.Sprint(got) != "[a b c]" {
		t.Fatalf("delivered %v", got)
	}
	var log int
	d.Get(&log, `SELECT count(*) FROM outbox`)
	if log != 4 {
		t.Fatalf("the change log holds %d messages, want all 4", log)
	}
}

// TestBulkInsertIsQueued: a set-based insert into outbox (as an import
// does) is queued like single writes.
func TestBulkInsertIsQueued(t *testing.T) {
	d, r, c, rec := setup(t, "index", 100, "product.changed")
	if _, err := d.Exec(`INSERT INTO outbox (topic, key) SELECT 'product.changed', 'p' || g FROM generate_series(1, 30) g`); err != nil {
		t.Fatal(err)
	}
	if n, err := r.RunOnce(context.Background(), c); n != 30 || err != nil || len(rec.got()) != 30 {
		t.Fatalf("delivered %d (%v), want 30", n, err)
	}
}

func TestEachConsumerGetsEveryMessage(t *testing.T) {
	d, r, index, rec1 := setup(t, "index", 10, "product.changed")
	rec2 := &recorder{}
	webhooks := outbox.Consumer{Name: "webhooks", Topics: []string{"product.changed"}, Handle: rec2.handle}
	outbox.Subscribe(context.Background(), d, webhooks)
	write(t, d, "product.changed", "a")
	r.RunOnce(context.Background(), index)
	r.RunOnce(context.Background(), webhooks)
	if fmt.Sprint(rec1.got(), rec2.got()) != "[a] [a]" {
		t.Fatalf("index %v, webhooks %v", rec1.got(), rec2.got())
	}
}

// TestFailedMessageIsRetriedNotLost: a consumer that fails keeps its
// messages, does not see them during the backoff, and gets them once it
// recovers.
func TestFailedMessageIsRetriedNotLost(t *testing.T) {
	d, r, c, rec := setup(t, "index", 10, "product.changed")
	ctx := context.Background()
	write(t, d, "product.changed", "a")
	rec.fail = errors.New("search engine unreachable")
	if _, err := r.RunOnce(ctx, c); !errors.Is(err, outbox.ErrDelivery) {
		t.Fatalf("want ErrDelivery, got %v", err)
	}
	var st struct {
		Attempts  int    `db:"attempts"`
		LastError string `db:"last_error"`
	}
	d.Get(&st, `SELECT attempts, last_error FROM outbox_pending WHERE consumer = 'index'`)
	if st.Attempts != 1 || st.LastError != "search engine unreachable" {
		t.Fatalf("failure not recorded: %+v", st)
	}
	rec.fail = nil
	if n, _ := r.RunOnce(ctx, c); n != 0 {
		t.Fatal("delivered during the backoff")
	}
	time.Sleep(450 * time.Millisecond)
	if n, err := r.RunOnce(ctx, c); n != 1 || err != nil {
		t.Fatalf("after recovery: %d %v", n, err)
	}
	if got := rec.got(); fmt.Sprint(got) != "[a]" {
		t.Fatalf("delivered %v", got)
	}
}

// TestLateCommitIsDelivered: a message written by a transaction that began
// first but commits last is delivered when it commits.
func TestLateCommitIsDelivered(t *testing.T) {
	d, r, c, rec := setup(t, "index", 10, "product.changed")
	ctx := context.Background()
	slow, err := d.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := outbox.Write(ctx, slow, "product.changed", "slow", nil); err != nil {
		t.Fatal(err)
	}
	write(t, d, "product.changed", "fast")
	r.RunOnce(ctx, c)
	if got := rec.got(); fmt.Sprint(got) != "[fast]" {
		t.Fatalf("delivered %v before the slow commit", got)
	}
	if err := slow.Commit(); err != nil {
		t.Fatal(err)
	}
	r.RunOnce(ctx, c)
	if got := rec.got(); fmt.Sprint(got) != "[fast slow]" {
		t.Fatalf("delivered %v", got)
	}
}

func TestRolledBackMessageIsNeverDelivered(t *testing.T) {
	d, r, c, rec := setup(t, "index", 10, "product.changed")
	ctx := context.Background()
	_ = db.InTx(ctx, d, func(tx *sqlx.Tx) error {
		if err := outbox.Write(ctx, tx, "product.changed", "ghost", nil); err != nil {
			return err
		}
		return errors.New("the change failed")
	})
	write(t, d, "product.changed", "real")
	r.RunOnce(ctx, c)
	if got := rec.got(); fmt.Sprint(got) != "[real]" {
		t.Fatalf("delivered %v", got)
	}
}

// TestConcurrentWorkersDeliverEachMessageOnce runs two relays side by side.
func TestConcurrentWorkersDeliverEachMessageOnce(t *testing.T) {
	d, _, c, rec := setup(t, "index", 7, "product.changed")
	want := make([]string, 50)
	for i := range want {
		want[i] = fmt.Sprintf("p%02d", i)
		write(t, d, "product.changed", want[i])
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		r := outbox.NewRelay(d, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
		r.Poll = 10 * time.Millisecond
		go func() { defer wg.Done(); r.Run(ctx, c) }()
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(rec.got()) < 50 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	cancel()
	wg.Wait()
	got := rec.got()
	sort.Strings(got)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("delivered %d messages %v; want each of 50 once", len(got), got)
	}
}

func TestPruneKeepsUndeliveredAndRecentMessages(t *testing.T) {
	d, _, _, _ := setup(t, "index", 10, "product.changed")
	// partner.webhook has no subscriber (order.placed has one since
	// migration 00043: notifications).
	write(t, d, "product.changed", "pending-old")   // still queued for index
	write(t, d, "partner.webhook", "delivered-old") // nobody waits for it
	write(t, d, "partner.webhook", "recent")        // young
	d.MustExec(`UPDATE outbox SET created_at = now() - interval '40 days' WHERE key <> 'recent'`)
	n, err := outbox.Prune(context.Background(), d, 30*24*time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("pruned %d (%v), want 1", n, err)
	}
	var left []string
	d.Select(&left, `SELECT key FROM outbox ORDER BY key`)
	if fmt.Sprint(left) != "[pending-old recent]" {
		t.Fatalf("left %v", left)
	}
}
