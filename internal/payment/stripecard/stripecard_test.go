package stripecard

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stripe/stripe-go/v76"

	"htxmarket/internal/payment/stripecard/stripetest"
)

// The tests talk HTTP to Stripe's own stripe-mock, which validates every
// request against Stripe's OpenAPI specification but answers with fixtures
// and keeps no state; see TestErrors for what it cannot produce.
func TestMain(m *testing.M) { os.Exit(stripetest.Main(m)) }

// recorder is a transport that notes each request the gateway sends before
// passing it on, so that tests can check what stripe-mock does not echo
// (metadata, the Idempotency-Key header, the API version).
type recorder struct {
	mu   sync.Mutex
	reqs []sent
}

type sent struct {
	Method, Path string
	Header       http.Header
	Form         url.Values
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	s := sent{Method: req.Method, Path: req.URL.Path, Header: req.Header.Clone(), Form: url.Values{}}
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		if s.Form, err = url.ParseQuery(string(body)); err != nil {
			return nil, err
		}
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, s)
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func (r *recorder) all() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sent(nil), r.reqs...)
}

// only returns the one request sent, failing t if there were others.
func (r *recorder) only(t *testing.T) sent {
	t.Helper()
	reqs := r.all()
	if len(reqs) != 1 {
		t.Fatalf("sent %d requests, want 1: %+v", len(reqs), reqs)
	}
	return reqs[0]
}

func newGateway(t *testing.T) (*Gateway, *recorder) {
	t.Helper()
	rec := &recorder{}
	g := New(Config{
		SecretKey:     stripetest.SecretKey,
		WebhookSecret: "whsec_test",
		BackendURL:    stripetest.URL(t),
		HTTPClient:    &http.Client{Transport: rec},
	})
	return g, rec
}

func TestCreateIntent(t *testing.T) {
	g, rec := newGateway(t)
	in, err := g.CreateIntent(context.Background(), "ord-42", "HTX-2024-000042", 150_000, "order-ord-42-pay-1")
	if err != nil {
		t.Fatalf("CreateIntent: %v", err)
	}
	if !strings.HasPrefix(in.ID, "pi_") || in.ClientSecret == "" || in.Status == "" {
		t.Errorf("CreateIntent = %+v, want an ID pi_…, a client secret and a status", in)
	}
	// stripe-mock reflects amount from the request into its fixture.
	if in.AmountVND != 150_000 {
		t.Errorf("AmountVND = %d, want 150000", in.AmountVND)
	}

	req := rec.only(t)
	if req.Method != http.MethodPost || req.Path != "/v1/payment_intents" {
		t.Errorf("sent %s %s, want POST /v1/payment_intents", req.Method, req.Path)
	}
	wantForm := url.Values{
		"amount":                             {"150000"},
		"currency":                           {"vnd"},
		"metadata[order_id]":                 {"ord-42"},
		"metadata[order_number]":             {"HTX-2024-000042"},
		"automatic_payment_methods[enabled]": {"true"},
	}
	if diff := cmp.Diff(wantForm, req.Form); diff != "" {
		t.Errorf("form (-want +got):\n%s", diff)
	}
	for h, want := range map[string]string{
		"Idempotency-Key": "order-ord-42-pay-1",
		"Stripe-Version":  "2023-10-16",
		"Authorization":   "Bearer " + stripetest.SecretKey,
	} {
		if got := req.Header.Get(h); got != want {
			t.Errorf("header %s = %q, want %q", h, got, want)
		}
	}
}

func TestCreateIntentInvalid(t *testing.T) {
	tests := []struct {
		name    string
		orderID string
		amount  int64
	}{
		{name: "zero amount", orderID: "ord-1", amount: 0},
		{name: "negative amount", orderID: "ord-1", amount: -150_000},
		{name: "no order", orderID: "", amount: 150_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, rec := newGateway(t)
			if _, err := g.CreateIntent(context.Background(), tt.orderID, "HTX-1", tt.amount, "k"); err == nil {
				t.Fatal("CreateIntent succeeded, want an error")
			}
			if n := len(rec.all()); n != 0 {
				t.Errorf("sent %d requests to Stripe, want none", n)
			}
		})
	}
}

// TestStripeRejects shows that stripe-mock refuses what Stripe would refuse
// before any business rule (a missing required parameter, a bad key) and
// that such errors are wrapped with context, keep Stripe's details and are
// not mistaken for a declined card.
func TestStripeRejects(t *testing.T) {
	t.Run("missing amount", func(t *testing.T) {
		g, _ := newGateway(t)
		// CreateIntent always sends an amount, so go under it.
		p := &stripe.PaymentIntentParams{Currency: stripe.String("vnd")}
		p.Context = context.Background()
		_, err := g.api.PaymentIntents.New(p)
		err = wrap("create intent", err)
		var se *stripe.Error
		if !errors.As(err, &se) || se.Type != stripe.ErrorTypeInvalidRequest || se.HTTPStatusCode != http.StatusBadRequest {
			t.Fatalf("err = %v, want a 400 invalid_request_error", err)
		}
		if !strings.Contains(se.Msg, "amount") {
			t.Errorf("message %q does not name the amount", se.Msg)
		}
		if errors.Is(err, ErrDeclined) || errors.Is(err, ErrNotFound) {
			t.Errorf("err = %v, mapped to a sentinel", err)
		}
		if !strings.HasPrefix(err.Error(), "stripecard: create intent: stripe invalid_request_error") {
			t.Errorf("err = %q, want the operation and Stripe's error type", err)
		}
	})
	t.Run("live-looking key", func(t *testing.T) {
		g := New(Config{SecretKey: "not-a-key", BackendURL: stripetest.URL(t)})
		_, err := g.GetIntent(context.Background(), "pi_123")
		var se *stripe.Error
		if !errors.As(err, &se) || se.HTTPStatusCode != http.StatusUnauthorized {
			t.Fatalf("err = %v, want a 401 from stripe-mock", err)
		}
	})
}

func TestGetIntent(t *testing.T) {
	g, rec := newGateway(t)
	in, err := g.GetIntent(context.Background(), "pi_3OabcHTX")
	if err != nil {
		t.Fatalf("GetIntent: %v", err)
	}
	// stripe-mock puts the ID from the path into its fixture; the amount,
	// currency and status are the fixture's own.
	if in.ID != "pi_3OabcHTX" || in.ClientSecret == "" || in.Status == "" || in.AmountVND <= 0 {
		t.Errorf("GetIntent = %+v, want ID pi_3OabcHTX with a client secret, status and amount", in)
	}
	if req := rec.only(t); req.Method != http.MethodGet || req.Path != "/v1/payment_intents/pi_3OabcHTX" {
		t.Errorf("sent %s %s", req.Method, req.Path)
	}
}

func TestCancelIntent(t *testing.T) {
	g, rec := newGateway(t)
	if err := g.CancelIntent(context.Background(), "pi_3OabcHTX"); err != nil {
		t.Fatalf("CancelIntent: %v", err)
	}
	if req := rec.only(t); req.Method != http.MethodPost || req.Path != "/v1/payment_intents/pi_3OabcHTX/cancel" {
		t.Errorf("sent %s %s", req.Method, req.Path)
	}
}

func TestRefund(t *testing.T) {
	tests := []struct {
		name     string
		amount   int64
		key      string
		wantForm url.Values
	}{
		{
			name:     "partial",
			amount:   50_000,
			key:      "refund-ord-42-1",
			wantForm: url.Values{"payment_intent": {"pi_3OabcHTX"}, "amount": {"50000"}},
		},
		{
			name:     "all",
			amount:   0,
			key:      "refund-ord-42-2",
			wantForm: url.Values{"payment_intent": {"pi_3OabcHTX"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, rec := newGateway(t)
			r, err := g.Refund(context.Background(), "pi_3OabcHTX", tt.amount, tt.key)
			if err != nil {
				t.Fatalf("Refund: %v", err)
			}
			if !strings.HasPrefix(r.ID, "re_") || r.Status == "" {
				t.Errorf("Refund = %+v, want an ID re_… and a status", r)
			}
			// stripe-mock echoes a given amount; without one it answers
			// with its fixture's.
			if tt.amount > 0 && r.AmountVND != tt.amount {
				t.Errorf("AmountVND = %d, want %d", r.AmountVND, tt.amount)
			}
			req := rec.only(t)
			if req.Method != http.MethodPost || req.Path != "/v1/refunds" {
				t.Errorf("sent %s %s, want POST /v1/refunds", req.Method, req.Path)
			}
			if diff := cmp.Diff(tt.wantForm, req.Form); diff != "" {
				t.Errorf("form (-want +got):\n%s", diff)
			}
			if got := req.Header.Get("Idempotency-Key"); got != tt.key {
				t.Errorf("Idempotency-Key = %q, want %q", got, tt.key)
			}
		})
	}

	t.Run("negative", func(t *testing.T) {
		g, rec := newGateway(t)
		if _, err := g.Refund(context.Background(), "pi_3OabcHTX", -1, "k"); err == nil {
			t.Fatal("Refund of -1 ₫ succeeded")
		}
		if n := len(rec.all()); n != 0 {
			t.Errorf("sent %d requests, want none", n)
		}
	})
}

// TestErrors covers the errors stripe-mock never returns (it answers every
// well-formed request with a fixture): a server answers with the error
// bodies Stripe documents, and stripe-go decodes them as it would Stripe's.
func TestErrors(t *testing.T) {
	const (
		declined = `{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds",
			"message":"Your card has insufficient funds.","charge":"ch_1","doc_url":"https://stripe.com/docs/error-codes/card-declined"}}`
		missing = `{"error":{"type":"invalid_request_error","code":"resource_missing","param":"intent",
			"message":"No such payment_intent: 'pi_nope'"}}`
		canceledAlready = `{"error":{"type":"invalid_request_error","code":"payment_intent_unexpected_state",
			"message":"You cannot cancel this PaymentIntent because it has a status of canceled.",
			"payment_intent":{"id":"pi_1","object":"payment_intent","status":"canceled"}}}`
		succeededAlready = `{"error":{"type":"invalid_request_error","code":"payment_intent_unexpected_state",
			"message":"You cannot cancel this PaymentIntent because it has a status of succeeded.",
			"payment_intent":{"id":"pi_1","object":"payment_intent","status":"succeeded"}}}`
		refunded = `{"error":{"type":"invalid_request_error","code":"charge_already_refunded",
			"message":"Charge ch_1 has already been refunded."}}`
	)
	tests := []struct {
		name    string
		status  int
		body    string
		call    func(*Gateway) error
		wantErr error // nil: no error at all
		wantAny bool  // an error that is none of the sentinels
	}{
		{
			name: "declined on create", status: http.StatusPaymentRequired, body: declined,
			call: func(g *Gateway) error {
				_, err := g.CreateIntent(context.Background(), "ord-1", "HTX-1", 150_000, "k")
				return err
			},
			wantErr: ErrDeclined,
		},
		{
			name: "unknown intent", status: http.StatusNotFound, body: missing,
			call: func(g *Gateway) error {
				_, err := g.GetIntent(context.Background(), "pi_nope")
				return err
			},
			wantErr: ErrNotFound,
		},
		{
			name: "cancel twice", status: http.StatusBadRequest, body: canceledAlready,
			call: func(g *Gateway) error { return g.CancelIntent(context.Background(), "pi_1") },
		},
		{
			name: "cancel paid", status: http.StatusBadRequest, body: succeededAlready,
			call:    func(g *Gateway) error { return g.CancelIntent(context.Background(), "pi_1") },
			wantAny: true,
		},
		{
			name: "refund twice", status: http.StatusBadRequest, body: refunded,
			call: func(g *Gateway) error {
				_, err := g.Refund(context.Background(), "pi_1", 0, "k")
				return err
			},
			wantAny: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Request-Id", "req_test")
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			t.Cleanup(srv.Close)
			g := New(Config{SecretKey: stripetest.SecretKey, BackendURL: srv.URL})

			err := tt.call(g)
			switch {
			case tt.wantErr == nil && !tt.wantAny:
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			case err == nil:
				t.Fatal("err = nil, want an error")
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			case tt.wantAny && (errors.Is(err, ErrDeclined) || errors.Is(err, ErrNotFound)):
				t.Fatalf("err = %v, want no sentinel", err)
			}
			var se *stripe.Error
			if !errors.As(err, &se) || se.HTTPStatusCode != tt.status || se.RequestID != "req_test" {
				t.Errorf("err = %v, want Stripe's error with its status and request ID", err)
			}
			if !strings.HasPrefix(err.Error(), "stripecard: ") || !strings.Contains(err.Error(), "req_test") {
				t.Errorf("err = %q, want the context and the request ID", err)
			}
		})
	}
}
