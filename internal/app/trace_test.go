package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"htxmarket/internal/app"
	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
	"htxmarket/internal/catalog"
	"htxmarket/internal/identity"
	"htxmarket/internal/order"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/trace"
)

// traceWorld is a server with the authtest fixture and one active product
// of each fixture cooperative.
type traceWorld struct {
	env                    *apptest.Env
	f                      *authtest.Fixture
	product, otherProduct  catalog.Product
	manager, staff, other  string // bearer tokens
	consumer               string
	managerUser, staffUser identity.User
}

func newTraceWorld(t *testing.T) *traceWorld {
	t.Helper()
	env := apptest.New(t, map[string]string{"ARGON2_MEMORY_KIB": "64", "ARGON2_TIME": "1",
		"PUBLIC_ORIGIN": "https://htx.example"})
	f := authtest.Setup(t, env)
	admin := &auth.Principal{UserID: uuid.New(), Roles: []auth.Role{auth.RoleAdmin}}
	mk := func(coop authtest.Coop, name string) catalog.Product {
		p, err := env.Server.Catalog.Create(context.Background(), admin, coop.Slug, catalog.NewProduct{
			Name: name, Group: "do-uong", Province: coop.Province, Status: catalog.StatusActive,
			Variants: []catalog.NewVariant{{SKU: catalog.Slugify(name), Unit: "gói 200 g", PriceVND: 130_000, Stock: 100}},
		})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	w := &traceWorld{env: env, f: f,
		product: mk(f.Coop, "Chè búp Tân Cương"), otherProduct: mk(f.OtherCoop, "Cà phê Cầu Đất")}
	w.manager = f.Token(t, env, authtest.CoopManager)
	w.staff = f.Token(t, env, authtest.CoopStaff)
	w.other = f.Token(t, env, authtest.OtherCoopManager)
	w.consumer = f.Token(t, env, authtest.Consumer)
	w.managerUser, w.staffUser = f.Users[authtest.CoopManager], f.Users[authtest.CoopStaff]
	return w
}

func (w *traceWorld) do(t *testing.T, token, method, path string, body any) *responseOf {
	t.Helper()
	var req *http.Request
	if body != nil {
		b, _ := json.Marshal(body)
		req = httptest.NewRequest(method, path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res := w.env.Client.Do(req)
	return &responseOf{Status: res.Status, Body: res.Body, Header: res.Header}
}

type responseOf struct {
	Status int
	Body   []byte
	Header http.Header
}

func (r *responseOf) into(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

func newBatchBody(productID uuid.UUID) map[string]any {
	return map[string]any{
		"product_id": productID, "gtin": "8938505974019", "quantity": 500, "unit": "kg",
		"produced_on": "2025-05-01", "expires_on": "2026-05-01",
		"area": map[string]any{"name": "Đồi chè xóm Soi", "commune": "Phúc Xuân", "province": "thai-nguyen", "lat": 21.5912, "lng": 105.7891},
		"inputs": []map[string]any{{"kind": "fertiliser", "name": "Phân hữu cơ vi sinh", "amount": "200 kg",
			"applied_on": "2025-03-02", "cost_vnd": 4_700_000}},
		"certifications": []map[string]any{{"name": "VietGAP", "number": "VG-0231", "issuer": "Trung tâm Chứng nhận phù hợp",
			"valid_until": "2027-01-01", "document": ""}},
	}
}

func (w *traceWorld) batch(t *testing.T) trace.Batch {
	t.Helper()
	res := w.do(t, w.manager, "POST", "/api/v1/cooperatives/"+w.f.Coop.Slug+"/batches", newBatchBody(w.product.ID))
	if res.Status != http.StatusCreated {
		t.Fatalf("create batch: %d %s", res.Status, res.Body)
	}
	var b trace.Batch
	res.into(t, &b)
	return b
}

func (w *traceWorld) event(t *testing.T, token string, b trace.Batch, body map[string]any) trace.Event {
	t.Helper()
	res := w.do(t, token, "POST", fmt.Sprintf("/api/v1/cooperatives/%s/batches/%s/events", w.f.Coop.Slug, b.ID), body)
	if res.Status != http.StatusCreated {
		t.Fatalf("add event: %d %s", res.Status, res.Body)
	}
	var e trace.Event
	res.into(t, &e)
	return e
}

func (w *traceWorld) verify(t *testing.T, id uuid.UUID) trace.Verification {
	t.Helper()
	res := w.do(t, "", "GET", "/api/v1/batches/"+id.String()+"/verify", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("verify: %d %s", res.Status, res.Body)
	}
	var v trace.Verification
	res.into(t, &v)
	return v
}

// threeEvents records harvest, an inspection and packing, the last with a
// private phone and cost.
func (w *traceWorld) threeEvents(t *testing.T, b trace.Batch) []trace.Event {
	return []trace.Event{
		w.event(t, w.staff, b, map[string]any{"kind": "harvested", "occurred_at": "2025-05-01T06:30:00+07:00",
			"place":      map[string]any{"name": "Đồi chè xóm Soi", "commune": "Phúc Xuân", "province": "thai-nguyen", "lat": 21.5912, "lng": 105.7891},
			"actor_name": "Tổ hái chè số 2", "notes": "Hái một tôm hai lá"}),
		w.event(t, w.manager, b, map[string]any{"kind": "inspected", "inspector": "Chi cục Quản lý chất lượng Thái Nguyên",
			"result": "passed", "notes": "Không phát hiện dư lượng thuốc bảo vệ thực vật"}),
		w.event(t, w.manager, b, map[string]any{"kind": "packed", "actor_name": "Xưởng sao chè",
			"actor_phone": "0912345678", "cost_vnd": 2_350_000,
			"place": map[string]any{"name": "Xưởng chè", "commune": "", "province": "thai-nguyen", "lat": nil, "lng": nil}}),
	}
}

func TestTraceBatchEventsAndTheirChain(t *testing.T) {
	w := newTraceWorld(t)
	b := w.batch(t)
	if len(b.Code) != 8 || b.GTIN != "08938505974019" || b.TraceURL != "https://htx.example/01/08938505974019/10/"+b.Code {
		t.Fatalf("batch: %+v", b)
	}
	evs := w.threeEvents(t, b)
	if evs[0].Seq != 1 || evs[2].Seq != 3 || evs[0].PrevHash != b.Hash || evs[1].PrevHash != evs[0].Hash {
		t.Fatalf("events are not chained: %+v", evs)
	}

	// A correction is a new event naming the old one.
	fix := w.event(t, w.manager, b, map[string]any{"kind": "harvested", "occurred_at": "2025-05-01T07:30:00+07:00",
		"corrects_seq": 1, "notes": "Giờ thu hoạch ghi nhầm: 7 giờ 30, không phải 6 giờ 30"})
	if fix.Seq != 4 || fix.CorrectsSeq == nil || *fix.CorrectsSeq != 1 {
		t.Fatalf("correction: %+v", fix)
	}

	v := w.verify(t, b.ID)
	if !v.Valid || v.Events != 4 || v.BrokenAt != nil || v.Head != fix.Hash {
		t.Fatalf("clean chain: %+v", v)
	}

	// The cooperative sees everything, private details included.
	res := w.do(t, w.staff, "GET", fmt.Sprintf("/api/v1/cooperatives/%s/batches/%s", w.f.Coop.ID, b.ID), nil)
	if res.Status != http.StatusOK || !bytes.Contains(res.Body, []byte("0912345678")) || !bytes.Contains(res.Body, []byte("4700000")) {
		t.Fatalf("batch detail: %d %s", res.Status, res.Body)
	}
	var list trace.BatchPage
	res = w.do(t, w.manager, "GET", "/api/v1/cooperatives/"+w.f.Coop.Slug+"/batches?limit=1", nil)
	res.into(t, &list)
	if len(list.Items) != 1 || list.Items[0].EventCount != 4 {
		t.Fatalf("list: %s", res.Body)
	}
	var none trace.BatchPage
	w.do(t, w.manager, "GET", "/api/v1/cooperatives/"+w.f.Coop.Slug+"/batches?product="+w.otherProduct.ID.String(), nil).into(t, &none)
	if len(none.Items) != 0 {
		t.Fatalf("batches of another product: %+v", none.Items)
	}
	if res := w.do(t, w.manager, "GET", "/api/v1/cooperatives/"+w.f.Coop.Slug+"/batches?product=bưởi", nil); res.Status != http.StatusBadRequest {
		t.Fatalf("a product that is no ID: %d", res.Status)
	}
}

// The heart of tamper evidence: a change made in the database, behind the
// application's back, is found and the changed event named.
func TestTraceVerificationNamesAnEventChangedInTheDatabase(t *testing.T) {
	w := newTraceWorld(t)
	b := w.batch(t)
	evs := w.threeEvents(t, b)
	ctx := context.Background()

	// The database itself refuses to change an event.
	if _, err := w.env.DB.ExecContext(ctx, `UPDATE trace_events SET notes = 'sửa' WHERE id = $1`, evs[1].ID); err == nil ||
		!strings.Contains(err.Error(), "append-only") {
		t.Fatalf("an UPDATE of an event was not refused: %v", err)
	}
	if _, err := w.env.DB.ExecContext(ctx, `DELETE FROM trace_events WHERE id = $1`, evs[1].ID); err == nil {
		t.Fatal("a DELETE of an event was not refused")
	}

	// Someone with the owner's rights switches the guard off and edits
	// the inspection's result.
	tx, err := w.env.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`ALTER TABLE trace_events DISABLE TRIGGER trace_events_append_only`,
		`UPDATE trace_events SET result = 'passed', notes = 'Đạt mọi chỉ tiêu' WHERE id = '` + evs[1].ID.String() + `'`,
		`ALTER TABLE trace_events ENABLE TRIGGER trace_events_append_only`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	v := w.verify(t, b.ID)
	if v.Valid || v.BrokenAt == nil || v.BrokenAt.Link != "event" || v.BrokenAt.Seq != 2 ||
		v.BrokenAt.EventID == nil || *v.BrokenAt.EventID != evs[1].ID {
		t.Fatalf("verification after tampering: %+v (broken at %+v), want event %s", v, v.BrokenAt, evs[1].ID)
	}
	// The public page says so too.
	w.env.Server.Trace.ForgetPages()
	res := w.do(t, "", "GET", "/t/"+b.Code, nil)
	if res.Status != http.StatusOK || !bytes.Contains(res.Body, []byte(`data-verify="broken"`)) ||
		!bytes.Contains(res.Body, []byte("tại sự kiện số 2")) {
		t.Fatalf("page after tampering: %d %s", res.Status, res.Body)
	}

	// A batch's own facts are covered as well.
	if _, err := w.env.DB.ExecContext(ctx, `UPDATE trace_batches SET quantity = 5000 WHERE id = $1`, b.ID); err != nil {
		t.Fatal(err)
	}
	if v := w.verify(t, b.ID); v.Valid || v.BrokenAt == nil || v.BrokenAt.Link != "batch" {
		t.Fatalf("a changed batch verified: %+v", v)
	}
}

func TestTracePublicPageShowsNoPrivateData(t *testing.T) {
	w := newTraceWorld(t)
	b := w.batch(t)
	w.threeEvents(t, b)

	for _, path := range []string{"/t/" + b.Code, "/t/" + strings.ToLower(b.Code), "/01/08938505974019/10/" + b.Code, "/01/8938505974019/10/" + b.Code} {
		res := w.do(t, "", "GET", path, nil)
		if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s: %d", path, res.Status)
		}
		page := string(res.Body)
		for _, want := range []string{"Chè búp Tân Cương", w.f.Coop.Name, b.Code, `data-verify="ok"`, "Kiểm tra", "Đạt",
			"Chi cục Quản lý chất lượng Thái Nguyên", "Tổ hái chè số 2", `property="og:title"`,
			`<link rel="canonical" href="https://htx.example/t/` + b.Code + `">`, "<svg", "VietGAP", "Phân hữu cơ vi sinh", "01/05/2025"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
		for _, private := range []string{"0912345678", "2350000", "2.350.000", "4700000", "4.700.000",
			w.managerUser.ID.String(), w.staffUser.ID.String(), w.managerUser.Email} {
			if strings.Contains(page, private) {
				t.Errorf("%s shows private data %q", path, private)
			}
		}
	}
	// Wrong GTIN, unknown code, malformed code: the not-found page.
	for _, path := range []string{"/01/00036000291452/10/" + b.Code, "/01/08938505974015/10/" + b.Code, "/t/ZZZZZZZZ", "/t/abc"} {
		if res := w.do(t, "", "GET", path, nil); res.Status != http.StatusNotFound || !bytes.Contains(res.Body, []byte("Không tìm thấy lô hàng")) {
			t.Errorf("%s: %d", path, res.Status)
		}
	}

	// Scans are counted.
	if err := w.env.Server.Trace.FlushScans(context.Background()); err != nil {
		t.Fatal(err)
	}
	var scans int
	if err := w.env.DB.Get(&scans, `SELECT scan_count FROM trace_batches WHERE id = $1`, b.ID); err != nil || scans != 4 {
		t.Fatalf("scan count %d (%v), want 4", scans, err)
	}

	// The EPCIS export leaves private data out too.
	res := w.do(t, "", "GET", "/api/v1/batches/"+b.ID.String()+"/epcis", nil)
	if res.Status != http.StatusOK || !bytes.Contains(res.Body, []byte(`"type":"EPCISDocument"`)) ||
		bytes.Contains(res.Body, []byte("0912345678")) || bytes.Contains(res.Body, []byte("2350000")) {
		t.Fatalf("epcis: %d %s", res.Status, res.Body)
	}

	// The QR codes carry the Digital Link.
	res = w.do(t, "", "GET", "/api/v1/batches/"+b.ID.String()+"/qr.svg", nil)
	if res.Status != http.StatusOK || !bytes.HasPrefix(res.Body, []byte("<svg")) {
		t.Fatalf("qr.svg: %d", res.Status)
	}
	res = w.do(t, "", "GET", "/api/v1/batches/"+b.ID.String()+"/qr.png?size=256", nil)
	if res.Status != http.StatusOK || !bytes.HasPrefix(res.Body, []byte("\x89PNG")) {
		t.Fatalf("qr.png: %d", res.Status)
	}
	if res := w.do(t, "", "GET", "/api/v1/batches/"+b.ID.String()+"/qr.png?size=99999", nil); res.Status != http.StatusBadRequest {
		t.Fatalf("qr.png of a huge size: %d", res.Status)
	}
}

func TestTraceRoleMatrix(t *testing.T) {
	w := newTraceWorld(t)
	b := w.batch(t)
	members := authtest.Everyone(authtest.NotFound).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.OK, authtest.CoopManager, authtest.CoopStaff)
	membersAndAdmin := members.With(authtest.OK, authtest.Admin)
	coop := func(f *authtest.Fixture) string { return "/api/v1/cooperatives/" + f.Coop.Slug }
	jsonReq := func(method, path string, body any) *http.Request {
		raw, _ := json.Marshal(body)
		r := httptest.NewRequest(method, path, bytes.NewReader(raw))
		r.Header.Set("Content-Type", "application/json")
		return r
	}
	t.Run("list batches", func(t *testing.T) {
		authtest.Check(t, w.env, membersAndAdmin, func(f *authtest.Fixture, _ authtest.Actor) *http.Request {
			return httptest.NewRequest("GET", coop(f)+"/batches", nil)
		})
	})
	t.Run("create a batch", func(t *testing.T) {
		authtest.Check(t, w.env, members, func(f *authtest.Fixture, _ authtest.Actor) *http.Request {
			return jsonReq("POST", coop(f)+"/batches", newBatchBody(w.product.ID))
		})
	})
	t.Run("read a batch", func(t *testing.T) {
		authtest.Check(t, w.env, membersAndAdmin, func(f *authtest.Fixture, _ authtest.Actor) *http.Request {
			return httptest.NewRequest("GET", coop(f)+"/batches/"+b.ID.String(), nil)
		})
	})
	t.Run("add an event", func(t *testing.T) {
		authtest.Check(t, w.env, members, func(f *authtest.Fixture, _ authtest.Actor) *http.Request {
			return jsonReq("POST", coop(f)+"/batches/"+b.ID.String()+"/events", map[string]any{"kind": "shipped"})
		})
	})
	t.Run("upload a photo", func(t *testing.T) {
		authtest.Check(t, w.env, members, func(f *authtest.Fixture, _ authtest.Actor) *http.Request {
			r := httptest.NewRequest("POST", coop(f)+"/trace-photos", bytes.NewReader(tinyPNG))
			r.Header.Set("Content-Type", "image/png")
			return r
		})
	})
	t.Run("public reads", func(t *testing.T) {
		for _, p := range []string{"/verify", "/epcis", "/qr.png", "/qr.svg"} {
			authtest.Check(t, w.env, authtest.Public(), func(*authtest.Fixture, authtest.Actor) *http.Request {
				return httptest.NewRequest("GET", "/api/v1/batches/"+b.ID.String()+p, nil)
			})
		}
	})

	// Another cooperative's manager cannot write to this cooperative's
	// batch through their own cooperative either.
	res := w.do(t, w.other, "POST", fmt.Sprintf("/api/v1/cooperatives/%s/batches/%s/events", w.f.OtherCoop.Slug, b.ID),
		map[string]any{"kind": "shipped"})
	if res.Status != http.StatusNotFound {
		t.Fatalf("event on another cooperative's batch: %d %s", res.Status, res.Body)
	}
	res = w.do(t, w.other, "GET", fmt.Sprintf("/api/v1/cooperatives/%s/batches/%s", w.f.OtherCoop.Slug, b.ID), nil)
	if res.Status != http.StatusNotFound {
		t.Fatalf("read of another cooperative's batch: %d", res.Status)
	}
	// Nor start a batch of this cooperative's product.
	res = w.do(t, w.other, "POST", "/api/v1/cooperatives/"+w.f.OtherCoop.Slug+"/batches", newBatchBody(w.product.ID))
	if res.Status != http.StatusNotFound {
		t.Fatalf("batch of another cooperative's product: %d %s", res.Status, res.Body)
	}
	// Nor use its photos.
	res = w.do(t, w.manager, "POST", fmt.Sprintf("/api/v1/cooperatives/%s/batches/%s/events", w.f.Coop.Slug, b.ID),
		map[string]any{"kind": "shipped", "photos": []string{"trace/" + w.f.OtherCoop.ID.String() + "/" + strings.Repeat("a", 64) + ".jpg"}})
	if res.Status != http.StatusBadRequest {
		t.Fatalf("another cooperative's photo: %d", res.Status)
	}
}

// tinyPNG is a 1×1 PNG.
var tinyPNG = func() []byte {
	var b bytes.Buffer
	img := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	img.Pix[1], img.Pix[3] = 128, 255
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}()

func TestTraceBadInputChangesNothing(t *testing.T) {
	w := newTraceWorld(t)
	b := w.batch(t)
	path := "/api/v1/cooperatives/" + w.f.Coop.Slug + "/batches"
	bad := newBatchBody(w.product.ID)
	bad["gtin"] = "8938505974015" // wrong check digit
	bad["quantity"] = 0
	bad["produced_on"] = "01/05/2025"
	bad["area"] = map[string]any{"name": "", "commune": "", "province": "sai-gon", "lat": 91, "lng": 105}
	res := w.do(t, w.manager, "POST", path, bad)
	if res.Status != http.StatusBadRequest {
		t.Fatalf("bad batch: %d %s", res.Status, res.Body)
	}
	for _, f := range []string{"gtin", "quantity", "produced_on", "area.name", "area.province", "area.lat"} {
		if !bytes.Contains(res.Body, []byte(`"field":"`+f+`"`)) {
			t.Errorf("no field error for %s: %s", f, res.Body)
		}
	}
	tooMany := newBatchBody(w.product.ID)
	inputs := make([]map[string]any, trace.MaxInputs+1)
	for i := range inputs {
		inputs[i] = map[string]any{"kind": "feed", "name": "Cám", "amount": "", "applied_on": "", "cost_vnd": nil}
	}
	tooMany["inputs"] = inputs
	if res := w.do(t, w.manager, "POST", path, tooMany); res.Status != http.StatusBadRequest {
		t.Fatalf("too many inputs: %d", res.Status)
	}
	unknownProduct := newBatchBody(uuid.New())
	if res := w.do(t, w.manager, "POST", path, unknownProduct); res.Status != http.StatusNotFound {
		t.Fatalf("unknown product: %d", res.Status)
	}

	events := fmt.Sprintf("%s/%s/events", path, b.ID)
	for name, body := range map[string]map[string]any{
		"unknown kind":            {"kind": "eaten"},
		"inspection w/o result":   {"kind": "inspected", "inspector": "Chi cục"},
		"future":                  {"kind": "harvested", "occurred_at": "2099-01-01T00:00:00Z"},
		"bad phone":               {"kind": "packed", "actor_phone": "+84 912"},
		"correction of the unset": {"kind": "packed", "corrects_seq": 9, "notes": "sửa"},
		"correction without note": {"kind": "packed", "corrects_seq": 1},
		"bidi override in a name": {"kind": "packed", "actor_name": "HTX\u202egnoL"},
		"too many photos":         {"kind": "packed", "photos": []string{"a", "b", "c", "d", "e", "f", "g"}},
		"negative cost":           {"kind": "packed", "cost_vnd": -1},
	} {
		if res := w.do(t, w.manager, "POST", events, body); res.Status != http.StatusBadRequest {
			t.Errorf("%s: %d %s", name, res.Status, res.Body)
		}
	}
	var n int
	if err := w.env.DB.Get(&n, `SELECT count(*) FROM trace_events WHERE batch_id = $1`, b.ID); err != nil || n != 0 {
		t.Fatalf("%d events written by bad requests (%v)", n, err)
	}
	if err := w.env.DB.Get(&n, `SELECT count(*) FROM trace_batches`); err != nil || n != 1 {
		t.Fatalf("%d batches after bad requests (%v)", n, err)
	}

	// Photos: a type told by the bytes, a bounded size.
	up := func(body []byte) int {
		r := httptest.NewRequest("POST", "/api/v1/cooperatives/"+w.f.Coop.Slug+"/trace-photos", bytes.NewReader(body))
		r.Header.Set("Content-Type", "image/jpeg")
		r.Header.Set("Authorization", "Bearer "+w.manager)
		return w.env.Client.Do(r).Status
	}
	if s := up([]byte("%PDF-1.4 not an image")); s != http.StatusUnsupportedMediaType {
		t.Errorf("a PDF as a photo: %d", s)
	}
	if s := up(nil); s != http.StatusBadRequest {
		t.Errorf("an empty photo: %d", s)
	}
	if s := up(tinyPNG); s != http.StatusCreated {
		t.Errorf("a PNG: %d", s)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "anh.png")
	fw.Write(tinyPNG)
	mw.Close()
	r := httptest.NewRequest("POST", "/api/v1/cooperatives/"+w.f.Coop.Slug+"/trace-photos", &form)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Authorization", "Bearer "+w.manager)
	fres := w.env.Client.Do(r)
	var photo trace.Photo
	if err := json.Unmarshal(fres.Body, &photo); err != nil || fres.Status != http.StatusCreated ||
		!strings.HasPrefix(photo.Key, "trace/"+w.f.Coop.ID.String()+"/") {
		t.Fatalf("a PNG in a form: %d %s", fres.Status, fres.Body)
	}
	// The photo goes into an event, and the page shows it.
	w.event(t, w.staff, b, map[string]any{"kind": "harvested", "photos": []string{photo.Key}})
	if page := w.do(t, "", "GET", "/t/"+b.Code, nil); !bytes.Contains(page.Body, []byte(photo.URL)) {
		t.Fatalf("the page does not show the photo %s", photo.URL)
	}
}

// TestTracePhotosLoseTheirMetadata: a field photo is public on the trace
// page, so it is stored re-encoded, without the EXIF block that names
// where (GPS) and with what it was taken.
func TestTracePhotosLoseTheirMetadata(t *testing.T) {
	w := newTraceWorld(t)
	img := image.NewNRGBA(image.Rect(0, 0, 1600, 900))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, img, nil); err != nil {
		t.Fatal(err)
	}
	exif := []byte("Exif\x00\x00II\x2a\x00\x08\x00\x00\x00\x00\x00GPS 21.0285N 105.8542E Samsung SM-A525F")
	seg := []byte{0xff, 0xe1, 0, byte(2 + len(exif))}
	photo := append(append(append(append([]byte{}, jpg.Bytes()[:2]...), seg...), exif...), jpg.Bytes()[2:]...)

	r := httptest.NewRequest("POST", "/api/v1/cooperatives/"+w.f.Coop.Slug+"/trace-photos", bytes.NewReader(photo))
	r.Header.Set("Content-Type", "image/jpeg")
	r.Header.Set("Authorization", "Bearer "+w.manager)
	res := w.env.Client.Do(r)
	var p trace.Photo
	if err := json.Unmarshal(res.Body, &p); err != nil || res.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", res.Status, res.Body)
	}
	stored, err := os.ReadFile(filepath.Join(w.env.Config.Media.StorageDir, filepath.FromSlash(p.Key)))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(stored, []byte("Exif")) || bytes.Contains(stored, []byte("GPS")) || bytes.Contains(stored, []byte("Samsung")) {
		t.Error("the stored photo keeps its EXIF block")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(stored))
	if err != nil || format != "jpeg" || cfg.Width != 1200 || cfg.Height != 675 {
		t.Errorf("stored photo: %s %dx%d (%v), want a 1200×675 JPEG", format, cfg.Width, cfg.Height, err)
	}
}

func TestTraceBatchOfEachPackedLine(t *testing.T) {
	w := newTraceWorld(t)
	b := w.batch(t)
	ctx := context.Background()

	// A consumer orders the product, cash on delivery.
	buyer := w.f.Users[authtest.Consumer].ID
	sh := order.Shopper{UserID: &buyer}
	if _, err := w.env.Server.Orders.AddItem(ctx, sh, order.AddItem{VariantID: w.product.Variants[0].ID, Quantity: 2}); err != nil {
		t.Fatal(err)
	}
	res, err := w.env.Server.Orders.Checkout(ctx, sh, "consumer@authtest.htxmarket.vn", "trace-1", order.Checkout{
		PaymentMethod: "cod", ShippingAddress: order.Address{Recipient: "Nguyễn Văn A", Phone: "0901234567",
			Province: "ha-noi", Commune: "Phường Hoàn Kiếm", Street: "1 Tràng Tiền"}})
	if err != nil {
		t.Fatal(err)
	}
	sub := res.Order.SubOrders[0]
	line := sub.Lines[0]
	path := fmt.Sprintf("/api/v1/cooperatives/%s/sub-orders/%s/batches", w.f.Coop.Slug, sub.ID)

	// Another cooperative's batch, or the line of another order: refused.
	otherBatch := w.do(t, w.other, "POST", "/api/v1/cooperatives/"+w.f.OtherCoop.Slug+"/batches", newBatchBody(w.otherProduct.ID))
	var ob trace.Batch
	otherBatch.into(t, &ob)
	if r := w.do(t, w.manager, "PUT", path, map[string]any{"lines": []map[string]any{{"line_id": line.ID, "batch_id": ob.ID}}}); r.Status != http.StatusBadRequest {
		t.Fatalf("another cooperative's batch: %d %s", r.Status, r.Body)
	}
	if r := w.do(t, w.manager, "PUT", path, map[string]any{"lines": []map[string]any{{"line_id": uuid.New(), "batch_id": b.ID}}}); r.Status != http.StatusBadRequest {
		t.Fatalf("a line of no order: %d", r.Status)
	}
	// The other cooperative cannot see or pick for this sub-order.
	otherPath := fmt.Sprintf("/api/v1/cooperatives/%s/sub-orders/%s/batches", w.f.OtherCoop.Slug, sub.ID)
	if r := w.do(t, w.other, "PUT", otherPath, map[string]any{"lines": []map[string]any{{"line_id": line.ID, "batch_id": ob.ID}}}); r.Status != http.StatusNotFound {
		t.Fatalf("another cooperative picking: %d %s", r.Status, r.Body)
	}
	if r := w.do(t, w.consumer, "GET", path, nil); r.Status != http.StatusNotFound {
		t.Fatalf("the buyer reading the cooperative's picks: %d", r.Status)
	}

	r := w.do(t, w.staff, "PUT", path, map[string]any{"lines": []map[string]any{{"line_id": line.ID, "batch_id": b.ID}}})
	if r.Status != http.StatusOK || !bytes.Contains(r.Body, []byte(b.Code)) {
		t.Fatalf("pick: %d %s", r.Status, r.Body)
	}
	// The buyer's order page finds the trace of what they received.
	r = w.do(t, "", "GET", "/api/v1/trace/order-lines?ids="+line.ID.String()+","+uuid.NewString(), nil)
	var got struct{ Items []trace.Assignment }
	r.into(t, &got)
	if r.Status != http.StatusOK || len(got.Items) != 1 || got.Items[0].BatchCode != b.Code ||
		got.Items[0].TraceURL != "https://htx.example/01/08938505974019/10/"+b.Code {
		t.Fatalf("line traces: %d %s", r.Status, r.Body)
	}
	if r := w.do(t, "", "GET", "/api/v1/trace/order-lines?ids=nope", nil); r.Status != http.StatusBadRequest {
		t.Fatalf("bad ids: %d", r.Status)
	}
	// Who may read and pick, actor by actor.
	members := authtest.Everyone(authtest.NotFound).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.OK, authtest.CoopManager, authtest.CoopStaff)
	authtest.Check(t, w.env, members.With(authtest.OK, authtest.Admin), func(*authtest.Fixture, authtest.Actor) *http.Request {
		return httptest.NewRequest("GET", path, nil)
	})
	authtest.Check(t, w.env, members, func(*authtest.Fixture, authtest.Actor) *http.Request {
		raw, _ := json.Marshal(map[string]any{"lines": []map[string]any{{"line_id": line.ID, "batch_id": b.ID}}})
		r := httptest.NewRequest("PUT", path, bytes.NewReader(raw))
		r.Header.Set("Content-Type", "application/json")
		return r
	})
	authtest.Check(t, w.env, authtest.Public(), func(*authtest.Fixture, authtest.Actor) *http.Request {
		return httptest.NewRequest("GET", "/api/v1/trace/order-lines?ids="+line.ID.String(), nil)
	})

	// Clearing the pick.
	r = w.do(t, w.manager, "PUT", path, map[string]any{"lines": []map[string]any{{"line_id": line.ID, "batch_id": nil}}})
	if r.Status != http.StatusOK || bytes.Contains(r.Body, []byte(b.Code)) {
		t.Fatalf("clear: %d %s", r.Status, r.Body)
	}

	// A cancelled sub-order keeps its picks as they are.
	buyerP := &auth.Principal{UserID: buyer, Roles: []auth.Role{auth.RoleConsumer}}
	if _, err := w.env.Server.Orders.Move(ctx, order.Actor{Principal: buyerP}, sub.ID,
		order.Move{To: order.StatusCancelled, Note: "Đặt nhầm"}); err != nil {
		t.Fatal(err)
	}
	r = w.do(t, w.manager, "PUT", path, map[string]any{"lines": []map[string]any{{"line_id": line.ID, "batch_id": b.ID}}})
	if r.Status != http.StatusConflict {
		t.Fatalf("pick on a cancelled sub-order: %d %s", r.Status, r.Body)
	}
}

// TestTraceSeedAddsOneVerifiedDemoBatch runs `htxmarket seed` twice: the
// first demo cooperative gets one batch of Bưởi Diễn whose chain verifies,
// and the second run adds nothing.
func TestTraceSeedAddsOneVerifiedDemoBatch(t *testing.T) {
	const name = "htxmarket_test_trace_seed"
	dbtest.Drop(t, name)
	t.Cleanup(func() { dbtest.Drop(t, name) })
	url := dbtest.URL(name)
	vars := map[string]string{"APP_ENV": "development", "DATABASE_URL": url, "ARGON2_MEMORY_KIB": "64", "ARGON2_TIME": "1",
		"LOG_LEVEL": "error", "STORAGE_DIR": t.TempDir()}
	lookup := func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	for range 2 {
		var out, errOut bytes.Buffer
		if err := app.Run(context.Background(), []string{"seed"}, &app.Env{Stdout: &out, Stderr: &errOut, Lookup: lookup}); err != nil {
			t.Fatalf("seed: %v\n%s", err, errOut.String())
		}
	}
	d, err := db.Open(context.Background(), url, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var ids []uuid.UUID
	if err := d.Select(&ids, `SELECT id FROM trace_batches`); err != nil || len(ids) != 1 {
		t.Fatalf("batches after seeding twice: %v (%v), want one", ids, err)
	}
	srv, err := app.NewServer(mustConfig(t, lookup), app.NewLogger(mustConfig(t, lookup), io.Discard), d, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := srv.Trace.Verify(context.Background(), ids[0])
	if err != nil || !v.Valid || v.Events != 4 {
		t.Fatalf("the demo batch: %+v, %v", v, err)
	}
}

func mustConfig(t *testing.T, lookup func(string) (string, bool)) config.Config {
	t.Helper()
	cfg, err := config.FromLookup(lookup)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Members recording at the same moment each get their own link: the chain
// has no gap, no fork and verifies.
func TestTraceConcurrentEventsKeepOneChain(t *testing.T) {
	w := newTraceWorld(t)
	b := w.batch(t)
	const n = 12
	errs := make(chan error, n)
	for i := range n {
		go func() {
			who := &auth.Principal{UserID: w.managerUser.ID}
			if i%2 == 1 {
				who = &auth.Principal{UserID: w.staffUser.ID}
			}
			_, err := w.env.Server.Trace.AddEvent(context.Background(), who, w.f.Coop.ID, b.ID,
				trace.NewEvent{Kind: trace.KindPacked, Notes: fmt.Sprintf("Thùng số %d", i+1)})
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	v := w.verify(t, b.ID)
	if !v.Valid || v.Events != n {
		t.Fatalf("after %d concurrent appends: %+v", n, v)
	}
}
