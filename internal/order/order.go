package order

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/geo"
)

// Errors of buying. Their text is what the shopper reads.
var (
	ErrNotFound        = errors.New("không tìm thấy đơn hàng")
	ErrLineNotFound    = errors.New("không tìm thấy dòng này trong giỏ hàng")
	ErrVariantNotFound = errors.New("không tìm thấy loại hàng này")
	ErrNotOnSale       = errors.New("sản phẩm này hiện không bán")
	ErrOutOfStock      = errors.New("sản phẩm không còn đủ hàng")
	ErrCartEmpty       = errors.New("giỏ hàng đang trống")
	ErrCartFull        = errors.New("giỏ hàng đã có tối đa 100 loại hàng")
	ErrWrongStatus     = errors.New("đơn hàng không ở trạng thái cho phép thao tác này")
	ErrMoveForbidden   = errors.New("bạn không được chuyển đơn hàng sang trạng thái này")
	ErrKeyReused       = errors.New("Idempotency-Key này đã được dùng cho một yêu cầu khác")
	ErrKeyMissing      = errors.New("thiếu tiêu đề Idempotency-Key")
	ErrNoBankAccount   = errors.New("hợp tác xã chưa khai báo tài khoản ngân hàng để nhận chuyển khoản")
	ErrPaymentMethod   = errors.New("phương thức thanh toán không dùng được cho đơn này")
	ErrAddressNotFound = errors.New("không tìm thấy địa chỉ này trong sổ địa chỉ")
)

// Item is a variant as buying needs it; Inventory supplies it.
type Item struct {
	VariantID           uuid.UUID
	ProductID           uuid.UUID
	ProductSlug         string
	ProductName         string
	CooperativeID       uuid.UUID
	CooperativeSlug     string
	CooperativeName     string
	CooperativeProvince string
	SKU                 string
	Unit                string
	PriceVND            int64
	Stock               int
	WholesaleMinQty     int
	Tiers               []Tier // ascending min_qty
	ThumbURL            *string
	OnSale              bool
}

// StockChange is a number of units of one variant.
type StockChange struct {
	VariantID uuid.UUID
	Quantity  int
}

// Inventory is what buying needs of the catalog. Take and Return run inside
// the checkout's (or cancellation's) transaction.
type Inventory interface {
	Items(ctx context.Context, ext sqlx.ExtContext, variantIDs []uuid.UUID) (map[uuid.UUID]Item, error)
	// Take lowers stock or fails, for the first variant short of units,
	// with an error matching ErrOutOfStock whose text names the product.
	Take(ctx context.Context, tx sqlx.ExtContext, changes []StockChange) error
	Return(ctx context.Context, tx sqlx.ExtContext, changes []StockChange) error
}

// Ledger records what orders mean for the cooperatives' settlement, inside
// the transaction of the move that causes it.
type Ledger interface {
	RecordCardSale(ctx context.Context, ext sqlx.ExtContext, coopID, subOrderID uuid.UUID, amountVND int64) error
	RecordDirectSale(ctx context.Context, ext sqlx.ExtContext, coopID, subOrderID uuid.UUID, amountVND int64) error
	// RecordBalanceSale books the balance of a sub-order bought with a
	// deposit, paid to the cooperative on delivery.
	RecordBalanceSale(ctx context.Context, ext sqlx.ExtContext, coopID, subOrderID uuid.UUID, amountVND int64) error
	RecordRefund(ctx context.Context, ext sqlx.ExtContext, coopID, subOrderID uuid.UUID, key string, amountVND int64, card bool) error
}

// BankAccounts tells whether cooperatives can take bank transfers.
type BankAccounts interface {
	HasBankAccount(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID) (bool, error)
}

// Options are the rules of buying that the configuration sets.
type Options struct {
	// Default shipping fees for cooperatives that set none.
	DefaultShipping ShippingRules
	// How long unpaid orders hold their stock.
	CardDeadline time.Duration
	BankDeadline time.Duration
	// GuestCartTTL is how long an untouched guest cart is kept.
	GuestCartTTL time.Duration
	// Carrier ships sub-orders; ManualCarrier when nil.
	Carrier Carrier
}

// DefaultOptions are the rules when the configuration says nothing.
func DefaultOptions() Options {
	free := int64(500_000)
	return Options{
		DefaultShipping: ShippingRules{InProvinceVND: 20_000, OtherProvinceVND: 35_000, FreeOverVND: &free, Default: true},
		CardDeadline:    30 * time.Minute,
		BankDeadline:    24 * time.Hour,
		GuestCartTTL:    30 * 24 * time.Hour,
	}
}

// Service is buying: carts, checkout, orders and their moves.
type Service struct {
	db        *sqlx.DB
	store     *Store
	inventory Inventory
	provinces *geo.Service
	ledger    Ledger
	banks     BankAccounts
	opts      Options
	carrier   Carrier
	log       *slog.Logger
	now       func() time.Time
}

// NewService returns the buying service.
func NewService(d *sqlx.DB, store *Store, inv Inventory, provinces *geo.Service, ledger Ledger, banks BankAccounts, opts Options, log *slog.Logger) *Service {
	if opts.DefaultShipping == (ShippingRules{}) {
		opts.DefaultShipping = DefaultOptions().DefaultShipping
	}
	opts.DefaultShipping.Default = true
	if opts.CardDeadline <= 0 {
		opts.CardDeadline = DefaultOptions().CardDeadline
	}
	if opts.BankDeadline <= 0 {
		opts.BankDeadline = DefaultOptions().BankDeadline
	}
	if opts.GuestCartTTL <= 0 {
		opts.GuestCartTTL = DefaultOptions().GuestCartTTL
	}
	if store.stmts == nil {
		store.stmts = db.NewPrepared(d)
	}
	carrier := opts.Carrier
	if carrier == nil {
		carrier = ManualCarrier{}
	}
	return &Service{db: d, store: store, inventory: inv, provinces: provinces, ledger: ledger, banks: banks,
		opts: opts, carrier: carrier, log: log, now: time.Now}
}

// DB is the pool the service writes through; payment runs its order moves
// in transactions on it.
func (s *Service) DB() *sqlx.DB { return s.db }

// Shopper is who is buying: a signed-in user, or a guest known by the hash
// of their cart cookie.
type Shopper struct {
	UserID    *uuid.UUID
	GuestHash []byte // SHA-256 of the cart cookie's token
}

func (sh Shopper) valid() bool { return sh.UserID != nil || len(sh.GuestHash) == 32 }

// caller is the idempotency scope of the shopper.
func (sh Shopper) caller() string {
	if sh.UserID != nil {
		return "user:" + sh.UserID.String()
	}
	return fmt.Sprintf("guest:%x", sh.GuestHash)
}

// numberAlphabet has no 0, 1, I, L, O or U, which people misread.
const numberAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// newNumber makes an order number: HTX and eight characters, about 2^39
// possibilities; a collision is caught by the unique index and retried.
func newNumber() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24
	out := []byte("HTX")
	for _, x := range b {
		out = append(out, numberAlphabet[int(x)%len(numberAlphabet)])
	}
	return string(out)
}
