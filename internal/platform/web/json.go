package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// DecodeJSON reads the request body into v. Unknown fields, keys in another
// case than the field's tag, keys given twice, strings that are not UTF-8 or
// hold a NUL character, trailing data and wrong types are refused with a
// message that names the field.
func DecodeJSON(c *fiber.Ctx, v any) error {
	ct := strings.ToLower(strings.TrimSpace(strings.SplitN(c.Get(fiber.HeaderContentType), ";", 2)[0]))
	if ct != fiber.MIMEApplicationJSON && !strings.HasSuffix(ct, "+json") {
		return ErrUnsupportedMedia
	}
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return Detail(ErrInvalidJSON, "Thiếu nội dung JSON trong yêu cầu.")
	}
	if err := checkJSON(body, reflect.TypeOf(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, body)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return Detail(ErrInvalidJSON, "Dữ liệu JSON có phần thừa sau đối tượng chính.")
	}
	return nil
}

func jsonError(err error, body []byte) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// Offset counts bytes; a person counts characters.
		pos := utf8.RuneCount(body[:min(int(syn.Offset), len(body))])
		return Detail(ErrInvalidJSON, "Dữ liệu JSON sai cú pháp ở ký tự thứ %d.", pos)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return Detail(ErrInvalidJSON, "Dữ liệu JSON bị cắt cụt.")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return Detail(ErrInvalidJSON, "Dữ liệu JSON phải là một đối tượng.")
		}
		return &ValidationError{Fields: []FieldError{{Field: field, Message: "sai kiểu dữ liệu, cần " + jsonKind(typ.Type.Kind().String())}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &ValidationError{Fields: []FieldError{{Field: name, Message: "trường này không được hỗ trợ"}}}
	}
	return Detail(ErrInvalidJSON, "Dữ liệu JSON không hợp lệ: %s.", strings.TrimPrefix(err.Error(), "json: "))
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "chuỗi ký tự"
	case "bool":
		return "true hoặc false"
	case "slice", "array":
		return "danh sách"
	case "struct", "map":
		return "đối tượng"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "số nguyên"
	case "float32", "float64":
		return "số"
	}
	return fmt.Sprintf("kiểu %s", k)
}
