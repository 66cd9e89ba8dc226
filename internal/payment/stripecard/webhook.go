package stripecard

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// Event types the shop applies.
const (
	EventIntentSucceeded = "payment_intent.succeeded"
	EventIntentFailed    = "payment_intent.payment_failed"
	EventChargeRefunded  = "charge.refunded"
)

// Event is a verified webhook event reduced to what the shop applies.
type Event struct {
	ID      string
	Type    string
	Created time.Time
	// IntentID is the PaymentIntent concerned: data.object.id for intent
	// events, the charge's payment_intent for charge.refunded.
	IntentID string
	// AmountVND is the intent's amount, or the charge's for charge.refunded.
	AmountVND int64
	// AmountRefundedVND is the charge's amount_refunded (charge.refunded):
	// the total refunded so far, not this refund alone.
	AmountRefundedVND int64
	// Currency is the object's currency, "vnd" for everything the shop
	// made; an event about another currency is not the shop's to apply.
	Currency string
	// OrderID comes from the object's metadata. It is empty for payments
	// the shop did not create (the Stripe account may serve other apps).
	OrderID string
	// FailureMessage is Stripe's last_payment_error message (English) for
	// payment_intent.payment_failed, or its code when there is no message.
	FailureMessage string
}

// ParseWebhook verifies payload against the Stripe-Signature header value
// and decodes it. Unknown event types come back with only ID, Type and
// Created set, so the caller can acknowledge and ignore them. A missing,
// malformed, wrong or expired (older than five minutes) signature gives
// ErrBadSignature.
//
// It uses webhook.ConstructEvent, which also refuses events whose
// api_version is not the one stripe-go v76 was built for (2023-10-16): the
// webhook endpoint must be created with that version, because decoding an
// object of another version into these types could silently misread money
// fields. Such an event is an error, not ErrBadSignature, so that it is
// logged as a configuration problem and Stripe keeps retrying it until the
// endpoint is fixed.
func (g *Gateway) ParseWebhook(payload []byte, signature string) (Event, error) {
	se, err := webhook.ConstructEvent(payload, signature, g.webhookSecret)
	if err != nil {
		if isSignatureError(err) {
			return Event{}, fmt.Errorf("stripecard: webhook: %w: %w", ErrBadSignature, err)
		}
		return Event{}, fmt.Errorf("stripecard: webhook: %w", err)
	}
	ev := Event{ID: se.ID, Type: string(se.Type), Created: time.Unix(se.Created, 0).UTC()}

	switch ev.Type {
	case EventIntentSucceeded, EventIntentFailed:
		var pi stripe.PaymentIntent
		if err := decodeObject(se, &pi); err != nil {
			return Event{}, err
		}
		ev.IntentID = pi.ID
		ev.AmountVND = pi.Amount
		ev.Currency = string(pi.Currency)
		ev.OrderID = pi.Metadata[metaOrderID]
		if ev.Type == EventIntentFailed && pi.LastPaymentError != nil {
			ev.FailureMessage = pi.LastPaymentError.Msg
			if ev.FailureMessage == "" {
				ev.FailureMessage = string(pi.LastPaymentError.Code)
			}
		}
	case EventChargeRefunded:
		var ch stripe.Charge
		if err := decodeObject(se, &ch); err != nil {
			return Event{}, err
		}
		if ch.PaymentIntent != nil {
			ev.IntentID = ch.PaymentIntent.ID
		}
		ev.AmountVND = ch.Amount
		ev.AmountRefundedVND = ch.AmountRefunded
		ev.Currency = string(ch.Currency)
		ev.OrderID = ch.Metadata[metaOrderID]
	}
	return ev, nil
}

func isSignatureError(err error) bool {
	return errors.Is(err, webhook.ErrNotSigned) || errors.Is(err, webhook.ErrInvalidHeader) ||
		errors.Is(err, webhook.ErrNoValidSignature) || errors.Is(err, webhook.ErrTooOld)
}

func decodeObject(se stripe.Event, v any) error {
	if se.Data == nil || len(se.Data.Raw) == 0 || string(se.Data.Raw) == "null" {
		return fmt.Errorf("stripecard: webhook %s (%s): no data.object", se.ID, se.Type)
	}
	if err := json.Unmarshal(se.Data.Raw, v); err != nil {
		return fmt.Errorf("stripecard: webhook %s (%s): decode data.object: %w", se.ID, se.Type, err)
	}
	return nil
}
