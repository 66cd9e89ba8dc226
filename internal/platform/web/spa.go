package web

import (
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// placeholderPage stands in for the application on a clone whose frontend
// has not been built yet, so that the server still starts and explains why.
const placeholderPage = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>HTX Market</title></head>
<body><h1>HTX Market</h1>
<p>Giao diện chưa được build. Chạy <code>make build</code> (hoặc <code>make run</code>) để build frontend.</p>
</body></html>`

// SPA serves the built single-page application from fsys for GET and HEAD
// requests outside the API: files as they are (hashed assets cached for a
// year), and index.html for any other path so the client router can take
// over. It is mounted with Use after every route; anything else passes on,
// so unknown API paths still get a 404 or 405 problem.
func SPA(fsys fs.FS, apiPrefixes ...string) fiber.Handler {
	index, err := fs.ReadFile(fsys, "index.html")
	if err != nil {
		index = []byte(placeholderPage)
	}
	return func(c *fiber.Ctx) error {
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
			return c.Next()
		}
		p := c.Path()
		for _, prefix := range apiPrefixes {
			if p == prefix || strings.HasPrefix(p, prefix+"/") {
				return c.Next()
			}
		}
		SetRoute(c, "spa")
		name := strings.TrimPrefix(path.Clean(p), "/")
		if name != "" && name != "index.html" {
			if b, err := fs.ReadFile(fsys, name); err == nil {
				ct := mime.TypeByExtension(path.Ext(name))
				if ct == "" {
					ct = "application/octet-stream"
				}
				c.Set(fiber.HeaderContentType, ct)
				if strings.HasPrefix(name, "assets/") {
					c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
				} else {
					c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
				}
				return c.Send(b)
			}
			if path.Ext(name) != "" {
				return fiber.ErrNotFound // a missing file, not a page
			}
		}
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		c.Set(fiber.HeaderCacheControl, "no-cache")
		return c.Send(index)
	}
}
