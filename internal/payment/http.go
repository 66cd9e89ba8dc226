package payment

import (
	_ "embed"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"htxmarket/internal/order"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// OpenAPI is payment's part of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Coops resolves a cooperative named in a path to its ID and province.
type Coops interface {
	CoopRef(c *fiber.Ctx, idOrSlug string) (uuid.UUID, string, error)
}

// Routes registers payment's endpoints on r (/api/v1).
//
//	POST /orders/{id}/payments/card          the order's buyer: its Stripe PaymentIntent (created once)
//	GET  /orders/{id}/payments/bank          the order's buyer: a VietQR transfer per cooperative
//	POST /orders/{id}/refunds                admins, trade staff: refund a card order through Stripe (Idempotency-Key)
//	POST /sub-orders/{id}/transfers          the cooperative, staff of its province, admins: a transfer arrived (Idempotency-Key)
//	POST /sub-orders/{id}/balance            the cooperative, staff of its province, admins: the balance after a deposit was paid (idempotent)
//	POST /payments/stripe/webhook            Stripe (signature)
//	POST /payments/bank/webhook              a bank-reconciliation service (HMAC-SHA256)
//	GET  /cooperatives/{coop}/bank-account   members, admins
//	PUT  /cooperatives/{coop}/bank-account   managers, admins
//	GET  /cooperatives/{coop}/ledger         members, staff of its province, admins: balances
//	GET  /cooperatives/{coop}/statement.csv  members, staff of its province, admins (?from=&to= dates)
//	POST /cooperatives/{coop}/payouts        staff of its province, admins: a payout paid by bank transfer
func Routes(r fiber.Router, s *Service, coops Coops) {
	h := handler{s: s, coops: coops}
	member := auth.Require(auth.CoopMember("coop"), auth.RoleAdmin)
	manager := auth.Require(auth.CoopMember("coop", auth.RoleCoopManager), auth.RoleAdmin)
	books := auth.Require(auth.CoopMember("coop"), auth.RoleAdmin, auth.RoleTradeStaff) // staff's province checked below
	staff := auth.Require(auth.RoleAdmin, auth.RoleTradeStaff)

	r.Post("/orders/:id/payments/card", h.startCard)
	r.Get("/orders/:id/payments/bank", h.bankTransfers)
	r.Post("/orders/:id/refunds", staff, h.refund)
	r.Post("/sub-orders/:id/transfers", auth.RequireUser(), h.recordTransfer)
	r.Post("/sub-orders/:id/balance", auth.RequireUser(), h.recordBalance)
	r.Post("/payments/stripe/webhook", h.stripeWebhook)
	r.Post("/payments/bank/webhook", h.bankWebhook)
	r.Get("/cooperatives/:coop/bank-account", member, h.bankAccount)
	r.Put("/cooperatives/:coop/bank-account", manager, h.setBankAccount)
	r.Get("/cooperatives/:coop/ledger", books, h.balances)
	r.Get("/cooperatives/:coop/statement.csv", books, h.statement)
	r.Post("/cooperatives/:coop/payouts", staff, h.payout)
}

type handler struct {
	s     *Service
	coops Coops
}

func actorOf(c *fiber.Ctx) order.Actor {
	a := order.Actor{Principal: auth.Current(c)}
	if tok := c.Cookies(order.CartCookie); tok != "" {
		a.GuestHash = order.HashCartToken(tok)
	}
	return a
}

func pathID(c *fiber.Ctx) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Params("id"))
	if err != nil {
		return uuid.Nil, order.ErrNotFound
	}
	return id, nil
}

func (h handler) startCard(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, err := h.s.StartCard(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(p)
}

type bankView struct {
	Transfers       []BankTransfer `json:"transfers"`
	PaymentDeadline *time.Time     `json:"payment_deadline"`
}

func (h handler) bankTransfers(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ts, deadline, err := h.s.BankTransfers(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(bankView{Transfers: ts, PaymentDeadline: deadline})
}

type amountBody struct {
	AmountVND int64 `json:"amount_vnd"`
}

func (h handler) refund(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in amountBody
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	r, err := h.s.Refund(c.UserContext(), id, in.AmountVND, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return c.Status(http.StatusAccepted).JSON(fiber.Map{"refund_id": r.ID, "status": r.Status, "amount_vnd": r.AmountVND})
}

func (h handler) recordTransfer(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in amountBody
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	so, err := h.s.RecordTransfer(c.UserContext(), actorOf(c), id, in.AmountVND, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return c.JSON(so)
}

type balanceBody struct {
	Method string `json:"method"`
}

func (h handler) recordBalance(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in balanceBody
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	so, err := h.s.RecordBalance(c.UserContext(), actorOf(c), id, in.Method)
	if err != nil {
		return err
	}
	return c.JSON(so)
}

func (h handler) stripeWebhook(c *fiber.Ctx) error {
	outcome, err := h.s.ApplyStripe(c.UserContext(), c.Body(), c.Get("Stripe-Signature"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"received": true, "outcome": outcome})
}

func (h handler) bankWebhook(c *fiber.Ctx) error {
	res, err := h.s.ApplyBankNotification(c.UserContext(), c.Body(), c.Get("X-Signature"))
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (h handler) bankAccount(c *fiber.Ctx) error {
	id, _, err := h.coops.CoopRef(c, c.Params("coop"))
	if err != nil {
		return err
	}
	a, err := h.s.BankAccountOf(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(a)
}

func (h handler) setBankAccount(c *fiber.Ctx) error {
	id, _, err := h.coops.CoopRef(c, c.Params("coop"))
	if err != nil {
		return err
	}
	var in BankAccount
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	a, err := h.s.SetBankAccount(c.UserContext(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(a)
}

// booksOf resolves the path's cooperative and admits trade staff only of
// its province (members and admins passed the route's guard).
func (h handler) booksOf(c *fiber.Ctx) (uuid.UUID, error) {
	id, province, err := h.coops.CoopRef(c, c.Params("coop"))
	if err != nil {
		return uuid.Nil, err
	}
	p := auth.Current(c)
	if !p.MemberOf(id) && !p.Has(auth.RoleAdmin) && !p.StaffOf(province) {
		return uuid.Nil, auth.ErrForbidden
	}
	return id, nil
}

func (h handler) balances(c *fiber.Ctx) error {
	id, err := h.booksOf(c)
	if err != nil {
		return err
	}
	b, err := h.s.ledger.Balances(c.UserContext(), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(b)
}

func parseDay(c *fiber.Ctx, name string, def time.Time, v *web.ValidationError) time.Time {
	s := c.Query(name)
	if s == "" {
		return def
	}
	t, err := time.ParseInLocation(time.DateOnly, s, vietnam)
	v.Check(err == nil, name, "ngày phải có dạng YYYY-MM-DD")
	return t
}

// vietnam is the time zone statements are cut in (UTC+7, no daylight saving).
var vietnam = time.FixedZone("ICT", 7*60*60)

func (h handler) statement(c *fiber.Ctx) error {
	id, err := h.booksOf(c)
	if err != nil {
		return err
	}
	now := time.Now().In(vietnam)
	var v web.ValidationError
	from := parseDay(c, "from", time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, vietnam), &v)
	to := parseDay(c, "to", time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, vietnam), &v).AddDate(0, 0, 1)
	if err := v.Err(); err != nil {
		return err
	}
	if !from.Before(to) || to.Sub(from) > 400*24*time.Hour {
		return &web.ValidationError{Fields: []web.FieldError{{Field: "to", Message: "khoảng thời gian từ 1 ngày đến khoảng 13 tháng, to không trước from"}}}
	}
	lines, err := h.s.ledger.Statement(c.UserContext(), id, from, to)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="sao-ke-`+from.Format("20060102")+"-"+to.AddDate(0, 0, -1).Format("20060102")+`.csv"`)
	var b strings.Builder
	if err := h.s.ledger.WriteStatementCSV(&b, lines); err != nil {
		return err
	}
	return c.SendString(b.String())
}

type payoutBody struct {
	AmountVND int64  `json:"amount_vnd"`
	Reference string `json:"reference"`
	PaidOn    string `json:"paid_on"`
}

func (h handler) payout(c *fiber.Ctx) error {
	id, province, err := h.coops.CoopRef(c, c.Params("coop"))
	if err != nil {
		return err
	}
	p := auth.Current(c)
	if !p.Has(auth.RoleAdmin) && !p.StaffOf(province) {
		return auth.ErrForbidden
	}
	var in payoutBody
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	paid, err := time.ParseInLocation(time.DateOnly, in.PaidOn, vietnam)
	if err != nil {
		return &web.ValidationError{Fields: []web.FieldError{{Field: "paid_on", Message: "ngày chi trả phải có dạng YYYY-MM-DD"}}}
	}
	j, err := h.s.ledger.RecordPayout(c.UserContext(), id, in.AmountVND, in.Reference, paid, p.UserID)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(fiber.Map{"journal_id": j.ID, "amount_vnd": in.AmountVND, "reference": in.Reference})
}
