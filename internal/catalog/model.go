// Package catalog is the product catalog of HTX Market: the products of
// cooperatives with their OCOP rating, certifications and season, their
// variants (packaging) with prices in VND, stock and wholesale price tiers,
// the public browse and detail views, the cooperatives' own management of
// their products, and the CSV import and export of whole catalogs.
package catalog

import (
	"time"

	"github.com/google/uuid"
)

// Status is where a product stands in its life.
type Status string

// Product statuses. Archived is the soft delete.
const (
	StatusDraft    Status = "draft"
	StatusActive   Status = "active"
	StatusArchived Status = "archived"
)

func (s Status) valid() bool {
	return s == StatusDraft || s == StatusActive || s == StatusArchived
}

// Variant statuses.
const (
	VariantActive   = "active"
	VariantArchived = "archived"
)

// CoopRef names the cooperative a product belongs to.
type CoopRef struct {
	ID   uuid.UUID `json:"id"`
	Slug string    `json:"slug"`
	Name string    `json:"name"`
}

// Summary is a product as lists show it.
type Summary struct {
	ID          uuid.UUID `json:"id"`
	Slug        string    `json:"slug"`
	Name        string    `json:"name"`
	Cooperative CoopRef   `json:"cooperative"`
	Group       string    `json:"group"`
	Province    string    `json:"province"`
	// OCOPStars is the current OCOP rating, 0 when there is none or it has
	// expired.
	OCOPStars      int      `json:"ocop_stars"`
	Certifications []string `json:"certifications"`
	SeasonMonths   []int    `json:"season_months"`
	InSeason       bool     `json:"in_season"`
	Status         Status   `json:"status"`
	// PriceVND is the lowest price of the active variants; nil without one.
	PriceVND *int64 `json:"price_vnd"`
	// PriceMaxVND is the highest, in lists: above PriceVND when the
	// packagings differ in price.
	PriceMaxVND *int64 `json:"price_max_vnd,omitempty"`
	// ThumbURL is the first image's thumbnail; nil without images.
	ThumbURL  *string   `json:"thumb_url"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	coopVerified bool
	thumbKey     string
}

// Product is a product with everything its page shows.
type Product struct {
	Summary
	// Description is Markdown as written; DescriptionHTML is it rendered
	// and sanitised, safe to insert into a page.
	Description     string      `json:"description"`
	DescriptionHTML string      `json:"description_html"`
	Keywords        []string    `json:"keywords"`
	OCOP            *OCOPRating `json:"ocop"`
	Variants        []Variant   `json:"variants"`
	Images          []Image     `json:"images"` // by position
}

// OCOPRating is a product's OCOP certificate. Current is false once it has
// expired; an expired rating does not count in OCOPStars.
type OCOPRating struct {
	Stars       int    `json:"stars"`
	Certificate string `json:"certificate,omitempty"`
	ExpiresOn   string `json:"expires_on,omitempty"` // YYYY-MM-DD
	Current     bool   `json:"current"`
}

// Variant is one packaging of a product, with its own SKU, price and stock.
type Variant struct {
	ID          uuid.UUID `json:"id"`
	SKU         string    `json:"sku"`
	Unit        string    `json:"unit"`
	PriceVND    int64     `json:"price_vnd"`
	Stock       int       `json:"stock"`
	WeightGrams int       `json:"weight_grams,omitempty"`
	// WholesaleMinQty is the smallest order that gets wholesale prices; 0
	// when the variant is not sold wholesale.
	WholesaleMinQty int         `json:"wholesale_min_qty"`
	PriceTiers      []PriceTier `json:"price_tiers"`
	Status          string      `json:"status"`
}

// PriceTier is a wholesale unit price from a quantity up.
type PriceTier struct {
	MinQty       int   `json:"min_qty"`
	UnitPriceVND int64 `json:"unit_price_vnd"`
}

// OCOPInput sets a product's OCOP rating.
type OCOPInput struct {
	Stars       int    `json:"stars"`
	Certificate string `json:"certificate"`
	ExpiresOn   string `json:"expires_on"`
}

// NewProduct is a product a cooperative creates, with at least one variant.
type NewProduct struct {
	Name           string       `json:"name"`
	Description    string       `json:"description"`
	Group          string       `json:"group"`
	Province       string       `json:"province"`
	OCOP           *OCOPInput   `json:"ocop"`
	Certifications []string     `json:"certifications"`
	Keywords       []string     `json:"keywords"`
	SeasonMonths   []int        `json:"season_months"`
	Status         Status       `json:"status"` // draft (default) or active
	Variants       []NewVariant `json:"variants"`
}

// ProductUpdate changes the fields that are set. OCOP set to an object with
// stars 0 removes the rating.
type ProductUpdate struct {
	Name           *string    `json:"name"`
	Description    *string    `json:"description"`
	Group          *string    `json:"group"`
	Province       *string    `json:"province"`
	OCOP           *OCOPInput `json:"ocop"`
	Certifications *[]string  `json:"certifications"`
	Keywords       *[]string  `json:"keywords"`
	SeasonMonths   *[]int     `json:"season_months"`
	Status         *Status    `json:"status"`
}

// NewVariant is a packaging added to a product.
type NewVariant struct {
	SKU             string      `json:"sku"`
	Unit            string      `json:"unit"`
	PriceVND        int64       `json:"price_vnd"`
	Stock           int         `json:"stock"`
	WeightGrams     int         `json:"weight_grams"`
	WholesaleMinQty int         `json:"wholesale_min_qty"`
	PriceTiers      []PriceTier `json:"price_tiers"`
}

// VariantUpdate changes the fields of a variant that are set.
type VariantUpdate struct {
	Unit            *string      `json:"unit"`
	PriceVND        *int64       `json:"price_vnd"`
	Stock           *int         `json:"stock"`
	WeightGrams     *int         `json:"weight_grams"`
	WholesaleMinQty *int         `json:"wholesale_min_qty"`
	PriceTiers      *[]PriceTier `json:"price_tiers"`
}

// Sort orders of lists.
const (
	SortNewest    = "newest"
	SortPriceAsc  = "price_asc"
	SortPriceDesc = "price_desc"
	SortStars     = "stars"
)

// Filter selects products for a list. Zero fields do not filter.
type Filter struct {
	Province      string
	Group         string
	MinStars      int // current OCOP rating of at least this many stars
	Certification string
	Cooperative   string // ID or slug
	MinPrice      int64
	MaxPrice      int64
	InSeason      bool
	Status        Status // only in a cooperative's own list
	Sort          string
	Cursor        string
	Limit         int
}

// Page is one page of a list; NextCursor is empty on the last page.
type Page struct {
	Items      []Summary `json:"items"`
	NextCursor string    `json:"next_cursor"`
}
