package storage

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
)

// Handler serves the files of s for GET and HEAD on a route ending in "*"
// ("/media/*"). Keys are content-addressed, so a file never changes at its
// key and browsers may keep it for a year. A missing file, or a key that
// could not exist, is an error matching ErrNotFound.
func Handler(s Storage) fiber.Handler {
	return func(c *fiber.Ctx) error {
		key := c.Params("*")
		if !ValidKey(key) {
			return fmt.Errorf("storage: %q: %w", key, ErrNotFound)
		}
		r, info, err := s.Open(c.UserContext(), key)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, info.ContentType)
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		return c.SendStream(r, int(info.Size)) // fasthttp closes r once sent
	}
}
