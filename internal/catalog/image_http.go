package catalog

import (
	"io"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// imageRoutes registers the image endpoints; the service checks that the
// caller edits the product's cooperative.
func imageRoutes(r fiber.Router, h handler, signedIn fiber.Handler) {
	r.Post("/products/:product/images", signedIn, h.addImage)
	r.Patch("/products/:product/images/:image", signedIn, h.updateImage)
	r.Delete("/products/:product/images/:image", signedIn, h.deleteImage)
}

// addImage takes the file from the part "file" of a multipart form, and
// its alternative text from "alt". The part's own Content-Type and name
// are ignored: the service sniffs the bytes.
func (h handler) addImage(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return &web.ValidationError{Fields: []web.FieldError{{Field: "file",
			Message: "hãy gửi tệp ảnh ở trường “file” của biểu mẫu multipart/form-data"}}}
	}
	limit := h.s.ImageMaxBytes()
	if fh.Size > int64(limit) {
		return web.Detail(ErrImageTooLarge, "Tệp ảnh quá lớn: tối đa %s.", megabytes(limit))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return err
	}
	p, err := h.s.AddImage(c.UserContext(), auth.Current(c), c.Params("product"), NewImage{Data: data, Alt: c.FormValue("alt")})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(p)
}

func imageID(c *fiber.Ctx) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Params("image"))
	if err != nil {
		return uuid.Nil, ErrImageNotFound
	}
	return id, nil
}

func (h handler) updateImage(c *fiber.Ctx) error {
	id, err := imageID(c)
	if err != nil {
		return err
	}
	var u ImageUpdate
	if err := web.DecodeJSON(c, &u); err != nil {
		return err
	}
	return h.send(c)(h.s.UpdateImage(c.UserContext(), auth.Current(c), c.Params("product"), id, u))
}

func (h handler) deleteImage(c *fiber.Ctx) error {
	id, err := imageID(c)
	if err != nil {
		return err
	}
	return h.send(c)(h.s.DeleteImage(c.UserContext(), auth.Current(c), c.Params("product"), id))
}
