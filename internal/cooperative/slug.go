package cooperative

import (
	"encoding/base64"
	"strings"

	"github.com/google/uuid"

	"htxmarket/internal/platform/geo"
)

// maxDerivedSlug bounds a slug derived from a name, leaving room for a
// "-N" suffix within the 60 characters of a slug.
const maxDerivedSlug = 50

// Slugify derives a slug from a cooperative's name: folded to ASCII with
// geo.Fold, words joined by hyphens, the usual "Hợp tác xã" prefix
// shortened to "htx": "Hợp tác xã Chè Tân Cương" → "htx-che-tan-cuong".
func Slugify(name string) string {
	words := strings.FieldsFunc(geo.Fold(name), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	if len(words) >= 3 && words[0] == "hop" && words[1] == "tac" && words[2] == "xa" {
		words = append([]string{"htx"}, words[3:]...)
	}
	slug := ""
	for _, w := range words {
		next := w
		if slug != "" {
			next = slug + "-" + w
		}
		if len(next) > maxDerivedSlug {
			break
		}
		slug = next
	}
	if len(slug) < 3 {
		slug = strings.Trim("htx-"+slug, "-")
	}
	if validSlug(slug) {
		return slug
	}
	return slug + "-htx"
}

// encodeCursor makes the opaque cursor of the directory: the position
// (folded name, id) of the last cooperative of a page.
func encodeCursor(folded string, id uuid.UUID) string {
	return base64.RawURLEncoding.EncodeToString([]byte(id.String() + folded))
}

// decodeCursor reads a cursor; the empty cursor is the first page.
func decodeCursor(c string) (string, uuid.UUID, bool) {
	if c == "" {
		return "", uuid.Nil, true
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 36 {
		return "", uuid.Nil, false
	}
	id, err := uuid.Parse(string(b[:36]))
	if err != nil {
		return "", uuid.Nil, false
	}
	return string(b[36:]), id, true
}
