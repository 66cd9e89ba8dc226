package app

import (
	"context"
	"crypto/sha256"
	"testing"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/catalog"
	"htxmarket/internal/identity"
	"htxmarket/internal/notify"
	"htxmarket/internal/order"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/geo"
)

// TestOrderNoticesReachBuyerAndCooperative places an order and moves it,
// delivers the outbox to the notifier twice, and checks that the buyer and
// the cooperative's manager each got their notes once, and the guest's
// e-mail address its mails.
func TestOrderNoticesReachBuyerAndCooperative(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	w := newTestWorker(t, d)
	provinces := geo.NewService(geo.NewStore(d))

	var coopID uuid.UUID
	var coopSlug string
	if err := db.InTx(ctx, d, func(tx *sqlx.Tx) error {
		c, err := w.coops.Store().EnsureForImport(ctx, tx, "HTX Mật ong Bắc Kạn", "thai-nguyen")
		coopID, coopSlug = c.ID, c.Slug
		return err
	}); err != nil {
		t.Fatal(err)
	}
	manager, err := w.ident.CreateUser(ctx, identity.NewUser{Email: "quanly@htx.test", Password: "Mật ong rừng 2025!",
		FullName: "Quản lý", Role: auth.RoleConsumer}, identity.Caller{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.ident.AddMember(ctx, coopID, manager.ID, auth.RoleCoopManager, identity.Caller{}); err != nil {
		t.Fatal(err)
	}
	admin := &auth.Principal{UserID: uuid.New(), Roles: []auth.Role{auth.RoleAdmin}}
	p, err := w.products.Create(ctx, admin, coopSlug, catalog.NewProduct{Name: "Mật ong bạc hà", Group: "thuc-pham",
		Province: "thai-nguyen", Status: catalog.StatusActive,
		Variants: []catalog.NewVariant{{SKU: "MO-1", Unit: "chai", PriceVND: 250_000, Stock: 5}}})
	if err != nil {
		t.Fatal(err)
	}

	buying := order.NewService(d, order.NewStore(), orderInventory{w.products}, provinces, nil, nil, order.DefaultOptions(), nil)
	hash := sha256.Sum256([]byte("a-guest-cart-token-of-the-test"))
	guest := order.Shopper{GuestHash: hash[:]}
	if _, err := buying.AddItem(ctx, guest, order.AddItem{VariantID: p.Variants[0].ID, Quantity: 2}); err != nil {
		t.Fatal(err)
	}
	res, err := buying.Checkout(ctx, guest, "", "k", order.Checkout{PaymentMethod: "cod", Email: "khach@htx.test",
		ShippingAddress: order.Address{Recipient: "Khách", Phone: "0901234567", Province: "ha-noi", Commune: "Phường Ba Đình", Street: "1 Đội Cấn"}})
	if err != nil {
		t.Fatal(err)
	}
	sub := res.Order.SubOrders[0].ID
	if _, err := buying.Move(ctx, order.Actor{GuestHash: hash[:]}, sub, order.Move{To: order.StatusCancelled}); err != nil {
		t.Fatal(err)
	}

	notifier := orderNotifier{db: d, buying: buying, coops: w.coops.Store(), notes: notify.NewService(d),
		mailer: newMailer(mustConfig(t), identity.NewStore(d)), baseURL: "http://localhost:8080"}
	for range 2 { // a redelivery notifies nobody twice in the app
		if _, err := w.relay.RunOnce(ctx, notifier.consumer()); err != nil {
			t.Fatal(err)
		}
		d.MustExec(`UPDATE outbox_pending SET next_attempt_at = now()`)
		d.MustExec(`INSERT INTO outbox_pending (consumer, message_id) SELECT $1, id FROM outbox ON CONFLICT DO NOTHING`, orderNotifyConsumer)
	}
	page, err := notify.NewService(d).List(ctx, manager.ID, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 || page.Unread != 2 {
		t.Fatalf("manager's notes: %+v", page)
	}
	if page.Items[1].Title != "Đơn mới "+res.Order.SubOrders[0].Number || page.Items[0].Title != "Đơn "+res.Order.SubOrders[0].Number+" đã hủy" {
		t.Errorf("titles: %q, %q", page.Items[1].Title, page.Items[0].Title)
	}
	var mails int
	d.Get(&mails, `SELECT count(*) FROM dev_mailbox WHERE to_addr = 'khach@htx.test'`)
	if mails < 2 {
		t.Errorf("%d mails to the guest, want the order and its cancellation", mails)
	}
	if err := notify.NewService(d).MarkRead(ctx, manager.ID, nil, true); err != nil {
		t.Fatal(err)
	}
	if page, _ = notify.NewService(d).List(ctx, manager.ID, "", 50); page.Unread != 0 {
		t.Errorf("unread after marking all: %d", page.Unread)
	}
}
