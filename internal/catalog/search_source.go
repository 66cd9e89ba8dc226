package catalog

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/db"
)

// SearchDocument is the public projection of a product that the search
// index holds: only active products of verified cooperatives have one.
type SearchDocument struct {
	ID              uuid.UUID
	Slug            string
	Name            string
	Keywords        []string
	Description     string // plain text
	CooperativeID   uuid.UUID
	CooperativeSlug string
	CooperativeName string
	Province        string
	Group           string
	Stars           int // current OCOP rating, 0 when none or expired
	Certifications  []string
	SeasonMonths    []int
	PriceVND        int64 // lowest active variant's price, 0 without one
	// PriceMaxVND is the highest active variant's price: above PriceVND
	// when the packagings differ in price (a card then says "từ").
	PriceMaxVND int64
	Unit        string
	InStock     bool
	ThumbURL    string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// searchStore reads the search projection.
type searchStore interface {
	LockSearchDocuments(ctx context.Context, ext sqlx.ExtContext, ids []uuid.UUID) error
	SearchDocuments(ctx context.Context, ext sqlx.ExtContext, ids []uuid.UUID, after uuid.UUID, limit int, today time.Time) ([]SearchDocument, error)
	ProductIDsOfCooperative(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID) ([]uuid.UUID, error)
	SearchChangeMark(ctx context.Context, ext sqlx.ExtContext) (time.Time, error)
	SearchChangedSince(ctx context.Context, ext sqlx.ExtContext, since time.Time, coopTopic string) ([]uuid.UUID, error)
}

// SearchDocuments reads the search documents of the products ids that are
// public now and calls write with them; the others (drafts, archived
// products, products of cooperatives not verified, unknown IDs) are left
// out, which tells the indexer to remove them. From before the read until
// write returns it holds a lock on each product, which another call for
// the same product waits for: two deliveries of one product's changes then
// write the index in the order they read the catalog, so a delayed worker
// cannot write a copy older than what another worker wrote after it.
// write may run again when the transaction is retried.
func (s *Service) SearchDocuments(ctx context.Context, ids []uuid.UUID, write func([]SearchDocument) error) error {
	if len(ids) == 0 {
		return write(nil)
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := s.store.LockSearchDocuments(ctx, tx, ids); err != nil {
			return err
		}
		docs, err := s.store.SearchDocuments(ctx, tx, ids, uuid.Nil, len(ids), s.today())
		if err != nil {
			return err
		}
		s.searchThumbs(docs)
		return write(docs)
	})
}

// EachSearchDocument calls fn with the search document of every public
// product, in pages, for a rebuild of the index.
func (s *Service) EachSearchDocument(ctx context.Context, fn func(SearchDocument) error) error {
	const page = 1000
	after := uuid.Nil
	for {
		docs, err := s.store.SearchDocuments(ctx, s.db, nil, after, page, s.today())
		if err != nil {
			return err
		}
		s.searchThumbs(docs)
		for _, d := range docs {
			if err := fn(d); err != nil {
				return err
			}
		}
		if len(docs) < page {
			return nil
		}
		after = docs[len(docs)-1].ID
	}
}

// ProductIDsOfCooperative returns the IDs of all of a cooperative's
// products, whatever their status: a change to the cooperative may add or
// remove every one of them from the index.
func (s *Service) ProductIDsOfCooperative(ctx context.Context, coopID uuid.UUID) ([]uuid.UUID, error) {
	return s.store.ProductIDsOfCooperative(ctx, s.db, coopID)
}

// SearchChangeMark returns a time on the database's clock at or before
// which every change not yet committed began: the start of the oldest
// transaction running in the database, or now. A change is stamped in the
// outbox with its transaction's start, so one that a read made after this
// call cannot see yet is found by SearchChangedSince(mark). It is how a
// rebuild of the index, which reads the catalog over minutes, learns what
// it may have missed.
func (s *Service) SearchChangeMark(ctx context.Context) (time.Time, error) {
	return s.store.SearchChangeMark(ctx, s.db)
}

// SearchChangedSince returns the IDs of the products whose search
// documents may have changed since the database time since: those the
// catalog's change messages name, and all products of the cooperatives
// that messages of coopTopic name (the cooperative's status and name are
// part of the document). Archived products are included, so that the
// indexer removes them.
func (s *Service) SearchChangedSince(ctx context.Context, since time.Time, coopTopic string) ([]uuid.UUID, error) {
	return s.store.SearchChangedSince(ctx, s.db, since, coopTopic)
}

func (s *Service) searchThumbs(docs []SearchDocument) {
	for i := range docs {
		if u := s.thumbURL(docs[i].ThumbURL); u != nil {
			docs[i].ThumbURL = *u
		} else {
			docs[i].ThumbURL = ""
		}
	}
}

type searchRow struct {
	ID              uuid.UUID      `db:"id"`
	Slug            string         `db:"slug"`
	Name            string         `db:"name"`
	Keywords        pq.StringArray `db:"keywords"`
	DescriptionHTML string         `db:"description_html"`
	CoopID          uuid.UUID      `db:"cooperative_id"`
	CoopSlug        string         `db:"coop_slug"`
	CoopName        string         `db:"coop_name"`
	Province        string         `db:"province_slug"`
	Group           string         `db:"group_slug"`
	Stars           int            `db:"stars"`
	Certifications  pq.StringArray `db:"certifications"`
	SeasonMonths    pq.Int64Array  `db:"season_months"`
	Price           int64          `db:"price"`
	PriceMax        int64          `db:"price_max"`
	Unit            sql.NullString `db:"unit"`
	InStock         bool           `db:"in_stock"`
	ThumbKey        sql.NullString `db:"thumb_key"`
	CreatedAt       time.Time      `db:"created_at"`
	UpdatedAt       time.Time      `db:"updated_at"`
}

func toSearchDocument(r searchRow) SearchDocument {
	d := SearchDocument{
		ID: r.ID, Slug: r.Slug, Name: r.Name, Keywords: nonNil(r.Keywords), Description: plainText(r.DescriptionHTML),
		CooperativeID: r.CoopID, CooperativeSlug: r.CoopSlug, CooperativeName: r.CoopName,
		Province: r.Province, Group: r.Group, Stars: r.Stars, Certifications: nonNil(r.Certifications),
		SeasonMonths: make([]int, len(r.SeasonMonths)), PriceVND: r.Price, PriceMaxVND: r.PriceMax, Unit: r.Unit.String,
		InStock: r.InStock, ThumbURL: r.ThumbKey.String, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	for i, m := range r.SeasonMonths {
		d.SeasonMonths[i] = int(m)
	}
	return d
}

// SearchDocuments reads public products: those in ids, or, when ids is
// nil, up to limit of them after the ID after.
func (s *PGStore) SearchDocuments(ctx context.Context, ext sqlx.ExtContext, ids []uuid.UUID, after uuid.UUID, limit int, today time.Time) ([]SearchDocument, error) {
	const q = `
SELECT p.id, p.slug, p.name, p.keywords, p.description_html, p.cooperative_id,
       c.slug AS coop_slug, c.name AS coop_name, p.province_slug, p.group_slug,
       CASE WHEN p.ocop_expires_on IS NULL OR p.ocop_expires_on >= $4::date
            THEN coalesce(p.ocop_stars, 0) ELSE 0 END AS stars,
       p.certifications, p.season_months, coalesce(p.min_price_vnd, 0) AS price, v.unit,
       coalesce(v.price_max, 0) AS price_max,
       EXISTS (SELECT 1 FROM product_variants s
               WHERE s.product_id = p.id AND s.status = 'active' AND s.stock > 0) AS in_stock,
       (SELECT i.thumb_key FROM product_images i
        WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1) AS thumb_key,
       p.created_at, p.updated_at
FROM products p
JOIN cooperatives c ON c.id = p.cooperative_id
LEFT JOIN LATERAL (
    SELECT v.unit, max(v.price_vnd) OVER () AS price_max FROM product_variants v
    WHERE v.product_id = p.id AND v.status = 'active'
    ORDER BY v.price_vnd, v.position, v.id
    LIMIT 1
) v ON true
WHERE p.status = 'active'
  AND c.status = 'verified'
  AND ($1::uuid[] IS NULL OR p.id = ANY($1))
  AND p.id > $2
ORDER BY p.id
LIMIT $3`
	var idArg any
	if ids != nil {
		idArg = pq.Array(ids)
	}
	var rows []searchRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q, idArg, after, limit, today.Format(time.DateOnly)); err != nil {
		return nil, fmt.Errorf("catalog: search documents: %w", err)
	}
	out := make([]SearchDocument, len(rows))
	for i, r := range rows {
		out[i] = toSearchDocument(r)
	}
	return out, nil
}

// searchLockSpace is the first key of the products' indexing locks
// (pg_advisory_xact_lock(int, int), a key space apart from the one-key
// locks of the search index and the imports).
const searchLockSpace = 73_961_310

// LockSearchDocuments takes, until the end of the transaction, the
// indexing lock of each product of ids: the keys are sorted, so that two
// transactions locking overlapping sets take them in the same order and
// never deadlock. Two products may share a key (32 bits of the ID): they
// then wait for each other, which is harmless.
func (s *PGStore) LockSearchDocuments(ctx context.Context, ext sqlx.ExtContext, ids []uuid.UUID) error {
	keys := make([]int64, len(ids))
	for i, id := range ids {
		keys[i] = int64(int32(binary.BigEndian.Uint32(id[12:])))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	// unnest yields the keys in the array's order, and the aggregate takes
	// the locks in the order its rows come.
	const q = `
SELECT count(pg_advisory_xact_lock($1, k))
FROM unnest($2::int[]) AS k`
	if _, err := ext.ExecContext(ctx, q, searchLockSpace, pq.Array(keys)); err != nil {
		return fmt.Errorf("catalog: lock products for indexing: %w", err)
	}
	return nil
}

// ProductIDsOfCooperative lists the IDs of a cooperative's products.
func (s *PGStore) ProductIDsOfCooperative(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID) ([]uuid.UUID, error) {
	const q = `
SELECT id
FROM products
WHERE cooperative_id = $1
ORDER BY id`
	var ids []uuid.UUID
	if err := sqlx.SelectContext(ctx, ext, &ids, q, coopID); err != nil {
		return nil, fmt.Errorf("catalog: product IDs of cooperative: %w", err)
	}
	return ids, nil
}

// SearchChangeMark reads the start of the oldest transaction running in
// this database. Sessions of other roles are listed without it unless the
// role may read all statistics (pg_read_all_stats): the margin a caller
// takes off the mark covers their short transactions only.
func (s *PGStore) SearchChangeMark(ctx context.Context, ext sqlx.ExtContext) (time.Time, error) {
	const q = `
SELECT least(now(), min(a.xact_start))
FROM pg_stat_activity a
WHERE a.datname = current_database()`
	var mark time.Time
	if err := sqlx.GetContext(ctx, ext, &mark, q); err != nil {
		return time.Time{}, fmt.Errorf("catalog: search change mark: %w", err)
	}
	return mark, nil
}

// SearchChangedSince reads the outbox: it is the record of every change
// the search indexer is told about, stamped by the database's clock. Keys
// that are not UUIDs are skipped, as the indexer skips them.
func (s *PGStore) SearchChangedSince(ctx context.Context, ext sqlx.ExtContext, since time.Time, coopTopic string) ([]uuid.UUID, error) {
	const q = `
WITH changed AS (
    SELECT o.topic,
           CASE WHEN o.key ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$' THEN o.key::uuid END AS id
    FROM outbox o
    WHERE o.created_at >= $1
      AND o.topic IN ($2, $3)
)
SELECT c.id
FROM changed c
WHERE c.topic = $2
  AND c.id IS NOT NULL
UNION
SELECT p.id
FROM changed c
JOIN products p ON p.cooperative_id = c.id
WHERE c.topic = $3
ORDER BY 1`
	var ids []uuid.UUID
	if err := sqlx.SelectContext(ctx, ext, &ids, q, since, TopicProductChanged, coopTopic); err != nil {
		return nil, fmt.Errorf("catalog: search changes: %w", err)
	}
	return ids, nil
}

var (
	htmlTag = regexp.MustCompile(`<[^>]*>`)
	spaces  = regexp.MustCompile(`\s+`)
)

// plainText turns a description's sanitised HTML into plain text: tags
// become spaces, entities characters.
func plainText(h string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(html.UnescapeString(htmlTag.ReplaceAllString(h, " ")), " "))
}

// OCOPGroups returns the slugs of the OCOP product groups.
func (s *Service) OCOPGroups(ctx context.Context) ([]string, error) {
	return s.store.Groups(ctx, s.db)
}
