// Package sourcing connects supply and demand in bulk (kết nối cung cầu):
// wholesalers post requests for quotes, cooperatives post what they can
// supply, matching ranks offers for a request with an explained score and
// proposes combinations of several cooperatives when none can supply it
// all, and cooperatives answer with quotes that the buyer accepts into an
// order.
package sourcing

import (
	_ "embed"
	"errors"
	"time"

	"github.com/google/uuid"

	"htxmarket/internal/order"
)

// OpenAPI is sourcing's part of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Errors of this package.
var (
	ErrRequestNotFound = errors.New("không tìm thấy yêu cầu báo giá")
	ErrOfferNotFound   = errors.New("không tìm thấy nguồn hàng")
	ErrQuoteNotFound   = errors.New("không tìm thấy báo giá")
	ErrRequestClosed   = errors.New("yêu cầu báo giá không còn nhận báo giá")
	ErrQuoteAccepted   = errors.New("báo giá đã được chấp nhận, không sửa được nữa")
	ErrQuoteNotLive    = errors.New("báo giá đã hết hạn hoặc không còn hiệu lực")
	ErrNotInvited      = errors.New("yêu cầu này chỉ gửi đến các hợp tác xã được mời")
	ErrNotVerified     = errors.New("hợp tác xã chưa được xác minh")
	ErrKeyReused       = errors.New("Idempotency-Key này đã được dùng cho một yêu cầu khác")
)

// Request statuses.
const (
	StatusOpen    = "open"
	StatusQuoting = "quoting"
	StatusAwarded = "awarded"
	StatusClosed  = "closed"
	StatusExpired = "expired"
)

// CoopRef names a cooperative.
type CoopRef struct {
	ID   uuid.UUID `json:"id"`
	Slug string    `json:"slug"`
	Name string    `json:"name"`
}

// NewRequest is a wholesaler's request for quotes as sent.
type NewRequest struct {
	Text            string   `json:"text"`
	Group           string   `json:"group"`
	Quantity        float64  `json:"quantity"`
	Unit            string   `json:"unit"`
	MaxUnitPriceVND int64    `json:"max_unit_price_vnd"`
	Province        string   `json:"province"`
	WantedFrom      string   `json:"wanted_from"` // YYYY-MM-DD
	WantedTo        string   `json:"wanted_to"`
	Certifications  []string `json:"certifications"`
	MinStars        int      `json:"min_stars"`
	Recurrence      string   `json:"recurrence"` // once or monthly
	// Cooperatives, when given (IDs or slugs), are the only ones invited.
	Cooperatives []string `json:"cooperatives"`
	Notes        string   `json:"notes"`
}

// Request is a request for quotes.
type Request struct {
	ID              uuid.UUID `json:"id"`
	Text            string    `json:"text"`
	Group           string    `json:"group"`
	Quantity        float64   `json:"quantity"`
	Unit            string    `json:"unit"`
	MaxUnitPriceVND *int64    `json:"max_unit_price_vnd"`
	Province        string    `json:"province"`
	ProvinceName    string    `json:"province_name"`
	WantedFrom      string    `json:"wanted_from"`
	WantedTo        string    `json:"wanted_to"`
	Certifications  []string  `json:"certifications"`
	MinStars        int       `json:"min_stars"`
	Recurrence      string    `json:"recurrence"`
	Invited         []CoopRef `json:"invited"`
	Notes           string    `json:"notes"`
	Status          string    `json:"status"`
	Quotes          int       `json:"quotes"` // how many quotes it has
	// Mine is true for the request's own buyer.
	Mine      bool      `json:"mine"`
	CreatedAt time.Time `json:"created_at"`

	buyerID   uuid.UUID
	dimension Dimension
	base      float64
}

// NewOffer is a cooperative's supply as sent.
type NewOffer struct {
	Cooperative    string     `json:"cooperative"` // ID or slug
	ProductID      *uuid.UUID `json:"product_id"`
	Text           string     `json:"text"`
	Kind           string     `json:"kind"` // seasonal or surplus
	Quantity       float64    `json:"quantity"`
	MinQuantity    float64    `json:"min_quantity"`
	Unit           string     `json:"unit"`
	Months         []int      `json:"months"`
	AvailableUntil string     `json:"available_until"`
	UnitPriceVND   int64      `json:"unit_price_vnd"`
	Province       string     `json:"province"`
}

// Offer is what a cooperative can supply: per month in its season, or a
// one-off surplus until a date.
type Offer struct {
	ID             uuid.UUID  `json:"id"`
	Cooperative    CoopRef    `json:"cooperative"`
	ProductID      *uuid.UUID `json:"product_id"`
	ProductName    string     `json:"product_name"`
	Text           string     `json:"text"`
	Kind           string     `json:"kind"`
	Quantity       float64    `json:"quantity"`
	MinQuantity    float64    `json:"min_quantity"`
	Unit           string     `json:"unit"`
	Months         []int      `json:"months"`
	AvailableUntil *string    `json:"available_until"`
	UnitPriceVND   int64      `json:"unit_price_vnd"`
	Province       string     `json:"province"`
	ProvinceName   string     `json:"province_name"`
	Status         string     `json:"status"`
	CreatedAt      time.Time  `json:"created_at"`
}

// Match is an offer ranked for a request, with why.
type Match struct {
	OfferID     uuid.UUID `json:"offer_id"`
	Cooperative CoopRef   `json:"cooperative"`
	Offer       Offer     `json:"offer"`
	Score       float64   `json:"score"`
	Breakdown   []Term    `json:"breakdown"`
	DistanceKM  float64   `json:"distance_km"`
	// Quantity and UnitPriceVND are the offer's in the request's unit.
	Quantity     float64 `json:"quantity"`
	UnitPriceVND int64   `json:"unit_price_vnd"`
}

// Part is one offer's share of a combination, in the request's unit.
type Part struct {
	OfferID      uuid.UUID `json:"offer_id"`
	Cooperative  CoopRef   `json:"cooperative"`
	Quantity     float64   `json:"quantity"`
	Unit         string    `json:"unit"`
	UnitPriceVND int64     `json:"unit_price_vnd"`
	GoodsVND     int64     `json:"goods_vnd"`
	TransportVND int64     `json:"transport_vnd"`
	DistanceKM   float64   `json:"distance_km"`
}

// Combo is several offers that together cover a request.
type Combo struct {
	Parts        []Part `json:"parts"`
	TotalVND     int64  `json:"total_vnd"`
	GoodsVND     int64  `json:"goods_vnd"`
	TransportVND int64  `json:"transport_vnd"`
}

// Matches is the answer to "who can supply this request?".
type Matches struct {
	Matches      []Match `json:"matches"`
	Combinations []Combo `json:"combinations"`
	// Optimal says the cheapest combination is proven cheapest;
	// LowerBoundVND is what no combination can cost less than.
	Optimal       bool  `json:"optimal"`
	LowerBoundVND int64 `json:"lower_bound_vnd"`
	// TransportVNDPerTonneKM is the transport cost the combinations use.
	TransportVNDPerTonneKM int64 `json:"transport_vnd_per_tonne_km"`
}

// NewQuote is a cooperative's quote as sent.
type NewQuote struct {
	Cooperative  string     `json:"cooperative"`
	OfferID      *uuid.UUID `json:"offer_id"`
	VariantID    uuid.UUID  `json:"variant_id"`
	UnitPriceVND int64      `json:"unit_price_vnd"`
	Quantity     int        `json:"quantity"`
	DeliveryDate string     `json:"delivery_date"`
	ValidUntil   string     `json:"valid_until"`
	Note         string     `json:"note"`
	// DepositPercent is the deposit the cooperative accepts instead of
	// full payment before delivery, 10–90 (% of the quote's total); 0 or
	// absent: full payment.
	DepositPercent int `json:"deposit_percent"`
}

// Quote is a cooperative's answer to a request: a price for a quantity of
// one of its product variants (in that variant's unit), delivered by a
// date, valid until another.
type Quote struct {
	ID           uuid.UUID  `json:"id"`
	RequestID    uuid.UUID  `json:"request_id"`
	Cooperative  CoopRef    `json:"cooperative"`
	OfferID      *uuid.UUID `json:"offer_id"`
	VariantID    uuid.UUID  `json:"variant_id"`
	ProductName  string     `json:"product_name"`
	Unit         string     `json:"unit"`
	UnitPriceVND int64      `json:"unit_price_vnd"`
	Quantity     int        `json:"quantity"`
	TotalVND     int64      `json:"total_vnd"`
	DeliveryDate string     `json:"delivery_date"`
	ValidUntil   string     `json:"valid_until"`
	Note         string     `json:"note"`
	// DepositPercent is the deposit the cooperative accepts (0: none).
	DepositPercent int        `json:"deposit_percent"`
	Status         string     `json:"status"`
	OrderID        *uuid.UUID `json:"order_id"`
	CreatedAt      time.Time  `json:"created_at"`
}

// InboxItem is a request a cooperative was matched with or invited to,
// with its own quote if it sent one.
type InboxItem struct {
	Request Request `json:"request"`
	Score   float64 `json:"score"`
	Quote   *Quote  `json:"quote"`
}

// Accept is a buyer's acceptance of quotes.
type Accept struct {
	QuoteIDs        []uuid.UUID   `json:"quote_ids"`
	PaymentMethod   string        `json:"payment_method"`
	ShippingAddress order.Address `json:"shipping_address"`
	Note            string        `json:"note"`
	// Pay is "full" (the default) or "deposit": pay only the deposits the
	// quotes allow, every one of which must allow one, and the balances to
	// the cooperatives on delivery.
	Pay string `json:"pay"`
}

// Ways to pay accepted quotes.
const (
	PayFull    = "full"
	PayDeposit = "deposit"
)

// Accepted is the order that accepted quotes became. DepositVND is what
// is due now when the buyer pays deposits (0: the total is).
type Accepted struct {
	OrderID    uuid.UUID `json:"order_id"`
	Number     string    `json:"number"`
	TotalVND   int64     `json:"total_vnd"`
	DepositVND int64     `json:"deposit_vnd"`
}

// Message topics of sourcing.
const (
	// TopicMatched: cooperatives were matched with a request (MatchedMessage).
	TopicMatched = "sourcing.matched"
	// TopicQuoted: a cooperative sent a quote (QuotedMessage).
	TopicQuoted = "sourcing.quoted"
)

// MatchedMessage says which cooperatives to tell of a request.
type MatchedMessage struct {
	RequestID    uuid.UUID   `json:"request_id"`
	Cooperatives []uuid.UUID `json:"cooperatives"`
}

// QuotedMessage says a quote arrived.
type QuotedMessage struct {
	RequestID uuid.UUID `json:"request_id"`
	QuoteID   uuid.UUID `json:"quote_id"`
}
