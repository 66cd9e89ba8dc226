package stripecard

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stripe/stripe-go/v76/webhook"

	"htxmarket/internal/payment/stripecard/stripetest"
)

const testWebhookSecret = "whsec_htxmarket_test"

func webhookGateway() *Gateway {
	// ParseWebhook makes no API call: no backend is needed.
	return New(Config{SecretKey: stripetest.SecretKey, WebhookSecret: testWebhookSecret})
}

func TestParseWebhook(t *testing.T) {
	at := time.Now().Add(-time.Minute)
	created := time.Unix(at.Unix(), 0).UTC()
	tests := []struct {
		name   string
		typ    string
		object any
		want   Event
	}{
		{
			name:   "payment succeeded",
			typ:    "payment_intent.succeeded",
			object: stripetest.IntentObject("pi_3Oa1", "ord-42", "HTX-2024-000042", 150_000, "succeeded"),
			want: Event{ID: "evt_1", Type: EventIntentSucceeded, Created: created,
				IntentID: "pi_3Oa1", AmountVND: 150_000, Currency: "vnd", OrderID: "ord-42"},
		},
		{
			name: "payment failed",
			typ:  "payment_intent.payment_failed",
			object: stripetest.DeclinedIntentObject("pi_3Oa1", "ord-42", "HTX-2024-000042", 150_000,
				"insufficient_funds", "Your card has insufficient funds."),
			want: Event{ID: "evt_1", Type: EventIntentFailed, Created: created,
				IntentID: "pi_3Oa1", AmountVND: 150_000, Currency: "vnd", OrderID: "ord-42",
				FailureMessage: "Your card has insufficient funds."},
		},
		{
			name:   "charge refunded",
			typ:    "charge.refunded",
			object: stripetest.ChargeObject("ch_3Oa1", "pi_3Oa1", "ord-42", 150_000, 50_000),
			want: Event{ID: "evt_1", Type: EventChargeRefunded, Created: created,
				IntentID: "pi_3Oa1", AmountVND: 150_000, AmountRefundedVND: 50_000, Currency: "vnd", OrderID: "ord-42"},
		},
		{
			name: "charge refunded, intent expanded",
			typ:  "charge.refunded",
			object: func() any {
				o := stripetest.ChargeObject("ch_3Oa1", "pi_3Oa1", "ord-42", 150_000, 150_000)
				o["payment_intent"] = map[string]any{"id": "pi_3Oa1", "object": "payment_intent"}
				return o
			}(),
			want: Event{ID: "evt_1", Type: EventChargeRefunded, Created: created,
				IntentID: "pi_3Oa1", AmountVND: 150_000, AmountRefundedVND: 150_000, Currency: "vnd", OrderID: "ord-42"},
		},
		{
			name:   "unknown type",
			typ:    "customer.created",
			object: map[string]any{"id": "cus_1", "object": "customer", "metadata": map[string]any{"order_id": "ord-42"}},
			want:   Event{ID: "evt_1", Type: "customer.created", Created: created},
		},
	}
	g := webhookGateway()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload, header := stripetest.SignedEventAt(t, testWebhookSecret, "evt_1", tt.typ, tt.object, at)
			got, err := g.ParseWebhook(payload, header)
			if err != nil {
				t.Fatalf("ParseWebhook: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseWebhookRejects(t *testing.T) {
	object := stripetest.IntentObject("pi_3Oa1", "ord-42", "HTX-2024-000042", 150_000, "succeeded")
	signed := func(t *testing.T, secret string, at time.Time) ([]byte, string) {
		return stripetest.SignedEventAt(t, secret, "evt_1", EventIntentSucceeded, object, at)
	}
	tests := []struct {
		name string
		// make returns the body and Stripe-Signature header to parse.
		make    func(t *testing.T) ([]byte, string)
		wantBad bool // ErrBadSignature; otherwise another error
		wantIs  error
	}{
		{
			name:    "another endpoint's secret",
			make:    func(t *testing.T) ([]byte, string) { return signed(t, "whsec_other", time.Now()) },
			wantBad: true, wantIs: webhook.ErrNoValidSignature,
		},
		{
			name: "older than five minutes",
			make: func(t *testing.T) ([]byte, string) {
				return signed(t, testWebhookSecret, time.Now().Add(-6*time.Minute))
			},
			wantBad: true, wantIs: webhook.ErrTooOld,
		},
		{
			name: "tampered body",
			make: func(t *testing.T) ([]byte, string) {
				payload, header := signed(t, testWebhookSecret, time.Now())
				tampered := bytes.Replace(payload, []byte(`"amount": 150000`), []byte(`"amount": 1500`), 1)
				if bytes.Equal(tampered, payload) {
					t.Fatal("amount not found in payload")
				}
				return tampered, header
			},
			wantBad: true, wantIs: webhook.ErrNoValidSignature,
		},
		{
			name: "old signature under a fresh timestamp",
			make: func(t *testing.T) ([]byte, string) {
				old := time.Now().Add(-time.Hour)
				payload, header := signed(t, testWebhookSecret, old)
				fresh := strings.Replace(header, "t="+strconv.FormatInt(old.Unix(), 10),
					"t="+strconv.FormatInt(time.Now().Unix(), 10), 1)
				return payload, fresh
			},
			wantBad: true, wantIs: webhook.ErrNoValidSignature,
		},
		{
			name:    "no header",
			make:    func(t *testing.T) ([]byte, string) { p, _ := signed(t, testWebhookSecret, time.Now()); return p, "" },
			wantBad: true, wantIs: webhook.ErrNotSigned,
		},
		{
			name: "garbage header",
			make: func(t *testing.T) ([]byte, string) {
				p, _ := signed(t, testWebhookSecret, time.Now())
				return p, "garbage"
			},
			wantBad: true, wantIs: webhook.ErrInvalidHeader,
		},
		{
			name: "another API version",
			make: func(t *testing.T) ([]byte, string) {
				payload, _ := signed(t, testWebhookSecret, time.Now())
				var ev map[string]any
				if err := json.Unmarshal(payload, &ev); err != nil {
					t.Fatal(err)
				}
				ev["api_version"] = "2024-06-20"
				payload, err := json.Marshal(ev)
				if err != nil {
					t.Fatal(err)
				}
				return payload, stripetest.Sign(payload, testWebhookSecret, time.Now())
			},
		},
		{
			name: "signed but not JSON",
			make: func(t *testing.T) ([]byte, string) {
				payload := []byte("not json")
				return payload, stripetest.Sign(payload, testWebhookSecret, time.Now())
			},
		},
		{
			name: "intent event without its object",
			make: func(t *testing.T) ([]byte, string) {
				return stripetest.SignedEvent(t, testWebhookSecret, "evt_1", EventIntentSucceeded, nil)
			},
		},
	}
	g := webhookGateway()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload, header := tt.make(t)
			ev, err := g.ParseWebhook(payload, header)
			if err == nil {
				t.Fatalf("ParseWebhook = %+v, want an error", ev)
			}
			if got := errors.Is(err, ErrBadSignature); got != tt.wantBad {
				t.Errorf("errors.Is(%v, ErrBadSignature) = %v, want %v", err, got, tt.wantBad)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.wantIs)
			}
		})
	}
}
