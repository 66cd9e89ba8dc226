package geo

import (
	"github.com/gofiber/fiber/v2"
)

// Routes registers the province endpoints on r (the /api/v1 group).
//
//	GET /provinces           public: the 34 provinces with their former names
//	GET /provinces/resolve   public: map a current or former name to a province
func Routes(r fiber.Router, s *Service) {
	h := handler{s: s}
	r.Get("/provinces", h.list)
	r.Get("/provinces/resolve", h.resolve)
}

type handler struct{ s *Service }

func (h handler) list(c *fiber.Ctx) error {
	ps, err := h.s.List(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.JSON(fiber.Map{"items": ps})
}

func (h handler) resolve(c *fiber.Ctx) error {
	res, err := h.s.Resolve(c.UserContext(), c.Query("name"))
	if err != nil {
		return err
	}
	return c.JSON(res)
}
