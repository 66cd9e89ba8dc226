package auth

import (
	"crypto/subtle"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// CSRF refuses cross-site state-changing requests, as the package
// documentation describes: a foreign Origin (or Referer) always, and a
// cookie-authenticated request without the matching X-CSRF-Token header.
// It must run after Middleware. publicOrigin is scheme://host[:port].
func CSRF(publicOrigin string) fiber.Handler {
	publicOrigin = strings.ToLower(strings.TrimSuffix(publicOrigin, "/"))
	return func(c *fiber.Ctx) error {
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions, fiber.MethodTrace:
			return c.Next()
		}
		if !sameOrigin(c, publicOrigin) {
			return ErrCSRF
		}
		if ViaCookie(c) {
			want := CSRFToken(Token(c))
			got := c.Get(HeaderCSRF)
			if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
				return ErrCSRF
			}
		}
		return c.Next()
	}
}

// sameOrigin checks the Origin header, or the Referer when a browser sent no
// Origin. A request with neither comes from a non-browser client, which has
// no ambient authority to abuse.
func sameOrigin(c *fiber.Ctx, publicOrigin string) bool {
	if o := c.Get(fiber.HeaderOrigin); o != "" {
		return strings.EqualFold(o, publicOrigin)
	}
	if r := c.Get(fiber.HeaderReferer); r != "" {
		u, err := url.Parse(r)
		return err == nil && strings.EqualFold(u.Scheme+"://"+u.Host, publicOrigin)
	}
	return true
}
