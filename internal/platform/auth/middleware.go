package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Cookie names.
const (
	SessionCookie = "htx_session"
	CSRFCookie    = "htx_csrf"
	// HeaderCSRF carries the CSRF token on cookie-authenticated unsafe requests.
	HeaderCSRF = "X-CSRF-Token"
)

// Keys of the request locals this package sets.
const (
	localPrincipal = "auth_principal"
	localToken     = "auth_token"
	localViaCookie = "auth_via_cookie"
)

// Cookies writes and clears the session cookies.
type Cookies struct {
	// Secure marks the cookies Secure (off only in development over HTTP).
	Secure bool
}

// Set starts a browser session: the HttpOnly session cookie and the readable
// CSRF cookie, both until expires. It returns the CSRF token.
func (k Cookies) Set(c *fiber.Ctx, token string, expires time.Time) string {
	csrf := CSRFToken(token)
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: token, Path: "/", Expires: expires,
		Secure: k.Secure, HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode})
	c.Cookie(&fiber.Cookie{Name: CSRFCookie, Value: csrf, Path: "/", Expires: expires,
		Secure: k.Secure, HTTPOnly: false, SameSite: fiber.CookieSameSiteLaxMode})
	return csrf
}

// Clear ends the browser session by expiring both cookies.
func (k Cookies) Clear(c *fiber.Ctx) {
	past := time.Unix(0, 0)
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: "", Path: "/", Expires: past,
		Secure: k.Secure, HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode})
	c.Cookie(&fiber.Cookie{Name: CSRFCookie, Value: "", Path: "/", Expires: past,
		Secure: k.Secure, SameSite: fiber.CookieSameSiteLaxMode})
}

// CSRFToken derives the CSRF token of a session: an HMAC keyed by the
// session token, so it needs no storage and no server secret, and cannot be
// computed from anything stored (only the token's hash is).
func CSRFToken(sessionToken string) string {
	m := hmac.New(sha256.New, []byte(sessionToken))
	m.Write([]byte("htxmarket csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Middleware resolves the caller's session, from the bearer token or else
// the session cookie, and makes it available to Current. A token that does
// not resolve leaves the request anonymous and clears the cookie; any other
// failure (the database being down) fails the request.
func Middleware(s Sessions, k Cookies) fiber.Handler {
	return func(c *fiber.Ctx) error {
		token, viaCookie := bearer(c), false
		if token == "" {
			token, viaCookie = c.Cookies(SessionCookie), true
		}
		if token == "" {
			return c.Next()
		}
		p, err := s.Authenticate(c.UserContext(), token)
		switch {
		case errors.Is(err, ErrUnauthenticated):
			if viaCookie {
				k.Clear(c)
			}
			return c.Next()
		case err != nil:
			return err
		}
		c.Locals(localPrincipal, p)
		c.Locals(localToken, token)
		c.Locals(localViaCookie, viaCookie)
		return c.Next()
	}
}

func bearer(c *fiber.Ctx) string {
	h := c.Get(fiber.HeaderAuthorization)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// Current returns the signed-in user of the request, or nil.
func Current(c *fiber.Ctx) *Principal {
	p, _ := c.Locals(localPrincipal).(*Principal)
	return p
}

// Token returns the session token the request was authenticated with, or "".
// Handlers need it only to end or describe the session itself.
func Token(c *fiber.Ctx) string {
	t, _ := c.Locals(localToken).(string)
	return t
}

// ViaCookie reports whether the request was authenticated by the session
// cookie (a browser) rather than a bearer token.
func ViaCookie(c *fiber.Ctx) bool {
	v, _ := c.Locals(localViaCookie).(bool)
	return v
}
