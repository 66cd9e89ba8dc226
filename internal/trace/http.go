package trace

import (
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// OpenAPI is this capability's fragment of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Routes registers the API of traceability on r, the /api/v1 group.
// {coop} is a cooperative's ID or slug.
//
//	GET  /cooperatives/{coop}/batches                       members, admins: the batches, newest first
//	POST /cooperatives/{coop}/batches                       members: start a batch
//	GET  /cooperatives/{coop}/batches/{id}                  members, admins: a batch with its events, costs and phones included
//	POST /cooperatives/{coop}/batches/{id}/events           members: append an event
//	POST /cooperatives/{coop}/trace-photos                  members: upload a photo (raw image body)
//	GET  /cooperatives/{coop}/sub-orders/{id}/batches       members, admins: lines and the batch of each
//	PUT  /cooperatives/{coop}/sub-orders/{id}/batches       members: pick the batch of lines
//	GET  /batches/{id}/verify                               public: recompute the hash chain
//	GET  /batches/{id}/epcis                                public: the EPCIS 2.0 document (public facts only)
//	GET  /batches/{id}/qr.png, /batches/{id}/qr.svg         public: the QR code of the trace link
//	GET  /trace/order-lines?ids=…                           public: the trace of order lines by their IDs
func Routes(r fiber.Router, s *Service) {
	h := handler{s: s}
	member := auth.Require(auth.CoopMember("coop", auth.RoleCoopManager, auth.RoleCoopStaff))
	memberOrAdmin := auth.Require(auth.CoopMember("coop"), auth.RoleAdmin)

	r.Get("/cooperatives/:coop/batches", memberOrAdmin, h.list)
	r.Post("/cooperatives/:coop/batches", member, h.create)
	r.Get("/cooperatives/:coop/batches/:id", memberOrAdmin, h.get)
	r.Post("/cooperatives/:coop/batches/:id/events", member, h.addEvent)
	r.Post("/cooperatives/:coop/trace-photos", member, h.upload)
	r.Get("/cooperatives/:coop/sub-orders/:id/batches", memberOrAdmin, h.lineBatches)
	r.Put("/cooperatives/:coop/sub-orders/:id/batches", member, h.assign)
	r.Get("/batches/:id/verify", h.verify)
	r.Get("/batches/:id/epcis", h.epcis)
	r.Get("/batches/:id/qr.png", h.qrPNG)
	r.Get("/batches/:id/qr.svg", h.qrSVG)
	r.Get("/trace/order-lines", h.lineTraces)
}

// PageRoutes registers the public trace pages on the application itself,
// before the single-page application's fallback:
//
//	GET /t/{code}                     the trace page of a batch
//	GET /01/{gtin}/10/{code}          the same page at its GS1 Digital Link address
func PageRoutes(app fiber.Router, s *Service) {
	h := handler{s: s}
	app.Get("/t/:code", h.page)
	app.Get("/01/:gtin/10/:code", h.gs1Page)
}

type handler struct{ s *Service }

func pathID(c *fiber.Ctx, name string) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Params(name))
	if err != nil {
		return uuid.Nil, ErrNotFound
	}
	return id, nil
}

func (h handler) coop(c *fiber.Ctx) (uuid.UUID, error) {
	return h.s.CoopID(c.UserContext(), auth.Current(c), c.Params("coop"))
}

func (h handler) list(c *fiber.Ctx) error {
	coopID, err := h.coop(c)
	if err != nil {
		return err
	}
	v := &web.ValidationError{}
	limit := web.PageLimit(c, v)
	if err := v.Err(); err != nil {
		return err
	}
	page, err := h.s.Batches(c.UserContext(), coopID, c.Query("product"), limit, c.Query("cursor"))
	if err != nil {
		return err
	}
	return c.JSON(page)
}

func (h handler) create(c *fiber.Ctx) error {
	coopID, err := h.coop(c)
	if err != nil {
		return err
	}
	var n NewBatch
	if err := web.DecodeJSON(c, &n); err != nil {
		return err
	}
	b, err := h.s.CreateBatch(c.UserContext(), auth.Current(c), coopID, n)
	if err != nil {
		return err
	}
	c.Location("/api/v1/cooperatives/" + coopID.String() + "/batches/" + b.ID.String())
	return c.Status(fiber.StatusCreated).JSON(b)
}

// BatchDetail is a batch with its events, as its cooperative sees it.
type BatchDetail struct {
	Batch
	Events []Event `json:"events"`
}

func (h handler) get(c *fiber.Ctx) error {
	coopID, err := h.coop(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	b, err := h.s.Batch(c.UserContext(), coopID, id)
	if err != nil {
		return err
	}
	evs, err := h.s.Events(c.UserContext(), coopID, id)
	if err != nil {
		return err
	}
	return c.JSON(BatchDetail{Batch: b, Events: evs})
}

func (h handler) addEvent(c *fiber.Ctx) error {
	coopID, err := h.coop(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var n NewEvent
	if err := web.DecodeJSON(c, &n); err != nil {
		return err
	}
	e, err := h.s.AddEvent(c.UserContext(), auth.Current(c), coopID, id, n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

func (h handler) upload(c *fiber.Ctx) error {
	coopID, err := h.coop(c)
	if err != nil {
		return err
	}
	body := c.Body()
	// A browser form sends the photo as the multipart field "file".
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		fh, err := c.FormFile("file")
		if err != nil {
			v := &web.ValidationError{}
			v.Add("file", "chọn một ảnh để tải lên")
			return v
		}
		if h.s.opt.PhotoMaxBytes > 0 && fh.Size > int64(h.s.opt.PhotoMaxBytes) {
			return web.Detail(ErrPhotoTooLarge, "Ảnh lớn hơn %d MB, hãy chụp lại với độ phân giải thấp hơn.",
				max(1, h.s.opt.PhotoMaxBytes>>20))
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		if body, err = io.ReadAll(io.LimitReader(f, fh.Size)); err != nil {
			return err
		}
	}
	p, err := h.s.UploadPhoto(c.UserContext(), coopID, body)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

func (h handler) lineBatches(c *fiber.Ctx) error {
	coopID, err := h.coop(c)
	if err != nil {
		return err
	}
	id, err := uuid.Parse(c.Params("id"))
	if err != nil {
		return ErrLineNotFound
	}
	lines, err := h.s.SubOrderBatches(c.UserContext(), coopID, id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"lines": lines})
}

func (h handler) assign(c *fiber.Ctx) error {
	coopID, err := h.coop(c)
	if err != nil {
		return err
	}
	id, err := uuid.Parse(c.Params("id"))
	if err != nil {
		return ErrLineNotFound
	}
	var body struct {
		Lines []LinePick `json:"lines"`
	}
	if err := web.DecodeJSON(c, &body); err != nil {
		return err
	}
	lines, err := h.s.AssignBatches(c.UserContext(), auth.Current(c), coopID, id, body.Lines)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"lines": lines})
}

func (h handler) verify(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := h.s.Verify(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (h handler) epcis(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	doc, err := h.s.Export(c.UserContext(), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/ld+json")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="epcis-`+id.String()+`.jsonld"`)
	body, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return c.Send(body)
}

func (h handler) qr(c *fiber.Ctx) (string, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return "", err
	}
	link, _, err := h.s.QRLink(c.UserContext(), id)
	return link, err
}

func (h handler) qrPNG(c *fiber.Ctx) error {
	size := 512
	if raw := c.Query("size"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 128 || n > 2048 {
			v := &web.ValidationError{}
			v.Add("size", "phải là số điểm ảnh từ 128 đến 2048")
			return v
		}
		size = n
	}
	link, err := h.qr(c)
	if err != nil {
		return err
	}
	png, err := QRPNG(link, size)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/png")
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.Send(png)
}

func (h handler) qrSVG(c *fiber.Ctx) error {
	link, err := h.qr(c)
	if err != nil {
		return err
	}
	svg, err := QRSVG(link)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/svg+xml")
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.Send(svg)
}

func (h handler) lineTraces(c *fiber.Ctx) error {
	raw := strings.TrimSpace(c.Query("ids"))
	v := &web.ValidationError{}
	parts := strings.Split(raw, ",")
	if raw == "" || len(parts) > MaxAssignments {
		v.Add("ids", "gửi từ 1 đến 100 mã dòng hàng, cách nhau bởi dấu phẩy")
		return v
	}
	ids := make([]uuid.UUID, 0, len(parts))
	for _, p := range parts {
		id, err := uuid.Parse(strings.TrimSpace(p))
		if err != nil {
			v.Add("ids", "có mã dòng hàng không hợp lệ")
			return v
		}
		ids = append(ids, id)
	}
	out, err := h.s.LineTraces(c.UserContext(), ids)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": out})
}

func (h handler) sendPage(c *fiber.Ctx, body []byte, id uuid.UUID, err error) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	if errors.Is(err, ErrNotFound) {
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(fiber.StatusNotFound).Send(NotFoundPage())
	}
	if err != nil {
		return err
	}
	if c.Method() == fiber.MethodGet { // a HEAD is no one looking
		h.s.CountScan(id)
	}
	// Each view is a scan: browsers ask again rather than reuse a copy.
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.Send(body)
}

func (h handler) page(c *fiber.Ctx) error {
	body, id, err := h.s.Page(c.UserContext(), strings.ToUpper(c.Params("code")))
	return h.sendPage(c, body, id, err)
}

func (h handler) gs1Page(c *fiber.Ctx) error {
	body, id, err := h.s.PageByGTIN(c.UserContext(), c.Params("gtin"), strings.ToUpper(c.Params("code")))
	return h.sendPage(c, body, id, err)
}
