package trace

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"

	"github.com/google/uuid"

	"htxmarket/internal/platform/web"
)

// Photo is an uploaded photo: its storage key, which events and
// certifications name, and where browsers fetch it.
type Photo struct {
	Key string `json:"key"`
	URL string `json:"url"`
}

var photoTypes = map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}

// photoName is the last segment of a photo's key: the SHA-256 of its bytes
// and its extension. Naming a photo by its content makes the photo part of
// what an event's hash covers.
var photoName = regexp.MustCompile(`^[0-9a-f]{64}\.(jpg|png|webp)$`)

// validPhotoKey reports whether key is a photo uploaded for the cooperative.
func validPhotoKey(coopID uuid.UUID, key string) bool {
	rest, ok := strings.CutPrefix(key, "trace/"+coopID.String()+"/")
	return ok && photoName.MatchString(rest)
}

// UploadPhoto stores a photo taken in the field (an event's, or of a
// certificate) for the cooperative. The size is checked before anything
// else; the type is read from the bytes, not from what the client says;
// Options.Picture re-encodes it without its metadata.
func (s *Service) UploadPhoto(ctx context.Context, coopID uuid.UUID, body []byte) (Photo, error) {
	if len(body) == 0 {
		v := &web.ValidationError{}
		v.Add("body", "gửi ảnh trong thân yêu cầu")
		return Photo{}, v
	}
	if s.opt.PhotoMaxBytes > 0 && len(body) > s.opt.PhotoMaxBytes {
		return Photo{}, web.Detail(ErrPhotoTooLarge, "Ảnh lớn hơn %d MB, hãy chụp lại với độ phân giải thấp hơn.",
			max(1, s.opt.PhotoMaxBytes>>20))
	}
	ct := http.DetectContentType(body)
	if _, ok := photoTypes[ct]; !ok {
		return Photo{}, ErrPhotoType
	}
	if s.opt.Picture != nil {
		data, typ, err := s.opt.Picture(ctx, body)
		if err != nil {
			return Photo{}, err
		}
		body, ct = data, typ
	}
	ext, ok := photoTypes[ct]
	if !ok {
		return Photo{}, ErrPhotoType
	}
	sum := sha256.Sum256(body)
	key := "trace/" + coopID.String() + "/" + hex.EncodeToString(sum[:]) + ext
	if err := s.media.Put(ctx, key, ct, bytes.NewReader(body)); err != nil {
		return Photo{}, err
	}
	return Photo{Key: key, URL: s.media.URL(key)}, nil
}
