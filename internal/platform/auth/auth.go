// Package auth is what every domain's routes use to know who is calling and
// to declare who may call them. It holds no business rules and imports no
// domain: the identity capability implements the small Sessions interface
// declared here.
//
// # Sessions
//
// A session is an opaque random token. Browsers carry it in the HttpOnly,
// SameSite=Lax cookie "htx_session"; API clients send it as
// "Authorization: Bearer <token>", which wins when both are present.
// Middleware resolves it once per request into a Principal; an unknown,
// expired or revoked token makes the request anonymous (and clears the
// cookie), so public routes still answer and guarded ones say 401.
//
// # CSRF
//
// Unsafe requests (POST, PUT, PATCH, DELETE) are refused with 403 when their
// Origin header, or failing that their Referer, names another origin than
// those given to CSRF: PUBLIC_ORIGIN (in development also the server's own
// port on localhost, 127.0.0.1 and [::1]). When such a request is
// authenticated by the session cookie it must also carry the header
// X-CSRF-Token equal to CSRFToken(session token), an HMAC keyed by the
// session token: the server hands it out in the login and /me responses and
// in the readable cookie "htx_csrf" (double submit), and another site can
// neither read it nor compute it. The two cookies are always set and
// cleared together, with the same expiry, so a client may read "htx_csrf"
// as "a session cookie is present". Bearer requests are exempt: a browser
// never attaches that header on its own.
//
// # Authorization
//
// Each route declares who may call it with Require and a list of rules, any
// one of which grants access: a global Role (consumer, wholesaler,
// trade_staff, admin; coop_manager and coop_staff match a member of any
// cooperative), CoopMember for the cooperative named in the path, and
// ProvinceStaff for the province named in the path. A refusal is:
//
//   - 401 for an anonymous caller, whatever the rules;
//   - 404 for a signed-in caller that a CoopMember rule refused because it
//     is not a member of that cooperative at all, so that the existence of
//     a cooperative's private resources is not revealed to outsiders;
//   - 403 otherwise (a member without the needed role, a role not allowed,
//     trade staff of another province).
//
// # Delegation
//
// A cooperative's manager may delegate the management of its listings to a
// trade staff member (assisted selling). The delegation appears among the
// staff member's memberships with the role coop_delegate, which has the
// rights of coop_staff in that one cooperative: CoopMember and MemberOf
// asking for coop_staff grant it, and a route that must not admit delegates
// asks for coop_manager or lists its roles without coop_staff.
//
// The same rule applies to every route; authtest checks it route by route.
package auth

import (
	"context"
	"errors"
	"slices"

	"github.com/google/uuid"
)

// Role is what a user may do. Role values are also Rules: Require(RoleAdmin).
type Role string

// The roles of HTX Market.
const (
	RoleConsumer    Role = "consumer"
	RoleWholesaler  Role = "wholesaler"   // a business buyer
	RoleCoopManager Role = "coop_manager" // manages one cooperative (per membership)
	RoleCoopStaff   Role = "coop_staff"   // works for one cooperative (per membership)
	RoleTradeStaff  Role = "trade_staff"  // provincial or national trade promotion staff
	// RoleCoopDelegate is trade staff acting for one cooperative by
	// delegation, with the rights of coop_staff there (per membership).
	RoleCoopDelegate Role = "coop_delegate"
	RoleAdmin        Role = "admin"
)

// GlobalRoles are held by a user directly; the others through memberships.
var GlobalRoles = []Role{RoleConsumer, RoleWholesaler, RoleTradeStaff, RoleAdmin}

// CoopRoles are held in a cooperative.
var CoopRoles = []Role{RoleCoopManager, RoleCoopStaff, RoleCoopDelegate}

// Global reports whether r is held by a user rather than in a cooperative.
func (r Role) Global() bool { return slices.Contains(GlobalRoles, r) }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.Global() || slices.Contains(CoopRoles, r) }

// Membership is a user's role in one cooperative.
type Membership struct {
	CooperativeID   uuid.UUID `json:"cooperative_id"`
	CooperativeSlug string    `json:"cooperative_slug"`
	CooperativeName string    `json:"cooperative_name"`
	Role            Role      `json:"role"`
}

// Principal is the signed-in user behind a request.
type Principal struct {
	UserID    uuid.UUID
	SessionID uuid.UUID
	Roles     []Role
	// Province scopes a trade_staff role: a province slug, or "" for
	// national staff.
	Province    string
	Memberships []Membership
}

// Has reports whether p holds the global role r, or for a cooperative role,
// holds it in any cooperative.
func (p *Principal) Has(r Role) bool {
	if p == nil {
		return false
	}
	if slices.Contains(p.Roles, r) {
		return true
	}
	for _, m := range p.Memberships {
		if m.Role == r {
			return true
		}
	}
	return false
}

// Membership returns p's membership of the cooperative with the given ID or
// slug.
func (p *Principal) Membership(idOrSlug string) (Membership, bool) {
	if p == nil || idOrSlug == "" {
		return Membership{}, false
	}
	id, err := uuid.Parse(idOrSlug)
	for _, m := range p.Memberships {
		if (err == nil && m.CooperativeID == id) || m.CooperativeSlug == idOrSlug {
			return m, true
		}
	}
	return Membership{}, false
}

// MemberOf reports whether p belongs to the cooperative with one of roles
// (any role when none is given).
func (p *Principal) MemberOf(coop uuid.UUID, roles ...Role) bool {
	m, ok := p.Membership(coop.String())
	return ok && m.Grants(roles...)
}

// Grants reports whether the membership holds one of roles (any role when
// none is given). A delegate holds the rights of coop_staff.
func (m Membership) Grants(roles ...Role) bool {
	return len(roles) == 0 || slices.Contains(roles, m.Role) ||
		(m.Role == RoleCoopDelegate && slices.Contains(roles, RoleCoopStaff))
}

// StaffOf reports whether p is trade staff with authority over province:
// national staff or staff of that province.
func (p *Principal) StaffOf(province string) bool {
	return p != nil && slices.Contains(p.Roles, RoleTradeStaff) && (p.Province == "" || p.Province == province)
}

// Sessions turns a session token into the principal it belongs to, renewing
// the session as it is used. It returns an error matching ErrUnauthenticated
// for a token that is unknown, expired or revoked.
type Sessions interface {
	Authenticate(ctx context.Context, token string) (*Principal, error)
}

// Errors of this package; internal/app maps them to 401, 403, 404 and 403.
var (
	ErrUnauthenticated = errors.New("bạn cần đăng nhập để tiếp tục")
	ErrForbidden       = errors.New("bạn không có quyền thực hiện thao tác này")
	ErrNotFound        = errors.New("không tìm thấy nội dung được yêu cầu")
	ErrCSRF            = errors.New("yêu cầu bị từ chối vì không đến từ trang HTX Market, hãy tải lại trang rồi thử lại")
)
