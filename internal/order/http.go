package order

import (
	"crypto/rand"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// OpenAPI is buying's part of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// CartCookie holds a guest's cart token (HttpOnly); the server keeps only
// its SHA-256.
const CartCookie = "htx_cart"

// cartCookieTTL is how long a guest's browser keeps the cart cookie.
const cartCookieTTL = 30 * 24 * time.Hour

// Accounts gives the e-mail address of a signed-in buyer.
type Accounts interface {
	Email(c *fiber.Ctx, userID uuid.UUID) (string, error)
}

// Routes registers buying's endpoints on r, the /api/v1 group (auth
// middleware and CSRF before them). "Anyone" means guests too: a guest is
// known by the cart cookie, which the first cart write sets.
//
//	GET    /cart                                anyone: their own cart, priced now (?ship_to=province)
//	POST   /cart/items                          anyone: add a variant
//	PATCH  /cart/items/{line}                   anyone: a line of their own cart
//	DELETE /cart/items/{line}                   anyone: a line of their own cart
//	POST   /checkout                            anyone with a cart; Idempotency-Key required
//	GET    /orders                              signed in: their own orders
//	GET    /orders/lookup?number=&phone=        public: an order by its number and phone
//	GET    /orders/{id}                         its buyer (user, or the guest's browser), admins; others 404
//	GET    /sub-orders/{id}                     its buyer, the cooperative's members, staff of its province, admins; others 404
//	POST   /sub-orders/{id}/moves               as the state machine allows each of those (see moves)
//	GET    /cooperatives/{coop}/sub-orders      the cooperative's members, admins
//	GET    /cooperatives/{coop}/shipping        public: the cooperative's shipping fees
//	PUT    /cooperatives/{coop}/shipping        the cooperative's managers, admins
//	GET    /me/addresses                        signed in: their address book (filled by their checkouts)
//	DELETE /me/addresses/{id}                   signed in: one of their own
func Routes(r fiber.Router, s *Service, cookies auth.Cookies, accounts Accounts, coops CoopResolver) {
	h := handler{s: s, secure: cookies.Secure, accounts: accounts, coops: coops}
	member := auth.Require(auth.CoopMember("coop"), auth.RoleAdmin)
	manager := auth.Require(auth.CoopMember("coop", auth.RoleCoopManager), auth.RoleAdmin)

	r.Get("/cart", h.cart)
	r.Post("/cart/items", h.addItem)
	r.Patch("/cart/items/:line", h.setQuantity)
	r.Delete("/cart/items/:line", h.removeItem)
	r.Post("/checkout", h.checkout)
	r.Get("/orders", auth.RequireUser(), h.list)
	r.Get("/orders/lookup", h.lookup)
	r.Get("/orders/:id", h.get)
	r.Get("/sub-orders/:id", h.subOrder)
	r.Post("/sub-orders/:id/moves", h.move)
	r.Get("/cooperatives/:coop/sub-orders", member, h.coopSubOrders)
	r.Get("/cooperatives/:coop/shipping", h.shipping)
	r.Put("/cooperatives/:coop/shipping", manager, h.setShipping)
	r.Get("/me/addresses", auth.RequireUser(), h.addresses)
	r.Delete("/me/addresses/:id", auth.RequireUser(), h.forgetAddress)
}

func (h handler) addresses(c *fiber.Ctx) error {
	list, err := h.s.Addresses(c.UserContext(), auth.Current(c).UserID)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(fiber.Map{"items": list})
}

func (h handler) forgetAddress(c *fiber.Ctx) error {
	id, err := uuid.Parse(c.Params("id"))
	if err != nil {
		return ErrAddressNotFound
	}
	if err := h.s.ForgetAddress(c.UserContext(), auth.Current(c).UserID, id); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}

// CoopResolver turns a cooperative's ID or slug into its ID.
type CoopResolver interface {
	CoopID(c *fiber.Ctx, idOrSlug string) (uuid.UUID, error)
}

type handler struct {
	s        *Service
	secure   bool
	accounts Accounts
	coops    CoopResolver
}

// guestHash is the hash of the request's cart cookie, nil without one.
func guestHash(c *fiber.Ctx) []byte {
	return HashCartToken(c.Cookies(CartCookie))
}

// HashCartToken is the stored form of a cart cookie's token, nil for a
// token that cannot be one.
func HashCartToken(tok string) []byte {
	if len(tok) < 20 || len(tok) > 100 {
		return nil
	}
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// shopper is the caller as a buyer. A signed-in caller whose browser still
// holds a guest cart gets it merged into theirs first. With create, a guest
// without a cart cookie is given one.
func (h handler) shopper(c *fiber.Ctx, create bool) (Shopper, error) {
	if p := auth.Current(c); p != nil {
		if g := guestHash(c); g != nil {
			if _, err := h.s.MergeGuestCart(c.UserContext(), p.UserID, g); err != nil {
				return Shopper{}, err
			}
			h.clearCookie(c)
		}
		id := p.UserID
		return Shopper{UserID: &id}, nil
	}
	if g := guestHash(c); g != nil {
		return Shopper{GuestHash: g}, nil
	}
	if !create {
		return Shopper{}, nil
	}
	var b [32]byte
	_, _ = rand.Read(b[:])
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	c.Cookie(&fiber.Cookie{Name: CartCookie, Value: tok, Path: "/", Expires: time.Now().Add(cartCookieTTL),
		Secure: h.secure, HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode})
	sum := sha256.Sum256([]byte(tok))
	return Shopper{GuestHash: sum[:]}, nil
}

func (h handler) clearCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: CartCookie, Value: "", Path: "/", Expires: time.Unix(0, 0),
		Secure: h.secure, HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode})
}

func actorOf(c *fiber.Ctx) Actor {
	return Actor{Principal: auth.Current(c), GuestHash: guestHash(c)}
}

func noStore(c *fiber.Ctx) { c.Set(fiber.HeaderCacheControl, "no-store") }

func (h handler) cart(c *fiber.Ctx) error {
	sh, err := h.shopper(c, false)
	if err != nil {
		return err
	}
	noStore(c)
	if !sh.valid() {
		return c.JSON(Cart{Lines: []CartLine{}, Groups: []CartGroup{}, Problems: []string{}})
	}
	cart, err := h.s.Cart(c.UserContext(), sh, c.Query("ship_to"))
	if err != nil {
		return err
	}
	return c.JSON(cart)
}

func (h handler) addItem(c *fiber.Ctx) error {
	var in AddItem
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	sh, err := h.shopper(c, true)
	if err != nil {
		return err
	}
	cart, err := h.s.AddItem(c.UserContext(), sh, in)
	if err != nil {
		return err
	}
	noStore(c)
	return c.Status(http.StatusCreated).JSON(cart)
}

// ownLine is the cart line named in the path and the shopper whose cart
// must hold it; a caller without a cart has no line to change.
func (h handler) ownLine(c *fiber.Ctx) (Shopper, uuid.UUID, error) {
	id, err := uuid.Parse(c.Params("line"))
	if err != nil {
		return Shopper{}, uuid.Nil, ErrLineNotFound
	}
	sh, err := h.shopper(c, false)
	if err != nil {
		return Shopper{}, uuid.Nil, err
	}
	if !sh.valid() {
		return Shopper{}, uuid.Nil, ErrLineNotFound
	}
	return sh, id, nil
}

func (h handler) setQuantity(c *fiber.Ctx) error {
	var in SetQuantity
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	sh, id, err := h.ownLine(c)
	if err != nil {
		return err
	}
	cart, err := h.s.SetQuantity(c.UserContext(), sh, id, in.Quantity)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(cart)
}

func (h handler) removeItem(c *fiber.Ctx) error {
	sh, id, err := h.ownLine(c)
	if err != nil {
		return err
	}
	cart, err := h.s.RemoveItem(c.UserContext(), sh, id)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(cart)
}

func (h handler) checkout(c *fiber.Ctx) error {
	var in Checkout
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	sh, err := h.shopper(c, false)
	if err != nil {
		return err
	}
	if !sh.valid() {
		return ErrCartEmpty
	}
	email := ""
	if sh.UserID != nil && h.accounts != nil {
		if email, err = h.accounts.Email(c, *sh.UserID); err != nil {
			return err
		}
	}
	res, err := h.s.Checkout(c.UserContext(), sh, email, c.Get("Idempotency-Key"), in)
	if err != nil {
		return err
	}
	noStore(c)
	if res.Replay != nil {
		c.Set("Idempotent-Replayed", "true")
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Status(http.StatusCreated).Send(res.Replay)
	}
	c.Location("/api/v1/orders/" + res.Order.ID.String())
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Status(http.StatusCreated).Send(res.Body)
}

func (h handler) list(c *fiber.Ctx) error {
	var v web.ValidationError
	limit := web.PageLimit(c, &v)
	if err := v.Err(); err != nil {
		return err
	}
	page, err := h.s.List(c.UserContext(), auth.Current(c).UserID, c.Query("cursor"), limit)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(page)
}

func (h handler) lookup(c *fiber.Ctx) error {
	o, err := h.s.Lookup(c.UserContext(), c.Query("number"), c.Query("phone"))
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(o)
}

func pathID(c *fiber.Ctx) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Params("id"))
	if err != nil {
		return uuid.Nil, ErrNotFound
	}
	return id, nil
}

func (h handler) get(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	o, err := h.s.Get(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(o)
}

// subOrderView is a sub-order with where it goes, for the cooperative's
// board and packing slip.
type subOrderView struct {
	SubOrder
	PaymentMethod   string  `json:"payment_method"`
	PaymentStatus   string  `json:"payment_status"`
	ShippingAddress Address `json:"shipping_address"`
	ProvinceName    string  `json:"province_name"`
	Note            string  `json:"note"`
}

func (h handler) subOrder(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	so, o, err := h.s.SubOrder(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(subOrderView{SubOrder: so, PaymentMethod: o.PaymentMethod, PaymentStatus: o.PaymentStatus,
		ShippingAddress: o.ShippingAddress, ProvinceName: o.ProvinceName, Note: o.Note})
}

func (h handler) move(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var m Move
	if err := web.DecodeJSON(c, &m); err != nil {
		return err
	}
	if _, ok := statusRank[m.To]; !ok {
		return &web.ValidationError{Fields: []web.FieldError{{Field: "to", Message: "trạng thái không hợp lệ"}}}
	}
	so, err := h.s.Move(c.UserContext(), actorOf(c), id, m)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(so)
}

func (h handler) coopSubOrders(c *fiber.Ctx) error {
	coop, err := h.coops.CoopID(c, c.Params("coop"))
	if err != nil {
		return err
	}
	var v web.ValidationError
	limit := web.PageLimit(c, &v)
	if err := v.Err(); err != nil {
		return err
	}
	page, err := h.s.CoopSubOrders(c.UserContext(), auth.Current(c), coop, Status(c.Query("status")), c.Query("cursor"), limit)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(page)
}

func (h handler) shipping(c *fiber.Ctx) error {
	coop, err := h.coops.CoopID(c, c.Params("coop"))
	if err != nil {
		return err
	}
	r, err := h.s.Shipping(c.UserContext(), coop)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (h handler) setShipping(c *fiber.Ctx) error {
	coop, err := h.coops.CoopID(c, c.Params("coop"))
	if err != nil {
		return err
	}
	var in ShippingRules
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	r, err := h.s.SetShipping(c.UserContext(), coop, in)
	if err != nil {
		return err
	}
	return c.JSON(r)
}
