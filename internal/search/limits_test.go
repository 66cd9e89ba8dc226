package search_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/identity"
	"htxmarket/internal/platform/auth"
)

// TestSynonymListsAreCountedFirst sends a group of 100,000 terms: it is
// refused before the terms are read one by one.
func TestSynonymListsAreCountedFirst(t *testing.T) {
	env := apptest.New(t, nil)
	ctx := context.Background()
	u, err := env.Server.Identity.CreateUser(ctx, identity.NewUser{Email: "xuctien@example.vn", Password: "Chợ phiên HTX 2025",
		FullName: "Xúc tiến", Role: auth.RoleTradeStaff}, identity.Caller{})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := env.Server.Identity.StartSession(ctx, u.ID, identity.KindBearer, identity.Caller{})
	if err != nil {
		t.Fatal(err)
	}
	distinct := make([]string, 100_000)
	repeated := make([]string, 100_000)
	for i := range distinct {
		distinct[i] = fmt.Sprintf("từ %d", i)
		repeated[i] = []string{"thử một", "thử hai"}[i%2]
	}
	for _, tt := range []struct {
		name  string
		terms []string
	}{
		{"100,000 distinct terms", distinct},
		{"two terms 50,000 times each", repeated},
		{"eleven terms", distinct[:11]},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]any{"terms": tt.terms})
			for _, method := range []string{http.MethodPost, http.MethodPut} {
				path := "/api/v1/search/synonyms"
				if method == http.MethodPut {
					path += "/1"
				}
				req := httptest.NewRequest(method, path, strings.NewReader(string(body)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+ns.Token)
				res := env.Client.Do(req)
				if res.Status != http.StatusBadRequest {
					t.Fatalf("%s: status %d: %.300s", method, res.Status, res.Body)
				}
				if p := res.Problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "terms" {
					t.Fatalf("%s: %+v", method, p)
				}
			}
		})
	}
}
