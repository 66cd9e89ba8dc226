package app

import (
	"context"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/catalog"
	"htxmarket/internal/cooperative"
	"htxmarket/internal/identity"
	"htxmarket/internal/order"
	"htxmarket/internal/payment"
	"htxmarket/internal/payment/stripecard"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/web"
)

// orderInventory gives buying the catalog's variants and stock.
type orderInventory struct{ products *catalog.Service }

var _ order.Inventory = orderInventory{}

func (a orderInventory) Items(ctx context.Context, ext sqlx.ExtContext, ids []uuid.UUID) (map[uuid.UUID]order.Item, error) {
	items, err := a.products.SaleItems(ctx, ext, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]order.Item, len(items))
	for id, it := range items {
		tiers := make([]order.Tier, len(it.PriceTiers))
		for i, t := range it.PriceTiers {
			tiers[i] = order.Tier{MinQty: t.MinQty, UnitPriceVND: t.UnitPriceVND}
		}
		out[id] = order.Item{
			VariantID: it.VariantID, ProductID: it.ProductID, ProductSlug: it.ProductSlug, ProductName: it.ProductName,
			CooperativeID: it.CooperativeID, CooperativeSlug: it.CooperativeSlug, CooperativeName: it.CooperativeName,
			CooperativeProvince: it.CooperativeProvince, SKU: it.SKU, Unit: it.Unit, PriceVND: it.PriceVND,
			Stock: it.Stock, WholesaleMinQty: it.WholesaleMinQty, Tiers: tiers, ThumbURL: it.ThumbURL, OnSale: it.OnSale,
		}
	}
	return out, nil
}

func stockChanges(in []order.StockChange) []catalog.StockChange {
	out := make([]catalog.StockChange, len(in))
	for i, c := range in {
		out[i] = catalog.StockChange{VariantID: c.VariantID, Quantity: c.Quantity}
	}
	return out
}

func (a orderInventory) Take(ctx context.Context, tx sqlx.ExtContext, changes []order.StockChange) error {
	err := a.products.TakeStock(ctx, tx, stockChanges(changes))
	var se *catalog.StockError
	if errors.As(err, &se) {
		return web.Detail(order.ErrOutOfStock, "%s.", upperFirst(se.Error()))
	}
	return err
}

func (a orderInventory) Return(ctx context.Context, tx sqlx.ExtContext, changes []order.StockChange) error {
	return a.products.ReturnStock(ctx, tx, stockChanges(changes))
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// orderAccounts gives buying a signed-in buyer's e-mail address.
type orderAccounts struct{ ids *identity.Service }

func (a orderAccounts) Email(c *fiber.Ctx, userID uuid.UUID) (string, error) {
	u, err := a.ids.User(c.UserContext(), userID)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(u.Email), nil
}

// orderCoops resolves a cooperative named in a path.
type orderCoops struct {
	db    *sqlx.DB
	coops *cooperative.Service
}

func (a orderCoops) CoopID(c *fiber.Ctx, idOrSlug string) (uuid.UUID, error) {
	co, err := a.coops.Store().Get(c.UserContext(), a.db, idOrSlug)
	if err != nil {
		return uuid.Nil, err
	}
	return co.ID, nil
}

// orderCoops also gives payment a cooperative's ID and province.
func (a orderCoops) CoopRef(c *fiber.Ctx, idOrSlug string) (uuid.UUID, string, error) {
	co, err := a.coops.Store().Get(c.UserContext(), a.db, idOrSlug)
	if err != nil {
		return uuid.Nil, "", err
	}
	return co.ID, co.Province, nil
}

// lazyBanks lets buying ask payment about bank accounts; payment is built
// after buying, which it needs.
type lazyBanks struct{ payments *payment.Service }

func (b *lazyBanks) HasBankAccount(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID) (bool, error) {
	return b.payments.HasBankAccount(ctx, ext, coopID)
}

// buyingOptions turns the configuration into buying's rules.
func buyingOptions(c config.Buying) order.Options {
	o := order.DefaultOptions()
	o.CardDeadline, o.BankDeadline = c.CardDeadline, c.BankDeadline
	o.DefaultShipping = order.ShippingRules{InProvinceVND: int64(c.ShippingInProvinceVND),
		OtherProvinceVND: int64(c.ShippingOtherProvinceVND), Default: true}
	if c.ShippingFreeOverVND > 0 {
		free := int64(c.ShippingFreeOverVND)
		o.DefaultShipping.FreeOverVND = &free
	}
	return o
}

// newCardGateway is Stripe when a secret key is configured, else nil (no
// card payments).
func newCardGateway(c config.Buying) payment.CardGateway {
	if c.StripeSecretKey == "" {
		return nil
	}
	return stripecard.New(stripecard.Config{SecretKey: c.StripeSecretKey, WebhookSecret: c.StripeWebhookSecret,
		BackendURL: c.StripeAPIURL})
}
