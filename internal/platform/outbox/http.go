package outbox

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// OpenAPI is this package's fragment of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Routes registers the administrators' view of the outbox on r, the
// /api/v1 group:
//
//	GET /admin/outbox/parked   admins: parked messages, the most recently parked first
func Routes(r fiber.Router, d *sqlx.DB) {
	r.Get("/admin/outbox/parked", auth.Require(auth.RoleAdmin), func(c *fiber.Ctx) error {
		var v web.ValidationError
		limit := web.PageSize(web.PageLimit(c, &v))
		if err := v.Err(); err != nil {
			return err
		}
		items, total, err := Parked(c.UserContext(), d, limit)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"items": items, "total": total})
	})
}
