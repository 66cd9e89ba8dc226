package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"golang.org/x/text/unicode/norm"

	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/web"
)

// ErrSynonymNotFound is returned for an unknown synonym group.
var ErrSynonymNotFound = errors.New("không tìm thấy nhóm từ đồng nghĩa")

// Bounds of a request: a query past them is refused before any work.
const (
	MaxQueryRunes   = 200
	MaxPage         = 100
	MaxPerPage      = 50
	DefaultPerPage  = 20
	MaxSuggestRunes = 100
	DefaultSuggest  = 8
	MaxSuggest      = 20
	maxTerms        = 10
	maxTermRunes    = 50
)

// Vocabulary knows the values a filter may take.
type Vocabulary interface {
	// Province reports whether slug is one of the 34 provinces.
	Province(ctx context.Context, slug string) (bool, error)
	// Group reports whether slug is an OCOP group.
	Group(ctx context.Context, slug string) (bool, error)
	// Certification returns the canonical spelling of a certification.
	Certification(s string) (string, bool)
}

// Service validates queries and answers them from the active engine, and
// keeps the synonym groups.
type Service struct {
	db     *sqlx.DB
	engine Engine
	vocab  Vocabulary
	store  *SynonymStore
	now    func() time.Time
}

// NewService returns the search service.
func NewService(d *sqlx.DB, engine Engine, vocab Vocabulary) *Service {
	return &Service{db: d, engine: engine, vocab: vocab, store: NewSynonymStore(), now: time.Now}
}

// Engine returns the active engine.
func (s *Service) Engine() Engine { return s.engine }

// Params are a search as the API receives it, before validation.
type Params struct {
	Text          string
	Provinces     []string
	Groups        []string
	MinStars      int
	Certification string
	Cooperative   string
	MinPrice      int64
	MaxPrice      int64
	InSeason      bool
	InStock       bool
	Typing        bool
	Sort          string
	Page          int
	PerPage       int
}

// vietnam is the time zone of "this month" for in-season filters.
var vietnam = time.FixedZone("ICT", 7*60*60)

// CheckText refuses query text that is too long or not UTF-8, cheaply,
// before anything else looks at it.
func CheckText(text string, maxRunes int) error {
	if len(text) > maxRunes*utf8.UTFMax || utf8.RuneCountInString(text) > maxRunes {
		return web.Detail(ErrQueryTooLong, "Từ khóa tìm kiếm quá dài (tối đa %d ký tự).", maxRunes)
	}
	if !utf8.ValidString(text) {
		return web.Detail(ErrInvalidQuery, "Từ khóa tìm kiếm chứa ký tự không hợp lệ (không phải UTF-8).")
	}
	return nil
}

// hasWord reports whether text has a letter or a digit.
func hasWord(text string) bool {
	return strings.IndexFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// Validate turns params into an engine Query, listing every bad field.
func (s *Service) Validate(ctx context.Context, p Params) (Query, error) {
	if err := CheckText(p.Text, MaxQueryRunes); err != nil {
		return Query{}, err
	}
	var v web.ValidationError
	q := Query{
		Text: strings.TrimSpace(strings.ToValidUTF8(p.Text, "")), MinStars: p.MinStars, Cooperative: p.Cooperative,
		MinPrice: p.MinPrice, MaxPrice: p.MaxPrice, InStock: p.InStock, Typing: p.Typing, Sort: p.Sort, Page: p.Page, PerPage: p.PerPage,
	}
	var unknown []string
	for _, slug := range p.Provinces {
		ok, err := s.vocab.Province(ctx, slug)
		if err != nil {
			return Query{}, err
		}
		if !ok {
			unknown = append(unknown, truncate(slug, 40))
			continue
		}
		q.Provinces = append(q.Provinces, slug)
	}
	v.Check(len(unknown) == 0, "province", "không có tỉnh, thành phố: "+strings.Join(unknown, ", "))
	unknown = nil
	for _, slug := range p.Groups {
		ok, err := s.vocab.Group(ctx, slug)
		if err != nil {
			return Query{}, err
		}
		if !ok {
			unknown = append(unknown, truncate(slug, 40))
			continue
		}
		q.Groups = append(q.Groups, slug)
	}
	v.Check(len(unknown) == 0, "group", "không có nhóm sản phẩm OCOP: "+strings.Join(unknown, ", "))
	v.Check(len(p.Provinces) <= 34 && len(p.Groups) <= 10, "province", "quá nhiều giá trị lọc")
	v.Check(p.MinStars == 0 || (p.MinStars >= 3 && p.MinStars <= 5), "stars", "số sao OCOP phải là 3, 4 hoặc 5")
	if p.Certification != "" {
		c, ok := s.vocab.Certification(p.Certification)
		v.Check(ok, "certification", "chứng nhận không được hỗ trợ")
		q.Certification = c
	}
	v.Check(len(p.Cooperative) <= 100, "cooperative", "mã hợp tác xã quá dài")
	v.Check(p.MinPrice >= 0, "min_price", "giá không được âm")
	v.Check(p.MaxPrice >= 0 && (p.MaxPrice == 0 || p.MaxPrice >= p.MinPrice), "max_price", "giá tối đa phải lớn hơn hoặc bằng giá tối thiểu")
	if q.Sort == "" {
		q.Sort = SortRelevance
	}
	v.Check(slices.Contains([]string{SortRelevance, SortPriceAsc, SortPriceDesc, SortNewest, SortStars}, q.Sort),
		"sort", "cách sắp xếp phải là relevance, price_asc, price_desc, newest hoặc stars")
	if q.Page == 0 {
		q.Page = 1
	}
	v.Check(q.Page >= 1 && q.Page <= MaxPage, "page", fmt.Sprintf("trang từ 1 đến %d", MaxPage))
	if q.PerPage == 0 {
		q.PerPage = DefaultPerPage
	}
	v.Check(q.PerPage >= 1 && q.PerPage <= MaxPerPage, "per_page", fmt.Sprintf("số sản phẩm mỗi trang từ 1 đến %d", MaxPerPage))
	if p.InSeason {
		q.InSeason = int(s.now().In(vietnam).Month())
	}
	return q, v.Err()
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// Search validates p and answers it. Text without a single letter or digit
// ("%", "'") finds nothing.
func (s *Service) Search(ctx context.Context, p Params) (Result, error) {
	q, err := s.Validate(ctx, p)
	if err != nil {
		return Result{}, err
	}
	if q.Text != "" && !hasWord(q.Text) {
		return Result{Hits: []Hit{}, TotalExact: true, Facets: Facets{}, Page: q.Page, PerPage: q.PerPage, Engine: s.engine.Name()}, nil
	}
	res, err := s.engine.Search(ctx, q)
	if err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	if q.Text != "" && res.Total+res.Loose == 0 && q.Page == 1 {
		if err := s.noResults(ctx, q, &res); err != nil {
			return Result{}, err
		}
	}
	return res, nil
}

// popularCount is how many popular products a query that finds nothing
// offers.
const popularCount = 4

// noResults makes a query that finds nothing no dead end: queries near it
// that do find products (the engine's own, or, for several words, the
// query without one of them), and the best products of the group the
// nearest query finds most, or of all.
func (s *Service) noResults(ctx context.Context, q Query, res *Result) error {
	if len(res.Alternatives) == 0 {
		ws := strings.Fields(q.Text)
		for i := range ws {
			if len(ws) < 2 || len(res.Alternatives) >= 3 {
				break
			}
			t := strings.Join(append(slices.Clone(ws[:i]), ws[i+1:]...), " ")
			r, err := s.engine.Search(ctx, Query{Text: t, Provinces: q.Provinces, Groups: q.Groups, MinStars: q.MinStars,
				Certification: q.Certification, Cooperative: q.Cooperative, MinPrice: q.MinPrice, MaxPrice: q.MaxPrice,
				InSeason: q.InSeason, InStock: q.InStock, Sort: SortRelevance, Page: 1, PerPage: 1})
			if err != nil {
				return fmt.Errorf("search: alternatives: %w", err)
			}
			if r.Total > 0 && len(r.Dropped) == 0 {
				res.Alternatives = append(res.Alternatives, Alternative{Text: t, Total: r.Total})
			}
		}
	}
	pq := Query{Sort: SortStars, Page: 1, PerPage: popularCount} // in stock first among equal stars
	if len(res.Alternatives) > 0 {
		r, err := s.engine.Search(ctx, Query{Text: res.Alternatives[0].Text, Sort: SortRelevance, Page: 1, PerPage: 1})
		if err != nil {
			return fmt.Errorf("search: alternatives: %w", err)
		}
		if g := r.Facets[FacetGroup]; len(g) > 0 {
			pq.Groups = []string{g[0].Value}
			res.PopularGroup = g[0].Value
		}
	}
	p, err := s.engine.Search(ctx, pq)
	if err != nil {
		return fmt.Errorf("search: popular products: %w", err)
	}
	res.Popular = p.Hits
	return nil
}

// Suggest returns instant suggestions for a prefix; limit 0 is the default.
func (s *Service) Suggest(ctx context.Context, prefix string, limit int) ([]Suggestion, error) {
	if err := CheckText(prefix, MaxSuggestRunes); err != nil {
		return nil, err
	}
	var v web.ValidationError
	if limit == 0 {
		limit = DefaultSuggest
	}
	v.Check(limit >= 1 && limit <= MaxSuggest, "limit", fmt.Sprintf("từ 1 đến %d gợi ý", MaxSuggest))
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !hasWord(prefix) {
		return []Suggestion{}, nil
	}
	out, err := s.engine.Suggest(ctx, prefix, limit)
	if err != nil {
		return nil, fmt.Errorf("search: suggest: %w", err)
	}
	return out, nil
}

// Synonyms lists the synonym groups.
func (s *Service) Synonyms(ctx context.Context) ([]SynonymGroup, error) {
	return s.store.List(ctx, s.db)
}

// CreateSynonyms adds a group (ambiguous: those of its terms that a
// query for another term does not expand to) and applies the groups to
// the engine.
func (s *Service) CreateSynonyms(ctx context.Context, terms, ambiguous []string) (SynonymGroup, error) {
	return s.writeSynonyms(ctx, 0, terms, ambiguous)
}

// UpdateSynonyms replaces a group's terms and applies the groups.
func (s *Service) UpdateSynonyms(ctx context.Context, id int64, terms, ambiguous []string) (SynonymGroup, error) {
	return s.writeSynonyms(ctx, id, terms, ambiguous)
}

// DeleteSynonyms removes a group and applies the groups.
func (s *Service) DeleteSynonyms(ctx context.Context, id int64) error {
	var groups []SynonymGroup
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := s.store.Lock(ctx, tx); err != nil {
			return err
		}
		if err := s.store.Delete(ctx, tx, id); err != nil {
			return err
		}
		var err error
		groups, err = s.store.List(ctx, tx)
		return err
	})
	if err != nil {
		return err
	}
	return s.apply(ctx, groups)
}

func (s *Service) writeSynonyms(ctx context.Context, id int64, terms, ambiguous []string) (SynonymGroup, error) {
	terms, err := cleanTerms(terms)
	if err != nil {
		return SynonymGroup{}, err
	}
	if ambiguous, err = cleanAmbiguous(terms, ambiguous); err != nil {
		return SynonymGroup{}, err
	}
	var g SynonymGroup
	var groups []SynonymGroup
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := s.store.Lock(ctx, tx); err != nil {
			return err
		}
		existing, err := s.store.List(ctx, tx)
		if err != nil {
			return err
		}
		if err := checkOverlap(existing, id, terms); err != nil {
			return err
		}
		if id == 0 {
			g, err = s.store.Insert(ctx, tx, terms, ambiguous)
		} else {
			g, err = s.store.Update(ctx, tx, id, terms, ambiguous)
		}
		if err != nil {
			return err
		}
		groups, err = s.store.List(ctx, tx)
		return err
	})
	if err != nil {
		return SynonymGroup{}, err
	}
	return g, s.apply(ctx, groups)
}

// apply hands the groups to the engine. The groups are saved already; a
// failure here is reported so that the caller retries, which applies them
// again.
func (s *Service) apply(ctx context.Context, groups []SynonymGroup) error {
	if err := s.engine.SetSynonyms(ctx, groups); err != nil {
		return fmt.Errorf("search: apply synonyms: %w", err)
	}
	return nil
}

// cleanTerms trims and deduplicates a group's terms and checks their
// number and length.
func cleanTerms(in []string) ([]string, error) {
	var v web.ValidationError
	var out []string
	for _, t := range in {
		if !utf8.ValidString(t) {
			v.Add("terms", "từ không phải UTF-8")
			continue
		}
		t = strings.Join(strings.Fields(strings.ToLower(norm.NFC.String(t))), " ")
		n := utf8.RuneCountInString(t)
		if n == 0 || n > maxTermRunes || !hasWord(t) {
			v.Add("terms", fmt.Sprintf("mỗi từ dài từ 1 đến %d ký tự và có chữ hoặc số", maxTermRunes))
			continue
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if v.Err() == nil {
		v.Check(len(out) >= 2 && len(out) <= maxTerms, "terms", fmt.Sprintf("một nhóm có từ 2 đến %d từ khác nhau", maxTerms))
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSynonymInvalid, err)
	}
	return out, nil
}

// cleanAmbiguous returns the ambiguous terms, cleaned as the terms are;
// each must be one of terms, and one term at least must not be ambiguous.
func cleanAmbiguous(terms, in []string) ([]string, error) {
	var v web.ValidationError
	out := []string{}
	for _, t := range in {
		t = strings.Join(strings.Fields(strings.ToLower(norm.NFC.String(strings.ToValidUTF8(t, "")))), " ")
		if !slices.Contains(terms, t) {
			v.Add("ambiguous", fmt.Sprintf("“%s” không phải một từ của nhóm", truncate(t, 40)))
			continue
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	v.Check(len(out) < len(terms), "ambiguous", "ít nhất một từ của nhóm phải không mơ hồ")
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSynonymInvalid, err)
	}
	return out, nil
}

// checkOverlap refuses a term that belongs to another group. Two terms
// clash when they are written the same, or when one is written without
// tones and folds onto the other (a query "tra" means both chè's trà and
// the other term). Two toned spellings do not: dừa (coconut) and dứa
// (pineapple) may be in two groups, as a query typed with tones tells
// them apart.
func checkOverlap(groups []SynonymGroup, id int64, terms []string) error {
	type owned struct {
		term string
		id   int64
	}
	byFold := map[string][]owned{}
	for _, g := range groups {
		if g.ID == id {
			continue
		}
		for _, t := range g.Terms {
			t = norm.NFC.String(t)
			byFold[geo.Fold(t)] = append(byFold[geo.Fold(t)], owned{t, g.ID})
		}
	}
	var v web.ValidationError
	for _, t := range terms {
		f := geo.Fold(t)
		for _, o := range byFold[f] {
			if o.term == t || o.term == f || t == f {
				v.Add("terms", fmt.Sprintf("“%s” đã thuộc nhóm %d", t, o.id))
				break
			}
		}
	}
	if err := v.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrSynonymInvalid, err)
	}
	return nil
}
