package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"htxmarket/internal/platform/outbox"
)

// poisoned fails every batch that holds the key "poison" (as 30 keywords
// of 1 MB failed the search indexer: "string is too long for tsvector"),
// and delivers the others.
type poisoned struct {
	mu   sync.Mutex
	got  []string
	down bool // fails everything, as an unreachable engine
}

func (p *poisoned) handle(_ context.Context, batch []outbox.Message) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return errors.New("engine unreachable")
	}
	for _, m := range batch {
		if m.Key == "poison" {
			return errors.New("string is too long for tsvector")
		}
	}
	for _, m := range batch {
		p.got = append(p.got, m.Key)
	}
	return nil
}

func (p *poisoned) delivered() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Sorted(slices.Values(p.got))
}

// TestPoisonMessageBlocksNothing (issue #12): a message that fails every
// time no longer fails the messages delivered with it.
func TestPoisonMessageBlocksNothing(t *testing.T) {
	d, r, c, _ := setup(t, "index", 10, "product.changed")
	r.MinBackoff, r.MaxBackoff = time.Millisecond, time.Millisecond
	p := &poisoned{}
	c.Handle = p.handle
	ctx := context.Background()
	for _, k := range []string{"a", "poison", "b"} {
		write(t, d, "product.changed", k)
	}
	for i := range 5 {
		write(t, d, "product.changed", fmt.Sprintf("c%d", i))
		time.Sleep(5 * time.Millisecond)
		r.RunOnce(ctx, c)
	}
	for range 5 {
		time.Sleep(5 * time.Millisecond)
		r.RunOnce(ctx, c)
	}
	if got := p.delivered(); fmt.Sprint(got) != "[a b c0 c1 c2 c3 c4]" {
		t.Errorf("delivered %v, want every message but the poison", got)
	}
}

// TestPoisonMessageIsParked: once the poison has failed MaxAttempts times
// while other messages went through, it is parked: never tried again,
// counted in the metrics and listed.
func TestPoisonMessageIsParked(t *testing.T) {
	d, _, c, _ := setup(t, "index", 10, "product.changed")
	reg := prometheus.NewRegistry()
	r := outbox.NewRelay(d, slog.New(slog.NewTextHandler(io.Discard, nil)), reg)
	r.MinBackoff, r.MaxBackoff, r.MaxAttempts = time.Millisecond, time.Millisecond, 3
	p := &poisoned{}
	c.Handle = p.handle
	ctx := context.Background()
	write(t, d, "product.changed", "poison")
	for i := range 6 {
		write(t, d, "product.changed", fmt.Sprintf("c%d", i))
		time.Sleep(5 * time.Millisecond)
		r.RunOnce(ctx, c)
		r.RunOnce(ctx, c)
	}
	if got := p.delivered(); len(got) != 6 {
		t.Errorf("delivered %v, want the 6 others", got)
	}
	var st struct {
		Attempts int  `db:"attempts"`
		Parked   bool `db:"parked"`
	}
	if err := d.Get(&st, `SELECT attempts, parked_at IS NOT NULL AS parked FROM outbox_pending WHERE consumer = 'index'`); err != nil {
		t.Fatal(err)
	}
	// Parked at its third failure, or at the first after it that follows
	// another delivery.
	if !st.Parked || st.Attempts < 3 || st.Attempts > 4 {
		t.Fatalf("poison after 6 rounds: %+v, want parked after 3 attempts", st)
	}

	// Parked, it is claimed no more.
	p.mu.Lock()
	p.got = nil
	p.mu.Unlock()
	time.Sleep(5 * time.Millisecond)
	if n, err := r.RunOnce(ctx, c); n != 0 || err != nil {
		t.Fatalf("after parking: delivered %d, %v", n, err)
	}

	parked, total, err := outbox.Parked(ctx, d, 50)
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || len(parked) != 1 || parked[0].Key != "poison" || parked[0].Consumer != "index" ||
		parked[0].Attempts != st.Attempts || parked[0].LastError != "string is too long for tsvector" {
		t.Errorf("parked: %d %+v", total, parked)
	}
	if got := gauge(t, reg, "htxmarket_outbox_parked", "index"); got != 1 {
		t.Errorf("htxmarket_outbox_parked = %v, want 1", got)
	}
	if got := gauge(t, reg, "htxmarket_outbox_pending", "index"); got != 0 {
		t.Errorf("htxmarket_outbox_pending = %v, want 0: the parked one waits no more", got)
	}
}

// TestOutageParksNothing: when every delivery fails (the engine is down),
// no message is to blame: none is parked however often it fails, and all
// are delivered once the consumer is back.
func TestOutageParksNothing(t *testing.T) {
	d, r, c, _ := setup(t, "index", 10, "product.changed")
	r.MinBackoff, r.MaxBackoff, r.MaxAttempts = time.Millisecond, time.Millisecond, 2
	p := &poisoned{down: true}
	c.Handle = p.handle
	ctx := context.Background()
	for _, k := range []string{"a", "b", "c"} {
		write(t, d, "product.changed", k)
	}
	for range 8 {
		time.Sleep(5 * time.Millisecond)
		r.RunOnce(ctx, c)
	}
	var parked, tried int
	d.Get(&parked, `SELECT count(*) FROM outbox_pending WHERE parked_at IS NOT NULL`)
	d.Get(&tried, `SELECT min(attempts) FROM outbox_pending`)
	if parked != 0 || tried < 2 {
		t.Fatalf("%d parked, each tried at least %d times; want none parked after 2 tries or more", parked, tried)
	}
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
	for range 4 {
		time.Sleep(5 * time.Millisecond)
		r.RunOnce(ctx, c)
	}
	if got := p.delivered(); fmt.Sprint(got) != "[a b c]" {
		t.Errorf("after the outage: delivered %v", got)
	}
}

// gauge reads a gauge of reg by its consumer label.
func gauge(t *testing.T, reg *prometheus.Registry, name, consumer string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "consumer" && l.GetValue() == consumer {
					return m.GetGauge().GetValue()
				}
			}
		}
	}
	t.Fatalf("no %s{consumer=%q}", name, consumer)
	return 0
}
