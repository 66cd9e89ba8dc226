package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// Page sizes of every list the API returns.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// PageSize bounds a requested page size: DefaultPageSize when n is not
// positive, at most MaxPageSize.
func PageSize(n int) int {
	if n <= 0 {
		return DefaultPageSize
	}
	return min(n, MaxPageSize)
}

// PageLimit reads the limit query parameter, recording a field error in v
// when it is not a number from 1 to MaxPageSize. It returns 0 when the
// parameter is absent, which PageSize turns into the default.
func PageLimit(c *fiber.Ctx, v *ValidationError) int {
	raw := c.Query("limit")
	if raw == "" {
		return 0
	}
	n, err := strconv.Atoi(raw)
	v.Check(err == nil && n >= 1 && n <= MaxPageSize, "limit", "phải là số từ 1 đến "+strconv.Itoa(MaxPageSize))
	return n
}
