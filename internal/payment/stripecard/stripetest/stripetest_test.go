package stripetest

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"
)

func TestBinary(t *testing.T) {
	t.Run("STRIPE_MOCK_BIN wins", func(t *testing.T) {
		bin, err := Binary()
		if err != nil {
			t.Fatal(err)
		}
		t.Setenv("STRIPE_MOCK_BIN", bin)
		t.Setenv("PATH", "")
		if got, err := Binary(); err != nil || got != bin {
			t.Errorf("Binary() = %q, %v; want %q", got, err, bin)
		}
	})
	t.Run("STRIPE_MOCK_BIN missing", func(t *testing.T) {
		t.Setenv("STRIPE_MOCK_BIN", filepath.Join(t.TempDir(), "stripe-mock"))
		_, err := Binary()
		if err == nil {
			t.Fatal("Binary() found a file that does not exist")
		}
		msg := err.Error()
		if strings.Contains(msg, "\n") || !strings.Contains(msg, "go install github.com/stripe/stripe-mock@"+Version) {
			t.Errorf("error %q, want one line saying how to install stripe-mock", msg)
		}
	})
	t.Run("not executable", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "stripe-mock")
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Setenv("STRIPE_MOCK_BIN", p)
		if _, err := Binary(); err == nil {
			t.Error("Binary() accepted a file that is not executable")
		}
	})
}

func TestServer(t *testing.T) {
	s := New(t)
	get := func() (*http.Response, error) {
		req, err := http.NewRequest(http.MethodGet, s.URL+"/v1/payment_intents/pi_123", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+SecretKey)
		return (&http.Client{Timeout: 5 * time.Second}).Do(req)
	}
	res, err := get()
	if err != nil {
		t.Fatalf("stripe-mock at %s: %v", s.URL, err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET payment intent: HTTP %d", res.StatusCode)
	}
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Errorf("URL = %s, want a loopback address", s.URL)
	}

	s.Close()
	s.Close() // Close is safe to repeat (t's cleanup calls it again).
	if res, err := get(); err == nil {
		res.Body.Close()
		t.Error("stripe-mock still answers after Close")
	}
}

func TestSignedEvent(t *testing.T) {
	const secret = "whsec_test"
	payload, header := SignedEvent(t, secret, "evt_1", "payment_intent.succeeded",
		IntentObject("pi_1", "ord-1", "HTX-1", 150_000, "succeeded"))

	// stripe-go accepts it as it accepts Stripe's own events.
	ev, err := webhook.ConstructEvent(payload, header, secret)
	if err != nil {
		t.Fatalf("ConstructEvent: %v", err)
	}
	if ev.ID != "evt_1" || ev.Type != "payment_intent.succeeded" || ev.Data.Object["id"] != "pi_1" {
		t.Errorf("event = %s %s %v", ev.ID, ev.Type, ev.Data.Object["id"])
	}
	var raw map[string]any
	if err := json.Unmarshal(payload, &raw); err != nil {
		t.Fatal(err)
	}
	if raw["object"] != "event" || raw["api_version"] != "2023-10-16" {
		t.Errorf("envelope object=%v api_version=%v", raw["object"], raw["api_version"])
	}
	if _, err := webhook.ConstructEvent(payload, header, "whsec_other"); err == nil {
		t.Error("another secret verifies the signature")
	}
}
