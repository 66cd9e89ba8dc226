package sourcing

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// Accounts gives the e-mail address of a signed-in user (for the order
// an acceptance places).
type Accounts interface {
	Email(c *fiber.Ctx, userID uuid.UUID) (string, error)
}

// Routes registers sourcing's endpoints on r, the /api/v1 group.
//
//	GET  /sourcing/units                                  public: the units requests and offers use
//	GET  /sourcing/board                                  public: live requests open to every cooperative
//	POST /sourcing/requests                               wholesalers, admins
//	GET  /sourcing/requests                               signed in: their own requests
//	GET  /sourcing/requests/{id}                          its buyer, admins; anyone while live and open to all;
//	                                                      members of matched or invited cooperatives; others 404
//	GET  /sourcing/requests/{id}/matches                  its buyer, admins (others who see it 403)
//	POST /sourcing/requests/{id}/close                    its buyer, admins
//	GET  /sourcing/requests/{id}/quotes                   its buyer and admins all; a cooperative's members its own only
//	POST /sourcing/requests/{id}/quotes                   managers and staff of the body's cooperative
//	POST /sourcing/requests/{id}/accept                   its buyer; Idempotency-Key required
//	POST /sourcing/offers                                 managers and staff of the body's cooperative
//	GET  /sourcing/offers?cooperative=                    public: active offers of verified cooperatives
//	GET  /sourcing/cooperatives/{coop}/offers             the cooperative's members, admins: all its offers
//	POST /sourcing/cooperatives/{coop}/offers/{id}/withdraw  the cooperative's managers and staff, admins
//	GET  /sourcing/cooperatives/{coop}/inbox              the cooperative's members, admins
func Routes(r fiber.Router, s *Service, accounts Accounts, coops CoopResolver) {
	h := handler{s: s, accounts: accounts, coops: coops}
	signedIn := auth.RequireUser()
	member := auth.Require(auth.CoopMember("coop"), auth.RoleAdmin)
	worker := auth.Require(auth.CoopMember("coop", auth.RoleCoopManager, auth.RoleCoopStaff), auth.RoleAdmin)
	g := r.Group("/sourcing")
	g.Get("/units", h.units)
	g.Get("/board", h.board)
	g.Post("/requests", auth.Require(auth.RoleWholesaler, auth.RoleAdmin), h.createRequest)
	g.Get("/requests", signedIn, h.mine)
	g.Get("/requests/:id", h.get)
	g.Get("/requests/:id/matches", signedIn, h.matches)
	g.Post("/requests/:id/close", signedIn, h.close)
	g.Get("/requests/:id/quotes", signedIn, h.quotes)
	g.Post("/requests/:id/quotes", signedIn, h.submitQuote)
	g.Post("/requests/:id/accept", signedIn, h.accept)
	g.Post("/offers", signedIn, h.createOffer)
	g.Get("/offers", h.offers)
	g.Get("/cooperatives/:coop/offers", member, h.coopOffers)
	g.Post("/cooperatives/:coop/offers/:id/withdraw", worker, h.withdraw)
	g.Get("/cooperatives/:coop/inbox", member, h.inbox)
}

// CoopResolver turns a cooperative's ID or slug into its ID.
type CoopResolver interface {
	CoopID(c *fiber.Ctx, idOrSlug string) (uuid.UUID, error)
}

type handler struct {
	s        *Service
	accounts Accounts
	coops    CoopResolver
}

// viewer describes the caller (zero for anonymous callers).
func viewer(c *fiber.Ctx) Viewer {
	p := auth.Current(c)
	if p == nil {
		return Viewer{}
	}
	vw := Viewer{UserID: p.UserID, Admin: p.Has(auth.RoleAdmin)}
	for _, m := range p.Memberships {
		if m.Grants(auth.RoleCoopManager, auth.RoleCoopStaff) {
			vw.Coops = append(vw.Coops, m.CooperativeID)
		}
	}
	return vw
}

// actingFor returns the cooperative the caller acts for: one where they
// are manager or staff. Not a member: 404, as for the cooperative's own
// routes.
func actingFor(c *fiber.Ctx, coop string) (uuid.UUID, error) {
	m, ok := auth.Current(c).Membership(coop)
	if !ok {
		return uuid.Nil, auth.ErrNotFound
	}
	if !m.Grants(auth.RoleCoopManager, auth.RoleCoopStaff) {
		return uuid.Nil, auth.ErrForbidden
	}
	return m.CooperativeID, nil
}

func idParam(c *fiber.Ctx, name string, notFound error) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Params(name))
	if err != nil {
		return uuid.Nil, notFound
	}
	return id, nil
}

func page(c *fiber.Ctx) (Page, error) {
	var v web.ValidationError
	num := func(name string) int {
		raw := c.Query(name)
		if raw == "" {
			return 0
		}
		n, err := strconv.Atoi(raw)
		v.Check(err == nil && n >= 1, name, "phải là số nguyên dương")
		return n
	}
	p := Page{Page: num("page"), PerPage: num("per_page")}
	return p, v.Err()
}

func (h handler) units(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"units": Units()})
}

func (h handler) board(c *fiber.Ctx) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	items, err := h.s.Board(c.UserContext(), p)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": items})
}

func (h handler) createRequest(c *fiber.Ctx) error {
	var in NewRequest
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	r, err := h.s.CreateRequest(c.UserContext(), auth.Current(c).UserID, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

func (h handler) mine(c *fiber.Ctx) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	items, err := h.s.Mine(c.UserContext(), auth.Current(c).UserID, p)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": items})
}

func (h handler) get(c *fiber.Ctx) error {
	id, err := idParam(c, "id", ErrRequestNotFound)
	if err != nil {
		return err
	}
	r, err := h.s.Get(c.UserContext(), viewer(c), id)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (h handler) matches(c *fiber.Ctx) error {
	id, err := idParam(c, "id", ErrRequestNotFound)
	if err != nil {
		return err
	}
	m, err := h.s.Matches(c.UserContext(), viewer(c), id)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

func (h handler) close(c *fiber.Ctx) error {
	id, err := idParam(c, "id", ErrRequestNotFound)
	if err != nil {
		return err
	}
	r, err := h.s.Close(c.UserContext(), viewer(c), id)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (h handler) quotes(c *fiber.Ctx) error {
	id, err := idParam(c, "id", ErrRequestNotFound)
	if err != nil {
		return err
	}
	qs, err := h.s.Quotes(c.UserContext(), viewer(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": qs})
}

func (h handler) submitQuote(c *fiber.Ctx) error {
	id, err := idParam(c, "id", ErrRequestNotFound)
	if err != nil {
		return err
	}
	var in NewQuote
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	coop, err := actingFor(c, in.Cooperative)
	if err != nil {
		return err
	}
	q, err := h.s.SubmitQuote(c.UserContext(), viewer(c), coop, id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(q)
}

func (h handler) accept(c *fiber.Ctx) error {
	id, err := idParam(c, "id", ErrRequestNotFound)
	if err != nil {
		return err
	}
	var in Accept
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	vw := viewer(c)
	if vw.Email, err = h.accounts.Email(c, vw.UserID); err != nil {
		return err
	}
	a, err := h.s.AcceptQuotes(c.UserContext(), vw, id, c.Get("Idempotency-Key"), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(a)
}

func (h handler) createOffer(c *fiber.Ctx) error {
	var in NewOffer
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	coop, err := actingFor(c, in.Cooperative)
	if err != nil {
		return err
	}
	o, err := h.s.CreateOffer(c.UserContext(), coop, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(o)
}

func (h handler) offers(c *fiber.Ctx) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	var coop *uuid.UUID
	if key := c.Query("cooperative"); key != "" {
		id, err := h.coops.CoopID(c, key)
		if err != nil {
			return err
		}
		coop = &id
	}
	items, err := h.s.Offers(c.UserContext(), coop, false, p)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": items})
}

func (h handler) coopOffers(c *fiber.Ctx) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	id, err := h.coops.CoopID(c, c.Params("coop"))
	if err != nil {
		return err
	}
	items, err := h.s.Offers(c.UserContext(), &id, true, p)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": items})
}

func (h handler) withdraw(c *fiber.Ctx) error {
	coop, err := h.coops.CoopID(c, c.Params("coop"))
	if err != nil {
		return err
	}
	id, err := idParam(c, "id", ErrOfferNotFound)
	if err != nil {
		return err
	}
	if err := h.s.WithdrawOffer(c.UserContext(), coop, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h handler) inbox(c *fiber.Ctx) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	coop, err := h.coops.CoopID(c, c.Params("coop"))
	if err != nil {
		return err
	}
	items, err := h.s.Inbox(c.UserContext(), coop, p)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": items})
}
