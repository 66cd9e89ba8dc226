// Package trace is traceability (truy xuất nguồn gốc): batches of a
// cooperative's products, the events that happened to them (planted,
// treated, harvested, processed, packed, inspected, shipped, received),
// chained by SHA-256 so that any change made behind the application's back
// is found and named, GS1 Digital Link QR codes, an EPCIS 2.0 export, the
// public trace page a shopper opens from the QR code, and the batch each
// packed order line came from.
//
// Batches and events are written only by members of the batch's
// cooperative. Events are never updated or deleted (the database refuses
// it); a mistake is corrected by a new event that names the one it
// corrects. The public views leave out what is the cooperative's own
// business: costs and staff phone numbers.
package trace

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/web"
)

// Errors of traceability.
var (
	ErrNotFound        = errors.New("không tìm thấy lô hàng")
	ErrProductNotFound = errors.New("không tìm thấy sản phẩm của hợp tác xã")
	ErrLineNotFound    = errors.New("không tìm thấy dòng hàng trong đơn của hợp tác xã")
	ErrPhotoTooLarge   = errors.New("ảnh quá lớn")
	ErrPhotoType       = errors.New("chỉ nhận ảnh JPEG, PNG hoặc WebP")
	ErrWrongStatus     = errors.New("đơn hàng ở trạng thái này không gán lô hàng được")
)

// Limits of one request, checked before any work is done.
const (
	MaxInputs         = 30
	MaxCertifications = 10
	MaxPhotos         = 6
	MaxNotes          = 2000 // runes
	MaxName           = 200  // runes of a name, place or amount
	MaxQuantity       = 10_000_000
	MaxAssignments    = 100
	maxEventsPerBatch = 10_000
)

// ProvincePoint is a province with the coordinates of its capital.
type ProvincePoint struct {
	Slug, Name string
	Lat, Lng   float64
}

// Provinces lists the 34 provinces.
type Provinces interface {
	List(ctx context.Context) ([]ProvincePoint, error)
}

// MediaStore keeps photos (storage.Storage satisfies it).
type MediaStore interface {
	Put(ctx context.Context, key, contentType string, r io.Reader) error
	URL(key string) string
}

// Options configures the service.
type Options struct {
	// Origin is PUBLIC_ORIGIN, the start of every QR code's address.
	Origin string
	// PhotoMaxBytes bounds an uploaded photo.
	PhotoMaxBytes int
	// PageTTL is how long a rendered public page is served from memory;
	// 0 renders every request.
	PageTTL time.Duration
	// Picture, when set, re-encodes an uploaded photo before it is stored
	// (the catalog's image pipeline: decode budget, pixel limits, at most
	// 1,200 px wide, and no metadata, so no location of the phone that
	// took it reaches the public page). It returns the bytes to store and
	// their content type.
	Picture func(ctx context.Context, data []byte) ([]byte, string, error)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Service is traceability.
type Service struct {
	db        *sqlx.DB
	store     *Store
	provinces Provinces
	media     MediaStore
	opt       Options
	log       *slog.Logger
	pages     *pageCache
	scans     *scanCounter
}

// NewService returns the traceability service.
func NewService(d *sqlx.DB, provinces Provinces, media MediaStore, opt Options, log *slog.Logger) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	s := &Service{db: d, store: &Store{}, provinces: provinces, media: media, opt: opt, log: log,
		pages: newPageCache(opt.PageTTL)}
	s.scans = newScanCounter(d, log)
	return s
}

// Origin is the public origin QR codes point to.
func (s *Service) Origin() string { return s.opt.Origin }

// coopOf returns the cooperative of the path parameter as the caller's
// membership names it; the route's guard has already required one.
func coopOf(viewer *auth.Principal, coop string) (uuid.UUID, error) {
	m, ok := viewer.Membership(coop)
	if ok {
		return m.CooperativeID, nil
	}
	if id, err := uuid.Parse(coop); err == nil && viewer.Has(auth.RoleAdmin) {
		return id, nil
	}
	return uuid.Nil, auth.ErrNotFound
}

// CoopID resolves the {coop} path parameter for a caller the route has let
// through: a member by their membership, an admin by ID or slug.
func (s *Service) CoopID(ctx context.Context, viewer *auth.Principal, coop string) (uuid.UUID, error) {
	if id, err := coopOf(viewer, coop); err == nil {
		return id, nil
	}
	if viewer.Has(auth.RoleAdmin) {
		id, err := s.store.coopID(ctx, s.db, coop)
		if errors.Is(err, db.ErrNotFound) {
			return uuid.Nil, ErrNotFound
		}
		return id, err
	}
	return uuid.Nil, auth.ErrNotFound
}

// text checks one free-text field: at most max runes, nothing invisible
// (new lines allowed where multiline).
func text(v *web.ValidationError, field, s string, max int, required, multiline bool) string {
	s = strings.TrimSpace(s)
	switch {
	case required && s == "":
		v.Add(field, "không được để trống")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, fmt.Sprintf("tối đa %d ký tự", max))
	case multiline && web.Invisible(strings.NewReplacer("\r\n", "", "\n", "").Replace(s)),
		!multiline && web.Invisible(s):
		v.Add(field, web.InvisibleMessage)
	}
	return s
}

// date checks an optional YYYY-MM-DD date.
func date(v *web.ValidationError, field, s string, required bool) string {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			v.Add(field, "không được để trống")
		}
		return ""
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		v.Add(field, "phải là ngày dạng YYYY-MM-DD")
	}
	return s
}

// checkPlace checks a place and rounds its coordinates to six decimals
// (about 10 cm), the precision that is hashed.
func (s *Service) checkPlace(ctx context.Context, v *web.ValidationError, field string, p Place, required bool) Place {
	p.Name = text(v, field+".name", p.Name, MaxName, required, false)
	p.Commune = text(v, field+".commune", p.Commune, MaxName, false, false)
	p.Province = strings.TrimSpace(p.Province)
	if p.Province != "" || required {
		if _, ok := s.province(ctx, p.Province); !ok {
			v.Add(field+".province", "không phải tỉnh, thành phố nào trong 34 tỉnh, thành phố")
		}
	}
	if (p.Lat == nil) != (p.Lng == nil) {
		v.Add(field+".lat", "cần cả vĩ độ và kinh độ, hoặc bỏ trống cả hai")
	}
	round := func(f *float64, lim float64, name string) *float64 {
		if f == nil {
			return nil
		}
		if math.IsNaN(*f) || *f < -lim || *f > lim {
			v.Add(field+"."+name, fmt.Sprintf("phải từ %g đến %g", -lim, lim))
			return nil
		}
		r := math.Round(*f*1e6) / 1e6
		return &r
	}
	p.Lat, p.Lng = round(p.Lat, 90, "lat"), round(p.Lng, 180, "lng")
	return p
}

// province returns the province of slug.
func (s *Service) province(ctx context.Context, slug string) (ProvincePoint, bool) {
	all, err := s.provinces.List(ctx)
	if err != nil {
		return ProvincePoint{}, false
	}
	for _, p := range all {
		if p.Slug == slug {
			return p, true
		}
	}
	return ProvincePoint{}, false
}

// CreateBatch starts a batch of one of the cooperative's products.
func (s *Service) CreateBatch(ctx context.Context, viewer *auth.Principal, coopID uuid.UUID, n NewBatch) (Batch, error) {
	v := &web.ValidationError{}
	if len(n.Inputs) > MaxInputs {
		v.Add("inputs", fmt.Sprintf("tối đa %d vật tư", MaxInputs))
		return Batch{}, v
	}
	if len(n.Certifications) > MaxCertifications {
		v.Add("certifications", fmt.Sprintf("tối đa %d chứng nhận", MaxCertifications))
		return Batch{}, v
	}
	productID, err := uuid.Parse(strings.TrimSpace(n.ProductID))
	v.Check(err == nil, "product_id", "chọn một sản phẩm của hợp tác xã")
	b := Batch{ID: newID(), CooperativeID: coopID, ProductID: productID, Code: newCode(),
		Quantity: n.Quantity, createdBy: viewer.UserID}
	if g := strings.TrimSpace(n.GTIN); g != "" {
		var ok bool
		b.GTIN, ok = GTIN14(g)
		v.Check(ok, "gtin", "mã vạch không phải GTIN hợp lệ (8, 12, 13 hoặc 14 chữ số, đúng số kiểm tra)")
	}
	v.Check(n.Quantity > 0 && n.Quantity <= MaxQuantity, "quantity", fmt.Sprintf("phải từ 1 đến %d", MaxQuantity))
	b.Unit = text(v, "unit", n.Unit, 30, true, false)
	b.ProducedOn = date(v, "produced_on", n.ProducedOn, true)
	b.ExpiresOn = date(v, "expires_on", n.ExpiresOn, false)
	if b.ExpiresOn != "" && b.ProducedOn != "" && b.ExpiresOn < b.ProducedOn {
		v.Add("expires_on", "không được trước ngày sản xuất")
	}
	b.Area = s.checkPlace(ctx, v, "area", n.Area, true)
	b.Inputs = make([]Input, len(n.Inputs))
	for i, in := range n.Inputs {
		f := fmt.Sprintf("inputs[%d].", i)
		switch in.Kind {
		case "fertiliser", "feed", "treatment", "other":
		default:
			v.Add(f+"kind", "phải là fertiliser, feed, treatment hoặc other")
		}
		in.Name = text(v, f+"name", in.Name, MaxName, true, false)
		in.Amount = text(v, f+"amount", in.Amount, MaxName, false, false)
		in.AppliedOn = date(v, f+"applied_on", in.AppliedOn, false)
		v.Check(in.CostVND == nil || (*in.CostVND >= 0 && *in.CostVND <= 1e12), f+"cost_vnd", "phải từ 0 đến 1.000.000.000.000 ₫")
		b.Inputs[i] = in
	}
	b.Certifications = make([]Certification, len(n.Certifications))
	for i, c := range n.Certifications {
		f := fmt.Sprintf("certifications[%d].", i)
		c.Name = text(v, f+"name", c.Name, MaxName, true, false)
		c.Number = text(v, f+"number", c.Number, MaxName, false, false)
		c.Issuer = text(v, f+"issuer", c.Issuer, MaxName, false, false)
		c.ValidUntil = date(v, f+"valid_until", c.ValidUntil, false)
		c.Document = strings.TrimSpace(c.Document)
		v.Check(c.Document == "" || validPhotoKey(coopID, c.Document), f+"document", "không phải ảnh đã tải lên cho hợp tác xã này")
		b.Certifications[i] = c
	}
	if err := v.Err(); err != nil {
		return Batch{}, err
	}
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		p, err := s.store.product(ctx, tx, productID)
		if errors.Is(err, db.ErrNotFound) || (err == nil && p.CooperativeID != coopID) {
			return ErrProductNotFound
		}
		if err != nil {
			return err
		}
		b.ProductName, b.ProductSlug = p.Name, p.Slug
		if b.GTIN == "" {
			// The product's barcode, as given for its earlier batches.
			if b.GTIN, err = s.store.lastGTIN(ctx, tx, productID); err != nil {
				return err
			}
		}
		h := BatchHash(b)
		b.Hash = hex.EncodeToString(h[:])
		for range 5 { // a code already taken: draw another
			err = s.store.insertBatch(ctx, tx, b)
			if !errors.Is(err, db.ErrDuplicate) {
				break
			}
			b.Code = newCode()
			h = BatchHash(b)
			b.Hash = hex.EncodeToString(h[:])
		}
		return err
	})
	if err != nil {
		return Batch{}, err
	}
	return s.Batch(ctx, coopID, b.ID)
}

// Batch returns one batch of the cooperative, with its private details.
func (s *Service) Batch(ctx context.Context, coopID, id uuid.UUID) (Batch, error) {
	b, err := s.store.batch(ctx, s.db, id)
	if errors.Is(err, db.ErrNotFound) || (err == nil && b.CooperativeID != coopID) {
		return Batch{}, ErrNotFound
	}
	if err != nil {
		return Batch{}, err
	}
	s.withURLs(&b)
	return b, nil
}

func (s *Service) withURLs(b *Batch) {
	b.TraceURL = DigitalLink(s.opt.Origin, b.GTIN, b.Code)
	b.ScanCount += s.scans.pending(b.ID)
}

// BatchPage is a page of a cooperative's batches, newest first.
type BatchPage struct {
	Items      []Batch `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// Batches lists the cooperative's batches, newest first; product filters by
// product.
func (s *Service) Batches(ctx context.Context, coopID uuid.UUID, product string, limit int, cursor string) (BatchPage, error) {
	v := &web.ValidationError{}
	var after, productID uuid.UUID
	if cursor != "" {
		var err error
		after, err = uuid.Parse(cursor)
		v.Check(err == nil, "cursor", "không hợp lệ")
	}
	if product != "" {
		var err error
		productID, err = uuid.Parse(product)
		v.Check(err == nil, "product", "không phải mã sản phẩm")
	}
	if err := v.Err(); err != nil {
		return BatchPage{}, err
	}
	limit = web.PageSize(limit)
	items, err := s.store.batches(ctx, s.db, coopID, productID, after, limit+1)
	if err != nil {
		return BatchPage{}, err
	}
	page := BatchPage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		next := page.Items[limit-1].ID.String()
		page.NextCursor = &next
	}
	for i := range page.Items {
		s.withURLs(&page.Items[i])
	}
	return page, nil
}

// Events returns the events of one of the cooperative's batches, in order,
// with their private details.
func (s *Service) Events(ctx context.Context, coopID, batchID uuid.UUID) ([]Event, error) {
	if _, err := s.Batch(ctx, coopID, batchID); err != nil {
		return nil, err
	}
	evs, err := s.store.events(ctx, s.db, batchID)
	if err != nil {
		return nil, err
	}
	s.withPhotoURLs(evs)
	return evs, nil
}

func (s *Service) withPhotoURLs(evs []Event) {
	for i := range evs {
		evs[i].PhotoURLs = make([]string, len(evs[i].Photos))
		for j, k := range evs[i].Photos {
			evs[i].PhotoURLs[j] = s.media.URL(k)
		}
	}
}

// AddEvent appends an event to one of the cooperative's batches. Appends
// to one batch are serialised by a lock on the batch, so that each event
// links to the one before it.
func (s *Service) AddEvent(ctx context.Context, viewer *auth.Principal, coopID, batchID uuid.UUID, n NewEvent) (Event, error) {
	v := &web.ValidationError{}
	if len(n.Photos) > MaxPhotos {
		v.Add("photos", fmt.Sprintf("tối đa %d ảnh", MaxPhotos))
		return Event{}, v
	}
	now := s.opt.Now().UTC().Truncate(time.Microsecond)
	e := Event{ID: newID(), BatchID: batchID, Kind: n.Kind, RecordedBy: viewer.UserID, RecordedAt: now,
		CostVND: n.CostVND, CorrectsSeq: n.CorrectsSeq, Photos: []string{}}
	if _, ok := kindNames[n.Kind]; !ok {
		v.Add("kind", "phải là một trong: planted, treated, harvested, processed, packed, inspected, shipped, received")
	}
	e.OccurredAt = now
	if t := strings.TrimSpace(n.OccurredAt); t != "" {
		at, err := time.Parse(time.RFC3339, t)
		switch {
		case err != nil:
			v.Add("occurred_at", "phải là thời điểm dạng RFC 3339, ví dụ 2025-06-01T07:30:00+07:00")
		case at.After(now.Add(10 * time.Minute)):
			v.Add("occurred_at", "không được ở tương lai")
		case at.Year() < 2000:
			v.Add("occurred_at", "phải từ năm 2000")
		default:
			e.OccurredAt = at.UTC().Truncate(time.Microsecond)
		}
	}
	e.Place = s.checkPlace(ctx, v, "place", n.Place, false)
	e.ActorName = text(v, "actor_name", n.ActorName, MaxName, false, false)
	e.ActorPhone = strings.TrimSpace(n.ActorPhone)
	if e.ActorPhone != "" && !validPhone(e.ActorPhone) {
		v.Add("actor_phone", "số điện thoại gồm 10 chữ số, bắt đầu bằng 0")
	}
	e.Notes = text(v, "notes", n.Notes, MaxNotes, false, true)
	e.Inspector = text(v, "inspector", n.Inspector, MaxName, false, false)
	e.Result = strings.TrimSpace(n.Result)
	switch {
	case n.Kind == KindInspected && e.Result != "passed" && e.Result != "failed":
		v.Add("result", "kết quả kiểm tra là passed (đạt) hoặc failed (không đạt)")
	case n.Kind != KindInspected && e.Result != "":
		v.Add("result", "chỉ sự kiện kiểm tra mới có kết quả")
	}
	if n.Kind == KindInspected && e.Inspector == "" {
		v.Add("inspector", "ghi tên người hoặc đơn vị kiểm tra")
	}
	v.Check(n.CostVND == nil || (*n.CostVND >= 0 && *n.CostVND <= 1e12), "cost_vnd", "phải từ 0 đến 1.000.000.000.000 ₫")
	for i, k := range n.Photos {
		if !validPhotoKey(coopID, k) {
			v.Add(fmt.Sprintf("photos[%d]", i), "không phải ảnh đã tải lên cho hợp tác xã này")
		}
		e.Photos = append(e.Photos, k)
	}
	if n.CorrectsSeq != nil && *n.CorrectsSeq < 1 {
		v.Add("corrects_seq", "phải là số thứ tự của một sự kiện trước")
	}
	if n.CorrectsSeq != nil && e.Notes == "" {
		v.Add("notes", "ghi rõ điều được sửa lại")
	}
	if err := v.Err(); err != nil {
		return Event{}, err
	}
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		b, err := s.store.lockBatch(ctx, tx, batchID)
		if errors.Is(err, db.ErrNotFound) || (err == nil && b.CooperativeID != coopID) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		seq, prevHex, err := s.store.head(ctx, tx, batchID)
		if err != nil {
			return err
		}
		if seq >= maxEventsPerBatch {
			return web.Detail(ErrWrongStatus, "Lô hàng đã có %d sự kiện, không ghi thêm được.", seq)
		}
		if prevHex == "" {
			prevHex = b.Hash
		}
		if n.CorrectsSeq != nil && *n.CorrectsSeq > seq {
			v.Add("corrects_seq", fmt.Sprintf("lô hàng mới có %d sự kiện", seq))
			return v
		}
		e.Seq = seq + 1
		prev, err := hex.DecodeString(prevHex)
		if err != nil || len(prev) != 32 {
			return fmt.Errorf("trace: batch %s: stored hash %q", batchID, prevHex)
		}
		e.PrevHash = prevHex
		h := EventHash([32]byte(prev), e)
		e.Hash = hex.EncodeToString(h[:])
		return s.store.insertEvent(ctx, tx, e)
	})
	if err != nil {
		return Event{}, err
	}
	s.pages.forget()
	evs := []Event{e}
	s.withPhotoURLs(evs)
	return evs[0], nil
}

// validPhone reports whether s is a Vietnamese phone number as written
// locally: ten digits starting with 0.
func validPhone(s string) bool {
	if len(s) != 10 || s[0] != '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Verify recomputes the hash chain of a batch, reading it afresh.
func (s *Service) Verify(ctx context.Context, batchID uuid.UUID) (Verification, error) {
	b, err := s.store.batch(ctx, s.db, batchID)
	if errors.Is(err, db.ErrNotFound) {
		return Verification{}, ErrNotFound
	}
	if err != nil {
		return Verification{}, err
	}
	evs, err := s.store.events(ctx, s.db, batchID)
	if err != nil {
		return Verification{}, err
	}
	return Verify(b, evs), nil
}

// publicBatch reads a batch by ID for the public endpoints.
func (s *Service) publicBatch(ctx context.Context, id uuid.UUID) (Batch, error) {
	b, err := s.store.batch(ctx, s.db, id)
	if errors.Is(err, db.ErrNotFound) {
		return Batch{}, ErrNotFound
	}
	if err != nil {
		return Batch{}, err
	}
	s.withURLs(&b)
	return b, nil
}

// QRLink returns the address the QR code of a batch carries.
func (s *Service) QRLink(ctx context.Context, id uuid.UUID) (string, Batch, error) {
	b, err := s.publicBatch(ctx, id)
	if err != nil {
		return "", Batch{}, err
	}
	return b.TraceURL, b, nil
}

// scanCounter counts scans of the public page in memory and adds them to
// the batches in one statement at most once a second, so that a page view
// does not wait on a row lock of a popular batch. Counts not yet written
// are lost if the process dies; the count is a figure, not a record.
type scanCounter struct {
	db       *sqlx.DB
	log      *slog.Logger
	writing  sync.Mutex // one flush at a time: a flush returns after earlier ones
	mu       sync.Mutex
	counts   map[uuid.UUID]int64
	last     time.Time
	flushing bool
}

func newScanCounter(d *sqlx.DB, log *slog.Logger) *scanCounter {
	return &scanCounter{db: d, log: log, counts: map[uuid.UUID]int64{}}
}

// add counts one scan of batch id and starts a flush when the last one is
// a second old.
func (c *scanCounter) add(id uuid.UUID) {
	c.mu.Lock()
	c.counts[id]++
	start := !c.flushing && time.Since(c.last) >= time.Second
	if start {
		c.flushing = true
	}
	c.mu.Unlock()
	if start {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := c.flush(ctx); err != nil {
				c.log.Warn("trace: scan counts not written; kept for the next try", "err", err)
			}
		}()
	}
}

// pending is the number of scans of id not yet written.
func (c *scanCounter) pending(id uuid.UUID) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[id]
}

// flush writes the counted scans; on failure they are counted again.
func (c *scanCounter) flush(ctx context.Context) error {
	c.writing.Lock()
	defer c.writing.Unlock()
	c.mu.Lock()
	counts := c.counts
	c.counts = map[uuid.UUID]int64{}
	c.flushing = true
	c.mu.Unlock()
	err := (&Store{}).addScans(ctx, c.db, counts)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.flushing, c.last = false, time.Now()
	if err != nil {
		for id, n := range counts {
			c.counts[id] += n
		}
	}
	return err
}

// FlushScans writes the scans counted so far (tests, shutdown).
func (s *Service) FlushScans(ctx context.Context) error { return s.scans.flush(ctx) }
