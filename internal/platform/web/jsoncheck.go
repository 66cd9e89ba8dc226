package web

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Bounds of the strict JSON check.
const (
	// maxJSONDepth is deeper than any body of the API; a deeper one is
	// refused before it costs a deep recursion.
	maxJSONDepth = 64
	// maxBadFields bounds the field errors of one body: a list of 100,000
	// bad strings gets a short answer.
	maxBadFields = 20
)

// checkJSON reads body token by token against the type decoded into, before
// encoding/json sees it, and refuses what encoding/json would let through:
//
//   - a string that is not valid UTF-8 (encoding/json replaces the bad bytes
//     with U+FFFD) or holds a NUL character, which PostgreSQL's text types
//     refuse;
//   - a key whose case differs from the field's name ("Name" for "name"),
//     which encoding/json matches anyway;
//   - a key given twice in one object, of which encoding/json keeps the last.
//
// Field errors name the field by its path (variants[2].sku). Syntax errors
// are left to the decoder, whose message is already good.
func checkJSON(body []byte, t reflect.Type) error {
	k := jsonChecker{dec: json.NewDecoder(bytes.NewReader(body)), body: body}
	k.dec.UseNumber() // numbers are not needed here; parsing them is
	err := k.value("", t, 0)
	switch {
	case errors.Is(err, errTooManyBad):
		return k.v.Err()
	case errors.Is(err, errSyntax):
		return nil // the decoder says where
	case err != nil:
		return err
	}
	return k.v.Err()
}

// errSyntax stops the check at a syntax error, which the decoder reports.
var errSyntax = errors.New("json syntax")

// errTooManyBad stops the check once enough fields are reported.
var errTooManyBad = errors.New("too many bad fields")

type jsonChecker struct {
	dec  *json.Decoder
	body []byte
	v    ValidationError
}

// bad records a field error; it returns errTooManyBad at the bound.
func (k *jsonChecker) bad(field, message string) error {
	k.v.Add(field, message)
	if len(k.v.Fields) >= maxBadFields {
		return errTooManyBad
	}
	return nil
}

// token reads the next token and, for a string, checks its raw bytes.
func (k *jsonChecker) token(field string) (json.Token, string, error) {
	start := k.dec.InputOffset()
	tok, err := k.dec.Token()
	if err != nil {
		return nil, "", errSyntax
	}
	s, ok := tok.(string)
	if !ok {
		return tok, "", nil
	}
	// The raw bytes hold the quotes and any delimiter before them, which
	// are ASCII: an invalid sequence can only be in the string itself.
	if raw := k.body[start:k.dec.InputOffset()]; !utf8.Valid(raw) {
		return tok, "không phải văn bản UTF-8 hợp lệ", nil
	}
	if strings.IndexByte(s, 0) >= 0 {
		return tok, "chứa ký tự NUL (\\u0000)", nil
	}
	return tok, "", nil
}

// value checks one JSON value that decodes into t (nil when unknown: an
// interface, json.RawMessage, a type with its own UnmarshalJSON).
func (k *jsonChecker) value(field string, t reflect.Type, depth int) error {
	if depth > maxJSONDepth {
		return Detail(ErrInvalidJSON, "Dữ liệu JSON lồng nhau quá sâu (tối đa %d tầng).", maxJSONDepth)
	}
	t = decodedType(t)
	tok, problem, err := k.token(field)
	if err != nil {
		return err
	}
	if problem != "" {
		return k.bad(fieldName(field), problem)
	}
	switch tok {
	case json.Delim('{'):
		return k.object(field, t, depth)
	case json.Delim('['):
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; k.dec.More(); i++ {
			if err := k.value(field+"["+strconv.Itoa(i)+"]", elem, depth+1); err != nil {
				return err
			}
		}
		_, _, err := k.token(field) // ]
		return err
	}
	return nil
}

// object checks the members of an object, the { already read.
func (k *jsonChecker) object(field string, t reflect.Type, depth int) error {
	var fields map[string]jsonField
	var elem reflect.Type
	if t != nil {
		switch t.Kind() {
		case reflect.Struct:
			fields = structFields(t)
		case reflect.Map:
			elem = t.Elem()
		}
	}
	seen := map[string]bool{}
	for k.dec.More() {
		tok, problem, err := k.token(field)
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		path := key
		if field != "" {
			path = field + "." + key
		}
		if problem != "" {
			if err := k.bad(fieldName(path), "tên trường "+problem); err != nil {
				return err
			}
			path = field // what follows is still checked, under the parent
		} else if seen[key] {
			if err := k.bad(path, "trường này xuất hiện hai lần"); err != nil {
				return err
			}
		}
		seen[key] = true
		next := elem
		if fields != nil && problem == "" {
			if msg, typ := fieldFor(fields, key); msg != "" {
				if err := k.bad(path, msg); err != nil {
					return err
				}
			} else {
				next = typ
			}
		}
		if err := k.value(path, next, depth+1); err != nil {
			return err
		}
	}
	_, _, err := k.token(field) // }
	return err
}

// fieldFor finds the struct field of key, exactly as its tag names it;
// otherwise it says why the key is refused. encoding/json would match
// "Name", or even "ſtatus" with a long s, to "status": an API that answers
// what it was sent must not guess.
func fieldFor(fields map[string]jsonField, key string) (string, reflect.Type) {
	if f, ok := fields[key]; ok && !f.folded {
		return "", f.typ
	}
	if f, ok := fields[strings.ToLower(key)]; ok {
		return fmt.Sprintf("tên trường phân biệt chữ hoa, chữ thường: hãy viết “%s”", f.name), nil
	}
	return "trường này không được hỗ trợ", nil
}

// fieldName makes a field path fit to show: valid UTF-8 without NUL.
func fieldName(path string) string {
	path = strings.ToValidUTF8(path, "\uFFFD")
	return strings.ReplaceAll(path, "\x00", "\uFFFD")
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decodedType follows pointers to the type a value decodes into; nil when
// the type reads its own JSON or anything at all, whose shape is unknown.
func decodedType(t reflect.Type) reflect.Type {
	for t != nil {
		if t.Kind() == reflect.Interface || t.Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(jsonUnmarshaler) {
			return nil
		}
		if t.Kind() != reflect.Pointer {
			break
		}
		t = t.Elem()
	}
	if t != nil && t.Kind() != reflect.String && (t.Implements(textUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler)) {
		return nil
	}
	return t
}

// jsonField is a struct field as encoding/json names it. The field map
// holds each field under its exact name and, marked folded, under its
// lower-case name, to recognise a key written in another case.
type jsonField struct {
	name   string
	typ    reflect.Type
	folded bool
}

var fieldCache sync.Map // reflect.Type → map[string]jsonField

// structFields returns the JSON fields of struct type t, with those of
// embedded structs promoted as encoding/json does.
func structFields(t reflect.Type) map[string]jsonField {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]jsonField)
	}
	m := map[string]jsonField{}
	var walk func(t reflect.Type, depth int)
	walk = func(t reflect.Type, depth int) {
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			ft := sf.Type
			if sf.Anonymous && name == "" {
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct && depth < 8 {
					walk(ft, depth+1)
					continue
				}
			}
			if !sf.IsExported() {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			if _, taken := m[name]; taken && depth > 0 {
				continue // the outer field wins
			}
			m[name] = jsonField{name: name, typ: sf.Type}
		}
	}
	walk(t, 0)
	for name, f := range m {
		lower := strings.ToLower(name)
		if _, exact := m[lower]; !exact {
			m[lower] = jsonField{name: f.name, typ: f.typ, folded: true}
		}
	}
	fieldCache.Store(t, m)
	return m
}
