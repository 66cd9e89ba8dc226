package identity

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// Routes registers the account endpoints on r, the /api/v1 group, which
// runs auth.Middleware and auth.CSRF before them.
//
//	POST   /auth/register                 public: open an account and sign in
//	POST   /auth/login                    public: sign in
//	POST   /auth/logout                   anyone: end the current session
//	POST   /auth/password-reset           public: e-mail a one-time reset link
//	POST   /auth/password-reset/confirm   public: set a new password with the link's token
//	POST   /auth/login-link               public: e-mail a one-time sign-in link
//	POST   /auth/login-link/confirm       public: sign in with the link's token
//	GET    /me                            signed in: who am I, with roles and memberships
//	POST   /me/password                   signed in: change my password
//	GET    /admin/users                   admin: find accounts
//	GET    /admin/users/:id               admin: one account
//	PUT    /admin/users/:id/roles/:role   admin: grant a global role
//	DELETE /admin/users/:id/roles/:role   admin: revoke a global role
//	GET    /admin/audit-log               admin: the audit log
func Routes(r fiber.Router, s *Service, cookies auth.Cookies) {
	h := handler{s: s, cookies: cookies}
	r.Post("/auth/register", h.register)
	r.Post("/auth/login", withRetryAfter(h.login))
	r.Post("/auth/logout", h.logout)
	r.Post("/auth/password-reset", withRetryAfter(h.requestReset))
	r.Post("/auth/password-reset/confirm", withRetryAfter(h.confirmReset))
	r.Post("/auth/login-link", withRetryAfter(h.requestLoginLink))
	r.Post("/auth/login-link/confirm", withRetryAfter(h.loginWithLink))
	r.Get("/me", auth.RequireUser(), h.me)
	r.Post("/me/password", auth.RequireUser(), withRetryAfter(h.changePassword))

	admin := auth.Require(auth.RoleAdmin)
	r.Get("/admin/users", admin, h.listUsers)
	r.Get("/admin/users/:id", admin, h.getUser)
	r.Put("/admin/users/:id/roles/:role", admin, h.grantRole)
	r.Delete("/admin/users/:id/roles/:role", admin, h.revokeRole)
	r.Get("/admin/audit-log", admin, h.auditLog)
}

// DevRoutes registers GET /dev/mailbox, which shows the messages the
// development mailer stored, reset tokens and sign-in links included: only
// development servers mount it, and it answers only clients on the same
// machine (a loopback address, after trusted proxies); to anyone else it
// does not exist. A staging server reached over the network is not open to
// takeover by it.
func DevRoutes(r fiber.Router, s *Service) {
	r.Get("/dev/mailbox", func(c *fiber.Ctx) error {
		if ip, err := netip.ParseAddr(web.ClientIP(c)); err != nil || !ip.IsLoopback() {
			return fiber.ErrNotFound
		}
		ms, err := s.Mailbox(c.UserContext(), c.Query("to"))
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"items": ms})
	})
}

type handler struct {
	s       *Service
	cookies auth.Cookies
}

// withRetryAfter tells a client refused by an abuse limit when to try again.
func withRetryAfter(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		err := h(c)
		var le *LimitError
		if errors.As(err, &le) {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(le.RetryAfterSeconds()))
		}
		return err
	}
}

func caller(c *fiber.Ctx) Caller {
	// The User-Agent is kept with the session: as text the database takes.
	ua := strings.ToValidUTF8(strings.ReplaceAll(c.Get(fiber.HeaderUserAgent), "\x00", ""), "\uFFFD")
	cl := Caller{IP: web.ClientIP(c), UserAgent: ua}
	if p := auth.Current(c); p != nil {
		cl.UserID = p.UserID
	}
	return cl
}

// Clients: a browser gets a cookie, an API client the token in the body.
const (
	clientBrowser = "browser"
	clientAPI     = "api"
)

// decodeWithClient reads a log-in or registration body into in, whose
// client field is *client, and returns the kind of session it asks for.
func decodeWithClient(c *fiber.Ctx, in any, client *string) (string, error) {
	if err := web.DecodeJSON(c, in); err != nil {
		return "", err
	}
	switch *client {
	case "", clientBrowser:
		return KindCookie, nil
	case clientAPI:
		return KindBearer, nil
	}
	var v web.ValidationError
	v.Add("client", "phải là browser hoặc api")
	return "", v.Err()
}

type sessionResponse struct {
	User      User      `json:"user"`
	ExpiresAt time.Time `json:"expires_at"`
	CSRFToken string    `json:"csrf_token,omitempty"`
	Token     string    `json:"token,omitempty"`
}

// startSession answers a successful log-in or registration, ending the
// browser session the request came with, if any.
func (h handler) startSession(c *fiber.Ctx, status int, u User, ns NewSession, kind string) error {
	res := sessionResponse{User: u, ExpiresAt: ns.ExpiresAt}
	if kind == KindBearer {
		res.Token = ns.Token
	} else {
		if auth.ViaCookie(c) {
			if err := h.s.Logout(c.UserContext(), auth.Token(c)); err != nil {
				return err
			}
		}
		res.CSRFToken = h.cookies.Set(c, ns.Token, ns.ExpiresAt)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(res)
}

func (h handler) register(c *fiber.Ctx) error {
	var in struct {
		Email       string `json:"email"`
		Phone       string `json:"phone"`
		Password    string `json:"password"`
		FullName    string `json:"full_name"`
		AccountType string `json:"account_type"`
		CompanyName string `json:"company_name"`
		TaxCode     string `json:"tax_code"`
		Client      string `json:"client"`
	}
	kind, err := decodeWithClient(c, &in, &in.Client)
	if err != nil {
		return err
	}
	u, ns, err := h.s.Register(c.UserContext(), Registration{
		Email: in.Email, Phone: in.Phone, Password: in.Password, FullName: in.FullName,
		AccountType: auth.Role(in.AccountType), CompanyName: in.CompanyName, TaxCode: in.TaxCode,
	}, kind, caller(c))
	if err != nil {
		return err
	}
	return h.startSession(c, fiber.StatusCreated, u, ns, kind)
}

func (h handler) login(c *fiber.Ctx) error {
	var in struct {
		Login    string `json:"login"`
		Password string `json:"password"`
		Client   string `json:"client"`
	}
	kind, err := decodeWithClient(c, &in, &in.Client)
	if err != nil {
		return err
	}
	u, ns, err := h.s.Login(c.UserContext(), in.Login, in.Password, kind, caller(c))
	if err != nil {
		return err
	}
	return h.startSession(c, fiber.StatusOK, u, ns, kind)
}

func (h handler) logout(c *fiber.Ctx) error {
	if err := h.s.Logout(c.UserContext(), auth.Token(c)); err != nil {
		return err
	}
	if auth.Token(c) == "" || auth.ViaCookie(c) {
		h.cookies.Clear(c)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h handler) requestReset(c *fiber.Ctx) error {
	var in struct {
		Login string `json:"login"`
	}
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if err := h.s.RequestReset(c.UserContext(), in.Login, caller(c)); err != nil {
		return err
	}
	// An empty body: SendStatus would write the status text.
	c.Status(fiber.StatusAccepted)
	return nil
}

func (h handler) confirmReset(c *fiber.Ctx) error {
	var in struct {
		Token       string `json:"token"`
		NewPassword string `json:"new_password"`
	}
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if err := h.s.ResetPassword(c.UserContext(), in.Token, in.NewPassword, caller(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h handler) requestLoginLink(c *fiber.Ctx) error {
	var in struct {
		Login string `json:"login"`
	}
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if err := h.s.RequestLoginLink(c.UserContext(), in.Login, caller(c)); err != nil {
		return err
	}
	c.Status(fiber.StatusAccepted)
	return nil
}

func (h handler) loginWithLink(c *fiber.Ctx) error {
	var in struct {
		Token  string `json:"token"`
		Client string `json:"client"`
	}
	kind, err := decodeWithClient(c, &in, &in.Client)
	if err != nil {
		return err
	}
	u, ns, err := h.s.LoginWithLink(c.UserContext(), in.Token, kind, caller(c))
	if err != nil {
		return err
	}
	return h.startSession(c, fiber.StatusOK, u, ns, kind)
}

func (h handler) me(c *fiber.Ctx) error {
	u, err := h.s.User(c.UserContext(), auth.Current(c).UserID)
	if err != nil {
		return err
	}
	res := struct {
		User      User   `json:"user"`
		CSRFToken string `json:"csrf_token,omitempty"`
	}{User: u}
	if auth.ViaCookie(c) {
		res.CSRFToken = auth.CSRFToken(auth.Token(c))
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(res)
}

func (h handler) changePassword(c *fiber.Ctx) error {
	var in struct {
		CurrentPassword string `json:"current_password"`
		NewPassword     string `json:"new_password"`
	}
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	err := h.s.ChangePassword(c.UserContext(), auth.Current(c), in.CurrentPassword, in.NewPassword, caller(c))
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// userID reads the :id path parameter; a malformed ID names nobody.
func userID(c *fiber.Ctx) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Params("id"))
	if err != nil {
		return uuid.Nil, ErrUserNotFound
	}
	return id, nil
}

func (h handler) listUsers(c *fiber.Ctx) error {
	var v web.ValidationError
	f := UserFilter{Query: c.Query("q"), Role: auth.Role(c.Query("role")), Limit: web.PageLimit(c, &v)}
	if cur := c.Query("cursor"); cur != "" {
		id, err := uuid.Parse(cur)
		v.Check(err == nil, "cursor", "con trỏ trang không hợp lệ")
		f.After = id
	}
	if err := v.Err(); err != nil {
		return err
	}
	users, err := h.s.Users(c.UserContext(), f)
	if err != nil {
		return err
	}
	var next *string
	if len(users) == web.PageSize(f.Limit) {
		s := users[len(users)-1].ID.String()
		next = &s
	}
	return c.JSON(fiber.Map{"items": users, "next_cursor": next})
}

func (h handler) getUser(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	u, err := h.s.User(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (h handler) grantRole(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	var in struct {
		Province string `json:"province"`
	}
	if len(c.Body()) > 0 {
		if err := web.DecodeJSON(c, &in); err != nil {
			return err
		}
	}
	u, err := h.s.GrantRole(c.UserContext(), id, auth.Role(c.Params("role")), in.Province, caller(c))
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (h handler) revokeRole(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	u, err := h.s.RevokeRole(c.UserContext(), id, auth.Role(c.Params("role")), caller(c))
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (h handler) auditLog(c *fiber.Ctx) error {
	var v web.ValidationError
	f := AuditFilter{Action: c.Query("action"), Limit: web.PageLimit(c, &v)}
	if sub := c.Query("subject_id"); sub != "" {
		id, err := uuid.Parse(sub)
		v.Check(err == nil, "subject_id", "mã người dùng không hợp lệ")
		f.SubjectID = id
	}
	if cur := c.Query("cursor"); cur != "" {
		n, err := strconv.ParseInt(cur, 10, 64)
		v.Check(err == nil && n > 0, "cursor", "con trỏ trang không hợp lệ")
		f.Before = n
	}
	if err := v.Err(); err != nil {
		return err
	}
	entries, err := h.s.AuditLog(c.UserContext(), f)
	if err != nil {
		return err
	}
	var next *string
	if len(entries) == web.PageSize(f.Limit) {
		s := strconv.FormatInt(entries[len(entries)-1].ID, 10)
		next = &s
	}
	return c.JSON(fiber.Map{"items": entries, "next_cursor": next})
}
