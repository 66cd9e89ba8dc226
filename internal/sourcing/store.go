package sourcing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// store is sourcing's SQL. Matching reads the cooperatives, products and
// sub-orders it scores by (verification, OCOP stars, certifications,
// delivered sub-orders) read-only, in the same statements as the offers.
type store struct{}

const dateLayout = "2006-01-02"

type requestRow struct {
	ID             uuid.UUID      `db:"id"`
	BuyerID        uuid.UUID      `db:"buyer_id"`
	Text           string         `db:"text"`
	Group          sql.NullString `db:"group_slug"`
	Quantity       float64        `db:"quantity"`
	Unit           string         `db:"unit"`
	Dimension      string         `db:"dimension"`
	Base           float64        `db:"base_quantity"`
	MaxPrice       *int64         `db:"max_unit_price_vnd"`
	Province       string         `db:"province_slug"`
	ProvinceName   string         `db:"province_name"`
	WantedFrom     time.Time      `db:"wanted_from"`
	WantedTo       time.Time      `db:"wanted_to"`
	Certifications pq.StringArray `db:"certifications"`
	MinStars       int            `db:"min_stars"`
	Recurrence     string         `db:"recurrence"`
	Invited        pq.StringArray `db:"invited"` // "id|slug|name"
	Notes          string         `db:"notes"`
	Status         string         `db:"status"`
	Quotes         int            `db:"quotes"`
	CreatedAt      time.Time      `db:"created_at"`
}

func toRequest(r requestRow) Request {
	out := Request{ID: r.ID, Text: r.Text, Group: r.Group.String, Quantity: r.Quantity, Unit: r.Unit, MaxUnitPriceVND: r.MaxPrice,
		Province: r.Province, ProvinceName: r.ProvinceName, WantedFrom: r.WantedFrom.Format(dateLayout),
		WantedTo: r.WantedTo.Format(dateLayout), Certifications: []string(r.Certifications), MinStars: r.MinStars,
		Recurrence: r.Recurrence, Invited: []CoopRef{}, Notes: r.Notes, Status: r.Status, Quotes: r.Quotes, CreatedAt: r.CreatedAt,
		buyerID: r.BuyerID, dimension: Dimension(r.Dimension), base: r.Base}
	if out.Certifications == nil {
		out.Certifications = []string{}
	}
	for _, s := range r.Invited {
		if ref, ok := parseRef(s); ok {
			out.Invited = append(out.Invited, ref)
		}
	}
	return out
}

func parseRef(s string) (CoopRef, bool) {
	var parts [3]string
	n := 0
	start := 0
	for i := 0; i < len(s) && n < 2; i++ {
		if s[i] == '|' {
			parts[n] = s[start:i]
			n++
			start = i + 1
		}
	}
	if n < 2 {
		return CoopRef{}, false
	}
	parts[2] = s[start:]
	id, err := uuid.Parse(parts[0])
	if err != nil {
		return CoopRef{}, false
	}
	return CoopRef{ID: id, Slug: parts[1], Name: parts[2]}, true
}

// requestSelect reads requests with their province's name, invited
// cooperatives and number of quotes.
const requestSelect = `
SELECT r.id, r.buyer_id, r.text, r.group_slug, r.quantity, r.unit, r.dimension, r.base_quantity, r.max_unit_price_vnd,
       r.province_slug, p.name AS province_name, r.wanted_from, r.wanted_to, r.certifications, r.min_stars, r.recurrence,
       ARRAY(SELECT c.id || '|' || c.slug || '|' || c.name FROM cooperatives c WHERE c.id = ANY (r.invited) ORDER BY c.name) AS invited,
       r.notes, r.status,
       (SELECT count(*) FROM sourcing_quotes q WHERE q.request_id = r.id AND q.status IN ('submitted', 'accepted')) AS quotes,
       r.created_at
FROM sourcing_requests r
JOIN provinces p ON p.slug = r.province_slug`

func (store) insertRequest(ctx context.Context, ext sqlx.ExtContext, id, buyer uuid.UUID, in NewRequest, u Unit, base float64,
	from, to time.Time, invited []uuid.UUID) error {
	const q = `
INSERT INTO sourcing_requests (id, buyer_id, text, group_slug, quantity, unit, dimension, base_quantity, max_unit_price_vnd,
                               province_slug, wanted_from, wanted_to, certifications, min_stars, recurrence, invited, notes)
VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7, $8, NULLIF($9, 0), $10, $11, $12, $13, $14, $15, $16, $17)`
	_, err := ext.ExecContext(ctx, q, id, buyer, in.Text, in.Group, in.Quantity, u.Name, string(u.Dimension), base,
		in.MaxUnitPriceVND, in.Province, from, to, pq.Array(in.Certifications), in.MinStars, in.Recurrence,
		pq.Array(invited), in.Notes)
	if err != nil {
		return fmt.Errorf("sourcing: insert request: %w", err)
	}
	return nil
}

func (store) request(ctx context.Context, ext sqlx.QueryerContext, id uuid.UUID, lock bool) (Request, error) {
	q := requestSelect + `
WHERE r.id = $1`
	if lock {
		q += `
FOR UPDATE OF r`
	}
	var r requestRow
	if err := sqlx.GetContext(ctx, ext, &r, q, id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Request{}, ErrRequestNotFound
		}
		return Request{}, fmt.Errorf("sourcing: request: %w", err)
	}
	return toRequest(r), nil
}

func (store) requests(ctx context.Context, ext sqlx.QueryerContext, where string, limit, offset int, args ...any) ([]Request, error) {
	q := requestSelect + `
WHERE ` + where + `
ORDER BY r.created_at DESC, r.id DESC
LIMIT ` + fmt.Sprint(limit) + ` OFFSET ` + fmt.Sprint(offset)
	var rows []requestRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("sourcing: requests: %w", err)
	}
	out := make([]Request, len(rows))
	for i, r := range rows {
		out[i] = toRequest(r)
	}
	return out, nil
}

func (store) setRequestStatus(ctx context.Context, ext sqlx.ExecerContext, id uuid.UUID, status string) error {
	const q = `
UPDATE sourcing_requests
SET status = $2, updated_at = now()
WHERE id = $1`
	if _, err := ext.ExecContext(ctx, q, id, status); err != nil {
		return fmt.Errorf("sourcing: request status: %w", err)
	}
	return nil
}

// matchedCoops returns the cooperatives matched with a request or that
// quoted on it.
func (store) matchedCoops(ctx context.Context, ext sqlx.QueryerContext, request uuid.UUID) ([]uuid.UUID, error) {
	const q = `
SELECT cooperative_id
FROM sourcing_matches
WHERE request_id = $1
UNION
SELECT cooperative_id
FROM sourcing_quotes
WHERE request_id = $1`
	var ids []uuid.UUID
	if err := sqlx.SelectContext(ctx, ext, &ids, q, request); err != nil {
		return nil, fmt.Errorf("sourcing: matched cooperatives: %w", err)
	}
	return ids, nil
}

// addMatches records matches (uuid.Nil for an invited cooperative's
// missing offer) and returns the cooperatives newly matched.
func (store) addMatches(ctx context.Context, ext sqlx.QueryerContext, request uuid.UUID, coops, offers []uuid.UUID, scores []float64) ([]uuid.UUID, error) {
	const q = `
INSERT INTO sourcing_matches (request_id, cooperative_id, offer_id, score)
SELECT $1, t.coop, NULLIF(t.offer, '00000000-0000-0000-0000-000000000000'::uuid), t.score
FROM unnest($2::uuid[], $3::uuid[], $4::float8[]) AS t (coop, offer, score)
ON CONFLICT (request_id, cooperative_id) DO NOTHING
RETURNING cooperative_id`
	var ids []uuid.UUID
	if err := sqlx.SelectContext(ctx, ext, &ids, q, request, pq.Array(coops), pq.Array(offers), pq.Array(scores)); err != nil {
		return nil, fmt.Errorf("sourcing: add matches: %w", err)
	}
	return ids, nil
}

// coopRefs resolves IDs or slugs of verified cooperatives.
func (store) coopRefs(ctx context.Context, ext sqlx.QueryerContext, keys []string) (map[string]CoopRef, error) {
	const q = `
SELECT id, slug, name
FROM cooperatives
WHERE status = 'verified'
  AND (id::text = ANY ($1) OR slug = ANY ($1))`
	var rows []struct {
		ID   uuid.UUID `db:"id"`
		Slug string    `db:"slug"`
		Name string    `db:"name"`
	}
	if err := sqlx.SelectContext(ctx, ext, &rows, q, pq.Array(keys)); err != nil {
		return nil, fmt.Errorf("sourcing: cooperatives: %w", err)
	}
	out := map[string]CoopRef{}
	for _, r := range rows {
		ref := CoopRef{ID: r.ID, Slug: r.Slug, Name: r.Name}
		out[r.ID.String()], out[r.Slug] = ref, ref
	}
	return out, nil
}

type coopRow struct {
	ID       uuid.UUID `db:"id"`
	Slug     string    `db:"slug"`
	Name     string    `db:"name"`
	Province string    `db:"province_slug"`
	Status   string    `db:"status"`
}

func (store) coop(ctx context.Context, ext sqlx.QueryerContext, id uuid.UUID) (coopRow, error) {
	const q = `
SELECT id, slug, name, province_slug, status
FROM cooperatives
WHERE id = $1`
	var r coopRow
	if err := sqlx.GetContext(ctx, ext, &r, q, id); err != nil {
		return coopRow{}, fmt.Errorf("sourcing: cooperative: %w", err)
	}
	return r, nil
}

func (store) groupExists(ctx context.Context, ext sqlx.QueryerContext, slug string) (bool, error) {
	var ok bool
	if err := sqlx.GetContext(ctx, ext, &ok, `SELECT EXISTS (SELECT 1 FROM ocop_groups WHERE slug = $1)`, slug); err != nil {
		return false, fmt.Errorf("sourcing: group: %w", err)
	}
	return ok, nil
}

// productText returns the name and keywords of a cooperative's active
// product, or found false.
func (store) productText(ctx context.Context, ext sqlx.QueryerContext, coop, product uuid.UUID) (string, []string, bool, error) {
	const q = `
SELECT name, keywords
FROM products
WHERE id = $1
  AND cooperative_id = $2
  AND status = 'active'`
	var r struct {
		Name     string         `db:"name"`
		Keywords pq.StringArray `db:"keywords"`
	}
	err := sqlx.GetContext(ctx, ext, &r, q, product, coop)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, false, nil
	}
	if err != nil {
		return "", nil, false, fmt.Errorf("sourcing: product: %w", err)
	}
	return r.Name, []string(r.Keywords), true, nil
}

type offerRow struct {
	ID             uuid.UUID      `db:"id"`
	CoopID         uuid.UUID      `db:"cooperative_id"`
	CoopSlug       string         `db:"cooperative_slug"`
	CoopName       string         `db:"cooperative_name"`
	Verified       bool           `db:"verified"`
	ProductID      *uuid.UUID     `db:"product_id"`
	ProductName    sql.NullString `db:"product_name"`
	Text           string         `db:"text"`
	Words          pq.StringArray `db:"words"`
	Kind           string         `db:"kind"`
	Quantity       float64        `db:"quantity"`
	MinQuantity    float64        `db:"min_quantity"`
	Unit           string         `db:"unit"`
	Dimension      string         `db:"dimension"`
	Base           float64        `db:"base_quantity"`
	BaseMin        float64        `db:"base_min"`
	Months         pq.Int64Array  `db:"months"`
	AvailableUntil *time.Time     `db:"available_until"`
	UnitPriceVND   int64          `db:"unit_price_vnd"`
	BasePrice      float64        `db:"base_price"`
	Province       string         `db:"province_slug"`
	ProvinceName   string         `db:"province_name"`
	Stars          int            `db:"stars"`
	Certifications pq.StringArray `db:"certifications"`
	Status         string         `db:"status"`
	CreatedAt      time.Time      `db:"created_at"`
}

func toOffer(r offerRow) Offer {
	o := Offer{ID: r.ID, Cooperative: CoopRef{ID: r.CoopID, Slug: r.CoopSlug, Name: r.CoopName}, ProductID: r.ProductID,
		ProductName: r.ProductName.String, Text: r.Text, Kind: r.Kind, Quantity: r.Quantity, MinQuantity: r.MinQuantity,
		Unit: r.Unit, Months: []int{}, UnitPriceVND: r.UnitPriceVND, Province: r.Province, ProvinceName: r.ProvinceName,
		Status: r.Status, CreatedAt: r.CreatedAt}
	for _, m := range r.Months {
		o.Months = append(o.Months, int(m))
	}
	if r.AvailableUntil != nil {
		s := r.AvailableUntil.Format(dateLayout)
		o.AvailableUntil = &s
	}
	return o
}

const offerSelect = `
SELECT o.id, o.cooperative_id, c.slug AS cooperative_slug, c.name AS cooperative_name, c.status = 'verified' AS verified,
       o.product_id, pr.name AS product_name, o.text, o.words, o.kind, o.quantity, o.min_quantity, o.unit, o.dimension,
       o.base_quantity, o.base_min, o.months, o.available_until, o.unit_price_vnd, o.base_price, o.province_slug,
       pv.name AS province_name,
       coalesce(CASE WHEN pr.ocop_expires_on IS NULL OR pr.ocop_expires_on >= current_date THEN pr.ocop_stars END, 0) AS stars,
       coalesce(pr.certifications, '{}') AS certifications, o.status, o.created_at
FROM sourcing_offers o
JOIN cooperatives c ON c.id = o.cooperative_id
JOIN provinces pv ON pv.slug = o.province_slug
LEFT JOIN products pr ON pr.id = o.product_id`

func (store) insertOffer(ctx context.Context, ext sqlx.ExtContext, id, coop uuid.UUID, in NewOffer, words []string, u Unit,
	until *time.Time) error {
	const q = `
INSERT INTO sourcing_offers (id, cooperative_id, product_id, text, words, kind, quantity, min_quantity, unit, dimension,
                             base_quantity, base_min, months, available_until, unit_price_vnd, base_price, province_slug)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`
	_, err := ext.ExecContext(ctx, q, id, coop, in.ProductID, in.Text, pq.Array(words), in.Kind, in.Quantity, in.MinQuantity,
		u.Name, string(u.Dimension), in.Quantity*u.Base, in.MinQuantity*u.Base, pq.Array(in.Months), until,
		in.UnitPriceVND, float64(in.UnitPriceVND)/u.Base, in.Province)
	if err != nil {
		return fmt.Errorf("sourcing: insert offer: %w", err)
	}
	return nil
}

func (store) offers(ctx context.Context, ext sqlx.QueryerContext, where string, limit int, args ...any) ([]offerRow, error) {
	q := offerSelect + `
WHERE ` + where + `
LIMIT ` + fmt.Sprint(limit)
	var rows []offerRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("sourcing: offers: %w", err)
	}
	return rows, nil
}

// slimOffer is what scoring needs of an offer, read without the text
// that only the shown matches need.
type slimOffer struct {
	ID             uuid.UUID
	CoopID         uuid.UUID
	ProductID      *uuid.UUID
	Words          []string
	Dimension      string
	Base, BaseMin  float64
	BasePrice      float64
	Months         []int64
	AvailableUntil *time.Time
	Province       string
	Stars          int
	Certifications []string
	Verified       bool
	// Fulfilment is the cooperative's record when Rated.
	Fulfilment float64
	Rated      bool
}

func toSlim(r offerRow) slimOffer {
	return slimOffer{ID: r.ID, CoopID: r.CoopID, ProductID: r.ProductID, Words: []string(r.Words), Dimension: r.Dimension,
		Base: r.Base, BaseMin: r.BaseMin, BasePrice: r.BasePrice, Months: []int64(r.Months), AvailableUntil: r.AvailableUntil,
		Province: r.Province, Stars: r.Stars, Certifications: []string(r.Certifications), Verified: r.Verified}
}

// candidateFilter is the prefilter of matching: the hard constraints SQL
// can check with the offers' indexes.
type candidateFilter struct {
	Dimension  Dimension
	Words      []string    // any of them
	Products   []uuid.UUID // or an offer of one of these products
	Need       float64     // base units: no minimum order above it
	Months     []int       // an offer's season overlaps them (or it has none)
	WantedFrom time.Time   // a surplus still available then
	// Lat, Lng and PerBaseKM order the candidates by delivered cost:
	// price per base unit plus PerBaseKM for each km from the delivery
	// province.
	Lat, Lng, PerBaseKM float64
}

// candidates are the active offers of verified cooperatives that pass the
// prefilter and share a word with the request or are of a product the
// search engine found, cheapest delivered first, at most limit, each with
// its cooperative's fulfilment record.
//
// The query does the least work per offer that passes the prefilter: the
// distance of each province is computed once, the cheapest are kept by
// the columns the order needs, and only those kept are joined with their
// product and their cooperative's sub-orders (counted a cooperative at a
// time on its index, whatever the size of sub_orders). They come back as one text
// (fields split by \x1f, offers by \x1e) parsed here: scanning thousands
// of rows and arrays through the driver costs more than the query.
func (store) candidates(ctx context.Context, ext sqlx.QueryerContext, f candidateFilter, limit int) ([]slimOffer, error) {
	var blob sql.NullString
	if err := ext.QueryRowxContext(ctx, candidatesQuery, f.args(limit)...).Scan(&blob); err != nil {
		return nil, fmt.Errorf("sourcing: candidates: %w", err)
	}
	out, err := parseCandidates(blob.String, f.Dimension)
	if err != nil {
		return nil, fmt.Errorf("sourcing: candidates: %w", err)
	}
	return out, nil
}

// args are the candidates query's arguments.
func (f candidateFilter) args(limit int) []any {
	months := make([]int64, len(f.Months))
	for i, m := range f.Months {
		months[i] = int64(m)
	}
	return []any{string(f.Dimension), pq.Array(f.Words), pq.Array(f.Products), f.Need, pq.Array(months), f.WantedFrom, limit,
		f.PerBaseKM, f.Lat, f.Lng}
}

const candidatesQuery = `
WITH km AS MATERIALIZED (
    SELECT slug, 12742 * asin(least(1, sqrt(
               power(sin(radians(lat - $9::float8) / 2), 2)
               + cos(radians($9::float8)) * cos(radians(lat)) * power(sin(radians(lng - $10::float8) / 2), 2)))) AS km
    FROM provinces
), top AS MATERIALIZED (
    SELECT o.id, o.cooperative_id, o.product_id, o.words, o.base_quantity, o.base_min, o.base_price, o.months,
           o.available_until, o.province_slug, o.base_price + $8::float8 * km.km AS cost
    FROM sourcing_offers o
    JOIN cooperatives c ON c.id = o.cooperative_id AND c.status = 'verified'
    JOIN km ON km.slug = o.province_slug
    WHERE o.status = 'active'
      AND o.dimension = $1
      AND (o.words && $2::text[] OR o.product_id = ANY ($3::uuid[]))
      AND o.base_min <= $4
      AND (o.months = '{}' OR o.months && $5::smallint[])
      AND (o.available_until IS NULL OR o.available_until >= $6)
    ORDER BY cost, o.id
    LIMIT $7
), record AS (
    SELECT k.cooperative_id, f.delivered, f.failed
    FROM (SELECT DISTINCT cooperative_id FROM top) k
    CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE so.status IN ('delivered', 'completed')) AS delivered,
               count(*) FILTER (WHERE so.status IN ('cancelled', 'refunded')) AS failed
        FROM sub_orders so
        WHERE so.cooperative_id = k.cooperative_id) f
)
SELECT string_agg(concat_ws(E'\x1f', t.id, t.cooperative_id, coalesce(t.product_id::text, ''), array_to_string(t.words, ' '), t.base_quantity,
                            t.base_min, t.base_price, array_to_string(t.months, ' '),
                            coalesce(to_char(t.available_until, 'YYYY-MM-DD'), ''), t.province_slug,
                            coalesce(CASE WHEN pr.ocop_expires_on IS NULL OR pr.ocop_expires_on >= current_date THEN pr.ocop_stars END, 0),
                            coalesce(array_to_string(pr.certifications, E'\x1d'), ''), coalesce(r.delivered, 0), coalesce(r.failed, 0)),
                  E'\x1e' ORDER BY t.cost, t.id)
FROM top t
LEFT JOIN products pr ON pr.id = t.product_id
LEFT JOIN record r ON r.cooperative_id = t.cooperative_id`

// parseCandidates reads the candidates query's text; a missing product,
// date or certification list is an empty field.
func parseCandidates(blob string, dim Dimension) ([]slimOffer, error) {
	if blob == "" {
		return nil, nil
	}
	out := make([]slimOffer, 0, strings.Count(blob, "\x1e")+1)
	var f [14]string
	for len(blob) > 0 {
		rec := blob
		if k := strings.IndexByte(blob, 0x1e); k >= 0 {
			rec, blob = blob[:k], blob[k+1:]
		} else {
			blob = ""
		}
		n := 0
		for n < len(f)-1 {
			k := strings.IndexByte(rec, 0x1f)
			if k < 0 {
				break
			}
			f[n], rec = rec[:k], rec[k+1:]
			n++
		}
		f[n] = rec
		if n != len(f)-1 {
			return nil, fmt.Errorf("offer of %d fields", n+1)
		}
		var o slimOffer
		var err error
		if o.ID, err = uuid.Parse(f[0]); err != nil {
			return nil, err
		}
		if o.CoopID, err = uuid.Parse(f[1]); err != nil {
			return nil, err
		}
		if f[2] != "" {
			id, err := uuid.Parse(f[2])
			if err != nil {
				return nil, err
			}
			o.ProductID = &id
		}
		o.Words = strings.Fields(f[3])
		if o.Base, err = strconv.ParseFloat(f[4], 64); err != nil {
			return nil, err
		}
		if o.BaseMin, err = strconv.ParseFloat(f[5], 64); err != nil {
			return nil, err
		}
		if o.BasePrice, err = strconv.ParseFloat(f[6], 64); err != nil {
			return nil, err
		}
		for _, m := range strings.Fields(f[7]) {
			v, err := strconv.Atoi(m)
			if err != nil {
				return nil, err
			}
			o.Months = append(o.Months, int64(v))
		}
		if f[8] != "" {
			d, err := time.Parse(dateLayout, f[8])
			if err != nil {
				return nil, err
			}
			o.AvailableUntil = &d
		}
		o.Province = f[9]
		if o.Stars, err = strconv.Atoi(f[10]); err != nil {
			return nil, err
		}
		if f[11] != "" {
			o.Certifications = strings.Split(f[11], "\x1d")
		}
		delivered, err := strconv.Atoi(f[12])
		if err != nil {
			return nil, err
		}
		failed, err := strconv.Atoi(f[13])
		if err != nil {
			return nil, err
		}
		o.Dimension, o.Verified, o.Fulfilment, o.Rated = string(dim), true, FulfilmentRate(delivered, failed), true
		out = append(out, o)
	}
	return out, nil
}

// offersByID reads offers in full.
func (s store) offersByID(ctx context.Context, ext sqlx.QueryerContext, ids []uuid.UUID) (map[uuid.UUID]offerRow, error) {
	rows, err := s.offers(ctx, ext, `o.id = ANY ($1)`, len(ids)+1, pq.Array(ids))
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]offerRow, len(rows))
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

// fulfilment counts each cooperative's delivered and failed sub-orders.
func (store) fulfilment(ctx context.Context, ext sqlx.QueryerContext, coops []uuid.UUID) (map[uuid.UUID]float64, error) {
	const q = `
SELECT cooperative_id,
       count(*) FILTER (WHERE status IN ('delivered', 'completed')) AS delivered,
       count(*) FILTER (WHERE status IN ('cancelled', 'refunded')) AS failed
FROM sub_orders
WHERE cooperative_id = ANY ($1)
GROUP BY cooperative_id`
	var rows []struct {
		Coop      uuid.UUID `db:"cooperative_id"`
		Delivered int       `db:"delivered"`
		Failed    int       `db:"failed"`
	}
	if err := sqlx.SelectContext(ctx, ext, &rows, q, pq.Array(coops)); err != nil {
		return nil, fmt.Errorf("sourcing: fulfilment: %w", err)
	}
	out := make(map[uuid.UUID]float64, len(coops))
	for _, c := range coops {
		out[c] = FulfilmentRate(0, 0)
	}
	for _, r := range rows {
		out[r.Coop] = FulfilmentRate(r.Delivered, r.Failed)
	}
	return out, nil
}

func (store) withdrawOffer(ctx context.Context, ext sqlx.ExecerContext, id, coop uuid.UUID) (bool, error) {
	const q = `
UPDATE sourcing_offers
SET status = 'withdrawn', updated_at = now()
WHERE id = $1
  AND cooperative_id = $2
  AND status = 'active'`
	res, err := ext.ExecContext(ctx, q, id, coop)
	if err != nil {
		return false, fmt.Errorf("sourcing: withdraw offer: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

type quoteRow struct {
	ID           uuid.UUID  `db:"id"`
	RequestID    uuid.UUID  `db:"request_id"`
	CoopID       uuid.UUID  `db:"cooperative_id"`
	CoopSlug     string     `db:"cooperative_slug"`
	CoopName     string     `db:"cooperative_name"`
	OfferID      *uuid.UUID `db:"offer_id"`
	VariantID    uuid.UUID  `db:"variant_id"`
	ProductName  string     `db:"product_name"`
	Unit         string     `db:"unit"`
	UnitPriceVND int64      `db:"unit_price_vnd"`
	Quantity     int        `db:"quantity"`
	DeliveryDate time.Time  `db:"delivery_date"`
	ValidUntil   time.Time  `db:"valid_until"`
	Note         string     `db:"note"`
	Deposit      int        `db:"deposit_percent"`
	Status       string     `db:"status"`
	OrderID      *uuid.UUID `db:"order_id"`
	CreatedAt    time.Time  `db:"created_at"`
}

func toQuote(r quoteRow) Quote {
	return Quote{ID: r.ID, RequestID: r.RequestID, Cooperative: CoopRef{ID: r.CoopID, Slug: r.CoopSlug, Name: r.CoopName},
		OfferID: r.OfferID, VariantID: r.VariantID, ProductName: r.ProductName, Unit: r.Unit, UnitPriceVND: r.UnitPriceVND,
		Quantity: r.Quantity, TotalVND: r.UnitPriceVND * int64(r.Quantity), DeliveryDate: r.DeliveryDate.Format(dateLayout),
		ValidUntil: r.ValidUntil.Format(dateLayout), Note: r.Note, DepositPercent: r.Deposit, Status: r.Status, OrderID: r.OrderID,
		CreatedAt: r.CreatedAt}
}

const quoteSelect = `
SELECT q.id, q.request_id, q.cooperative_id, c.slug AS cooperative_slug, c.name AS cooperative_name, q.offer_id,
       q.variant_id, p.name AS product_name, v.unit, q.unit_price_vnd, q.quantity, q.delivery_date, q.valid_until,
       q.note, q.deposit_percent, q.status, q.order_id, q.created_at
FROM sourcing_quotes q
JOIN cooperatives c ON c.id = q.cooperative_id
JOIN product_variants v ON v.id = q.variant_id
JOIN products p ON p.id = v.product_id`

// quotes returns a request's quotes, of the given cooperatives only
// unless all.
func (store) quotes(ctx context.Context, ext sqlx.QueryerContext, request uuid.UUID, all bool, coops []uuid.UUID) ([]Quote, error) {
	q := quoteSelect + `
WHERE q.request_id = $1
  AND ($2 OR q.cooperative_id = ANY ($3))
ORDER BY q.unit_price_vnd, q.created_at`
	var rows []quoteRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q, request, all, pq.Array(coops)); err != nil {
		return nil, fmt.Errorf("sourcing: quotes: %w", err)
	}
	out := make([]Quote, len(rows))
	for i, r := range rows {
		out[i] = toQuote(r)
	}
	return out, nil
}

// variantOf reports whether a variant is on sale by the cooperative.
func (store) variantOf(ctx context.Context, ext sqlx.QueryerContext, coop, variant uuid.UUID) (bool, error) {
	const q = `
SELECT EXISTS (
    SELECT 1
    FROM product_variants v
    JOIN products p ON p.id = v.product_id
    WHERE v.id = $1
      AND v.cooperative_id = $2
      AND v.status = 'active'
      AND p.status = 'active')`
	var ok bool
	if err := sqlx.GetContext(ctx, ext, &ok, q, variant, coop); err != nil {
		return false, fmt.Errorf("sourcing: variant: %w", err)
	}
	return ok, nil
}

func (store) offerOf(ctx context.Context, ext sqlx.QueryerContext, coop, offer uuid.UUID) (bool, error) {
	var ok bool
	if err := sqlx.GetContext(ctx, ext, &ok, `SELECT EXISTS (SELECT 1 FROM sourcing_offers WHERE id = $1 AND cooperative_id = $2)`,
		offer, coop); err != nil {
		return false, fmt.Errorf("sourcing: offer: %w", err)
	}
	return ok, nil
}

// upsertQuote writes a cooperative's quote, replacing one not yet
// accepted; ok is false when its quote is accepted already.
func (store) upsertQuote(ctx context.Context, ext sqlx.QueryerContext, request, coop uuid.UUID, in NewQuote, delivery, valid time.Time) (uuid.UUID, bool, error) {
	const q = `
INSERT INTO sourcing_quotes (id, request_id, cooperative_id, offer_id, variant_id, unit_price_vnd, quantity, delivery_date,
                             valid_until, note, deposit_percent)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (request_id, cooperative_id) DO UPDATE
SET offer_id = EXCLUDED.offer_id, variant_id = EXCLUDED.variant_id, unit_price_vnd = EXCLUDED.unit_price_vnd,
    quantity = EXCLUDED.quantity, delivery_date = EXCLUDED.delivery_date, valid_until = EXCLUDED.valid_until,
    note = EXCLUDED.note, deposit_percent = EXCLUDED.deposit_percent, status = 'submitted', updated_at = now()
WHERE sourcing_quotes.status <> 'accepted'
RETURNING id`
	var id uuid.UUID
	err := sqlx.GetContext(ctx, ext, &id, q, uuid.Must(uuid.NewV7()), request, coop, in.OfferID, in.VariantID, in.UnitPriceVND,
		in.Quantity, delivery, valid, in.Note, in.DepositPercent)
	if errors.Is(err, sql.ErrNoRows) {
		return uuid.Nil, false, nil
	}
	if err != nil {
		return uuid.Nil, false, fmt.Errorf("sourcing: quote: %w", err)
	}
	return id, true, nil
}

func (store) lockQuotes(ctx context.Context, ext sqlx.QueryerContext, request uuid.UUID, ids []uuid.UUID) ([]Quote, error) {
	q := quoteSelect + `
WHERE q.request_id = $1
  AND q.id = ANY ($2)
ORDER BY q.id
FOR UPDATE OF q`
	var rows []quoteRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q, request, pq.Array(ids)); err != nil {
		return nil, fmt.Errorf("sourcing: lock quotes: %w", err)
	}
	out := make([]Quote, len(rows))
	for i, r := range rows {
		out[i] = toQuote(r)
	}
	return out, nil
}

func (store) acceptQuotes(ctx context.Context, ext sqlx.ExecerContext, ids []uuid.UUID, orderID uuid.UUID) error {
	const q = `
UPDATE sourcing_quotes
SET status = 'accepted', order_id = $2, updated_at = now()
WHERE id = ANY ($1)`
	if _, err := ext.ExecContext(ctx, q, pq.Array(ids), orderID); err != nil {
		return fmt.Errorf("sourcing: accept quotes: %w", err)
	}
	return nil
}

type acceptanceRow struct {
	RequestHash []byte    `db:"request_hash"`
	OrderID     uuid.UUID `db:"order_id"`
	Number      string    `db:"number"`
	TotalVND    int64     `db:"total_vnd"`
	DepositVND  int64     `db:"deposit_vnd"`
}

func (store) acceptance(ctx context.Context, ext sqlx.QueryerContext, buyer uuid.UUID, key string) (acceptanceRow, bool, error) {
	const q = `
SELECT a.request_hash, a.order_id, o.number, o.total_vnd, o.deposit_vnd
FROM sourcing_acceptances a
JOIN orders o ON o.id = a.order_id
WHERE a.buyer_id = $1
  AND a.key = $2`
	var r acceptanceRow
	err := sqlx.GetContext(ctx, ext, &r, q, buyer, key)
	if errors.Is(err, sql.ErrNoRows) {
		return acceptanceRow{}, false, nil
	}
	if err != nil {
		return acceptanceRow{}, false, fmt.Errorf("sourcing: acceptance: %w", err)
	}
	return r, true, nil
}

func (store) insertAcceptance(ctx context.Context, ext sqlx.ExecerContext, buyer uuid.UUID, key string, hash []byte, orderID uuid.UUID) error {
	const q = `
INSERT INTO sourcing_acceptances (buyer_id, key, request_hash, order_id)
VALUES ($1, $2, $3, $4)`
	if _, err := ext.ExecContext(ctx, q, buyer, key, hash, orderID); err != nil {
		return fmt.Errorf("sourcing: acceptance: %w", err)
	}
	return nil
}

// inbox lists the live requests a cooperative was matched with or invited
// to, newest first, with the match's score.
func (store) inbox(ctx context.Context, ext sqlx.QueryerContext, coop uuid.UUID, limit, offset int) ([]Request, []float64, error) {
	q := `
SELECT x.*, m.score
FROM (` + requestSelect + `
) x
JOIN sourcing_matches m ON m.request_id = x.id AND m.cooperative_id = $1
WHERE x.status IN ('open', 'quoting', 'awarded')
ORDER BY x.created_at DESC, x.id DESC
LIMIT ` + fmt.Sprint(limit) + ` OFFSET ` + fmt.Sprint(offset)
	var rows []struct {
		requestRow
		Score float64 `db:"score"`
	}
	if err := sqlx.SelectContext(ctx, ext, &rows, q, coop); err != nil {
		return nil, nil, fmt.Errorf("sourcing: inbox: %w", err)
	}
	reqs, scores := make([]Request, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		reqs[i], scores[i] = toRequest(r.requestRow), r.Score
	}
	return reqs, scores, nil
}

// expire marks requests past their window and quotes past their validity
// expired.
func (store) expire(ctx context.Context, ext sqlx.ExecerContext, today time.Time) (int64, int64, error) {
	res, err := ext.ExecContext(ctx, `
UPDATE sourcing_requests
SET status = 'expired', updated_at = now()
WHERE status IN ('open', 'quoting')
  AND wanted_to < $1`, today)
	if err != nil {
		return 0, 0, fmt.Errorf("sourcing: expire requests: %w", err)
	}
	nr, _ := res.RowsAffected()
	res, err = ext.ExecContext(ctx, `
UPDATE sourcing_quotes
SET status = 'expired', updated_at = now()
WHERE status = 'submitted'
  AND valid_until < $1`, today)
	if err != nil {
		return 0, 0, fmt.Errorf("sourcing: expire quotes: %w", err)
	}
	nq, _ := res.RowsAffected()
	return nr, nq, nil
}
