package catalog

import (
	"bytes"
	_ "embed"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// OpenAPI is the catalog's part of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Routes registers the catalog endpoints on r, the /api/v1 group, which
// runs auth.Middleware and auth.CSRF before them. {product} is an ID or a
// slug, {coop} a cooperative's ID or slug. "Editors" are the cooperative's
// managers, staff and delegated trade staff; every guarded route also
// admits admins.
//
//	GET    /ocop-groups                                 public: the OCOP product groups
//	GET    /products                                    public: active products of verified cooperatives
//	GET    /products/{product}                          public; drafts only to the cooperative's members
//	PATCH  /products/{product}                          editors (archiving, and reactivating an archived one: managers)
//	DELETE /products/{product}                          managers: archive
//	POST   /products/{product}/variants                 editors
//	PATCH  /products/{product}/variants/{variant}       editors
//	DELETE /products/{product}/variants/{variant}       managers: archive
//	PUT    /products/{product}/variants/{variant}/stock editors
//	POST   /products/{product}/images                   editors: upload (multipart "file", "alt")
//	PATCH  /products/{product}/images/{image}           editors: alt text, position
//	DELETE /products/{product}/images/{image}           editors
//	POST   /products/import                             admins: CSV of any cooperatives, creating them
//	GET    /cooperatives/{coop}/products                members: drafts and archived included
//	POST   /cooperatives/{coop}/products                editors
//	POST   /cooperatives/{coop}/products/import         managers: CSV of their own rows
//	GET    /cooperatives/{coop}/products/export.csv     members
func Routes(r fiber.Router, s *Service) {
	h := handler{s: s}
	member := auth.Require(auth.CoopMember("coop"), auth.RoleAdmin)
	editor := auth.Require(auth.CoopMember("coop", editors...), auth.RoleAdmin)
	manager := auth.Require(auth.CoopMember("coop", managers...), auth.RoleAdmin)
	signedIn := auth.RequireUser() // the product's cooperative is checked by the service

	r.Get("/ocop-groups", h.groups)
	r.Get("/products", h.list)
	r.Post("/products/import", auth.Require(auth.RoleAdmin), h.importCSV)
	r.Get("/products/:product", h.get)
	r.Patch("/products/:product", signedIn, h.update)
	r.Delete("/products/:product", signedIn, h.archive)
	r.Post("/products/:product/variants", signedIn, h.addVariant)
	r.Patch("/products/:product/variants/:variant", signedIn, h.updateVariant)
	r.Delete("/products/:product/variants/:variant", signedIn, h.archiveVariant)
	r.Put("/products/:product/variants/:variant/stock", signedIn, h.setStock)
	imageRoutes(r, h, signedIn)
	r.Get("/cooperatives/:coop/products", member, h.coopList)
	r.Post("/cooperatives/:coop/products", editor, h.create)
	r.Post("/cooperatives/:coop/products/import", manager, h.importCSV)
	r.Get("/cooperatives/:coop/products/export.csv", member, h.exportCSV)
}

type handler struct{ s *Service }

// filter reads a list's query parameters.
func filter(c *fiber.Ctx) (Filter, error) {
	var v web.ValidationError
	num := func(name string) int64 {
		s := c.Query(name)
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		v.Check(err == nil, name, "phải là số nguyên")
		return n
	}
	f := Filter{
		Province: c.Query("province"), Group: c.Query("group"), Certification: c.Query("certification"),
		Cooperative: c.Query("cooperative"), Status: Status(c.Query("status")), Sort: c.Query("sort"),
		Cursor:   c.Query("cursor"),
		MinStars: int(num("stars")), MinPrice: num("min_price"), MaxPrice: num("max_price"), Limit: int(num("limit")),
	}
	switch c.Query("in_season") {
	case "", "false":
	case "true":
		f.InSeason = true
	default:
		v.Add("in_season", "phải là true hoặc false")
	}
	return f, v.Err()
}

func (h handler) list(c *fiber.Ctx) error {
	f, err := filter(c)
	if err != nil {
		return err
	}
	f.Status = "" // the public list shows active products only
	viewer := auth.Current(c)
	if !h.s.Cached(viewer) {
		page, err := h.s.List(c.UserContext(), f)
		if err != nil {
			return err
		}
		noStore(c, viewer)
		return c.JSON(page)
	}
	pub, err := h.s.PublicList(c.UserContext(), f)
	if err != nil {
		return err
	}
	return sendPublic(c, pub, viewer)
}

func (h handler) coopList(c *fiber.Ctx) error {
	f, err := filter(c)
	if err != nil {
		return err
	}
	page, err := h.s.CoopList(c.UserContext(), auth.Current(c), c.Params("coop"), f)
	if err != nil {
		return err
	}
	return c.JSON(page)
}

func (h handler) get(c *fiber.Ctx) error {
	viewer := auth.Current(c)
	if !h.s.Cached(viewer) {
		p, err := h.s.Get(c.UserContext(), viewer, c.Params("product"))
		if errors.Is(err, ErrNotFound) {
			return redirectMerged(c, h.s, c.Params("product"), err)
		}
		if err != nil {
			return err
		}
		noStore(c, viewer)
		return c.JSON(p)
	}
	pub, err := h.s.PublicProduct(c.UserContext(), c.Params("product"))
	if errors.Is(err, ErrNotFound) {
		return redirectMerged(c, h.s, c.Params("product"), err)
	}
	if err != nil {
		return err
	}
	return sendPublic(c, pub, viewer)
}

// sendPublic answers with a public page from the cache. Anonymous callers
// may keep it, and shared caches serve it, for what is left of its TTL, so
// that it is never older than the TTL; If-None-Match with its tag is
// answered 304. A signed-in caller's answer is kept nowhere.
func sendPublic(c *fiber.Ctx, pub Public, viewer *auth.Principal) error {
	c.Vary(fiber.HeaderCookie, fiber.HeaderAuthorization)
	if viewer != nil {
		noStore(c, viewer)
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age="+strconv.Itoa(int(pub.MaxAge/time.Second)))
		c.Set(fiber.HeaderETag, pub.ETag)
		if etagMatch(c.Get(fiber.HeaderIfNoneMatch), pub.ETag) {
			return c.SendStatus(http.StatusNotModified)
		}
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(pub.Body)
}

// noStore marks a signed-in caller's answer private: it may show what
// only they see, and must not outlive their session.
func noStore(c *fiber.Ctx, viewer *auth.Principal) {
	if viewer != nil {
		c.Set(fiber.HeaderCacheControl, "private, no-store")
	}
}

// etagMatch is If-None-Match's weak comparison of a list of tags with tag.
func etagMatch(header, tag string) bool {
	tag = strings.TrimPrefix(tag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == tag {
			return true
		}
	}
	return false
}

func (h handler) create(c *fiber.Ctx) error {
	var n NewProduct
	if err := web.DecodeJSON(c, &n); err != nil {
		return err
	}
	p, err := h.s.Create(c.UserContext(), auth.Current(c), c.Params("coop"), n)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(p)
}

func (h handler) update(c *fiber.Ctx) error {
	var u ProductUpdate
	if err := web.DecodeJSON(c, &u); err != nil {
		return err
	}
	return h.send(c)(h.s.Update(c.UserContext(), auth.Current(c), c.Params("product"), u))
}

func (h handler) archive(c *fiber.Ctx) error {
	return h.send(c)(h.s.Archive(c.UserContext(), auth.Current(c), c.Params("product")))
}

func (h handler) addVariant(c *fiber.Ctx) error {
	var n NewVariant
	if err := web.DecodeJSON(c, &n); err != nil {
		return err
	}
	p, err := h.s.AddVariant(c.UserContext(), auth.Current(c), c.Params("product"), n)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(p)
}

func variantID(c *fiber.Ctx) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Params("variant"))
	if err != nil {
		return uuid.Nil, ErrVariantNotFound
	}
	return id, nil
}

func (h handler) updateVariant(c *fiber.Ctx) error {
	id, err := variantID(c)
	if err != nil {
		return err
	}
	var u VariantUpdate
	if err := web.DecodeJSON(c, &u); err != nil {
		return err
	}
	return h.send(c)(h.s.UpdateVariant(c.UserContext(), auth.Current(c), c.Params("product"), id, u))
}

func (h handler) archiveVariant(c *fiber.Ctx) error {
	id, err := variantID(c)
	if err != nil {
		return err
	}
	return h.send(c)(h.s.ArchiveVariant(c.UserContext(), auth.Current(c), c.Params("product"), id))
}

func (h handler) setStock(c *fiber.Ctx) error {
	id, err := variantID(c)
	if err != nil {
		return err
	}
	var body struct {
		Stock *int `json:"stock"`
	}
	if err := web.DecodeJSON(c, &body); err != nil {
		return err
	}
	if body.Stock == nil {
		return &web.ValidationError{Fields: []web.FieldError{{Field: "stock", Message: "không được để trống"}}}
	}
	return h.send(c)(h.s.SetStock(c.UserContext(), auth.Current(c), c.Params("product"), id, *body.Stock))
}

// send answers with a product or the error.
func (h handler) send(c *fiber.Ctx) func(Product, error) error {
	return func(p Product, err error) error {
		if err != nil {
			return err
		}
		return c.JSON(p)
	}
}

// importCSV takes the file as a text/csv body or as the "file" part of a
// multipart form. A file with bad rows is answered 422 with the report.
func (h handler) importCSV(c *fiber.Ctx) error {
	body, err := csvBody(c)
	if err != nil {
		return err
	}
	var dry bool
	switch c.Query("dry_run") {
	case "", "false":
	case "true":
		dry = true
	default:
		return &web.ValidationError{Fields: []web.FieldError{{Field: "dry_run", Message: "phải là true hoặc false"}}}
	}
	rep, err := h.s.Import(c.UserContext(), ImportRequest{CSV: body, DryRun: dry, Cooperative: c.Params("coop"), Viewer: auth.Current(c)})
	if errors.Is(err, ErrImportRejected) {
		return c.Status(http.StatusUnprocessableEntity).JSON(rep)
	}
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

func csvBody(c *fiber.Ctx) (io.Reader, error) {
	ct := strings.ToLower(strings.TrimSpace(strings.SplitN(c.Get(fiber.HeaderContentType), ";", 2)[0]))
	switch ct {
	case "text/csv":
		return bytes.NewReader(c.Body()), nil
	case fiber.MIMEMultipartForm:
		fh, err := c.FormFile("file")
		if err != nil {
			return nil, web.Detail(ErrBadCSV, "Biểu mẫu phải có tệp CSV ở trường “file”.")
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, MaxImportBytes+1))
		return bytes.NewReader(b), err
	}
	return nil, web.Detail(ErrBadCSV, "Hãy gửi tệp CSV với kiểu nội dung text/csv, hoặc trong trường “file” của multipart/form-data.")
}

func (h handler) exportCSV(c *fiber.Ctx) error {
	var b bytes.Buffer
	if err := h.s.Export(c.UserContext(), auth.Current(c), c.Params("coop"), &b); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+Slugify(c.Params("coop"))+`-san-pham.csv"`)
	return c.Send(b.Bytes())
}
