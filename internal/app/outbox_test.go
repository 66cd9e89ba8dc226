package app_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
	"htxmarket/internal/platform/outbox"
)

// TestParkedOutboxMessages: administrators alone list the outbox messages
// parked after failing again and again, and the answer matches the API
// document.
func TestParkedOutboxMessages(t *testing.T) {
	env := apptest.New(t, nil)
	authtest.Check(t, env, authtest.Only(authtest.Admin), func(*authtest.Fixture, authtest.Actor) *http.Request {
		return httptest.NewRequest("GET", "/api/v1/admin/outbox/parked", nil)
	})

	const park = `
WITH m AS (
    INSERT INTO outbox (topic, key) VALUES ('catalog.product.changed', 'p-1') RETURNING id
)
INSERT INTO outbox_pending (consumer, message_id, attempts, last_error, parked_at)
SELECT 'test-consumer', id, 10, 'string is too long for tsvector', now() FROM m`
	env.DB.MustExec(park)
	f := authtest.Setup(t, env)
	req := httptest.NewRequest("GET", "/api/v1/admin/outbox/parked?limit=10", nil)
	req.Header.Set("Authorization", "Bearer "+f.Token(t, env, authtest.Admin))
	res := env.Client.Do(req)
	if res.Status != 200 {
		t.Fatalf("list: %d %s", res.Status, res.Body)
	}
	var page struct {
		Items []outbox.ParkedMessage `json:"items"`
		Total int                    `json:"total"`
	}
	res.JSON(t, &page)
	var found bool
	for _, m := range page.Items {
		found = found || m.Key == "p-1" && m.Consumer == "test-consumer" && m.Attempts == 10 &&
			m.LastError == "string is too long for tsvector"
	}
	if !found || page.Total < 1 {
		t.Errorf("parked list %+v lacks the parked message", page)
	}
}
