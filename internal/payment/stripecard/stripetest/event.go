package stripetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// SignedEvent builds a webhook event of type typ around object (its
// data.object) and signs it with secret as Stripe does now. It returns the
// request body and the Stripe-Signature header value to send with it.
//
// object is marshalled with encoding/json: pass a map such as IntentObject
// or ChargeObject returns, or json.RawMessage for literal JSON.
func SignedEvent(t testing.TB, secret, eventID, typ string, object any) (payload []byte, header string) {
	t.Helper()
	return SignedEventAt(t, secret, eventID, typ, object, time.Now())
}

// SignedEventAt is SignedEvent with the event created and signed at at, to
// test the replay window.
func SignedEventAt(t testing.TB, secret, eventID, typ string, object any, at time.Time) (payload []byte, header string) {
	t.Helper()
	obj, err := json.Marshal(object)
	if err != nil {
		t.Fatalf("stripetest: marshal %s object: %v", typ, err)
	}
	// The envelope of an event as Stripe sends it for the API version
	// stripe-go v76 expects.
	payload, err = json.MarshalIndent(map[string]any{
		"id":          eventID,
		"object":      "event",
		"api_version": stripe.APIVersion,
		"created":     at.Unix(),
		"data": map[string]any{
			"object": json.RawMessage(obj),
		},
		"livemode":         false,
		"pending_webhooks": 1,
		"request": map[string]any{
			"id":              "req_" + eventID,
			"idempotency_key": nil,
		},
		"type": typ,
	}, "", "  ")
	if err != nil {
		t.Fatalf("stripetest: marshal %s event: %v", typ, err)
	}
	return payload, Sign(payload, secret, at)
}

// Sign returns the Stripe-Signature header value for payload signed with
// secret at time at, computed by stripe-go exactly as Stripe computes it.
func Sign(payload []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload: payload, Secret: secret, Timestamp: at,
	}).Header
}

// IntentObject returns a PaymentIntent in VND as Stripe puts it in a
// payment_intent.* event, with the shop's order metadata. status
// "succeeded" also sets amount_received and latest_charge.
func IntentObject(id, orderID, orderNumber string, amountVND int64, status string) map[string]any {
	received, charge := int64(0), any(nil)
	if status == "succeeded" {
		received, charge = amountVND, "ch_"+id
	}
	return map[string]any{
		"id":                        id,
		"object":                    "payment_intent",
		"amount":                    amountVND,
		"amount_capturable":         0,
		"amount_received":           received,
		"automatic_payment_methods": map[string]any{"enabled": true, "allow_redirects": "always"},
		"capture_method":            "automatic",
		"client_secret":             id + "_secret_test",
		"confirmation_method":       "automatic",
		"created":                   time.Now().Unix(),
		"currency":                  "vnd",
		"last_payment_error":        nil,
		"latest_charge":             charge,
		"livemode":                  false,
		"metadata":                  map[string]any{"order_id": orderID, "order_number": orderNumber},
		"payment_method_types":      []string{"card"},
		"status":                    status,
	}
}

// DeclinedIntentObject returns the PaymentIntent of a
// payment_intent.payment_failed event: back to requires_payment_method,
// with Stripe's card_declined error and its message.
func DeclinedIntentObject(id, orderID, orderNumber string, amountVND int64, declineCode, message string) map[string]any {
	o := IntentObject(id, orderID, orderNumber, amountVND, "requires_payment_method")
	o["last_payment_error"] = map[string]any{
		"type":         "card_error",
		"code":         "card_declined",
		"decline_code": declineCode,
		"message":      message,
		"doc_url":      "https://stripe.com/docs/error-codes/card-declined",
	}
	return o
}

// ChargeObject returns the Charge of a charge.refunded event for the
// intent intentID, of which refundedVND (the running total) is refunded.
// Stripe copies the intent's metadata onto its charge, so the order's ID is
// there too.
func ChargeObject(id, intentID, orderID string, amountVND, refundedVND int64) map[string]any {
	return map[string]any{
		"id":              id,
		"object":          "charge",
		"amount":          amountVND,
		"amount_captured": amountVND,
		"amount_refunded": refundedVND,
		"captured":        true,
		"created":         time.Now().Unix(),
		"currency":        "vnd",
		"livemode":        false,
		"metadata":        map[string]any{"order_id": orderID},
		"paid":            true,
		"payment_intent":  intentID,
		"refunded":        refundedVND >= amountVND,
		"status":          "succeeded",
	}
}
