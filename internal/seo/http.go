package seo

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Routes mounts robots.txt, the sitemap index at /sitemap.xml and its
// pages under /sitemap/.
func Routes(r fiber.Router, s *Service) {
	r.Get("/robots.txt", s.robots)
	r.Get("/sitemap.xml", s.sitemapIndex)
	r.Get("/sitemap/:name", s.sitemapPage)
}

func (s *Service) robots(c *fiber.Ctx) error {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, d := range disallowed {
		b.WriteString("Disallow: " + d + "\n")
	}
	b.WriteString("Allow: /\n\nSitemap: " + s.origin + "/sitemap.xml\n")
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.SendString(b.String())
}

func (s *Service) sitemapIndex(c *fiber.Ctx) error {
	b, err := s.SitemapIndex(c.UserContext())
	if err != nil {
		return err
	}
	return s.sendXML(c, b)
}

func (s *Service) sitemapPage(c *fiber.Ctx) error {
	b, err := s.SitemapPage(c.UserContext(), c.Params("name"))
	if errors.Is(err, ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	return s.sendXML(c, b)
}

func (s *Service) sendXML(c *fiber.Ctx, b []byte) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationXMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age="+strconv.Itoa(int(s.opt.SitemapTTL.Seconds())))
	return c.Send(b)
}
