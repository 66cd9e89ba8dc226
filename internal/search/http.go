package search

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// OpenAPI is the search's part of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Routes registers the search endpoints on r, the /api/v1 group.
//
//	GET    /search                  public: products matching q and filters, with facets
//	GET    /search/suggest          public: instant suggestions for a prefix
//	GET    /search/synonyms         trade staff, admins
//	POST   /search/synonyms         trade staff, admins
//	PUT    /search/synonyms/{id}    trade staff, admins
//	DELETE /search/synonyms/{id}    trade staff, admins
func Routes(r fiber.Router, s *Service) {
	h := handler{s: s}
	staff := auth.Require(auth.RoleTradeStaff, auth.RoleAdmin)
	r.Get("/search", h.search)
	r.Get("/search/suggest", h.suggest)
	r.Get("/search/synonyms", staff, h.listSynonyms)
	r.Post("/search/synonyms", staff, h.createSynonyms)
	r.Put("/search/synonyms/:id", staff, h.updateSynonyms)
	r.Delete("/search/synonyms/:id", staff, h.deleteSynonyms)
}

type handler struct{ s *Service }

// list reads a filter given repeated (province=a&province=b) or comma
// separated (province=a,b).
func list(c *fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Context().QueryArgs().PeekMulti(name) {
		for _, part := range strings.Split(string(v), ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// params reads a search's query parameters. The text is checked first, so
// that a huge or malformed q costs nothing more.
func params(c *fiber.Ctx) (Params, error) {
	q := string(c.Context().QueryArgs().Peek("q"))
	if err := CheckText(q, MaxQueryRunes); err != nil {
		return Params{}, err
	}
	var v web.ValidationError
	num := func(name string) int64 {
		s := c.Query(name)
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		v.Check(err == nil && n >= 0, name, "phải là số nguyên không âm")
		return n
	}
	p := Params{
		Text: q, Provinces: list(c, "province"), Groups: list(c, "group"),
		Certification: c.Query("certification"), Cooperative: c.Query("cooperative"), Sort: c.Query("sort"),
		MinStars: int(min(num("stars"), 100)), MinPrice: num("min_price"), MaxPrice: num("max_price"),
		Page: int(min(num("page"), 1<<20)), PerPage: int(min(num("per_page"), 1<<20)),
	}
	if p.Page == 0 && c.Query("page") != "" {
		v.Add("page", "trang từ 1 đến "+strconv.Itoa(MaxPage))
	}
	flag := func(name string) bool {
		switch c.Query(name) {
		case "", "false":
			return false
		case "true":
			return true
		}
		v.Add(name, "phải là true hoặc false")
		return false
	}
	p.InSeason, p.InStock, p.Typing = flag("in_season"), flag("in_stock"), flag("typing")
	return p, v.Err()
}

func (h handler) search(c *fiber.Ctx) error {
	p, err := params(c)
	if err != nil {
		return err
	}
	res, err := h.s.Search(c.UserContext(), p)
	if err != nil {
		return err
	}
	buf := jsonBuffers.Get().(*[]byte)
	defer jsonBuffers.Put(buf)
	body, ok := res.AppendJSON((*buf)[:0])
	if !ok {
		return c.JSON(res) // reports what cannot be encoded
	}
	*buf = body
	c.Response().SetBody(body) // copied into the response's own buffer
	c.Response().Header.SetContentType(fiber.MIMEApplicationJSON)
	return nil
}

// jsonBuffers are the buffers answers are encoded in, reused: an answer
// is some 20–40 KB.
var jsonBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

func (h handler) suggest(c *fiber.Ctx) error {
	q := string(c.Context().QueryArgs().Peek("q"))
	if err := CheckText(q, MaxSuggestRunes); err != nil {
		return err
	}
	limit := 0
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			var v web.ValidationError
			v.Add("limit", "từ 1 đến "+strconv.Itoa(MaxSuggest)+" gợi ý")
			return &v
		}
		limit = n
	}
	out, err := h.s.Suggest(c.UserContext(), q, limit)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"suggestions": out})
}

func (h handler) listSynonyms(c *fiber.Ctx) error {
	groups, err := h.s.Synonyms(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": groups})
}

type synonymInput struct {
	Terms     []string `json:"terms"`
	Ambiguous []string `json:"ambiguous"`
}

// decodeSynonyms reads a group and counts its terms before the service
// looks at them one by one: a group has at most maxTerms terms.
func decodeSynonyms(c *fiber.Ctx) (synonymInput, error) {
	var in synonymInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return in, err
	}
	if len(in.Terms) > maxTerms || len(in.Ambiguous) > maxTerms {
		var v web.ValidationError
		v.Add("terms", fmt.Sprintf("một nhóm có từ 2 đến %d từ khác nhau", maxTerms))
		return in, fmt.Errorf("%w: %w", ErrSynonymInvalid, v.Err())
	}
	return in, nil
}

func (h handler) createSynonyms(c *fiber.Ctx) error {
	in, err := decodeSynonyms(c)
	if err != nil {
		return err
	}
	g, err := h.s.CreateSynonyms(c.UserContext(), in.Terms, in.Ambiguous)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(g)
}

func synonymID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, ErrSynonymNotFound
	}
	return id, nil
}

func (h handler) updateSynonyms(c *fiber.Ctx) error {
	id, err := synonymID(c)
	if err != nil {
		return err
	}
	in, err := decodeSynonyms(c)
	if err != nil {
		return err
	}
	g, err := h.s.UpdateSynonyms(c.UserContext(), id, in.Terms, in.Ambiguous)
	if err != nil {
		return err
	}
	return c.JSON(g)
}

func (h handler) deleteSynonyms(c *fiber.Ctx) error {
	id, err := synonymID(c)
	if err != nil {
		return err
	}
	if err := h.s.DeleteSynonyms(c.UserContext(), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
