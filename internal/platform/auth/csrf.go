package auth

import (
	"crypto/subtle"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"htxmarket/internal/platform/web"
)

// CSRF refuses cross-site state-changing requests, as the package
// documentation describes: an Origin (or Referer) other than the origins
// given always, and a cookie-authenticated request without the matching
// X-CSRF-Token header. It must run after Middleware. Each origin is
// scheme://host[:port]; the first is the one users are told to open. The
// refusal's detail names the origin refused and the ones accepted, so that
// whoever meets it (often a developer who opened another address) knows
// what to change.
func CSRF(origins ...string) fiber.Handler {
	allowed := make([]string, len(origins))
	for i, o := range origins {
		allowed[i] = strings.ToLower(strings.TrimSuffix(o, "/"))
	}
	expected, open := strings.Join(allowed, ", "), ""
	if len(allowed) > 0 {
		open = allowed[0]
	}
	return func(c *fiber.Ctx) error {
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions, fiber.MethodTrace:
			return c.Next()
		}
		if from, ok := sameOrigin(c, allowed); !ok {
			return web.Detail(ErrCSRF, "Yêu cầu bị từ chối vì được gửi từ %s, không phải từ trang HTX Market (%s). Hãy mở trang %s rồi thử lại.",
				from, expected, open)
		}
		if ViaCookie(c) {
			want := CSRFToken(Token(c))
			got := c.Get(HeaderCSRF)
			if got == "" {
				return web.Detail(ErrCSRF, "Yêu cầu bị từ chối vì thiếu mã chống giả mạo (tiêu đề %s) của phiên đăng nhập. Hãy tải lại trang rồi thử lại.", HeaderCSRF)
			}
			if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
				return web.Detail(ErrCSRF, "Yêu cầu bị từ chối vì mã chống giả mạo (tiêu đề %s) không khớp với phiên đăng nhập hiện tại. Hãy tải lại trang rồi thử lại.", HeaderCSRF)
			}
		}
		return c.Next()
	}
}

// sameOrigin checks the Origin header, or the Referer when a browser sent no
// Origin, and returns the origin it found. A request with neither comes
// from a non-browser client, which has no ambient authority to abuse.
func sameOrigin(c *fiber.Ctx, allowed []string) (string, bool) {
	if o := c.Get(fiber.HeaderOrigin); o != "" {
		return o, slices.Contains(allowed, strings.ToLower(o))
	}
	if r := c.Get(fiber.HeaderReferer); r != "" {
		u, err := url.Parse(r)
		if err != nil || u.Host == "" {
			return "một trang không rõ", false
		}
		o := u.Scheme + "://" + u.Host
		return o, slices.Contains(allowed, strings.ToLower(o))
	}
	return "", true
}
