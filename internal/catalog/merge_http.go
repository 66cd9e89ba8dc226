package catalog

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// redirectMerged answers a request for the product at slug, which was not
// found, with a permanent redirect to the product it was merged into,
// at the same path with its last segment replaced; notFound otherwise.
func redirectMerged(c *fiber.Ctx, s *Service, slug string, notFound error) error {
	to, err := s.MergedInto(c.UserContext(), slug)
	if errors.Is(err, ErrNotFound) {
		return notFound
	}
	if err != nil {
		return err
	}
	path := c.Path()
	return c.Redirect(path[:strings.LastIndexByte(path, '/')+1]+url.PathEscape(to), fiber.StatusMovedPermanently)
}

// PageRedirects answers the page of a merged product, /san-pham/<slug>,
// with a permanent redirect to the page of the product it was merged into;
// every other product page goes on to the application. Register it before
// the single-page application.
func PageRedirects(r fiber.Router, s *Service) {
	r.Get("/san-pham/:slug", func(c *fiber.Ctx) error {
		err := redirectMerged(c, s, c.Params("slug"), errNotMerged)
		if errors.Is(err, errNotMerged) {
			return c.Next()
		}
		return err
	})
}

var errNotMerged = errors.New("catalog: not a merged product")
