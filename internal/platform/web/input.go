package web

import (
	"bytes"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// ValidInput refuses, with 400 naming the parameter, a request whose path
// or query parameters hold a NUL character or bytes that are not UTF-8.
// PostgreSQL's text types refuse both; without this check such a request
// reached a query and answered 500. JSON bodies get the same check in
// DecodeJSON.
func ValidInput() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var v ValidationError
		uri := c.Request().URI()
		// The decoded path: %00 and %FF are caught as the bytes they stand for.
		if msg := badText(uri.Path()); msg != "" {
			v.Add("path", "đường dẫn "+msg)
		} else if msg := badText(uri.PathOriginal()); msg != "" {
			v.Add("path", "đường dẫn "+msg)
		}
		c.Context().QueryArgs().VisitAll(func(key, value []byte) {
			if len(v.Fields) >= maxBadFields {
				return
			}
			if msg := badText(key); msg != "" {
				v.Add(fieldName(string(key)), "tên tham số "+msg)
			} else if msg := badText(value); msg != "" {
				v.Add(string(key), msg)
			}
		})
		if err := v.Err(); err != nil {
			return err
		}
		return c.Next()
	}
}

// badText says what is wrong with b as text for the database, or "".
func badText(b []byte) string {
	switch {
	case !utf8.Valid(b):
		return "không phải văn bản UTF-8 hợp lệ"
	case bytes.IndexByte(b, 0) >= 0:
		return "chứa ký tự NUL"
	}
	return ""
}
