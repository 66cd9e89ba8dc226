package catalog

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// listingStore reads the addresses of the public products.
type listingStore interface {
	EachPublicSlug(ctx context.Context, ext sqlx.ExtContext, fn func(slug string, updatedAt time.Time) error) error
}

// EachPublic calls fn with the slug and last change of every public
// product (active, of a verified cooperative), for the sitemap.
func (s *Service) EachPublic(ctx context.Context, fn func(slug string, updatedAt time.Time) error) error {
	return s.store.EachPublicSlug(ctx, s.db, fn)
}

// Index answers the public product lists from the search engine's
// in-memory index (wired in internal/app), PostgreSQL being the source it
// loads from: a list then costs no query. It returns the page of public
// products at offset that f selects, in f.Sort's order, and whether more
// follow. Current reports whether the index holds the catalog's latest
// changes (the worker has delivered them; an instance reads them within a
// second): a first page is read from PostgreSQL while it does not, so
// that a list shows a change as soon as the product's page does; the
// pages after it follow the first's source, by their cursor.
type Index interface {
	List(ctx context.Context, f Filter, offset, limit int) ([]Summary, bool, error)
	Current(ctx context.Context) bool
}

// WithIndex answers the public lists (List) from ix.
func WithIndex(ix Index) Option { return func(s *Service) { s.index = ix } }

// indexCursor is the cursor of a list answered from the index: the sort
// and the offset of the next page, so that a cursor of one order is not
// read in another.
type indexCursor struct {
	Sort   string `json:"s"`
	Offset int    `json:"o"`
}

// maxIndexOffset bounds how deep the index pages (some 4,000 pages of 24).
const maxIndexOffset = 100_000

func (c indexCursor) encode() string {
	b, _ := json.Marshal(c)
	return "i" + base64.RawURLEncoding.EncodeToString(b)
}

// decodeIndexCursor reads an index cursor; ok is false for the other
// kind (a keyset cursor, answered from PostgreSQL).
func decodeIndexCursor(s, sort string) (off int, ok bool, err error) {
	if s == "" {
		return 0, true, nil
	}
	if !strings.HasPrefix(s, "i") || len(s) > 200 {
		return 0, false, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s[1:])
	if err != nil {
		return 0, false, nil
	}
	var c indexCursor
	if err := json.Unmarshal(b, &c); err != nil || c.Sort != sort || c.Offset < 0 || c.Offset > maxIndexOffset {
		return 0, true, ErrBadCursor
	}
	return c.Offset, true, nil
}

// indexList answers a public list from the index when it can: not for a
// cooperative given by ID (the index knows slugs) or a keyset cursor.
func (s *Service) indexList(ctx context.Context, f Filter) (Page, bool, error) {
	if s.index == nil {
		return Page{}, false, nil
	}
	if _, err := uuid.Parse(f.Cooperative); f.Cooperative != "" && err == nil {
		return Page{}, false, nil
	}
	f, err := normalize(f)
	if err != nil {
		return Page{}, true, err
	}
	off, ok, err := decodeIndexCursor(f.Cursor, f.Sort)
	if !ok || err != nil {
		return Page{}, ok, err
	}
	if f.Cursor == "" && !s.index.Current(ctx) {
		return Page{}, false, nil
	}
	items, more, err := s.index.List(ctx, f, off, f.Limit)
	if err != nil {
		return Page{}, true, err
	}
	page := Page{Items: items}
	if page.Items == nil {
		page.Items = []Summary{}
	}
	if more {
		page.NextCursor = indexCursor{Sort: f.Sort, Offset: off + len(items)}.encode()
	}
	return page, true, nil
}
