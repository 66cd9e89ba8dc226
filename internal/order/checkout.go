package order

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/web"
)

// Outbox topics of buying.
const (
	// TopicOrderPlaced carries an OrderMessage when an order is placed.
	TopicOrderPlaced = "order.placed"
	// TopicSubOrderMoved carries a MoveMessage for every move of a sub-order.
	TopicSubOrderMoved = "order.sub_order.moved"
)

// OrderMessage is the payload of TopicOrderPlaced.
type OrderMessage struct {
	OrderID uuid.UUID `json:"order_id"`
	Number  string    `json:"number"`
}

// MoveMessage is the payload of TopicSubOrderMoved.
type MoveMessage struct {
	OrderID       uuid.UUID `json:"order_id"`
	SubOrderID    uuid.UUID `json:"sub_order_id"`
	CooperativeID uuid.UUID `json:"cooperative_id"`
	From          Status    `json:"from"`
	To            Status    `json:"to"`
}

// Limits of checkout fields.
const (
	maxRecipient = 100
	maxCommune   = 100
	maxStreet    = 200
	maxNote      = 500
	maxEmail     = 254
	maxKey       = 200
)

var phoneDigits = regexp.MustCompile(`^0[1-9][0-9]{8}$`)

// NormalizePhone turns a Vietnamese phone number as people write it
// ("090 123 4567", "+84 90-123-4567") into ten digits starting with 0, or "".
func NormalizePhone(s string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return ""
		}
	}
	p := b.String()
	switch {
	case strings.HasPrefix(p, "+84"):
		p = "0" + p[3:]
	case strings.HasPrefix(p, "84") && len(p) == 11:
		p = "0" + p[2:]
	}
	if !phoneDigits.MatchString(p) {
		return ""
	}
	return p
}

// cleanText trims s and reports whether it is valid UTF-8 without control
// or bidirectional-override characters, within max runes.
func cleanText(s string, max int) (string, bool) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return s, false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' || unicode.Is(unicode.Bidi_Control, r) {
			return s, false
		}
	}
	// Names and addresses others read hold no invisible characters (zero
	// width, separators); a note may hold new lines.
	if web.Invisible(strings.ReplaceAll(s, "\n", " ")) {
		return s, false
	}
	return s, true
}

// checkCheckout validates and normalises a checkout request.
func (s *Service) checkCheckout(ctx context.Context, in *Checkout) error {
	var v web.ValidationError
	a := &in.ShippingAddress
	var ok bool
	a.Recipient, ok = cleanText(a.Recipient, maxRecipient)
	v.Check(ok && a.Recipient != "", "shipping_address.recipient", "cần tên người nhận (tối đa 100 ký tự)")
	if p := NormalizePhone(a.Phone); p != "" {
		a.Phone = p
	} else {
		v.Add("shipping_address.phone", "số điện thoại không hợp lệ (ví dụ 0901234567)")
	}
	if strings.TrimSpace(a.Province) == "" {
		v.Add("shipping_address.province", "cần chọn tỉnh, thành phố")
	} else if slug, ok := s.province(ctx, a.Province); !ok {
		v.Add("shipping_address.province", "không có tỉnh, thành phố này")
	} else {
		a.Province = slug
	}
	a.Commune, ok = cleanText(a.Commune, maxCommune)
	v.Check(ok && a.Commune != "", "shipping_address.commune", "cần xã, phường, đặc khu (tối đa 100 ký tự)")
	a.Street, ok = cleanText(a.Street, maxStreet)
	v.Check(ok && a.Street != "", "shipping_address.street", "cần số nhà, đường, thôn, ấp (tối đa 200 ký tự)")
	in.Note, ok = cleanText(in.Note, maxNote)
	v.Check(ok, "note", "ghi chú tối đa 500 ký tự")
	switch in.PaymentMethod {
	case MethodCOD, MethodCard, MethodBankTransfer:
	case "":
		v.Add("payment_method", "cần chọn cách thanh toán")
	default:
		v.Add("payment_method", "cách thanh toán phải là cod, card hoặc bank_transfer")
	}
	in.Email = strings.TrimSpace(in.Email)
	if in.Email != "" {
		addr, err := mail.ParseAddress(in.Email)
		v.Check(err == nil && addr.Address == in.Email && len(in.Email) <= maxEmail && !web.Invisible(in.Email) &&
			!strings.ContainsFunc(in.Email, unicode.IsSpace), "email", "địa chỉ email không hợp lệ")
	}
	return v.Err()
}

// CheckIdempotencyKey trims an Idempotency-Key header and checks it: 1 to
// 200 visible ASCII characters (a UUID, say); missing is ErrKeyMissing.
func CheckIdempotencyKey(key string) (string, error) {
	key = strings.TrimSpace(key)
	if key == "" {
		return "", ErrKeyMissing
	}
	ok := len(key) <= maxKey
	for i := 0; ok && i < len(key); i++ {
		ok = key[i] >= 0x20 && key[i] < 0x7f
	}
	if !ok {
		return "", &web.ValidationError{Fields: []web.FieldError{{Field: "Idempotency-Key",
			Message: "tối đa 200 ký tự ASCII nhìn thấy được, ví dụ một UUID"}}}
	}
	return key, nil
}

// CheckoutResult is a placed order, or the stored answer to a retry.
type CheckoutResult struct {
	Order Order
	// Body is Order as JSON, the answer stored under the Idempotency-Key.
	Body []byte
	// Replay is the first response's body when the Idempotency-Key was
	// already used for this request; Order is then empty.
	Replay []byte
}

// Checkout places the shopper's cart as one order with a sub-order per
// cooperative. It takes the stock, fixes prices and shipping fees, empties
// the cart and announces the order, all in one transaction, and stores the
// answer under the Idempotency-Key so that a retry gets it again and
// creates nothing. email is the signed-in buyer's address ("" for guests,
// who may give one in the request).
func (s *Service) Checkout(ctx context.Context, sh Shopper, email, key string, in Checkout) (CheckoutResult, error) {
	if !sh.valid() {
		return CheckoutResult{}, ErrCartEmpty
	}
	key, err := CheckIdempotencyKey(key)
	if err != nil {
		return CheckoutResult{}, err
	}
	if err := s.checkCheckout(ctx, &in); err != nil {
		return CheckoutResult{}, err
	}
	if sh.UserID != nil || in.Email == "" {
		in.Email = email
	}
	reqHash, err := requestHash(in)
	if err != nil {
		return CheckoutResult{}, err
	}
	// The key is written with the order, at the end (one statement fewer
	// than claiming it first). A retry finds the cart locked by the first
	// attempt, then emptied by it, or (when the cart was filled again)
	// fails on the key: in both cases the key's stored answer is the
	// retry's answer.
	caller, ikey := sh.caller(), "checkout:"+key
	var res CheckoutResult
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		res = CheckoutResult{}
		o, body, err := s.place(ctx, tx, sh, in, caller, ikey, reqHash)
		if err != nil {
			return err
		}
		res.Order, res.Body = o, body
		return s.takeStock(ctx, tx, o)
	})
	if err != nil && (errors.Is(err, ErrCartEmpty) || db.Constraint(err) == "idempotency_keys_pkey") {
		prior, found, rerr := s.store.readKey(ctx, s.db, caller, ikey)
		switch {
		case rerr != nil:
			return CheckoutResult{}, rerr
		case !found:
			return CheckoutResult{}, err
		case !bytes.Equal(prior.RequestHash, reqHash):
			return CheckoutResult{}, ErrKeyReused
		}
		return CheckoutResult{Replay: prior.Response}, nil
	}
	return res, err
}

func requestHash(in Checkout) ([]byte, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("order: hash request: %w", err)
	}
	h := sha256.Sum256(b)
	return h[:], nil
}

// place makes the order inside tx and returns it with its JSON.
func (s *Service) place(ctx context.Context, tx *sqlx.Tx, sh Shopper, in Checkout, caller, key string, reqHash []byte) (Order, []byte, error) {
	locked, err := s.store.lockedCart(ctx, tx, sh)
	if err != nil {
		return Order{}, nil, err
	}
	if locked.ID == uuid.Nil {
		return Order{}, nil, ErrCartEmpty
	}
	cartID := locked.ID
	cart := s.priceWith(locked.Lines, locked.Items, locked.Rules, in.ShippingAddress.Province)
	if len(cart.Lines) == 0 {
		return Order{}, nil, ErrCartEmpty
	}
	for _, l := range cart.Lines {
		if l.Problem != "" && l.Stock >= l.Quantity {
			// Not on sale any more: stock would not tell.
			return Order{}, nil, web.Detail(ErrNotOnSale, "%s; hãy bỏ khỏi giỏ hàng rồi đặt lại.", l.Problem)
		}
	}
	if in.PaymentMethod == MethodBankTransfer && s.banks != nil {
		for _, g := range cart.Groups {
			ok, err := s.banks.HasBankAccount(ctx, tx, g.CooperativeID)
			if err != nil {
				return Order{}, nil, err
			}
			if !ok {
				return Order{}, nil, web.Detail(ErrNoBankAccount, "%s chưa khai báo tài khoản ngân hàng để nhận chuyển khoản; hãy chọn cách thanh toán khác.", g.CooperativeName)
			}
		}
	}
	now := s.now()
	o := Order{
		ID: uuid.Must(uuid.NewV7()), Number: newNumber(), PaymentMethod: in.PaymentMethod,
		ShippingAddress: in.ShippingAddress, Note: in.Note, ItemsVND: cart.ItemsVND, ShippingVND: cart.ShippingVND,
		TotalVND: cart.TotalVND, Guest: sh.UserID == nil, CreatedAt: now, UpdatedAt: now,
		buyerID: sh.UserID, email: in.Email,
	}
	if sh.UserID == nil {
		o.guestHash = sh.GuestHash
	}
	status := StatusPendingPayment
	switch in.PaymentMethod {
	case MethodCOD:
		o.PaymentStatus, status = PaymentCOD, StatusConfirmed
	case MethodCard:
		o.PaymentStatus = PaymentUnpaid
		d := now.Add(s.opts.CardDeadline)
		o.PaymentDeadline = &d
	case MethodBankTransfer:
		o.PaymentStatus = PaymentUnpaid
		d := now.Add(s.opts.BankDeadline)
		o.PaymentDeadline = &d
	}
	byID := make(map[uuid.UUID]CartLine, len(cart.Lines))
	for _, l := range cart.Lines {
		byID[l.ID] = l
	}
	for i, g := range cart.Groups {
		so := SubOrder{
			ID: uuid.Must(uuid.NewV7()), OrderID: o.ID, OrderNumber: o.Number, Number: fmt.Sprintf("%s-%d", o.Number, i+1),
			CooperativeID: g.CooperativeID, CooperativeSlug: g.CooperativeSlug, CooperativeName: g.CooperativeName,
			Status: status, ItemsVND: g.ItemsVND, ShippingVND: g.ShippingVND, TotalVND: g.ItemsVND + g.ShippingVND,
			CreatedAt: now, UpdatedAt: now, Moves: []Status{},
			Timeline: []Event{{To: status, ActorRole: actorRoleOf(sh), At: now}},
		}
		for _, id := range g.LineIDs {
			l := byID[id]
			line := Line{ID: uuid.Must(uuid.NewV7()), ProductID: l.ProductID, ProductSlug: l.ProductSlug,
				ProductName: l.ProductName, VariantID: l.VariantID, SKU: l.SKU, Unit: l.Unit, Quantity: l.Quantity,
				UnitPriceVND: l.UnitPriceVND, LineVND: l.LineVND}
			if l.Tier != nil {
				line.TierMinQty = &l.Tier.MinQty
			}
			so.Lines = append(so.Lines, line)
		}
		o.SubOrders = append(o.SubOrders, so)
	}
	o.Status = summary(o.SubOrders)
	if err := s.provinceName(ctx, &o); err != nil {
		return Order{}, nil, err
	}
	body, err := json.Marshal(o)
	if err != nil {
		return Order{}, nil, fmt.Errorf("order: encode order: %w", err)
	}
	announcement, err := json.Marshal(OrderMessage{OrderID: o.ID, Number: o.Number})
	if err != nil {
		return Order{}, nil, fmt.Errorf("order: encode announcement: %w", err)
	}
	// One statement writes the order, its sub-orders, lines and first
	// events, takes the lines it read out of the cart, stores the
	// idempotency key's answer, announces the order and remembers a
	// signed-in buyer's address.
	if err := s.store.insertOrder(ctx, tx, &o, actorRoleOf(sh), cartID, locked.Lines, caller, key, reqHash, body, announcement); err != nil {
		return Order{}, nil, err
	}
	return o, body, nil
}

// takeStock takes the order's goods: the last statements of the checkout
// transaction, so that the rows of popular variants stay locked only from
// here to the commit, not while the order is written.
func (s *Service) takeStock(ctx context.Context, tx *sqlx.Tx, o Order) error {
	var changes []StockChange
	for _, so := range o.SubOrders {
		for _, l := range so.Lines {
			changes = append(changes, StockChange{VariantID: l.VariantID, Quantity: l.Quantity})
		}
	}
	return s.inventory.Take(ctx, tx, changes)
}

func (s *Service) provinceName(ctx context.Context, o *Order) error {
	p, err := s.provinces.Get(ctx, o.ShippingAddress.Province)
	if err != nil {
		return err
	}
	o.ProvinceName = p.Name
	return nil
}

func actorRoleOf(sh Shopper) string {
	if sh.UserID == nil {
		return "guest"
	}
	return "buyer"
}

// summary is an order's status from its sub-orders': the least advanced
// of those not cancelled or refunded, else cancelled or refunded.
func summary(subs []SubOrder) string {
	rank := map[Status]int{StatusPendingPayment: 0, StatusConfirmed: 1, StatusPacked: 2, StatusShipped: 3,
		StatusDelivered: 4, StatusCompleted: 5}
	best, found := Status(""), false
	refunded := false
	for _, so := range subs {
		r, live := rank[so.Status]
		if !live {
			refunded = refunded || so.Status == StatusRefunded
			continue
		}
		if !found || r < rank[best] {
			best, found = so.Status, true
		}
	}
	switch {
	case found:
		return string(best)
	case refunded:
		return string(StatusRefunded)
	}
	return string(StatusCancelled)
}

// PruneCarts deletes guest carts nobody touched within the guest cart TTL
// and idempotency keys older than a day; the worker runs it.
func (s *Service) PruneCarts(ctx context.Context) error {
	if _, err := s.store.pruneGuestCarts(ctx, s.db, s.now().Add(-s.opts.GuestCartTTL)); err != nil {
		return err
	}
	_, err := s.store.pruneKeys(ctx, s.db, s.now().Add(-24*time.Hour))
	return err
}
