package trace

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"htxmarket/internal/platform/db"
)

// The public trace page: what a shopper sees after scanning a batch's QR
// code. It is rendered on the server as one small HTML document with its
// styles inline and no script, so it opens fast on a phone on a slow
// network, and link previews read its Open Graph tags. It shows only
// public facts: no costs, no phone numbers, no account identifiers.

//go:embed page.html
var pageHTML string

var pageTemplate = template.Must(template.New("trace").Funcs(template.FuncMap{
	"kindName": func(k Kind) string { return kindNames[k] },
}).Parse(pageHTML))

// vietnam is the time zone of the page's dates (UTC+7, no daylight saving).
var vietnam = time.FixedZone("ICT", 7*3600)

type pageInput struct {
	Kind, Name, Amount, AppliedOn string
}

type pageEvent struct {
	Seq         int
	Kind        Kind
	When        string
	ISO         string
	Place       string
	Actor       string
	Notes       string
	Inspector   string
	Result      string
	Photos      []string
	CorrectsSeq int
	CorrectedBy int
	Point       int // its number on the map, 0 for none
}

type pagePoint struct {
	N    int
	X, Y float64
	Name string
}

type pageData struct {
	Title, Description, Canonical, Origin string
	Product, ProductURL                   string
	Coop, CoopURL                         string
	Code, GTIN, Quantity                  string
	ProducedOn, ExpiresOn                 string
	Area                                  string
	Inputs                                []pageInput
	Certifications                        []Certification
	CertDocs                              []string
	Events                                []pageEvent
	Verification                          Verification
	BrokenSeq                             int
	Scans                                 int64
	Points                                []pagePoint
	Country                               []pagePoint
	Path                                  string
	EPCISURL                              string
	Image                                 string // absolute, for link previews
	Thumb                                 string // the product's photo on the page, "" without one
}

var inputKinds = map[string]string{"fertiliser": "Phân bón", "feed": "Thức ăn", "treatment": "Thuốc, chế phẩm", "other": "Khác"}

// viDate writes a YYYY-MM-DD date as people in Vietnam read it.
func viDate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.Format("02/01/2006")
}

// The map's frame: Vietnam's mainland and near islands, projected plainly
// (longitude to x, latitude to y) onto a 200 × 300 box.
const (
	mapW, mapH       = 200.0, 300.0
	minLat, maxLat   = 8.2, 23.6
	minLng, maxLng   = 102.0, 110.0
	maxPointsOnMap   = 30
	pageCacheEntries = 2000
)

func project(lat, lng float64) (float64, float64) {
	x := (lng - minLng) / (maxLng - minLng) * mapW
	y := (maxLat - lat) / (maxLat - minLat) * mapH
	return float64(int(x*10)) / 10, float64(int(y*10)) / 10
}

func placeText(p Place, provinces map[string]ProvincePoint) string {
	parts := []string{}
	for _, s := range []string{p.Name, p.Commune, provinces[p.Province].Name} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// Page renders the public trace page of the batch with the given code. A
// rendered page is kept for Options.PageTTL; appending an event to any
// batch forgets every kept page.
func (s *Service) Page(ctx context.Context, code string) ([]byte, uuid.UUID, error) {
	if !validCode(code) {
		return nil, uuid.Nil, ErrNotFound
	}
	if p, ok := s.pages.get(code); ok {
		return p.body, p.batch, nil
	}
	b, err := s.store.batchByCode(ctx, s.db, code)
	if errors.Is(err, db.ErrNotFound) {
		return nil, uuid.Nil, ErrNotFound
	}
	if err != nil {
		return nil, uuid.Nil, err
	}
	evs, err := s.store.events(ctx, s.db, b.ID)
	if err != nil {
		return nil, uuid.Nil, err
	}
	extra, err := s.store.pageExtras(ctx, s.db, b.CooperativeID, b.ProductID)
	if err != nil {
		return nil, uuid.Nil, err
	}
	all, err := s.provinces.List(ctx)
	if err != nil {
		return nil, uuid.Nil, err
	}
	out, err := s.render(b, evs, extra, all)
	if err != nil {
		return nil, uuid.Nil, err
	}
	s.pages.put(code, cachedPage{body: out, batch: b.ID})
	return out, b.ID, nil
}

// CountScan counts one view of the public page of batch id.
func (s *Service) CountScan(id uuid.UUID) { s.scans.add(id) }

// PageByGTIN renders the page a GS1 Digital Link names: the batch must
// carry that GTIN.
func (s *Service) PageByGTIN(ctx context.Context, gtin, code string) ([]byte, uuid.UUID, error) {
	g, ok := GTIN14(gtin)
	if !ok || !validCode(code) {
		return nil, uuid.Nil, ErrNotFound
	}
	b, err := s.store.batchByCode(ctx, s.db, code)
	if errors.Is(err, db.ErrNotFound) || (err == nil && b.GTIN != g) {
		return nil, uuid.Nil, ErrNotFound
	}
	if err != nil {
		return nil, uuid.Nil, err
	}
	page, _, err := s.Page(ctx, code)
	return page, b.ID, err
}

func (s *Service) render(b Batch, evs []Event, extra pageExtra, all []ProvincePoint) ([]byte, error) {
	provinces := make(map[string]ProvincePoint, len(all))
	coopName := extra.Name
	d := pageData{Origin: s.opt.Origin, Product: b.ProductName, ProductURL: "/san-pham/" + b.ProductSlug,
		Coop: coopName, CoopURL: "/hop-tac-xa/" + extra.Slug, Code: b.Code, GTIN: b.GTIN,
		Image:    s.opt.Origin + "/og-image.png",
		Quantity: strconv.Itoa(b.Quantity) + " " + b.Unit, ProducedOn: viDate(b.ProducedOn),
		Scans: b.ScanCount + s.scans.pending(b.ID), EPCISURL: "/api/v1/batches/" + b.ID.String() + "/epcis"}
	for _, p := range all {
		provinces[p.Slug] = p
		x, y := project(p.Lat, p.Lng)
		d.Country = append(d.Country, pagePoint{X: x, Y: y})
	}
	if b.ExpiresOn != "" {
		d.ExpiresOn = viDate(b.ExpiresOn)
	}
	if extra.MediumKey != "" {
		d.Image = s.opt.Origin + s.media.URL(extra.MediumKey)
		d.Thumb = s.media.URL(extra.ThumbKey)
	}
	d.Area = placeText(b.Area, provinces)
	d.Title = "Truy xuất nguồn gốc " + b.ProductName + " – lô " + b.Code
	d.Description = fmt.Sprintf("%s của %s, lô %s sản xuất ngày %s tại %s: %d sự kiện từ nơi sản xuất đến tay người mua.",
		b.ProductName, coopName, b.Code, d.ProducedOn, d.Area, len(evs))
	d.Canonical = s.opt.Origin + "/t/" + b.Code
	for _, in := range b.Inputs {
		d.Inputs = append(d.Inputs, pageInput{Kind: inputKinds[in.Kind], Name: in.Name, Amount: in.Amount, AppliedOn: viDate(in.AppliedOn)})
	}
	for _, c := range b.Certifications {
		c.ValidUntil = viDate(c.ValidUntil)
		if c.Document != "" {
			c.Document = s.media.URL(c.Document)
		}
		d.Certifications = append(d.Certifications, c)
	}
	d.Verification = Verify(b, evs)
	if d.Verification.BrokenAt != nil {
		d.BrokenSeq = d.Verification.BrokenAt.Seq
	}

	// Places on the map: the area, then each event's place with
	// coordinates (or its province's capital), numbered in order; a place
	// that repeats the one before keeps its number.
	addPoint := func(p Place, name string) int {
		lat, lng := p.Lat, p.Lng
		if lat == nil || lng == nil {
			pp, ok := provinces[p.Province]
			if !ok {
				return 0
			}
			lat, lng = &pp.Lat, &pp.Lng
		}
		x, y := project(*lat, *lng)
		if n := len(d.Points); n > 0 && d.Points[n-1].X == x && d.Points[n-1].Y == y {
			return d.Points[n-1].N
		}
		if len(d.Points) >= maxPointsOnMap {
			return 0
		}
		d.Points = append(d.Points, pagePoint{N: len(d.Points) + 1, X: x, Y: y, Name: name})
		return len(d.Points)
	}
	addPoint(b.Area, d.Area)
	correctedBy := map[int]int{}
	for _, e := range evs {
		if e.CorrectsSeq != nil {
			correctedBy[*e.CorrectsSeq] = e.Seq
		}
	}
	for _, e := range evs {
		pe := pageEvent{Seq: e.Seq, Kind: e.Kind, When: e.OccurredAt.In(vietnam).Format("15:04 02/01/2006"),
			ISO: e.OccurredAt.UTC().Format(time.RFC3339), Place: placeText(e.Place, provinces),
			Actor: e.ActorName, Notes: e.Notes, Inspector: e.Inspector, Result: e.Result,
			CorrectedBy: correctedBy[e.Seq]}
		if e.CorrectsSeq != nil {
			pe.CorrectsSeq = *e.CorrectsSeq
		}
		for _, k := range e.Photos {
			pe.Photos = append(pe.Photos, s.media.URL(k))
		}
		if pe.Place != "" {
			pe.Point = addPoint(e.Place, pe.Place)
		}
		d.Events = append(d.Events, pe)
	}
	for i := 1; i < len(d.Points); i++ {
		d.Path += fmt.Sprintf("M%g %gL%g %g", d.Points[i-1].X, d.Points[i-1].Y, d.Points[i].X, d.Points[i].Y)
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("trace: render page %s: %w", b.Code, err)
	}
	return buf.Bytes(), nil
}

// NotFoundPage is the page of a code that names no batch.
func NotFoundPage() []byte { return []byte(notFoundHTML) }

const notFoundHTML = `<!doctype html><html lang="vi"><head><meta charset="utf-8">` +
	`<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">` +
	`<title>Không tìm thấy lô hàng – HTX Market</title>` +
	`<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:2rem 1rem;color:#1c2a1e;text-align:center}a{color:#1f6b3a}</style>` +
	`</head><body><h1>Không tìm thấy lô hàng</h1><p>Mã truy xuất này không có trên HTX Market. ` +
	`Hãy kiểm tra lại mã in trên bao bì.</p><p><a href="/">Về trang chủ HTX Market</a></p></body></html>`

// pageCache keeps rendered pages for a short time.
type pageCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]cachedPage
}

type cachedPage struct {
	body    []byte
	batch   uuid.UUID
	expires time.Time
}

func newPageCache(ttl time.Duration) *pageCache {
	return &pageCache{ttl: ttl, m: map[string]cachedPage{}}
}

func (c *pageCache) get(code string) (cachedPage, bool) {
	if c.ttl <= 0 {
		return cachedPage{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[code]
	if !ok || time.Now().After(p.expires) {
		return cachedPage{}, false
	}
	return p, true
}

func (c *pageCache) put(code string, p cachedPage) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= pageCacheEntries {
		c.m = map[string]cachedPage{} // bounded: start again rather than grow
	}
	p.expires = time.Now().Add(c.ttl)
	c.m[code] = p
}

func (c *pageCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.m)
}

// ForgetPages drops every rendered page kept in memory.
func (s *Service) ForgetPages() { s.pages.forget() }
