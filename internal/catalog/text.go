package catalog

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"htxmarket/internal/platform/geo"
)

// markdown renders descriptions. Raw HTML in the source is dropped by
// goldmark (it is not in unsafe mode) and the output is sanitised again by
// the UGC policy, which also strips javascript: links.
var (
	markdown  = goldmark.New(goldmark.WithExtensions(extension.Linkify, extension.Strikethrough, extension.Table))
	sanitizer = bluemonday.UGCPolicy().RequireNoFollowOnLinks(true).AddTargetBlankToFullyQualifiedLinks(true)
)

// renderMarkdown turns a description into safe HTML.
func renderMarkdown(src string) (string, error) {
	if strings.TrimSpace(src) == "" {
		return "", nil
	}
	var b bytes.Buffer
	if err := markdown.Convert([]byte(src), &b); err != nil {
		return "", err
	}
	return sanitizer.Sanitize(b.String()), nil
}

// Slugify makes a URL slug from a Vietnamese name: "Bưởi Diễn" → "buoi-dien".
func Slugify(s string) string {
	folded := geo.Fold(s)
	var b strings.Builder
	dash := false
	for _, r := range folded {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	out := b.String()
	if len(out) > 80 {
		out = strings.TrimRight(out[:80], "-")
	}
	if out == "" {
		out = "san-pham"
	}
	return out
}

// nextFreeSlug returns base, or base-2, base-3 … whichever is not taken.
func nextFreeSlug(base string, taken map[string]bool) string {
	if !taken[base] {
		return base
	}
	for n := 2; ; n++ {
		s := base + "-" + strconv.Itoa(n)
		if !taken[s] {
			return s
		}
	}
}

// freeSlugs returns a free slug for each of bases, in order, none taken
// nor twice, and marks them taken. It remembers for each base the suffix
// to try next, so that the rows of an import that share a name cost one
// step each, not a count from 2 each.
func freeSlugs(bases []string, taken map[string]bool) []string {
	out := make([]string, len(bases))
	next := map[string]int{}
	for i, b := range bases {
		s := b
		if taken[s] {
			n := max(next[b], 2)
			for taken[b+"-"+strconv.Itoa(n)] {
				n++
			}
			s = b + "-" + strconv.Itoa(n)
			next[b] = n + 1
		}
		out[i] = s
		taken[s] = true
	}
	return out
}

func setOf(ss []string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}

// cursor is the position after the last item of a page: the sort it belongs
// to, the sort key and the id that breaks ties. Clients see it as an opaque
// string.
type cursor struct {
	Sort string    `json:"s"`
	Key  int64     `json:"k,omitempty"`
	ID   uuid.UUID `json:"i"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s, sort string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 200 {
		return nil, ErrBadCursor
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Sort != sort || c.ID == uuid.Nil {
		return nil, ErrBadCursor
	}
	return &c, nil
}

// splitList splits a CSV cell or query value on sep, trimming blanks.
func splitList(s string, sep string) []string {
	out := []string{}
	for _, part := range strings.Split(s, sep) {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}
