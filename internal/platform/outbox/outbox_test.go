package outbox_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
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

func write(t *testing.T, d *sqlx.DB, topic, key string) {
	t.Helper()
	err := db.InTx(context.Background(), d, func(tx *sqlx.Tx) error {
		return outbox.Write(context.Background(), tx, topic, key, map[string]string{"k": key})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func newRelay(d *sqlx.DB) *outbox.Relay {
	r := outbox.NewRelay(d, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	r.MinBackoff, r.MaxBackoff = 50*time.Millisecond, 100*time.Millisecond
	return r
}

// drain runs the consumer until it has delivered want messages in all. A
// write transaction of another test on the same server may hold delivery
// back for a moment (see the migration), so it polls within a deadline.
func drain(t *testing.T, r *outbox.Relay, c outbox.Consumer, rec *recorder, want int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		n, err := r.RunOnce(context.Background(), c)
		if err != nil {
			t.Fatalf("RunOnce: %v", err)
		}
		if n > c.BatchSize && c.BatchSize > 0 {
			t.Fatalf("batch of %d exceeds the batch size %d", n, c.BatchSize)
		}
		rec.mu.Lock()
		got := len(rec.keys)
		rec.mu.Unlock()
		if got >= want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivered %d of %d messages", got, want)
		}
		if n == 0 {
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func TestDeliversInOrderOnlyItsTopics(t *testing.T) {
	d := dbtest.New(t)
	for _, k := range []string{"a", "b", "c"} {
		write(t, d, "product.changed", k)
	}
	write(t, d, "order.placed", "x")
	rec := &recorder{}
	c := outbox.Consumer{Name: "index", Topics: []string{"product.changed"}, Handle: rec.handle, BatchSize: 2}
	r := newRelay(d)
	drain(t, r, c, rec, 3)
	if n, err := r.RunOnce(context.Background(), c); n != 0 || err != nil {
		t.Fatalf("after draining: %d %v", n, err)
	}
	if got := rec.keys; len(got) != 3 || got[0] != "a" || got[1] != "b" || got[2] != "c" {
		t.Fatalf("delivered %v", got)
	}
}

// TestFailedBatchIsRetriedNotSkipped: a consumer that fails keeps its place
// and receives the same messages once it recovers.
func TestFailedBatchIsRetriedNotSkipped(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	write(t, d, "product.changed", "a")
	rec := &recorder{fail: errors.New("search engine unreachable")}
	c := outbox.Consumer{Name: "index", Topics: []string{"product.changed"}, Handle: rec.handle}
	r := newRelay(d)
	deadline := time.Now().Add(15 * time.Second)
	for {
		_, err := r.RunOnce(ctx, c)
		if err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the failing handler was never called")
		}
		time.Sleep(20 * time.Millisecond)
	}
	var lastError string
	d.Get(&lastError, `SELECT last_error FROM outbox_cursors WHERE consumer = 'index'`)
	if lastError != "search engine unreachable" {
		t.Fatalf("failure not recorded: %q", lastError)
	}
	rec.fail = nil
	// During the backoff nothing is attempted.
	if n, _ := r.RunOnce(ctx, c); n != 0 {
		t.Fatalf("delivered during backoff")
	}
	time.Sleep(120 * time.Millisecond)
	drain(t, r, c, rec, 1)
	if len(rec.keys) != 1 || rec.keys[0] != "a" {
		t.Fatalf("delivered %v", rec.keys)
	}
}

// TestLateCommitIsNotSkipped: a message written by a transaction that began
// first but commits last must still be delivered, although a later message
// was delivered before it committed.
func TestLateCommitIsNotSkipped(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	slow, err := d.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := outbox.Write(ctx, slow, "product.changed", "slow", nil); err != nil {
		t.Fatal(err)
	}
	write(t, d, "product.changed", "fast")
	rec := &recorder{}
	c := outbox.Consumer{Name: "index", Topics: []string{"product.changed"}, Handle: rec.handle}
	r := newRelay(d)
	if _, err := r.RunOnce(ctx, c); err != nil {
		t.Fatal(err)
	}
	if len(rec.keys) != 0 {
		// "fast" has a larger txid than the still-open "slow" transaction,
		// so it must wait until that one ends.
		t.Fatalf("delivered %v while an older transaction was open", rec.keys)
	}
	if err := slow.Commit(); err != nil {
		t.Fatal(err)
	}
	drain(t, r, c, rec, 2)
	if len(rec.keys) != 2 || rec.keys[0] != "slow" || rec.keys[1] != "fast" {
		t.Fatalf("delivered %v, want [slow fast]", rec.keys)
	}
}

func TestRolledBackMessageIsNeverDelivered(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	_ = db.InTx(ctx, d, func(tx *sqlx.Tx) error {
		if err := outbox.Write(ctx, tx, "product.changed", "ghost", nil); err != nil {
			return err
		}
		return errors.New("the change failed")
	})
	write(t, d, "product.changed", "real")
	rec := &recorder{}
	drain(t, newRelay(d), outbox.Consumer{Name: "index", Topics: []string{"product.changed"}, Handle: rec.handle}, rec, 1)
	if len(rec.keys) != 1 || rec.keys[0] != "real" {
		t.Fatalf("delivered %v", rec.keys)
	}
}

// TestConcurrentWorkersDeliverEachMessageOnce runs two relays side by side.
func TestConcurrentWorkersDeliverEachMessageOnce(t *testing.T) {
	d := dbtest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	for i := 0; i < 50; i++ {
		write(t, d, "product.changed", string(rune('A'+i%26))+string(rune('0'+i/26)))
	}
	rec := &recorder{}
	c := outbox.Consumer{Name: "index", Topics: []string{"product.changed"}, Handle: rec.handle, BatchSize: 7}
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		r := newRelay(d)
		r.Poll = 10 * time.Millisecond
		go func() { defer wg.Done(); r.Run(ctx, c) }()
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		rec.mu.Lock()
		n := len(rec.keys)
		rec.mu.Unlock()
		if n >= 50 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	cancel()
	wg.Wait()
	seen := map[string]int{}
	for _, k := range rec.keys {
		seen[k]++
	}
	if len(rec.keys) != 50 || len(seen) != 50 {
		t.Fatalf("delivered %d messages, %d distinct; want 50 once each", len(rec.keys), len(seen))
	}
}
