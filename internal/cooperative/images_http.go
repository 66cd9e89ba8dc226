package cooperative

import (
	_ "embed"
	"io"

	"github.com/gofiber/fiber/v2"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// ImagesOpenAPI is the fragment of the API document for logos and covers.
//
//go:embed images_openapi.yaml
var ImagesOpenAPI []byte

// ImageRoutes registers the logo and cover endpoints on r, the /api/v1
// group. {coop} is an ID or slug.
//
//	PUT    /cooperatives/{coop}/logo    managers, admins: upload the logo (multipart "file")
//	DELETE /cooperatives/{coop}/logo    managers, admins
//	PUT    /cooperatives/{coop}/cover   managers, admins: upload the cover
//	DELETE /cooperatives/{coop}/cover   managers, admins
func ImageRoutes(r fiber.Router, m *Images) {
	editor := auth.Require(auth.CoopMember("coop", auth.RoleCoopManager), auth.RoleAdmin)
	for _, kind := range []ImageKind{KindLogo, KindCover} {
		r.Put("/cooperatives/:coop/"+string(kind), editor, setImage(m, kind))
		r.Delete("/cooperatives/:coop/"+string(kind), editor, removeImage(m, kind))
	}
}

// setImage takes the file from the part "file" of a multipart form; the
// part's Content-Type and name are ignored, the pipeline sniffs the bytes.
// At most one byte more than the limit is read, for the pipeline to refuse
// with its explanation.
func setImage(m *Images, kind ImageKind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		fh, err := c.FormFile("file")
		if err != nil {
			return &web.ValidationError{Fields: []web.FieldError{{Field: "file",
				Message: "hãy gửi tệp ảnh ở trường “file” của biểu mẫu multipart/form-data"}}}
		}
		limit := int64(m.MaxBytes())
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, min(fh.Size, limit+1)))
		if err != nil {
			return err
		}
		coop, err := m.Set(c.UserContext(), actor(c), c.Params("coop"), kind, data)
		if err != nil {
			return err
		}
		return c.JSON(coop)
	}
}

func removeImage(m *Images, kind ImageKind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		coop, err := m.Remove(c.UserContext(), actor(c), c.Params("coop"), kind)
		if err != nil {
			return err
		}
		return c.JSON(coop)
	}
}
