package cooperative

import (
	"bytes"
	_ "embed"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/csvx"
	"htxmarket/internal/platform/web"
)

// OpenAPI is this capability's fragment of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Routes registers the cooperative endpoints on r, the /api/v1 group, which
// runs auth.Middleware and auth.CSRF before them. {coop} is an ID or slug.
//
//	GET    /cooperatives                          public: directory of verified cooperatives
//	POST   /cooperatives                          signed in: register one, becoming its manager
//	GET    /cooperatives/export.csv               public: open-data export
//	GET    /cooperatives/export.json              public: open-data export
//	GET    /cooperatives/mine                     signed in: my cooperatives and my role in each
//	GET    /cooperatives/review                   trade staff (own province), admin: verification queue
//	GET    /cooperatives/{coop}                   public: storefront of a verified cooperative
//	PATCH  /cooperatives/{coop}                   manager: edit the profile; resubmits a rejected one
//	DELETE /cooperatives/{coop}/pending-changes   manager: withdraw identity changes waiting for review
//	GET    /cooperatives/{coop}/registration      members, trade staff of its province, admin: full record
//	POST   /cooperatives/{coop}/verify            trade staff of its province, admin
//	POST   /cooperatives/{coop}/reject            trade staff of its province, admin: with a reason
//	GET    /cooperatives/{coop}/members           members, admin
//	POST   /cooperatives/{coop}/members           manager: invite a member by e-mail or phone
//	PATCH  /cooperatives/{coop}/members/{user}    manager: change a member's role
//	DELETE /cooperatives/{coop}/members/{user}    manager, or the member leaving
//	GET    /cooperatives/{coop}/delegates         members, admin
//	POST   /cooperatives/{coop}/delegates         manager: invite trade staff to manage listings
//	DELETE /cooperatives/{coop}/delegates/{user}  manager, or the delegate stepping down
//	GET    /cooperatives/{coop}/invitations       manager: unanswered invitations
//	DELETE /cooperatives/{coop}/invitations/{id}  manager: withdraw one
//	GET    /me/invitations                        signed in: invitations to me
//	POST   /me/invitations/{id}/accept            the person invited
//	POST   /me/invitations/{id}/decline           the person invited
func Routes(r fiber.Router, s *Service) {
	h := handler{s: s}
	manager := auth.Require(auth.CoopMember("coop", auth.RoleCoopManager))
	memberOrAdmin := auth.Require(auth.CoopMember("coop"), auth.RoleAdmin)
	reviewer := auth.Require(auth.RoleTradeStaff, auth.RoleAdmin)

	r.Get("/cooperatives", h.directory)
	r.Post("/cooperatives", auth.RequireUser(), h.register)
	r.Get("/cooperatives/export.csv", h.exportCSV)
	r.Get("/cooperatives/export.json", h.exportJSON)
	r.Get("/cooperatives/mine", auth.RequireUser(), h.mine)
	r.Get("/cooperatives/review", reviewer, h.reviewQueue)
	r.Get("/cooperatives/:coop", h.storefront)
	r.Patch("/cooperatives/:coop", manager, h.update)
	r.Delete("/cooperatives/:coop/pending-changes", manager, h.withdrawChanges)
	r.Get("/cooperatives/:coop/registration", auth.Require(auth.CoopMember("coop"), auth.RoleTradeStaff, auth.RoleAdmin), h.registration)
	r.Post("/cooperatives/:coop/verify", reviewer, h.verify)
	r.Post("/cooperatives/:coop/reject", reviewer, h.reject)
	r.Get("/cooperatives/:coop/members", memberOrAdmin, h.members)
	r.Post("/cooperatives/:coop/members", manager, h.addMember)
	r.Patch("/cooperatives/:coop/members/:user", manager, h.changeRole)
	r.Delete("/cooperatives/:coop/members/:user", auth.Require(auth.CoopMember("coop", auth.RoleCoopManager, auth.RoleCoopStaff)), h.removeMember)
	r.Get("/cooperatives/:coop/delegates", memberOrAdmin, h.delegates)
	r.Post("/cooperatives/:coop/delegates", manager, h.grantDelegate)
	r.Delete("/cooperatives/:coop/delegates/:user", auth.Require(auth.CoopMember("coop", auth.RoleCoopManager, auth.RoleCoopDelegate)), h.revokeDelegate)
	r.Get("/cooperatives/:coop/invitations", manager, h.invitations)
	r.Delete("/cooperatives/:coop/invitations/:id", manager, h.cancelInvitation)
	r.Get("/me/invitations", auth.RequireUser(), h.myInvitations)
	r.Post("/me/invitations/:id/accept", auth.RequireUser(), h.answerInvitation(true))
	r.Post("/me/invitations/:id/decline", auth.RequireUser(), h.answerInvitation(false))
}

type handler struct{ s *Service }

func actor(c *fiber.Ctx) Actor { return Actor{Principal: auth.Current(c), IP: web.ClientIP(c)} }

// nextCursor is the JSON value of a next page's cursor: null on the last.
func nextCursor(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (h handler) directory(c *fiber.Ctx) error {
	var v web.ValidationError
	f := DirectoryFilter{Province: c.Query("province"), Group: c.Query("group"), Query: c.Query("q"),
		Cursor: c.Query("cursor"), Limit: web.PageLimit(c, &v)}
	if err := v.Err(); err != nil {
		return err
	}
	items, next, err := h.s.Directory(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": items, "next_cursor": nextCursor(next)})
}

func (h handler) register(c *fiber.Ctx) error {
	var in Registration
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	coop, err := h.s.Register(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	c.Location("/api/v1/cooperatives/" + coop.ID.String() + "/registration")
	return c.Status(fiber.StatusCreated).JSON(coop)
}

// exportColumns are the CSV export's header.
var exportColumns = []string{"name", "slug", "registration_number", "province", "province_name",
	"product_groups", "product_count", "ocop_product_count"}

func (h handler) exportCSV(c *fiber.Ctx) error {
	rows, err := h.s.Export(c.UserContext())
	if err != nil {
		return err
	}
	// Text a spreadsheet would run as a formula is neutralised (csvx); the
	// counts stay numbers.
	var buf bytes.Buffer
	w := csvx.NewWriter(&buf, csvx.Options{Numbers: []int{6, 7}})
	_ = w.Write(exportColumns)
	for _, r := range rows {
		_ = w.Write([]string{r.Name, r.Slug, r.RegistrationNumber, r.Province, r.ProvinceName,
			strings.Join(r.ProductGroups, ";"), strconv.Itoa(r.ProductCount), strconv.Itoa(r.OCOPProductCount)})
	}
	if err := w.Flush(); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="htx-market-cooperatives.csv"`)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(buf.Bytes())
}

func (h handler) exportJSON(c *fiber.Ctx) error {
	rows, err := h.s.Export(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.JSON(fiber.Map{"items": rows})
}

func (h handler) mine(c *fiber.Ctx) error {
	items, err := h.s.Mine(c.UserContext(), auth.Current(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": items})
}

func (h handler) reviewQueue(c *fiber.Ctx) error {
	var v web.ValidationError
	f := ReviewFilter{Status: Status(c.Query("status")), Province: c.Query("province"), Limit: web.PageLimit(c, &v)}
	if cur := c.Query("cursor"); cur != "" {
		id, err := uuid.Parse(cur)
		v.Check(err == nil, "cursor", "con trỏ trang không hợp lệ")
		f.After = id
	}
	if err := v.Err(); err != nil {
		return err
	}
	items, err := h.s.ReviewQueue(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	next := ""
	if len(items) == web.PageSize(f.Limit) {
		next = items[len(items)-1].ID.String()
	}
	return c.JSON(fiber.Map{"items": items, "next_cursor": nextCursor(next)})
}

func (h handler) storefront(c *fiber.Ctx) error {
	sf, err := h.s.Storefront(c.UserContext(), c.Params("coop"))
	if err != nil {
		return err
	}
	return c.JSON(sf)
}

func (h handler) update(c *fiber.Ctx) error {
	var in Profile
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	coop, err := h.s.Update(c.UserContext(), actor(c), c.Params("coop"), in)
	if err != nil {
		return err
	}
	return c.JSON(coop)
}

func (h handler) withdrawChanges(c *fiber.Ctx) error {
	coop, err := h.s.WithdrawChanges(c.UserContext(), actor(c), c.Params("coop"))
	if err != nil {
		return err
	}
	return c.JSON(coop)
}

func (h handler) registration(c *fiber.Ctx) error {
	coop, err := h.s.Registration(c.UserContext(), actor(c), c.Params("coop"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(coop)
}

func (h handler) verify(c *fiber.Ctx) error {
	coop, err := h.s.Verify(c.UserContext(), actor(c), c.Params("coop"))
	if err != nil {
		return err
	}
	return c.JSON(coop)
}

func (h handler) reject(c *fiber.Ctx) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	coop, err := h.s.Reject(c.UserContext(), actor(c), c.Params("coop"), in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(coop)
}

func (h handler) members(c *fiber.Ctx) error {
	items, err := h.s.Members(c.UserContext(), actor(c), c.Params("coop"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": items})
}

// loginInput names a person by e-mail address or phone number.
type loginInput struct {
	Login string    `json:"login"`
	Role  auth.Role `json:"role"`
}

func (h handler) addMember(c *fiber.Ctx) error {
	var in loginInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	inv, err := h.s.InviteMember(c.UserContext(), actor(c), c.Params("coop"), in.Login, in.Role)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(inv)
}

func (h handler) changeRole(c *fiber.Ctx) error {
	user, err := userParam(c, ErrNotMember)
	if err != nil {
		return err
	}
	var in struct {
		Role auth.Role `json:"role"`
	}
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	m, err := h.s.ChangeRole(c.UserContext(), actor(c), c.Params("coop"), user, in.Role)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

// userParam reads the :user path parameter; a malformed ID names nobody.
func userParam(c *fiber.Ctx, notFound error) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Params("user"))
	if err != nil {
		return uuid.Nil, notFound
	}
	return id, nil
}

func (h handler) removeMember(c *fiber.Ctx) error {
	user, err := userParam(c, ErrNotMember)
	if err != nil {
		return err
	}
	a := actor(c)
	if user == a.UserID() {
		err = h.s.Leave(c.UserContext(), a, c.Params("coop"))
	} else {
		err = h.s.RemoveMember(c.UserContext(), a, c.Params("coop"), user)
	}
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h handler) delegates(c *fiber.Ctx) error {
	items, err := h.s.Delegates(c.UserContext(), actor(c), c.Params("coop"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": items})
}

func (h handler) grantDelegate(c *fiber.Ctx) error {
	var in struct {
		Login string `json:"login"`
	}
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	inv, err := h.s.InviteDelegate(c.UserContext(), actor(c), c.Params("coop"), in.Login)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(inv)
}

func (h handler) invitations(c *fiber.Ctx) error {
	items, err := h.s.Invitations(c.UserContext(), actor(c), c.Params("coop"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"items": items})
}

// invitationParam reads the :id path parameter; a malformed ID names no
// invitation.
func invitationParam(c *fiber.Ctx) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Params("id"))
	if err != nil {
		return uuid.Nil, ErrInvitationNotFound
	}
	return id, nil
}

func (h handler) cancelInvitation(c *fiber.Ctx) error {
	id, err := invitationParam(c)
	if err != nil {
		return err
	}
	if err := h.s.CancelInvitation(c.UserContext(), actor(c), c.Params("coop"), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h handler) myInvitations(c *fiber.Ctx) error {
	items, err := h.s.MyInvitations(c.UserContext(), auth.Current(c).UserID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"items": items})
}

func (h handler) answerInvitation(accept bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := invitationParam(c)
		if err != nil {
			return err
		}
		if err := h.s.AnswerInvitation(c.UserContext(), actor(c), id, accept); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

func (h handler) revokeDelegate(c *fiber.Ctx) error {
	user, err := userParam(c, ErrNotDelegate)
	if err != nil {
		return err
	}
	if err := h.s.RevokeDelegate(c.UserContext(), actor(c), c.Params("coop"), user); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
