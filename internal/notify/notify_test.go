package notify_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
)

// TestRoleMatrix: notifications are each signed-in person's own.
func TestRoleMatrix(t *testing.T) {
	env := apptest.New(t, nil)
	authtest.Check(t, env, authtest.SignedIn(), func(*authtest.Fixture, authtest.Actor) *http.Request {
		return httptest.NewRequest("GET", "/api/v1/notifications", nil)
	})
	authtest.Check(t, env, authtest.SignedIn(), func(*authtest.Fixture, authtest.Actor) *http.Request {
		req := httptest.NewRequest("POST", "/api/v1/notifications/read", bytes.NewReader([]byte(`{"all":true}`)))
		req.Header.Set("Content-Type", "application/json")
		return req
	})
	bad := httptest.NewRequest("POST", "/api/v1/notifications/read", bytes.NewReader([]byte(`{}`)))
	bad.Header.Set("Content-Type", "application/json")
	f := authtest.Setup(t, env)
	bad.Header.Set("Authorization", "Bearer "+f.Token(t, env, authtest.Consumer))
	if res := env.Client.Do(bad); res.Status != 400 {
		t.Errorf("nothing to mark: %d %s", res.Status, res.Body)
	}
}
