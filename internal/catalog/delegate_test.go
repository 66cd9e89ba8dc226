package catalog_test

import (
	"context"
	"testing"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
	"htxmarket/internal/catalog"
)

// TestDelegatesChangesAreAudited: trade staff acting for a cooperative as
// its delegate change its listings, and every such change is in the audit
// log with the delegate as actor; the cooperative's own managers' changes
// are not audited this way.
func TestDelegatesChangesAreAudited(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	p := newProduct(t, env, f.Coop.Slug, "Chè ủy quyền", catalog.StatusActive)
	delegate := f.Users[authtest.TradeStaff]
	manager := f.Users[authtest.CoopManager]
	if _, err := env.DB.Exec(`INSERT INTO cooperative_delegates (cooperative_id, user_id, granted_by) VALUES ($1, $2, $3)`,
		f.Coop.ID, delegate.ID, manager.ID); err != nil {
		t.Fatal(err)
	}
	stock := func(actor authtest.Actor, n int) {
		t.Helper()
		req := jsonRequest("PUT", "/api/v1/products/"+p.Slug+"/variants/"+p.Variants[0].ID.String()+"/stock", map[string]int{"stock": n})
		req.Header.Set("Authorization", "Bearer "+f.Token(t, env, actor))
		if res := env.Client.Do(req); res.Status != 200 {
			t.Fatalf("%s sets stock: %d %s", actor, res.Status, res.Body)
		}
	}
	stock(authtest.TradeStaff, 40)
	stock(authtest.CoopManager, 41)

	var entries []struct {
		Actor   string `db:"actor_id"`
		Action  string `db:"action"`
		Product string `db:"product_id"`
	}
	if err := env.DB.SelectContext(context.Background(), &entries, `
		SELECT actor_id::text AS actor_id, action, details->>'product_id' AS product_id
		FROM audit_log
		WHERE cooperative_id = $1 AND action LIKE 'catalog.%'`, f.Coop.ID); err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Actor != delegate.ID.String() || entries[0].Product != p.ID.String() ||
		entries[0].Action != "catalog.product.updated" {
		t.Fatalf("audit entries %+v, want one update by the delegate", entries)
	}
}
