package web

import (
	"bytes"
	"context"
	"hash/fnv"
	"io/fs"
	"mime"
	"net/url"
	"path"
	"strconv"
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

// The markers around the default head tags of index.html, which the
// server replaces with each page's own (see PageHeads).
var (
	headStart = []byte("<!--page-head-->")
	headEnd   = []byte("<!--/page-head-->")
)

// PageHead is what the server writes into the <head> of one page of the
// application.
type PageHead struct {
	// HTML is the page's title, meta and link tags, escaped; it takes the
	// place of index.html's default tags.
	HTML []byte
	// Status is the page's HTTP status; 0 means 200. A page whose subject
	// does not exist is 404, and the application shows its not-found page.
	Status int
}

// PageHeads tells the head of each page of the application. Link previews
// (Zalo, Facebook) and search engines read the HTML without running
// JavaScript, so the title, description and image of a product must be in
// the HTML the server sends.
type PageHeads interface {
	Head(ctx context.Context, path string, query url.Values) (PageHead, error)
}

// SPA serves the built single-page application from fsys for GET and HEAD
// requests outside the API: files as they are (hashed assets cached for a
// year), and index.html for any other path so the client router can take
// over, with the head that heads gives the path (nil: index.html as it is).
// It is mounted with Use after every route; anything else passes on, so
// unknown API paths still get a 404 or 405 problem.
func SPA(fsys fs.FS, heads PageHeads, apiPrefixes ...string) fiber.Handler {
	raw, err := fs.ReadFile(fsys, "index.html")
	if err != nil {
		raw = []byte(placeholderPage)
	}
	index := splitIndex(raw)
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
		if heads == nil {
			return sendPage(c, fiber.StatusOK, raw)
		}
		head, err := heads.Head(c.UserContext(), p, queryValues(c))
		if err != nil {
			// The error table chooses the status (503 with Retry-After
			// while the database is down) and logs; the browser still gets
			// the application, which says what is wrong when its own
			// requests fail.
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				return herr
			}
			c.Response().ResetBody()
			c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
			c.Set(fiber.HeaderCacheControl, "no-store")
			return c.Send(raw)
		}
		status := head.Status
		if status == 0 {
			status = fiber.StatusOK
		}
		return sendPage(c, status, index.with(head.HTML))
	}
}

// sendPage sends the HTML of a page. Browsers must ask again each time
// (the head follows the catalog), and an unchanged page costs them a 304.
// Nothing keeps pages on the server: a search page's head depends on the
// query, a product page's on the catalog.
func sendPage(c *fiber.Ctx, status int, body []byte) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	h := fnv.New64a()
	h.Write(body)
	etag := `W/"` + strconv.FormatUint(h.Sum64(), 36) + `"`
	c.Set(fiber.HeaderETag, etag)
	if status == fiber.StatusOK && c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	return c.Status(status).Send(body)
}

func queryValues(c *fiber.Ctx) url.Values {
	q := url.Values{}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) { q.Add(string(k), string(v)) })
	return q
}

// indexPage is index.html cut around its default head tags.
type indexPage struct{ before, after []byte }

// splitIndex finds where the page heads go in index: between its markers;
// in an index without them (the placeholder page), in place of its
// <title>, else before </head>, else nowhere.
func splitIndex(index []byte) indexPage {
	cut := func(open, close []byte) (indexPage, bool) {
		i := bytes.Index(index, open)
		if i < 0 {
			return indexPage{}, false
		}
		j := bytes.Index(index[i:], close)
		if j < 0 {
			return indexPage{}, false
		}
		return indexPage{before: index[:i], after: index[i+j+len(close):]}, true
	}
	if p, ok := cut(headStart, headEnd); ok {
		return p
	}
	if p, ok := cut([]byte("<title>"), []byte("</title>")); ok {
		return p
	}
	if i := bytes.Index(index, []byte("</head>")); i >= 0 {
		return indexPage{before: index[:i], after: index[i:]}
	}
	return indexPage{before: index}
}

// with returns the page with head in its place.
func (p indexPage) with(head []byte) []byte {
	out := make([]byte, 0, len(p.before)+len(head)+len(p.after))
	return append(append(append(out, p.before...), head...), p.after...)
}
