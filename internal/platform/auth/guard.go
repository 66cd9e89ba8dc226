package auth

import (
	"github.com/gofiber/fiber/v2"
)

// verdict is a rule's answer for one request.
type verdict int

const (
	deny  verdict = iota // 403 unless another rule grants
	hide                 // not a member of the cooperative: 404 unless another rule grants
	grant                // access allowed
)

// Rule grants access to a request. Role values are rules, and so are the
// results of SignedIn, CoopMember and ProvinceStaff.
type Rule interface {
	check(c *fiber.Ctx, p *Principal) verdict
}

// check grants a principal holding the role: globally, or for a cooperative
// role, in any cooperative.
func (r Role) check(_ *fiber.Ctx, p *Principal) verdict {
	if p.Has(r) {
		return grant
	}
	return deny
}

type ruleFunc func(c *fiber.Ctx, p *Principal) verdict

func (f ruleFunc) check(c *fiber.Ctx, p *Principal) verdict { return f(c, p) }

// SignedIn grants every signed-in user.
func SignedIn() Rule {
	return ruleFunc(func(*fiber.Ctx, *Principal) verdict { return grant })
}

// CoopMember grants members of the cooperative whose ID or slug is the path
// parameter param, holding one of roles (any role when none is given; a
// delegate counts as coop_staff, see Membership.Grants). A
// signed-in caller who is no member of it at all is answered 404.
func CoopMember(param string, roles ...Role) Rule {
	return ruleFunc(func(c *fiber.Ctx, p *Principal) verdict {
		m, ok := p.Membership(c.Params(param))
		switch {
		case !ok:
			return hide
		case m.Grants(roles...):
			return grant
		}
		return deny
	})
}

// ProvinceStaff grants trade staff of the province whose slug is the path
// parameter param, and national trade staff.
func ProvinceStaff(param string) Rule {
	return ruleFunc(func(c *fiber.Ctx, p *Principal) verdict {
		if p.StaffOf(c.Params(param)) {
			return grant
		}
		return deny
	})
}

// Require lets a request through when any of rules grants it, and otherwise
// answers 401, 404 or 403 as the package documentation says. With no rules
// it requires only a signed-in user.
func Require(rules ...Rule) fiber.Handler {
	if len(rules) == 0 {
		rules = []Rule{SignedIn()}
	}
	return func(c *fiber.Ctx) error {
		p := Current(c)
		if p == nil {
			return ErrUnauthenticated
		}
		hidden := false
		for _, r := range rules {
			switch r.check(c, p) {
			case grant:
				return c.Next()
			case hide:
				hidden = true
			}
		}
		if hidden {
			return ErrNotFound
		}
		return ErrForbidden
	}
}

// RequireUser requires a signed-in user of any role.
func RequireUser() fiber.Handler { return Require(SignedIn()) }

// RequireCoopMember requires membership of the cooperative named by the path
// parameter param, with one of roles (any when none is given).
func RequireCoopMember(param string, roles ...Role) fiber.Handler {
	return Require(CoopMember(param, roles...))
}
