package search

import (
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendJSON appends r as encoding/json encodes it, byte for byte (field
// order, null for a nil slice or map, omitempty and omitzero, <, > and &
// escaped, map keys sorted), without reflection: an answer carries its
// page's documents and up to 200 values per facet, and encoding it by
// reflection took an eighth of a search's time at the server. ok is false
// when a time cannot be encoded (a year past 9999), which json.Marshal
// reports as an error: the caller then encodes r with json.Marshal.
// TestResultJSONMatchesEncodingJSON fills every field of every type in a
// result, so a field added without its encoding here fails it.
func (r *Result) AppendJSON(dst []byte) (out []byte, ok bool) {
	e := jsonEncoder{b: dst, ok: true}
	e.raw(`{"hits":`)
	e.hits(r.Hits)
	e.raw(`,"total":`)
	e.int(int64(r.Total))
	e.raw(`,"loose":`)
	e.int(int64(r.Loose))
	if len(r.Dropped) > 0 {
		e.raw(`,"dropped":`)
		e.strings(r.Dropped)
	}
	if len(r.Alternatives) > 0 {
		e.raw(`,"alternatives":[`)
		for i, a := range r.Alternatives {
			if i > 0 {
				e.raw(",")
			}
			e.raw(`{"text":`)
			e.str(a.Text)
			e.raw(`,"total":`)
			e.int(int64(a.Total))
			e.raw("}")
		}
		e.raw("]")
	}
	if len(r.Popular) > 0 {
		e.raw(`,"popular":`)
		e.hits(r.Popular)
	}
	if r.PopularGroup != "" {
		e.raw(`,"popular_group":`)
		e.str(r.PopularGroup)
	}
	e.raw(`,"total_exact":`)
	e.bool(r.TotalExact)
	e.raw(`,"facets":`)
	e.facets(r.Facets)
	e.raw(`,"page":`)
	e.int(int64(r.Page))
	e.raw(`,"per_page":`)
	e.int(int64(r.PerPage))
	e.raw(`,"engine":`)
	e.str(r.Engine)
	e.raw("}")
	return e.b, e.ok
}

type jsonEncoder struct {
	b  []byte
	ok bool
}

func (e *jsonEncoder) raw(s string) { e.b = append(e.b, s...) }
func (e *jsonEncoder) int(n int64)  { e.b = strconv.AppendInt(e.b, n, 10) }
func (e *jsonEncoder) bool(v bool)  { e.b = strconv.AppendBool(e.b, v) }
func (e *jsonEncoder) str(s string) { e.b = appendJSONString(e.b, s) }
func (e *jsonEncoder) time(t time.Time) {
	if y := t.Year(); y < 0 || y > 9999 {
		e.ok = false
		return
	}
	if _, off := t.Zone(); off <= -24*3600 || off >= 24*3600 {
		e.ok = false
		return
	}
	e.b = append(e.b, '"')
	e.b = t.AppendFormat(e.b, time.RFC3339Nano)
	e.b = append(e.b, '"')
}

func (e *jsonEncoder) strings(ss []string) {
	if ss == nil {
		e.raw("null")
		return
	}
	e.raw("[")
	for i, s := range ss {
		if i > 0 {
			e.raw(",")
		}
		e.str(s)
	}
	e.raw("]")
}

func (e *jsonEncoder) hits(hs []Hit) {
	if hs == nil {
		e.raw("null")
		return
	}
	e.raw("[")
	for i := range hs {
		if i > 0 {
			e.raw(",")
		}
		e.hit(&hs[i])
	}
	e.raw("]")
}

func (e *jsonEncoder) hit(h *Hit) {
	d := &h.Document
	e.raw(`{"id":`)
	e.str(d.ID.String())
	e.raw(`,"slug":`)
	e.str(d.Slug)
	e.raw(`,"name":`)
	e.str(d.Name)
	e.raw(`,"keywords":`)
	e.strings(d.Keywords)
	e.raw(`,"description":`)
	e.str(d.Description)
	e.raw(`,"cooperative_id":`)
	e.str(d.CooperativeID.String())
	e.raw(`,"cooperative_slug":`)
	e.str(d.CooperativeSlug)
	e.raw(`,"cooperative_name":`)
	e.str(d.CooperativeName)
	e.raw(`,"province":`)
	e.str(d.Province)
	e.raw(`,"province_name":`)
	e.str(d.ProvinceName)
	e.raw(`,"former_names":`)
	e.strings(d.FormerNames)
	e.raw(`,"group":`)
	e.str(d.Group)
	e.raw(`,"stars":`)
	e.int(int64(d.Stars))
	e.raw(`,"certifications":`)
	e.strings(d.Certifications)
	e.raw(`,"season_months":`)
	if d.SeasonMonths == nil {
		e.raw("null")
	} else {
		e.raw("[")
		for i, m := range d.SeasonMonths {
			if i > 0 {
				e.raw(",")
			}
			e.int(int64(m))
		}
		e.raw("]")
	}
	e.raw(`,"price_vnd":`)
	e.int(d.Price)
	e.raw(`,"unit":`)
	e.str(d.Unit)
	e.raw(`,"in_stock":`)
	e.bool(d.InStock)
	if d.PriceMax != 0 {
		e.raw(`,"price_max_vnd":`)
		e.int(d.PriceMax)
	}
	if d.ThumbURL != "" {
		e.raw(`,"thumb_url":`)
		e.str(d.ThumbURL)
	}
	e.raw(`,"created_at":`)
	e.time(d.CreatedAt)
	if !d.UpdatedAt.IsZero() {
		e.raw(`,"updated_at":`)
		e.time(d.UpdatedAt)
	}
	if h.Match != "" {
		e.raw(`,"match":`)
		e.str(h.Match)
	}
	if len(h.Highlights) > 0 {
		e.raw(`,"highlights":{`)
		keys := make([]string, 0, len(h.Highlights))
		for k := range h.Highlights {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				e.raw(",")
			}
			e.str(k)
			e.raw(":")
			e.str(h.Highlights[k])
		}
		e.raw("}")
	}
	e.raw("}")
}

func (e *jsonEncoder) facets(fs Facets) {
	if fs == nil {
		e.raw("null")
		return
	}
	keys := make([]string, 0, len(fs))
	for k := range fs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	e.raw("{")
	for i, k := range keys {
		if i > 0 {
			e.raw(",")
		}
		e.str(k)
		e.raw(":")
		vs := fs[k]
		if vs == nil {
			e.raw("null")
			continue
		}
		e.raw("[")
		for j, v := range vs {
			if j > 0 {
				e.raw(",")
			}
			e.raw(`{"value":`)
			e.str(v.Value)
			e.raw(`,"count":`)
			e.int(int64(v.Count))
			if v.Label != "" {
				e.raw(`,"label":`)
				e.str(v.Label)
			}
			e.raw("}")
		}
		e.raw("]")
	}
	e.raw("}")
}

// appendJSONString appends s quoted as encoding/json quotes a string
// (HTML-escaped, invalid UTF-8 as U+FFFD, U+2028 and U+2029 escaped).
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		// Valid runes of 2 and 3 bytes (every Vietnamese letter) are
		// checked here and copied; only one led by 0xE2 (U+2000–U+2FFF)
		// may need escaping, and is decoded below with the rest.
		if b >= 0xC2 && b <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			i += 2
			continue
		}
		if b >= 0xE1 && b <= 0xEF && b != 0xE2 && b != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			i += 3
			continue
		}
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
