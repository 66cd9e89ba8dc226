// Package order is buying on HTX Market: the cart (for guests and signed-in
// users, priced afresh at every read, wholesale tiers applied by quantity),
// checkout into one order with one sub-order per cooperative (stock taken in
// the checkout transaction, so oversell is impossible), the sub-orders' state
// machine with its timeline, shipping fees by each cooperative's rules, the
// expiry of unpaid orders, and idempotent retries of checkout.
package order

import (
	"time"

	"github.com/google/uuid"
)

// Payment methods.
const (
	MethodCOD          = "cod"
	MethodCard         = "card"
	MethodBankTransfer = "bank_transfer"
)

// Status is where a sub-order stands.
type Status string

// Sub-order statuses, in their usual order; cancelled and refunded end a
// sub-order early.
const (
	StatusPendingPayment Status = "pending_payment"
	StatusConfirmed      Status = "confirmed"
	StatusPacked         Status = "packed"
	StatusShipped        Status = "shipped"
	StatusDelivered      Status = "delivered"
	StatusCompleted      Status = "completed"
	StatusCancelled      Status = "cancelled"
	StatusRefunded       Status = "refunded"
)

// Payment statuses of an order.
const (
	PaymentUnpaid = "unpaid"
	PaymentPaid   = "paid"
	// PaymentDepositPaid: every sub-order's deposit is in (the order is
	// confirmed); balances are paid to the cooperatives on delivery.
	PaymentDepositPaid       = "deposit_paid"
	PaymentCOD               = "cod"
	PaymentRefunded          = "refunded"
	PaymentPartiallyRefunded = "partially_refunded"
	PaymentCancelled         = "cancelled"
)

// Cart is what a shopper is about to buy, priced now.
type Cart struct {
	Lines []CartLine `json:"lines"`
	// Groups are the lines by cooperative, each with its shipping fee to
	// the province asked for (or the cooperative's own province).
	Groups   []CartGroup `json:"groups"`
	ItemsVND int64       `json:"items_vnd"`
	// ShippingVND is the sum of the groups' fees to ShipTo.
	ShippingVND int64  `json:"shipping_vnd"`
	TotalVND    int64  `json:"total_vnd"`
	ShipTo      string `json:"ship_to"` // province slug the fees are for; "" = each cooperative's own
	Count       int    `json:"count"`   // units in the cart
	// Problems lists lines that cannot be bought as they are (out of
	// stock, no longer sold); checkout refuses until they are fixed.
	Problems []string `json:"problems"`
}

// CartLine is one variant in the cart.
type CartLine struct {
	ID              uuid.UUID `json:"id"`
	VariantID       uuid.UUID `json:"variant_id"`
	ProductID       uuid.UUID `json:"product_id"`
	ProductSlug     string    `json:"product_slug"`
	ProductName     string    `json:"product_name"`
	CooperativeID   uuid.UUID `json:"cooperative_id"`
	CooperativeSlug string    `json:"cooperative_slug"`
	CooperativeName string    `json:"cooperative_name"`
	SKU             string    `json:"sku"`
	Unit            string    `json:"unit"`
	ThumbURL        *string   `json:"thumb_url"`
	Quantity        int       `json:"quantity"`
	// RetailPriceVND is the variant's price; UnitPriceVND what this
	// quantity pays (a wholesale tier's price when one applies).
	RetailPriceVND int64 `json:"retail_price_vnd"`
	UnitPriceVND   int64 `json:"unit_price_vnd"`
	LineVND        int64 `json:"line_vnd"`
	// Tier is the wholesale tier that applied, nil for the retail price;
	// NextTier the next one up, with how many more units reach it.
	Tier      *Tier     `json:"tier"`
	NextTier  *NextTier `json:"next_tier"`
	Stock     int       `json:"stock"`
	Available bool      `json:"available"`
	// Problem explains why the line cannot be bought as it is ("" when it can).
	Problem string `json:"problem"`
}

// Tier is a wholesale price from a quantity up.
type Tier struct {
	MinQty       int   `json:"min_qty"`
	UnitPriceVND int64 `json:"unit_price_vnd"`
}

// NextTier is the next wholesale tier and how far away it is.
type NextTier struct {
	Tier
	MoreQty int `json:"more_qty"`
}

// CartGroup is one cooperative's part of the cart: a future sub-order.
type CartGroup struct {
	CooperativeID   uuid.UUID   `json:"cooperative_id"`
	CooperativeSlug string      `json:"cooperative_slug"`
	CooperativeName string      `json:"cooperative_name"`
	LineIDs         []uuid.UUID `json:"line_ids"`
	ItemsVND        int64       `json:"items_vnd"`
	ShippingVND     int64       `json:"shipping_vnd"`
	// FreeOverVND is the goods value from which this cooperative ships
	// free (nil: never).
	FreeOverVND *int64 `json:"free_over_vnd"`
}

// AddItem puts a variant in the cart (adding to a line already there).
type AddItem struct {
	VariantID uuid.UUID `json:"variant_id"`
	Quantity  int       `json:"quantity"`
}

// SetQuantity changes a line's quantity.
type SetQuantity struct {
	Quantity int `json:"quantity"`
}

// Address is where an order goes: the two-level map since 1 July 2025,
// province and commune or ward, no district.
type Address struct {
	Recipient string `json:"recipient"`
	Phone     string `json:"phone"`
	Province  string `json:"province"`
	Commune   string `json:"commune"`
	Street    string `json:"street"`
}

// Checkout is a checkout request.
type Checkout struct {
	ShippingAddress Address `json:"shipping_address"`
	PaymentMethod   string  `json:"payment_method"`
	Note            string  `json:"note"`
	// Email is where a guest wants news of the order; signed-in buyers
	// get it at their account's address.
	Email string `json:"email"`
}

// Order is a placed order with its sub-orders.
type Order struct {
	ID              uuid.UUID `json:"id"`
	Number          string    `json:"number"`
	Status          string    `json:"status"` // summary of the sub-orders' statuses
	PaymentMethod   string    `json:"payment_method"`
	PaymentStatus   string    `json:"payment_status"`
	ShippingAddress Address   `json:"shipping_address"`
	ProvinceName    string    `json:"province_name"`
	Note            string    `json:"note"`
	ItemsVND        int64     `json:"items_vnd"`
	ShippingVND     int64     `json:"shipping_vnd"`
	TotalVND        int64     `json:"total_vnd"`
	// DepositVND is what the buyer pays now when they chose to pay the
	// deposits of an order from quotes (0: the whole total is due now).
	// PaidVND is what has been received so far, BalanceVND what is still
	// to be paid to the cooperatives on delivery (see SubOrder).
	DepositVND      int64      `json:"deposit_vnd"`
	PaidVND         int64      `json:"paid_vnd"`
	BalanceVND      int64      `json:"balance_vnd"`
	PaymentDeadline *time.Time `json:"payment_deadline"`
	Guest           bool       `json:"guest"`
	SubOrders       []SubOrder `json:"sub_orders"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`

	buyerID   *uuid.UUID
	guestHash []byte
	email     string
}

// SubOrder is one cooperative's part of an order.
type SubOrder struct {
	ID              uuid.UUID `json:"id"`
	OrderID         uuid.UUID `json:"order_id"`
	OrderNumber     string    `json:"order_number"`
	Number          string    `json:"number"`
	CooperativeID   uuid.UUID `json:"cooperative_id"`
	CooperativeSlug string    `json:"cooperative_slug"`
	CooperativeName string    `json:"cooperative_name"`
	Status          Status    `json:"status"`
	ItemsVND        int64     `json:"items_vnd"`
	ShippingVND     int64     `json:"shipping_vnd"`
	TotalVND        int64     `json:"total_vnd"`
	Carrier         string    `json:"carrier"`
	TrackingCode    string    `json:"tracking_code"`
	ReceivedVND     int64     `json:"received_vnd"`
	PaymentFlag     string    `json:"payment_flag"`
	// DepositVND is the deposit that confirms this sub-order (0: full
	// payment); BalanceVND what remains to be paid to the cooperative on
	// delivery, until it records the balance (BalancePaidAt, by cash or
	// transfer).
	DepositVND    int64      `json:"deposit_vnd"`
	BalanceVND    int64      `json:"balance_vnd"`
	BalancePaidAt *time.Time `json:"balance_paid_at"`
	BalanceMethod string     `json:"balance_method"`
	Lines         []Line     `json:"lines"`
	Timeline      []Event    `json:"timeline"`
	// Moves are the statuses the caller may move this sub-order to now.
	Moves     []Status  `json:"moves"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Line is one variant of a sub-order as bought.
type Line struct {
	ID           uuid.UUID `json:"id"`
	ProductID    uuid.UUID `json:"product_id"`
	ProductSlug  string    `json:"product_slug"`
	ProductName  string    `json:"product_name"`
	VariantID    uuid.UUID `json:"variant_id"`
	SKU          string    `json:"sku"`
	Unit         string    `json:"unit"`
	Quantity     int       `json:"quantity"`
	UnitPriceVND int64     `json:"unit_price_vnd"`
	TierMinQty   *int      `json:"tier_min_qty"`
	LineVND      int64     `json:"line_vnd"`
}

// Event is one move in a sub-order's timeline.
type Event struct {
	From      *Status   `json:"from"`
	To        Status    `json:"to"`
	ActorRole string    `json:"actor_role"` // buyer, cooperative, staff, admin, system
	Note      string    `json:"note"`
	At        time.Time `json:"at"`
}

// Move asks for a sub-order to change status.
type Move struct {
	To           Status `json:"to"`
	Carrier      string `json:"carrier"`
	TrackingCode string `json:"tracking_code"`
	Note         string `json:"note"`
}

// ShippingRules are a cooperative's shipping fees.
type ShippingRules struct {
	InProvinceVND    int64  `json:"in_province_vnd"`
	OtherProvinceVND int64  `json:"other_province_vnd"`
	FreeOverVND      *int64 `json:"free_over_vnd"`
	Default          bool   `json:"default"` // the platform's defaults: the cooperative set none
}

// Fee is the shipping fee of goods worth itemsVND, to a province inside
// the cooperative's own or not.
func (r ShippingRules) Fee(itemsVND int64, sameProvince bool) int64 {
	if r.FreeOverVND != nil && itemsVND >= *r.FreeOverVND {
		return 0
	}
	if sameProvince {
		return r.InProvinceVND
	}
	return r.OtherProvinceVND
}

// OrderPage is a page of orders, newest first.
type OrderPage struct {
	Items      []Order `json:"items"`
	NextCursor string  `json:"next_cursor"`
}

// SubOrderPage is a page of a cooperative's sub-orders, newest first.
type SubOrderPage struct {
	Items      []SubOrder `json:"items"`
	NextCursor string     `json:"next_cursor"`
}
