// Package stripecard is the card payment gateway on Stripe: it creates,
// reads, cancels and refunds PaymentIntents in Vietnamese đồng and turns
// Stripe's signed webhooks into the few facts the shop applies to an order.
//
// It talks to Stripe through stripe-go's per-instance client (client.API),
// never through the package-global stripe.Key, so that several gateways
// (live, test, stripe-mock in tests) can live in one process.
package stripecard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

// currency is the only currency the shop charges in. VND is a zero-decimal
// currency for Stripe: 150.000 ₫ is sent as amount 150000.
const currency = "vnd"

// Metadata keys set on every PaymentIntent; Stripe copies them onto the
// charge when the intent is confirmed, so charge events carry them too.
const (
	metaOrderID     = "order_id"
	metaOrderNumber = "order_number"
)

var (
	// ErrDeclined is returned when Stripe refuses a card (a card_error).
	// Stripe's own codes stay reachable with errors.As(err, **stripe.Error).
	ErrDeclined = errors.New("thẻ bị từ chối thanh toán, vui lòng dùng thẻ khác hoặc phương thức thanh toán khác")

	// ErrNotFound is returned when Stripe knows no such PaymentIntent.
	ErrNotFound = errors.New("không tìm thấy giao dịch thanh toán thẻ")

	// ErrBadSignature is returned by ParseWebhook when the Stripe-Signature
	// header is missing, malformed, does not match the body, or is older
	// than the five-minute tolerance.
	ErrBadSignature = errors.New("chữ ký webhook không hợp lệ")
)

// Config configures a Gateway.
type Config struct {
	// SecretKey is the Stripe secret API key (sk_live_… or sk_test_…).
	SecretKey string
	// WebhookSecret is the endpoint's signing secret (whsec_…).
	WebhookSecret string
	// BackendURL is the API base URL; empty means Stripe itself. Tests point
	// it at stripe-mock's http URL.
	BackendURL string
	// HTTPClient is used for API calls; nil means stripe-go's default
	// (80-second timeout).
	HTTPClient *http.Client
}

// Gateway is the card gateway on Stripe. It is safe for concurrent use.
type Gateway struct {
	api           *client.API
	webhookSecret string
}

// New returns a Gateway for cfg.
func New(cfg Config) *Gateway {
	bc := &stripe.BackendConfig{
		HTTPClient: cfg.HTTPClient,
		// stripe-go logs failed requests to stderr by default; errors are
		// returned to the caller and logged once, at the edge.
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull},
	}
	if cfg.BackendURL != "" {
		bc.URL = stripe.String(cfg.BackendURL)
	}
	return &Gateway{
		api:           client.New(cfg.SecretKey, stripe.NewBackendsWithConfig(bc)),
		webhookSecret: cfg.WebhookSecret,
	}
}

// Intent is a PaymentIntent as the shop needs it.
type Intent struct {
	ID string
	// ClientSecret is handed to Stripe.js in the browser to confirm the
	// payment; it must not be logged or stored.
	ClientSecret string
	// Status is Stripe's status: requires_payment_method, processing,
	// succeeded, canceled, ….
	Status    string
	AmountVND int64
}

// Refund is a refund as the shop needs it.
type Refund struct {
	ID string
	// Status is Stripe's status: pending, succeeded, failed, canceled or
	// requires_action.
	Status    string
	AmountVND int64
}

// CreateIntent makes a PaymentIntent in VND for an order, with the order's
// ID and number in its metadata and automatic payment methods, so that the
// browser can offer whatever methods the Stripe account enables.
// idempotencyKey is sent as Stripe's Idempotency-Key: a retry with the same
// key returns the first intent instead of making a second one. An empty key
// lets stripe-go make one per call, which only protects its own retries.
func (g *Gateway) CreateIntent(ctx context.Context, orderID, orderNumber string, amountVND int64, idempotencyKey string) (Intent, error) {
	if amountVND <= 0 {
		return Intent{}, fmt.Errorf("stripecard: create intent for order %s: amount %d ₫ is not positive", orderID, amountVND)
	}
	if orderID == "" {
		return Intent{}, errors.New("stripecard: create intent: empty order ID")
	}
	p := &stripe.PaymentIntentParams{
		Amount:   stripe.Int64(amountVND),
		Currency: stripe.String(currency),
		AutomaticPaymentMethods: &stripe.PaymentIntentAutomaticPaymentMethodsParams{
			Enabled: stripe.Bool(true),
		},
	}
	p.Context = ctx
	p.AddMetadata(metaOrderID, orderID)
	p.AddMetadata(metaOrderNumber, orderNumber)
	setIdempotencyKey(&p.Params, idempotencyKey)

	pi, err := g.api.PaymentIntents.New(p)
	if err != nil {
		return Intent{}, wrap("create intent for order "+orderID, err)
	}
	return toIntent(pi), nil
}

// GetIntent reads a PaymentIntent; an unknown ID gives ErrNotFound.
func (g *Gateway) GetIntent(ctx context.Context, id string) (Intent, error) {
	p := &stripe.PaymentIntentParams{}
	p.Context = ctx
	pi, err := g.api.PaymentIntents.Get(id, p)
	if err != nil {
		return Intent{}, wrap("get intent "+id, err)
	}
	return toIntent(pi), nil
}

// CancelIntent cancels a PaymentIntent that has not been paid, e.g. when the
// order is abandoned or paid another way. Cancelling an intent that is
// already canceled succeeds, so that a retried cancellation is harmless.
func (g *Gateway) CancelIntent(ctx context.Context, id string) error {
	p := &stripe.PaymentIntentCancelParams{}
	p.Context = ctx
	_, err := g.api.PaymentIntents.Cancel(id, p)
	if err == nil {
		return nil
	}
	// Stripe answers a second cancel with payment_intent_unexpected_state
	// and the intent itself in the error.
	var se *stripe.Error
	if errors.As(err, &se) && se.Code == stripe.ErrorCodePaymentIntentUnexpectedState &&
		se.PaymentIntent != nil && se.PaymentIntent.Status == stripe.PaymentIntentStatusCanceled {
		return nil
	}
	return wrap("cancel intent "+id, err)
}

// Refund refunds amountVND (0 = all that is left) of the charge of the
// PaymentIntent intentID. idempotencyKey is sent as Stripe's
// Idempotency-Key, as in CreateIntent, so a retried refund is made once.
func (g *Gateway) Refund(ctx context.Context, intentID string, amountVND int64, idempotencyKey string) (Refund, error) {
	if amountVND < 0 {
		return Refund{}, fmt.Errorf("stripecard: refund intent %s: amount %d ₫ is negative", intentID, amountVND)
	}
	p := &stripe.RefundParams{PaymentIntent: stripe.String(intentID)}
	if amountVND > 0 {
		p.Amount = stripe.Int64(amountVND)
	}
	p.Context = ctx
	setIdempotencyKey(&p.Params, idempotencyKey)

	r, err := g.api.Refunds.New(p)
	if err != nil {
		return Refund{}, wrap("refund intent "+intentID, err)
	}
	return Refund{ID: r.ID, Status: string(r.Status), AmountVND: r.Amount}, nil
}

func setIdempotencyKey(p *stripe.Params, key string) {
	if key != "" {
		p.SetIdempotencyKey(key)
	}
}

func toIntent(pi *stripe.PaymentIntent) Intent {
	return Intent{ID: pi.ID, ClientSecret: pi.ClientSecret, Status: string(pi.Status), AmountVND: pi.Amount}
}

// apiError is a Stripe API error with what the gateway was doing. It
// unwraps to the matching sentinel (if any) and to the *stripe.Error, so
// callers can test errors.Is(err, ErrDeclined) and still read Stripe's codes.
type apiError struct {
	op       string
	sentinel error
	stripe   *stripe.Error
}

func (e *apiError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "stripecard: %s: stripe %s", e.op, e.stripe.Type)
	if e.stripe.Code != "" {
		fmt.Fprintf(&b, " %s", e.stripe.Code)
	}
	if e.stripe.DeclineCode != "" {
		fmt.Fprintf(&b, " (%s)", e.stripe.DeclineCode)
	}
	if e.stripe.Msg != "" {
		fmt.Fprintf(&b, ": %s", e.stripe.Msg)
	}
	fmt.Fprintf(&b, " [HTTP %d", e.stripe.HTTPStatusCode)
	if e.stripe.RequestID != "" {
		fmt.Fprintf(&b, ", request %s", e.stripe.RequestID)
	}
	b.WriteString("]")
	return b.String()
}

func (e *apiError) Unwrap() []error {
	if e.sentinel == nil {
		return []error{e.stripe}
	}
	return []error{e.sentinel, e.stripe}
}

// wrap gives err the operation's context and maps the Stripe errors the
// shop acts on to sentinels; everything else (network, authentication,
// invalid requests, rate limits) stays an error for the logs.
func wrap(op string, err error) error {
	var se *stripe.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("stripecard: %s: %w", op, err)
	}
	e := &apiError{op: op, stripe: se}
	switch {
	case se.Type == stripe.ErrorTypeCard:
		e.sentinel = ErrDeclined
	case se.Code == stripe.ErrorCodeResourceMissing && se.HTTPStatusCode == http.StatusNotFound:
		e.sentinel = ErrNotFound
	}
	return e
}
