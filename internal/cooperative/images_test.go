package cooperative_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
	"htxmarket/internal/cooperative"
	"htxmarket/internal/platform/web"
)

// pictureOf is a w×h image of one colour, as PNG or JPEG.
func pictureOf(t testing.TB, w, h int, c color.NRGBA, format string) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, 255
	}
	var b bytes.Buffer
	var err error
	if format == "jpeg" {
		err = jpeg.Encode(&b, img, nil)
	} else {
		err = png.Encode(&b, img)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withGPS splices an EXIF segment naming a place into a JPEG, after SOI.
func withGPS(jpg []byte) []byte {
	payload := append([]byte("Exif\x00\x00II\x2a\x00\x08\x00\x00\x00\x00\x00"), "GPS 21.0285N 105.8542E Canon EOS serial 123456"...)
	seg := []byte{0xff, 0xe1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(2+len(payload)))
	out := append([]byte{}, jpg[:2]...)
	out = append(append(out, seg...), payload...)
	return append(out, jpg[2:]...)
}

// imageUpload is a multipart PUT with the file under a name and type the
// server must not trust.
func imageUpload(path string, data []byte) *http.Request {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := map[string][]string{
		"Content-Disposition": {`form-data; name="file"; filename="logo.png"`},
		"Content-Type":        {"image/png"},
	}
	fw, _ := mw.CreatePart(h)
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest("PUT", path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

// storedFiles lists the files under the media storage.
func storedFiles(t *testing.T, env *apptest.Env) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(env.Config.Media.StorageDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func TestImageRoleMatrix(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	// Managers of the cooperative and administrators; its staff are told
	// no (403); everyone else is not told the route exists for it (404).
	editors := authtest.Everyone(authtest.NotFound).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.Forbidden, authtest.CoopStaff).
		With(authtest.OK, authtest.CoopManager, authtest.Admin)
	colour := map[authtest.Actor]color.NRGBA{}
	for i, a := range authtest.Actors {
		colour[a] = color.NRGBA{R: byte(20 * i), G: 100, B: 200, A: 255}
	}
	for _, kind := range []string{"logo", "cover"} {
		path := "/api/v1/cooperatives/" + f.Coop.Slug + "/" + kind
		t.Run("put "+kind, func(t *testing.T) {
			authtest.Check(t, env, editors, func(_ *authtest.Fixture, a authtest.Actor) *http.Request {
				return imageUpload(path, pictureOf(t, 40, 20, colour[a], "png"))
			})
		})
		t.Run("delete "+kind, func(t *testing.T) {
			authtest.Check(t, env, editors, func(_ *authtest.Fixture, a authtest.Actor) *http.Request {
				return httptest.NewRequest("DELETE", path, nil)
			})
		})
	}
	// The other cooperative's manager changes their own, not this one's.
	other := "/api/v1/cooperatives/" + f.OtherCoop.Slug + "/logo"
	authtest.Check(t, env, authtest.Everyone(authtest.NotFound).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.OK, authtest.OtherCoopManager, authtest.Admin),
		func(_ *authtest.Fixture, a authtest.Actor) *http.Request {
			return imageUpload(other, pictureOf(t, 30, 30, colour[a], "png"))
		})
}

func TestLogoAndCover(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	token := f.Token(t, env, authtest.CoopManager)
	send := func(req *http.Request) *cooperative.Cooperative {
		t.Helper()
		req.Header.Set("Authorization", "Bearer "+token)
		res := env.Client.Do(req)
		if res.Status != http.StatusOK {
			t.Fatalf("%s %s: status %d: %s", req.Method, req.URL.Path, res.Status, res.Body)
		}
		var c cooperative.Cooperative
		res.JSON(t, &c)
		return &c
	}
	base := "/api/v1/cooperatives/" + f.Coop.Slug
	fileOf := func(url string) []byte {
		t.Helper()
		if !strings.HasPrefix(url, "/media/cooperatives/"+f.Coop.ID.String()+"/") {
			t.Fatalf("url %q is not in the cooperative's media folder", url)
		}
		b, err := os.ReadFile(filepath.Join(env.Config.Media.StorageDir, strings.TrimPrefix(url, "/media/")))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	size := func(b []byte) (string, int, int) {
		t.Helper()
		cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		return format, cfg.Width, cfg.Height
	}

	// A large photo with its place in EXIF: the logo is a 400 px JPEG
	// without it, the cover 1200 px.
	photo := withGPS(pictureOf(t, 2000, 1000, color.NRGBA{R: 30, G: 120, B: 60, A: 255}, "jpeg"))
	c := send(imageUpload(base+"/logo", photo))
	logo := fileOf(c.LogoURL)
	if format, w, h := size(logo); format != "jpeg" || w != 400 || h != 200 {
		t.Errorf("logo is %s %d×%d, want jpeg 400×200", format, w, h)
	}
	if bytes.Contains(logo, []byte("Exif")) || bytes.Contains(logo, []byte("GPS")) {
		t.Error("the logo kept the upload's EXIF data")
	}
	c = send(imageUpload(base+"/cover", photo))
	if format, w, h := size(fileOf(c.BannerURL)); format != "jpeg" || w != 1200 || h != 600 {
		t.Errorf("cover is %s %d×%d, want jpeg 1200×600", format, w, h)
	}
	// A small logo is not enlarged.
	c = send(imageUpload(base+"/logo", pictureOf(t, 120, 90, color.NRGBA{R: 200, A: 255}, "png")))
	if _, w, h := size(fileOf(c.LogoURL)); w != 120 || h != 90 {
		t.Errorf("small logo became %d×%d", w, h)
	}
	// The storefront shows them; the replaced logo's file is gone.
	res := env.Client.Do(httptest.NewRequest("GET", base, nil))
	var sf cooperative.Storefront
	res.JSON(t, &sf)
	if sf.LogoURL != c.LogoURL || sf.BannerURL != c.BannerURL {
		t.Errorf("storefront shows logo %q and cover %q, want %q and %q", sf.LogoURL, sf.BannerURL, c.LogoURL, c.BannerURL)
	}
	if files := storedFiles(t, env); len(files) != 2 {
		t.Errorf("stored files %v, want the logo and the cover", files)
	}
	// The file is served.
	if res := env.Client.Do(httptest.NewRequest("GET", c.LogoURL, nil)); res.Status != http.StatusOK {
		t.Errorf("GET %s: %d", c.LogoURL, res.Status)
	}

	// Removing the logo empties logo_url and removes its file; the cover stays.
	c = send(httptest.NewRequest("DELETE", base+"/logo", nil))
	if c.LogoURL != "" || c.BannerURL == "" {
		t.Errorf("after delete: logo %q, cover %q", c.LogoURL, c.BannerURL)
	}
	if files := storedFiles(t, env); len(files) != 1 || !strings.Contains(files[0], "-cover") {
		t.Errorf("stored files %v, want the cover alone", files)
	}
	// Removing what is not there is no error.
	send(httptest.NewRequest("DELETE", base+"/logo", nil))

	// Each change is in the audit log.
	var n int
	if err := env.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action = $1`, cooperative.ActionImage); err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Errorf("%d audit entries, want 5", n)
	}
}

func TestImageRefusals(t *testing.T) {
	env := apptest.New(t, map[string]string{"IMAGE_MAX_BYTES": "20000"})
	f := authtest.Setup(t, env)
	token := f.Token(t, env, authtest.CoopManager)
	base := "/api/v1/cooperatives/" + f.Coop.Slug
	noFile := httptest.NewRequest("PUT", base+"/logo", strings.NewReader("{}"))
	noFile.Header.Set("Content-Type", "application/json")
	tests := []struct {
		name   string
		req    *http.Request
		status int
		field  string
	}{
		{"not an image", imageUpload(base+"/logo", []byte("<svg xmlns='http://www.w3.org/2000/svg'/>")), http.StatusUnsupportedMediaType, ""},
		{"too large", imageUpload(base+"/cover", bytes.Repeat([]byte{0xff}, 20001)), http.StatusRequestEntityTooLarge, ""},
		{"broken PNG", imageUpload(base+"/logo", pictureOf(t, 50, 50, color.NRGBA{A: 255}, "png")[:60]), http.StatusUnprocessableEntity, ""},
		{"no file", noFile, http.StatusBadRequest, "file"},
		{"empty file", imageUpload(base+"/logo", nil), http.StatusBadRequest, "file"},
		{"unknown cooperative", imageUpload("/api/v1/cooperatives/khong-co/logo", pictureOf(t, 10, 10, color.NRGBA{A: 255}, "png")), http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.Header.Set("Authorization", "Bearer "+token)
			res := env.Client.Do(tt.req)
			if res.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.Status, tt.status, res.Body)
			}
			p := res.Problem(t)
			if p.Detail == "" && p.Title == "" {
				t.Error("problem without a message")
			}
			if tt.field != "" && !slices.ContainsFunc(p.Errors, func(e web.FieldError) bool { return e.Field == tt.field }) {
				t.Errorf("no error for field %s: %s", tt.field, res.Body)
			}
		})
	}
	// Nothing changed and nothing was stored.
	res := env.Client.Do(httptest.NewRequest("GET", base, nil))
	var sf cooperative.Storefront
	res.JSON(t, &sf)
	if sf.LogoURL != "" || sf.BannerURL != "" {
		t.Errorf("refused uploads changed the profile: %q, %q", sf.LogoURL, sf.BannerURL)
	}
	if files := storedFiles(t, env); len(files) != 0 {
		t.Errorf("refused uploads left files %v", files)
	}
}

// Uploads of the same cooperative's logo at once apply one after the
// other: the last one stays, with its file alone; the files the others
// wrote are removed as each is replaced.
func TestConcurrentLogoUploads(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	token := f.Token(t, env, authtest.CoopManager)
	const n = 6
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for i := range n {
		data := pictureOf(t, 30+i, 30, color.NRGBA{R: byte(40 * i), A: 255}, "png")
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := imageUpload("/api/v1/cooperatives/"+f.Coop.Slug+"/logo", data)
			req.Header.Set("Authorization", "Bearer "+token)
			statuses <- env.Client.Do(req).Status
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusOK {
			t.Errorf("upload: status %d", s)
		}
	}
	res := env.Client.Do(httptest.NewRequest("GET", "/api/v1/cooperatives/"+f.Coop.Slug, nil))
	var sf cooperative.Storefront
	res.JSON(t, &sf)
	files := storedFiles(t, env)
	if len(files) != 1 || !strings.HasSuffix(sf.LogoURL, filepath.Base(files[0])) {
		t.Errorf("logo %q, stored files %v: want the logo's file alone", sf.LogoURL, files)
	}
	var rows int
	if err := env.DB.Get(&rows, `SELECT count(*) FROM cooperative_images WHERE cooperative_id = $1`, f.Coop.ID); err != nil {
		t.Fatal(err)
	}
	if rows != 1 {
		t.Errorf("%d image rows, want 1", rows)
	}
}
