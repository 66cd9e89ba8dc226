package sourcing

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/order"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/outbox"
	"htxmarket/internal/platform/web"
	"htxmarket/internal/search"
)

// Provinces resolves and locates provinces (geo.Service).
type Provinces interface {
	Get(ctx context.Context, slug string) (geo.Province, error)
	Resolve(ctx context.Context, name string) (geo.Resolution, error)
}

// Finder is the product search sourcing asks for candidates by text
// (search.Service): its engine brings typo tolerance and ranking, its
// synonym groups widen the words offers are matched on.
type Finder interface {
	Search(ctx context.Context, p search.Params) (search.Result, error)
	Synonyms(ctx context.Context) ([]search.SynonymGroup, error)
}

// Vocabulary canonicalises certifications ("huu co" → "Hữu cơ").
type Vocabulary interface {
	Certification(s string) (string, bool)
}

// Orders places orders at quoted prices (order.Service).
type Orders interface {
	PlaceQuoted(ctx context.Context, tx *sqlx.Tx, buyer uuid.UUID, email string, in order.Checkout, lines []order.QuotedLine, deposit bool) (order.Order, error)
}

// TransportVNDPerTonneKM is what combinations count for carrying one tonne
// one kilometre by truck.
const TransportVNDPerTonneKM = 2_500

// Bounds of the input.
const (
	maxTextRunes     = 200
	maxNotesRunes    = 1000
	maxQuantity      = 1_000_000      // in the unit written
	maxBaseQuantity  = 1e12           // a million tonnes, in grams
	maxUnitPriceVND  = 10_000_000_000 // per unit written
	maxCertsPerReq   = 10
	maxInvited       = 20
	maxWindow        = 2 * 366 // days ahead a window may end
	maxCandidates    = 2000    // offers scored for one match: the cheapest delivered
	maxMatchesShown  = 30
	maxNotified      = 20 // cooperatives told of a new request
	maxRequestsPaged = 50
	maxQuoteIDs      = 20
	liveRequestScan  = 500 // open requests a new offer is matched against
)

// vietnam is the time zone of dates (today, windows, validity).
var vietnam = time.FixedZone("ICT", 7*60*60)

// Viewer is who asks: a user, whether an admin, and the cooperatives where
// they may act (manager, staff or delegate).
type Viewer struct {
	UserID uuid.UUID
	Email  string
	Admin  bool
	Coops  []uuid.UUID
}

// Service is sourcing's rules and transactions.
type Service struct {
	db        *sqlx.DB
	store     store
	provinces Provinces
	finder    Finder
	vocab     Vocabulary
	orders    Orders
	now       func() time.Time
}

// NewService returns the service.
func NewService(d *sqlx.DB, provinces Provinces, finder Finder, vocab Vocabulary, orders Orders) *Service {
	return &Service{db: d, provinces: provinces, finder: finder, vocab: vocab, orders: orders, now: time.Now}
}

// SetClock replaces the clock (tests of expiry).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

func (s *Service) today() time.Time {
	t := s.now().In(vietnam)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// cleanText trims s and checks it: valid UTF-8, no invisible characters,
// at most max runes; required means not empty.
func cleanText(v *web.ValidationError, field, s string, max int, required bool, msg string) string {
	s = strings.TrimSpace(s)
	ok := utf8.ValidString(s) && utf8.RuneCountInString(s) <= max && !web.Invisible(strings.ReplaceAll(s, "\n", " "))
	v.Check(ok && (!required || s != ""), field, msg)
	return s
}

func (s *Service) province(ctx context.Context, in string) (string, bool) {
	in = strings.TrimSpace(in)
	if in == "" || len(in) > 100 {
		return "", false
	}
	if p, err := s.provinces.Get(ctx, in); err == nil {
		return p.Slug, true
	}
	res, err := s.provinces.Resolve(ctx, in)
	if err != nil {
		return "", false
	}
	return res.Province.Slug, true
}

func parseDate(v *web.ValidationError, field, s string, msg string) time.Time {
	t, err := time.Parse(dateLayout, strings.TrimSpace(s))
	v.Check(err == nil, field, msg)
	return t
}

func checkQuantity(v *web.ValidationError, field string, q float64) {
	v.Check(!math.IsNaN(q) && !math.IsInf(q, 0) && q > 0 && q <= maxQuantity, field,
		fmt.Sprintf("số lượng phải lớn hơn 0 và không quá %d", maxQuantity))
}

// CreateRequest validates and stores a wholesaler's request, matches it
// against the offers and tells the matched (or invited) cooperatives.
func (s *Service) CreateRequest(ctx context.Context, buyer uuid.UUID, in NewRequest) (Request, error) {
	var v web.ValidationError
	in.Text = cleanText(&v, "text", in.Text, maxTextRunes, true, "cần mô tả hàng cần mua (tối đa 200 ký tự)")
	in.Notes = cleanText(&v, "notes", in.Notes, maxNotesRunes, false, "ghi chú tối đa 1000 ký tự")
	checkQuantity(&v, "quantity", in.Quantity)
	u, ok := ParseUnit(in.Unit)
	v.Check(ok, "unit", "đơn vị không được hỗ trợ (ví dụ kg, tấn, tạ, yến, l, quả, hộp)")
	base := in.Quantity * u.Base
	if ok {
		v.Check(base <= maxBaseQuantity, "quantity", "số lượng quá lớn")
	}
	v.Check(in.MaxUnitPriceVND >= 0 && in.MaxUnitPriceVND <= maxUnitPriceVND, "max_unit_price_vnd",
		"giá tối đa phải từ 0 (không giới hạn) đến 10 tỷ ₫ mỗi đơn vị")
	if slug, ok := s.province(ctx, in.Province); ok {
		in.Province = slug
	} else {
		v.Add("province", "không có tỉnh, thành phố này")
	}
	today := s.today()
	from := today
	if strings.TrimSpace(in.WantedFrom) != "" {
		from = parseDate(&v, "wanted_from", in.WantedFrom, "ngày bắt đầu theo dạng YYYY-MM-DD")
	}
	to := parseDate(&v, "wanted_to", in.WantedTo, "cần ngày kết thúc theo dạng YYYY-MM-DD")
	if !to.IsZero() {
		v.Check(!to.Before(today), "wanted_to", "ngày kết thúc đã qua")
		v.Check(!to.After(today.AddDate(0, 0, maxWindow)), "wanted_to", "ngày kết thúc quá xa (tối đa 2 năm)")
		v.Check(!to.Before(from), "wanted_from", "ngày bắt đầu phải trước ngày kết thúc")
	}
	v.Check(len(in.Certifications) <= maxCertsPerReq, "certifications", "tối đa 10 chứng nhận")
	certs := []string{}
	for i, c := range in.Certifications {
		if i >= maxCertsPerReq {
			break
		}
		if canon, ok := s.vocab.Certification(c); ok {
			if !slices.Contains(certs, canon) {
				certs = append(certs, canon)
			}
		} else {
			v.Add("certifications", "chứng nhận không được hỗ trợ: "+truncate(c, 40))
		}
	}
	in.Certifications = certs
	v.Check(in.MinStars == 0 || (in.MinStars >= 3 && in.MinStars <= 5), "min_stars", "số sao OCOP phải là 0, 3, 4 hoặc 5")
	if in.Recurrence == "" {
		in.Recurrence = "once"
	}
	v.Check(in.Recurrence == "once" || in.Recurrence == "monthly", "recurrence", "một lần (once) hoặc hằng tháng (monthly)")
	in.Group = strings.TrimSpace(in.Group)
	if in.Group != "" {
		ok, err := s.store.groupExists(ctx, s.db, truncate(in.Group, 60))
		if err != nil {
			return Request{}, err
		}
		v.Check(ok, "group", "không có nhóm sản phẩm OCOP này")
	}
	v.Check(len(in.Cooperatives) <= maxInvited, "cooperatives", "mời tối đa 20 hợp tác xã")
	invited := []uuid.UUID{}
	if len(in.Cooperatives) > 0 && len(in.Cooperatives) <= maxInvited {
		keys := make([]string, len(in.Cooperatives))
		for i, k := range in.Cooperatives {
			keys[i] = truncate(strings.TrimSpace(k), 100)
		}
		refs, err := s.store.coopRefs(ctx, s.db, keys)
		if err != nil {
			return Request{}, err
		}
		for _, k := range keys {
			ref, ok := refs[k]
			if !ok {
				v.Add("cooperatives", "không có hợp tác xã đã xác minh: "+truncate(k, 40))
				continue
			}
			if !slices.Contains(invited, ref.ID) {
				invited = append(invited, ref.ID)
			}
		}
	}
	if err := v.Err(); err != nil {
		return Request{}, err
	}
	id := uuid.Must(uuid.NewV7())
	var r Request
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := s.store.insertRequest(ctx, tx, id, buyer, in, u, base, from, to, invited); err != nil {
			return err
		}
		var err error
		if r, err = s.store.request(ctx, tx, id, false); err != nil {
			return err
		}
		r.Mine = true
		ms, err := s.match(ctx, tx, r)
		if err != nil {
			return err
		}
		var coops, offers []uuid.UUID
		var scores []float64
		for _, m := range ms.scored {
			c := ms.cands[m.Index]
			if len(coops) == maxNotified {
				break
			}
			if !slices.Contains(coops, c.CooperativeID) {
				coops, offers, scores = append(coops, c.CooperativeID), append(offers, c.OfferID), append(scores, m.Score)
			}
		}
		for _, c := range invited {
			if !slices.Contains(coops, c) {
				coops, offers, scores = append(coops, c), append(offers, uuid.Nil), append(scores, 0)
			}
		}
		return s.notifyMatched(ctx, tx, id, coops, offers, scores)
	})
	return r, err
}

// notifyMatched records matches and announces the new ones.
func (s *Service) notifyMatched(ctx context.Context, tx *sqlx.Tx, request uuid.UUID, coops, offers []uuid.UUID, scores []float64) error {
	if len(coops) == 0 {
		return nil
	}
	fresh, err := s.store.addMatches(ctx, tx, request, coops, offers, scores)
	if err != nil {
		return err
	}
	if len(fresh) == 0 {
		return nil
	}
	return outbox.Write(ctx, tx, TopicMatched, request.String(), MatchedMessage{RequestID: request, Cooperatives: fresh})
}

// matched is a request's scored candidates.
type matched struct {
	want   *Want
	cands  []Candidate
	rows   []slimOffer
	scored []Scored
}

// want builds what matching needs of a request.
func (s *Service) want(ctx context.Context, r Request, groups []search.SynonymGroup) (*Want, error) {
	p, err := s.provinces.Get(ctx, r.Province)
	if err != nil {
		return nil, err
	}
	w := &Want{Terms: Terms(r.Text, groups), Dimension: r.dimension, Quantity: r.base, Lat: p.Lat, Lng: p.Lng,
		Certifications: r.Certifications, MinStars: r.MinStars}
	if r.MaxUnitPriceVND != nil {
		u, _ := ParseUnit(r.Unit)
		w.MaxPrice = float64(*r.MaxUnitPriceVND) / u.Base
	}
	from, _ := time.Parse(dateLayout, r.WantedFrom)
	to, _ := time.Parse(dateLayout, r.WantedTo)
	w.WantedFrom = from
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(to) && len(w.Months) < 12; m = m.AddDate(0, 1, 0) {
		w.Months = append(w.Months, int(m.Month()))
	}
	for _, ref := range r.Invited {
		w.Invited = append(w.Invited, ref.ID)
	}
	return w, nil
}

// match finds and scores the offers for a request: the offers sharing a
// word (or a synonym's) with it and the offers of products the search
// engine finds for its text.
func (s *Service) match(ctx context.Context, ext sqlx.QueryerContext, r Request) (matched, error) {
	groups, err := s.finder.Synonyms(ctx)
	if err != nil {
		return matched{}, err
	}
	w, err := s.want(ctx, r, groups)
	if err != nil {
		return matched{}, err
	}
	w.EngineRelevance = map[uuid.UUID]float64{}
	var products []uuid.UUID
	// The engine may be down: matching then goes on the offers' words.
	if res, err := s.finder.Search(ctx, search.Params{Text: r.Text, PerPage: search.MaxPerPage}); err == nil {
		for i, h := range res.Hits {
			w.EngineRelevance[h.ID] = 1 - 0.5*float64(i)/float64(len(res.Hits))
			products = append(products, h.ID)
		}
	}
	var words []string
	for _, alts := range w.Terms {
		for _, a := range alts {
			words = append(words, a...)
		}
	}
	rows, err := s.store.candidates(ctx, ext, candidateFilter{Dimension: w.Dimension, Words: words, Products: products,
		Need: w.Quantity, Months: w.Months, WantedFrom: w.WantedFrom, Lat: w.Lat, Lng: w.Lng,
		PerBaseKM: float64(TransportVNDPerTonneKM) * tonnesPerBase(w.Dimension)}, maxCandidates)
	if err != nil {
		return matched{}, err
	}
	cands, err := s.candidates(ctx, ext, rows)
	if err != nil {
		return matched{}, err
	}
	return matched{want: w, cands: cands, rows: rows, scored: Rank(w, cands, len(cands))}, nil
}

// candidates turns offers into candidates, reading the fulfilment record
// of the cooperatives whose offers do not carry it.
func (s *Service) candidates(ctx context.Context, ext sqlx.QueryerContext, rows []slimOffer) ([]Candidate, error) {
	var coops []uuid.UUID
	seen := map[uuid.UUID]bool{}
	for _, r := range rows {
		if !r.Rated && !seen[r.CoopID] {
			seen[r.CoopID] = true
			coops = append(coops, r.CoopID)
		}
	}
	var rate map[uuid.UUID]float64
	if len(coops) > 0 {
		var err error
		if rate, err = s.store.fulfilment(ctx, ext, coops); err != nil {
			return nil, err
		}
	}
	places := map[string]geo.Province{}
	cands := make([]Candidate, len(rows))
	for i, r := range rows {
		p, ok := places[r.Province]
		if !ok {
			var err error
			if p, err = s.provinces.Get(ctx, r.Province); err != nil {
				return nil, err
			}
			places[r.Province] = p
		}
		c := Candidate{OfferID: r.ID, CooperativeID: r.CoopID, Words: r.Words, Dimension: Dimension(r.Dimension),
			Quantity: r.Base, MinQuantity: r.BaseMin, Price: r.BasePrice, AvailableUntil: r.AvailableUntil, Lat: p.Lat, Lng: p.Lng,
			Stars: r.Stars, Certifications: r.Certifications, Verified: r.Verified, Fulfilment: r.Fulfilment}
		if !r.Rated {
			c.Fulfilment = rate[r.CoopID]
		}
		if r.ProductID != nil {
			c.ProductID = *r.ProductID
		}
		if len(r.Months) > 0 {
			c.Months = make([]int, len(r.Months))
			for j, m := range r.Months {
				c.Months[j] = int(m)
			}
		}
		cands[i] = c
	}
	return cands, nil
}

// Get returns a request the viewer may see: its buyer and admins always;
// anyone while it is live and open to every cooperative; members of the
// cooperatives matched with or invited to it.
func (s *Service) Get(ctx context.Context, vw Viewer, id uuid.UUID) (Request, error) {
	r, err := s.store.request(ctx, s.db, id, false)
	if err != nil {
		return Request{}, err
	}
	ok, err := s.canSee(ctx, vw, r)
	if err != nil {
		return Request{}, err
	}
	if !ok {
		return Request{}, ErrRequestNotFound
	}
	r.Mine = vw.UserID != uuid.Nil && vw.UserID == r.buyerID
	return r, nil
}

func (s *Service) owns(vw Viewer, r Request) bool {
	return vw.Admin || (vw.UserID != uuid.Nil && vw.UserID == r.buyerID)
}

func live(status string) bool { return status == StatusOpen || status == StatusQuoting }

func (s *Service) canSee(ctx context.Context, vw Viewer, r Request) (bool, error) {
	if s.owns(vw, r) || (live(r.Status) && len(r.Invited) == 0) {
		return true, nil
	}
	if len(vw.Coops) == 0 {
		return false, nil
	}
	matched, err := s.store.matchedCoops(ctx, s.db, r.ID)
	if err != nil {
		return false, err
	}
	for _, c := range vw.Coops {
		if slices.Contains(matched, c) || slices.ContainsFunc(r.Invited, func(ref CoopRef) bool { return ref.ID == c }) {
			return true, nil
		}
	}
	return false, nil
}

// ErrForbidden is returned to a viewer who sees a request but may not do
// what was asked.
var ErrForbidden = errors.New("bạn không có quyền thao tác trên yêu cầu này")

// Matches ranks the offers for a request and proposes combinations; for
// the request's buyer and admins.
func (s *Service) Matches(ctx context.Context, vw Viewer, id uuid.UUID) (Matches, error) {
	r, err := s.Get(ctx, vw, id)
	if err != nil {
		return Matches{}, err
	}
	if !s.owns(vw, r) {
		return Matches{}, ErrForbidden
	}
	ms, err := s.match(ctx, s.db, r)
	if err != nil {
		return Matches{}, err
	}
	unit, _ := ParseUnit(r.Unit)
	out := Matches{Matches: []Match{}, Combinations: []Combo{}, Optimal: true, TransportVNDPerTonneKM: TransportVNDPerTonneKM}
	shown := ms.scored[:min(len(ms.scored), maxMatchesShown)]
	// Combinations: every passing offer may take part.
	perTonneKm := float64(TransportVNDPerTonneKM) * tonnesPerBase(r.dimension)
	opts := make([]Option, len(ms.scored))
	dist := make(map[int]float64, len(ms.scored))
	for i, m := range ms.scored {
		c := ms.cands[m.Index]
		dist[m.Index] = m.DistanceKM
		opts[i] = Option{Index: m.Index, Min: c.MinQuantity, Max: c.Quantity, Cost: c.Price + perTonneKm*m.DistanceKM}
	}
	res := Combine(opts, r.base, MaxParts, 3, NodeLimit)
	// Only the offers shown are read in full.
	var ids []uuid.UUID
	for _, m := range shown {
		ids = append(ids, ms.rows[m.Index].ID)
	}
	for _, c := range res.Best {
		for _, p := range c.Parts {
			ids = append(ids, ms.rows[p.Index].ID)
		}
	}
	full, err := s.store.offersByID(ctx, s.db, ids)
	if err != nil {
		return Matches{}, err
	}
	for _, m := range shown {
		row, ok := full[ms.rows[m.Index].ID]
		if !ok {
			continue // withdrawn meanwhile
		}
		offer := toOffer(row)
		out.Matches = append(out.Matches, Match{OfferID: row.ID, Cooperative: offer.Cooperative, Offer: offer, Score: m.Score,
			Breakdown: m.Breakdown, DistanceKM: m.DistanceKM, Quantity: roundQty(row.Base / unit.Base),
			UnitPriceVND: int64(math.Round(row.BasePrice * unit.Base))})
	}
	out.Optimal, out.LowerBoundVND = res.Optimal, int64(math.Floor(res.LowerBound))
	for _, c := range res.Best {
		var combo Combo
		for _, p := range c.Parts {
			sl, cand := ms.rows[p.Index], ms.cands[p.Index]
			row := full[sl.ID]
			part := Part{OfferID: sl.ID, Cooperative: CoopRef{ID: sl.CoopID, Slug: row.CoopSlug, Name: row.CoopName},
				Quantity: roundQty(p.Quantity / unit.Base), Unit: r.Unit, UnitPriceVND: int64(math.Round(cand.Price * unit.Base)),
				GoodsVND: int64(math.Round(p.Quantity * cand.Price)), TransportVND: int64(math.Round(p.Quantity * perTonneKm * dist[p.Index])),
				DistanceKM: dist[p.Index]}
			combo.Parts = append(combo.Parts, part)
			combo.GoodsVND += part.GoodsVND
			combo.TransportVND += part.TransportVND
		}
		combo.TotalVND = combo.GoodsVND + combo.TransportVND
		out.Combinations = append(out.Combinations, combo)
	}
	return out, nil
}

func roundQty(q float64) float64 { return math.Round(q*1000) / 1000 }

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// Page bounds a list: page from 1, at most 50 per page.
type Page struct {
	Page    int
	PerPage int
}

func (p Page) check() (limit, offset int, err error) {
	var v web.ValidationError
	if p.Page == 0 {
		p.Page = 1
	}
	if p.PerPage == 0 {
		p.PerPage = 20
	}
	v.Check(p.Page >= 1 && p.Page <= 100, "page", "trang từ 1 đến 100")
	v.Check(p.PerPage >= 1 && p.PerPage <= maxRequestsPaged, "per_page", "từ 1 đến 50 mỗi trang")
	return p.PerPage, (p.Page - 1) * p.PerPage, v.Err()
}

// Mine lists a buyer's requests, newest first.
func (s *Service) Mine(ctx context.Context, buyer uuid.UUID, p Page) ([]Request, error) {
	limit, offset, err := p.check()
	if err != nil {
		return nil, err
	}
	rs, err := s.store.requests(ctx, s.db, `r.buyer_id = $1`, limit, offset, buyer)
	for i := range rs {
		rs[i].Mine = true
	}
	return rs, err
}

// Board lists the live requests open to every cooperative, newest first.
func (s *Service) Board(ctx context.Context, p Page) ([]Request, error) {
	limit, offset, err := p.check()
	if err != nil {
		return nil, err
	}
	return s.store.requests(ctx, s.db, `r.status IN ('open', 'quoting') AND r.invited = '{}'`, limit, offset)
}

// Close ends a live request; for its buyer and admins.
func (s *Service) Close(ctx context.Context, vw Viewer, id uuid.UUID) (Request, error) {
	var r Request
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var err error
		if r, err = s.store.request(ctx, tx, id, true); err != nil {
			return err
		}
		if !s.owns(vw, r) {
			if ok, err := s.canSee(ctx, vw, r); err != nil {
				return err
			} else if !ok {
				return ErrRequestNotFound
			}
			return ErrForbidden
		}
		if !live(r.Status) {
			return ErrRequestClosed
		}
		if err := s.store.setRequestStatus(ctx, tx, id, StatusClosed); err != nil {
			return err
		}
		r.Status, r.Mine = StatusClosed, vw.UserID == r.buyerID
		return nil
	})
	return r, err
}

// CreateOffer validates and stores a cooperative's offer, then matches it
// against the live requests and tells the cooperative of those it fits.
func (s *Service) CreateOffer(ctx context.Context, coopID uuid.UUID, in NewOffer) (Offer, error) {
	coop, err := s.store.coop(ctx, s.db, coopID)
	if err != nil {
		return Offer{}, err
	}
	if coop.Status != "verified" {
		return Offer{}, ErrNotVerified
	}
	var v web.ValidationError
	in.Text = cleanText(&v, "text", in.Text, maxTextRunes, false, "mô tả tối đa 200 ký tự")
	var productName string
	var keywords []string
	if in.ProductID != nil {
		name, kw, ok, err := s.store.productText(ctx, s.db, coopID, *in.ProductID)
		if err != nil {
			return Offer{}, err
		}
		v.Check(ok, "product_id", "không phải sản phẩm đang bán của hợp tác xã này")
		productName, keywords = name, kw
		if in.Text == "" {
			in.Text = name
		}
	}
	v.Check(in.Text != "", "text", "cần mô tả hàng hoặc chọn một sản phẩm")
	if in.Kind == "" {
		in.Kind = "seasonal"
	}
	v.Check(in.Kind == "seasonal" || in.Kind == "surplus", "kind", "theo mùa vụ (seasonal) hoặc hàng dư (surplus)")
	checkQuantity(&v, "quantity", in.Quantity)
	v.Check(!math.IsNaN(in.MinQuantity) && in.MinQuantity >= 0 && in.MinQuantity <= in.Quantity, "min_quantity",
		"đơn tối thiểu từ 0 đến số lượng có")
	u, ok := ParseUnit(in.Unit)
	v.Check(ok, "unit", "đơn vị không được hỗ trợ (ví dụ kg, tấn, tạ, yến, l, quả, hộp)")
	v.Check(in.UnitPriceVND > 0 && in.UnitPriceVND <= maxUnitPriceVND, "unit_price_vnd", "giá mỗi đơn vị từ 1 ₫ đến 10 tỷ ₫")
	v.Check(len(in.Months) <= 12, "months", "tối đa 12 tháng")
	months := []int{}
	for _, m := range in.Months {
		if m < 1 || m > 12 {
			v.Add("months", "tháng từ 1 đến 12")
			break
		}
		if !slices.Contains(months, m) && len(months) < 12 {
			months = append(months, m)
		}
	}
	slices.Sort(months)
	in.Months = months
	var until *time.Time
	if strings.TrimSpace(in.AvailableUntil) != "" {
		t := parseDate(&v, "available_until", in.AvailableUntil, "ngày theo dạng YYYY-MM-DD")
		v.Check(t.IsZero() || !t.Before(s.today()), "available_until", "ngày đã qua")
		until = &t
	}
	v.Check(in.Kind != "surplus" || until != nil, "available_until", "hàng dư cần ngày còn hàng đến")
	if strings.TrimSpace(in.Province) == "" {
		in.Province = coop.Province
	} else if slug, ok := s.province(ctx, in.Province); ok {
		in.Province = slug
	} else {
		v.Add("province", "không có tỉnh, thành phố này")
	}
	if err := v.Err(); err != nil {
		return Offer{}, err
	}
	words := Words(in.Text + " " + productName + " " + strings.Join(keywords, " "))
	slices.Sort(words)
	words = slices.Compact(words)
	id := uuid.Must(uuid.NewV7())
	var out Offer
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := s.store.insertOffer(ctx, tx, id, coopID, in, words, u, until); err != nil {
			return err
		}
		rows, err := s.store.offers(ctx, tx, `o.id = $1`, 1, id)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return ErrOfferNotFound
		}
		out = toOffer(rows[0])
		return s.matchOffer(ctx, tx, rows[0])
	})
	return out, err
}

// matchOffer tells the offer's cooperative of the live requests it fits.
func (s *Service) matchOffer(ctx context.Context, tx *sqlx.Tx, row offerRow) error {
	reqs, err := s.store.requests(ctx, tx, `r.status IN ('open', 'quoting') AND r.dimension = $1`, liveRequestScan, 0, row.Dimension)
	if err != nil || len(reqs) == 0 {
		return err
	}
	groups, err := s.finder.Synonyms(ctx)
	if err != nil {
		return err
	}
	cands, err := s.candidates(ctx, tx, []slimOffer{toSlim(row)})
	if err != nil {
		return err
	}
	for _, r := range reqs {
		w, err := s.want(ctx, r, groups)
		if err != nil {
			return err
		}
		ms := Rank(w, cands, 1)
		if len(ms) == 0 {
			continue
		}
		if err := s.notifyMatched(ctx, tx, r.ID, []uuid.UUID{row.CoopID}, []uuid.UUID{row.ID}, []float64{ms[0].Score}); err != nil {
			return err
		}
	}
	return nil
}

// Offers lists offers: a cooperative's own (all statuses) or, for
// everyone, the active offers of verified cooperatives.
func (s *Service) Offers(ctx context.Context, coop *uuid.UUID, own bool, p Page) ([]Offer, error) {
	limit, offset, err := p.check()
	if err != nil {
		return nil, err
	}
	where := `c.status = 'verified' AND o.status = 'active'`
	args := []any{}
	if coop != nil {
		where += ` AND o.cooperative_id = $1`
		if own {
			where = `o.cooperative_id = $1`
		}
		args = append(args, *coop)
	}
	rows, err := s.store.offers(ctx, s.db, where+`
ORDER BY o.created_at DESC, o.id DESC
OFFSET `+fmt.Sprint(offset), limit, args...)
	if err != nil {
		return nil, err
	}
	out := make([]Offer, len(rows))
	for i, r := range rows {
		out[i] = toOffer(r)
	}
	return out, nil
}

// WithdrawOffer takes a cooperative's offer off the market.
func (s *Service) WithdrawOffer(ctx context.Context, coop, id uuid.UUID) error {
	ok, err := s.store.withdrawOffer(ctx, s.db, id, coop)
	if err != nil {
		return err
	}
	if !ok {
		return ErrOfferNotFound
	}
	return nil
}

// SubmitQuote stores a cooperative's quote on a live request it may see,
// replacing its earlier quote unless that one was accepted, and tells the
// buyer.
func (s *Service) SubmitQuote(ctx context.Context, vw Viewer, coopID, requestID uuid.UUID, in NewQuote) (Quote, error) {
	coop, err := s.store.coop(ctx, s.db, coopID)
	if err != nil {
		return Quote{}, err
	}
	if coop.Status != "verified" {
		return Quote{}, ErrNotVerified
	}
	var v web.ValidationError
	v.Check(in.UnitPriceVND > 0 && in.UnitPriceVND <= maxUnitPriceVND, "unit_price_vnd", "giá mỗi đơn vị từ 1 ₫ đến 10 tỷ ₫")
	v.Check(in.Quantity > 0 && in.Quantity <= maxQuantity, "quantity", "số lượng từ 1 đến 1.000.000")
	today := s.today()
	delivery := parseDate(&v, "delivery_date", in.DeliveryDate, "cần ngày giao theo dạng YYYY-MM-DD")
	v.Check(delivery.IsZero() || (!delivery.Before(today) && !delivery.After(today.AddDate(0, 0, maxWindow))),
		"delivery_date", "ngày giao từ hôm nay đến 2 năm tới")
	valid := parseDate(&v, "valid_until", in.ValidUntil, "cần ngày hết hiệu lực theo dạng YYYY-MM-DD")
	v.Check(valid.IsZero() || (!valid.Before(today) && !valid.After(today.AddDate(1, 0, 0))),
		"valid_until", "hiệu lực từ hôm nay đến tối đa 1 năm")
	in.Note = cleanText(&v, "note", in.Note, maxNotesRunes, false, "ghi chú tối đa 1000 ký tự")
	v.Check(in.DepositPercent == 0 || in.DepositPercent >= 10 && in.DepositPercent <= 90,
		"deposit_percent", "tiền cọc từ 10% đến 90% (để trống nếu cần thanh toán đủ trước khi giao)")
	if in.VariantID == uuid.Nil {
		v.Add("variant_id", "cần chọn sản phẩm bán theo báo giá")
	} else if ok, err := s.store.variantOf(ctx, s.db, coopID, in.VariantID); err != nil {
		return Quote{}, err
	} else {
		v.Check(ok, "variant_id", "không phải loại hàng đang bán của hợp tác xã này")
	}
	if in.OfferID != nil {
		ok, err := s.store.offerOf(ctx, s.db, coopID, *in.OfferID)
		if err != nil {
			return Quote{}, err
		}
		v.Check(ok, "offer_id", "không phải nguồn hàng của hợp tác xã này")
	}
	if err := v.Err(); err != nil {
		return Quote{}, err
	}
	var out Quote
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		r, err := s.store.request(ctx, tx, requestID, true)
		if err != nil {
			return err
		}
		if ok, err := s.canSee(ctx, Viewer{Coops: []uuid.UUID{coopID}}, r); err != nil {
			return err
		} else if !ok {
			return ErrRequestNotFound
		}
		if len(r.Invited) > 0 && !slices.ContainsFunc(r.Invited, func(ref CoopRef) bool { return ref.ID == coopID }) {
			return ErrNotInvited
		}
		if !live(r.Status) {
			return ErrRequestClosed
		}
		id, ok, err := s.store.upsertQuote(ctx, tx, requestID, coopID, in, delivery, valid)
		if err != nil {
			return err
		}
		if !ok {
			return ErrQuoteAccepted
		}
		if r.Status == StatusOpen {
			if err := s.store.setRequestStatus(ctx, tx, requestID, StatusQuoting); err != nil {
				return err
			}
		}
		// A cooperative that quotes from the board keeps the request in
		// its inbox.
		if _, err := s.store.addMatches(ctx, tx, requestID, []uuid.UUID{coopID}, []uuid.UUID{uuid.Nil}, []float64{0}); err != nil {
			return err
		}
		qs, err := s.store.quotes(ctx, tx, requestID, false, []uuid.UUID{coopID})
		if err != nil {
			return err
		}
		if len(qs) == 0 {
			return ErrQuoteNotFound
		}
		out = qs[0]
		return outbox.Write(ctx, tx, TopicQuoted, requestID.String(), QuotedMessage{RequestID: requestID, QuoteID: id})
	})
	return out, err
}

// Quotes lists a request's quotes: all of them for its buyer and admins,
// a cooperative's own for its members; no cooperative sees another's.
func (s *Service) Quotes(ctx context.Context, vw Viewer, id uuid.UUID) ([]Quote, error) {
	r, err := s.Get(ctx, vw, id)
	if err != nil {
		return nil, err
	}
	if s.owns(vw, r) {
		return s.store.quotes(ctx, s.db, id, true, nil)
	}
	if len(vw.Coops) == 0 {
		return nil, ErrForbidden
	}
	return s.store.quotes(ctx, s.db, id, false, vw.Coops)
}

// Inbox lists the live requests a cooperative was matched with or invited
// to, with its own quote on each.
func (s *Service) Inbox(ctx context.Context, coop uuid.UUID, p Page) ([]InboxItem, error) {
	limit, offset, err := p.check()
	if err != nil {
		return nil, err
	}
	reqs, scores, err := s.store.inbox(ctx, s.db, coop, limit, offset)
	if err != nil {
		return nil, err
	}
	out := make([]InboxItem, len(reqs))
	for i, r := range reqs {
		out[i] = InboxItem{Request: r, Score: scores[i]}
		qs, err := s.store.quotes(ctx, s.db, r.ID, false, []uuid.UUID{coop})
		if err != nil {
			return nil, err
		}
		if len(qs) > 0 {
			out[i].Quote = &qs[0]
		}
	}
	return out, nil
}

// AcceptQuotes turns quotes of a request into one order at the quoted
// prices (a sub-order per cooperative), paid by card or bank transfer, and
// marks the request awarded. A retry with the same Idempotency-Key gets the
// same order; the key with another body is refused.
func (s *Service) AcceptQuotes(ctx context.Context, vw Viewer, id uuid.UUID, key string, in Accept) (Accepted, error) {
	key, err := order.CheckIdempotencyKey(key)
	if err != nil {
		return Accepted{}, err
	}
	var v web.ValidationError
	v.Check(len(in.QuoteIDs) >= 1 && len(in.QuoteIDs) <= maxQuoteIDs, "quote_ids", "chọn từ 1 đến 20 báo giá")
	if in.Pay == "" {
		in.Pay = PayFull
	}
	v.Check(in.Pay == PayFull || in.Pay == PayDeposit, "pay", "chọn thanh toán đủ (full) hoặc đặt cọc (deposit)")
	if err := v.Err(); err != nil {
		return Accepted{}, err
	}
	slices.SortFunc(in.QuoteIDs, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	in.QuoteIDs = slices.Compact(in.QuoteIDs)
	body, err := json.Marshal(struct {
		Request uuid.UUID
		In      Accept
	}{id, in})
	if err != nil {
		return Accepted{}, fmt.Errorf("sourcing: hash acceptance: %w", err)
	}
	sum := sha256.Sum256(body)
	hash := sum[:]
	if prior, found, err := s.store.acceptance(ctx, s.db, vw.UserID, key); err != nil {
		return Accepted{}, err
	} else if found {
		if string(prior.RequestHash) != string(hash) {
			return Accepted{}, ErrKeyReused
		}
		return Accepted{OrderID: prior.OrderID, Number: prior.Number, TotalVND: prior.TotalVND, DepositVND: prior.DepositVND}, nil
	}
	var out Accepted
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		r, err := s.store.request(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if vw.UserID != r.buyerID { // the order is the buyer's: only they accept
			if ok, err := s.canSee(ctx, vw, r); err != nil {
				return err
			} else if !ok {
				return ErrRequestNotFound
			}
			return ErrForbidden
		}
		if r.Status != StatusOpen && r.Status != StatusQuoting && r.Status != StatusAwarded {
			return ErrRequestClosed
		}
		qs, err := s.store.lockQuotes(ctx, tx, id, in.QuoteIDs)
		if err != nil {
			return err
		}
		if len(qs) != len(in.QuoteIDs) {
			return ErrQuoteNotFound
		}
		today := s.today()
		var dv web.ValidationError
		lines := make([]order.QuotedLine, len(qs))
		for i, q := range qs {
			valid, _ := time.Parse(dateLayout, q.ValidUntil)
			if q.Status != "submitted" || valid.Before(today) {
				return web.Detail(ErrQuoteNotLive, "Báo giá của %s không còn hiệu lực (%s).", q.Cooperative.Name, q.Status)
			}
			if in.Pay == PayDeposit && q.DepositPercent == 0 {
				dv.Add("pay", "Báo giá của "+q.Cooperative.Name+" không nhận đặt cọc: hãy thanh toán đủ hoặc bỏ chọn báo giá này.")
			}
			lines[i] = order.QuotedLine{VariantID: q.VariantID, Quantity: q.Quantity, UnitPriceVND: q.UnitPriceVND,
				DepositPercent: q.DepositPercent}
		}
		if err := dv.Err(); err != nil {
			return err
		}
		o, err := s.orders.PlaceQuoted(ctx, tx, vw.UserID, vw.Email,
			order.Checkout{ShippingAddress: in.ShippingAddress, PaymentMethod: in.PaymentMethod, Note: in.Note}, lines,
			in.Pay == PayDeposit)
		if err != nil {
			return err
		}
		if err := s.store.acceptQuotes(ctx, tx, in.QuoteIDs, o.ID); err != nil {
			return err
		}
		if err := s.store.setRequestStatus(ctx, tx, id, StatusAwarded); err != nil {
			return err
		}
		out = Accepted{OrderID: o.ID, Number: o.Number, TotalVND: o.TotalVND, DepositVND: o.DepositVND}
		return s.store.insertAcceptance(ctx, tx, vw.UserID, key, hash, o.ID)
	})
	if err != nil && db.Constraint(err) == "sourcing_acceptances_pkey" {
		return s.AcceptQuotes(ctx, vw, id, key, in) // a concurrent retry won; answer as it did
	}
	return out, err
}

// Expire marks requests whose window has passed and quotes past their
// validity expired; the worker runs it.
func (s *Service) Expire(ctx context.Context) (requests, quotes int64, err error) {
	return s.store.expire(ctx, s.db, s.today())
}

// Notice is what a notification about a request needs: the request, its
// buyer, and the cooperatives' slugs by ID.
type Notice struct {
	Request Request
	BuyerID uuid.UUID
	Coops   map[uuid.UUID]CoopRef
}

// ForNotice reads a request for a notification, with the named
// cooperatives.
func (s *Service) ForNotice(ctx context.Context, id uuid.UUID, coops []uuid.UUID) (Notice, error) {
	r, err := s.store.request(ctx, s.db, id, false)
	if err != nil {
		return Notice{}, err
	}
	keys := make([]string, len(coops))
	for i, c := range coops {
		keys[i] = c.String()
	}
	refs, err := s.store.coopRefs(ctx, s.db, keys)
	if err != nil {
		return Notice{}, err
	}
	n := Notice{Request: r, BuyerID: r.buyerID, Coops: map[uuid.UUID]CoopRef{}}
	for _, ref := range refs {
		n.Coops[ref.ID] = ref
	}
	return n, nil
}

// QuoteForNotice reads one quote of a request for a notification.
func (s *Service) QuoteForNotice(ctx context.Context, request, quote uuid.UUID) (Quote, error) {
	qs, err := s.store.quotes(ctx, s.db, request, true, nil)
	if err != nil {
		return Quote{}, err
	}
	for _, q := range qs {
		if q.ID == quote {
			return q, nil
		}
	}
	return Quote{}, ErrQuoteNotFound
}
