package catalog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
	"htxmarket/internal/catalog"
	"htxmarket/internal/platform/auth"
)

var admin = &auth.Principal{UserID: uuid.New(), Roles: []auth.Role{auth.RoleAdmin}}

// newProduct creates a product of coop through the service.
func newProduct(t *testing.T, env *apptest.Env, coop, name string, status catalog.Status) catalog.Product {
	t.Helper()
	p, err := env.Server.Catalog.Create(context.Background(), admin, coop, catalog.NewProduct{
		Name: name, Group: "do-uong", Province: "thai-nguyen", Status: status,
		Variants: []catalog.NewVariant{{SKU: catalog.Slugify(name), Unit: "hộp", PriceVND: 150000, Stock: 5}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func jsonRequest(method, path string, body any) *http.Request {
	b, _ := json.Marshal(body)
	req := httptest.NewRequest(method, path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	return req
}

func csvRequest(path string, body string) *http.Request {
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Content-Type", "text/csv")
	return req
}

// TestRoleMatrix tries every catalog route as every kind of caller.
func TestRoleMatrix(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	draft := newProduct(t, env, f.Coop.Slug, "Chè nháp", catalog.StatusDraft)
	active := newProduct(t, env, f.Coop.Slug, "Chè bán", catalog.StatusActive)
	variant := active.Variants[0].ID
	members := authtest.Everyone(authtest.NotFound).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.OK, authtest.CoopManager, authtest.CoopStaff, authtest.Admin)
	managers := members.With(authtest.Forbidden, authtest.CoopStaff)
	coopPath := "/api/v1/cooperatives/" + f.Coop.Slug + "/products"
	ownCSV := csvOf(`che-1,` + f.Coop.Name + `,thai-nguyen,Chè một,do-uong,hộp,100000,,,1,0,,,`)

	tests := []struct {
		name  string
		want  authtest.Want
		build func(a authtest.Actor) *http.Request
	}{
		{"public list", authtest.Public(), func(authtest.Actor) *http.Request {
			return httptest.NewRequest("GET", "/api/v1/products?sort=price_asc", nil)
		}},
		{"active product", authtest.Public(), func(authtest.Actor) *http.Request {
			return httptest.NewRequest("GET", "/api/v1/products/"+active.Slug, nil)
		}},
		{"draft product", members.With(authtest.NotFound, authtest.Anonymous), func(authtest.Actor) *http.Request {
			return httptest.NewRequest("GET", "/api/v1/products/"+draft.Slug, nil)
		}},
		{"update draft", members, func(authtest.Actor) *http.Request {
			return jsonRequest("PATCH", "/api/v1/products/"+draft.ID.String(), map[string]any{"keywords": []string{"chè"}})
		}},
		{"update active", members, func(authtest.Actor) *http.Request {
			return jsonRequest("PATCH", "/api/v1/products/"+active.Slug, map[string]any{"season_months": []int{3, 4}})
		}},
		{"add variant", members, func(a authtest.Actor) *http.Request {
			return jsonRequest("POST", "/api/v1/products/"+active.Slug+"/variants",
				map[string]any{"sku": "v-" + string(a), "unit": "gói", "price_vnd": 50000})
		}},
		{"update variant", members, func(authtest.Actor) *http.Request {
			return jsonRequest("PATCH", "/api/v1/products/"+active.Slug+"/variants/"+variant.String(), map[string]any{"price_vnd": 140000})
		}},
		{"set stock", members, func(authtest.Actor) *http.Request {
			return jsonRequest("PUT", "/api/v1/products/"+active.Slug+"/variants/"+variant.String()+"/stock", map[string]any{"stock": 9})
		}},
		{"cooperative's list", members, func(authtest.Actor) *http.Request {
			return httptest.NewRequest("GET", coopPath+"?status=draft", nil)
		}},
		{"create", members, func(a authtest.Actor) *http.Request {
			return jsonRequest("POST", coopPath, map[string]any{"name": "Chè " + string(a), "group": "do-uong", "province": "thai-nguyen",
				"variants": []map[string]any{{"sku": "new-" + string(a), "unit": "hộp", "price_vnd": 1000}}})
		}},
		{"export", members, func(authtest.Actor) *http.Request {
			return httptest.NewRequest("GET", coopPath+"/export.csv", nil)
		}},
		{"import", managers, func(authtest.Actor) *http.Request {
			return csvRequest(coopPath+"/import?dry_run=true", ownCSV)
		}},
		{"admin import", authtest.Only(authtest.Admin), func(authtest.Actor) *http.Request {
			return csvRequest("/api/v1/products/import?dry_run=true", ownCSV)
		}},
		// Archiving last: it hides the product from everyone outside.
		{"archive variant", managers, func(authtest.Actor) *http.Request {
			return httptest.NewRequest("DELETE", "/api/v1/products/"+active.Slug+"/variants/"+variant.String(), nil)
		}},
		{"archive", managers, func(authtest.Actor) *http.Request {
			return httptest.NewRequest("DELETE", "/api/v1/products/"+active.Slug, nil)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			authtest.Check(t, env, tt.want, func(_ *authtest.Fixture, a authtest.Actor) *http.Request { return tt.build(a) })
		})
	}
}

func TestBrowseAPI(t *testing.T) {
	env := apptest.New(t, nil)
	rep, err := env.Server.Catalog.Import(context.Background(), catalog.ImportRequest{CSV: bytes.NewReader(catalog.SampleCSV)})
	if err != nil || rep.Created != 188 {
		t.Fatalf("seed: %+v %v", rep, err)
	}
	drainIndex(t, env) // the public lists come from the search index
	seen := map[string]bool{}
	path := "/api/v1/products?province=ha-noi&sort=price_desc&limit=5"
	for path != "" {
		res := env.Client.Get(path)
		if res.Status != 200 {
			t.Fatalf("%s: %d %s", path, res.Status, res.Body)
		}
		var page catalog.Page
		res.JSON(t, &page)
		for _, p := range page.Items {
			if seen[p.Slug] || p.Province != "ha-noi" {
				t.Fatalf("%s repeated or not from Hà Nội", p.Slug)
			}
			seen[p.Slug] = true
		}
		path = ""
		if page.NextCursor != "" {
			path = "/api/v1/products?province=ha-noi&sort=price_desc&limit=5&cursor=" + page.NextCursor
		}
	}
	if n := count(t, env.DB, `SELECT count(*) FROM products WHERE province_slug = 'ha-noi'`); len(seen) != n || n < 6 {
		t.Fatalf("%d products over the pages, %d in Hà Nội", len(seen), n)
	}
	for _, tt := range []struct{ path, want string }{
		{"/api/v1/products?stars=2", "/problems/validation"},
		{"/api/v1/products?limit=abc", "/problems/validation"},
		{"/api/v1/products?cursor=xyz", "/problems/bad-cursor"},
		{"/api/v1/products/khong-co", "/problems/product-not-found"},
	} {
		res := env.Client.Get(tt.path)
		if p := res.Problem(t); p.Type != tt.want {
			t.Errorf("%s: %s, want %s", tt.path, p.Type, tt.want)
		}
	}
	res := env.Client.Get("/api/v1/products/buoi-dien")
	var p catalog.Product
	res.JSON(t, &p)
	if res.Status != 200 || p.Cooperative.Name != "HTX Nông nghiệp Diễn" || len(p.Variants) != 1 {
		t.Fatalf("detail: %d %s", res.Status, res.Body)
	}
	// The cooperative's figures are kept by the cooperative capability.
	var products, ocop int
	if err := env.DB.QueryRow(`SELECT product_count, ocop_product_count FROM cooperatives WHERE id = $1`, p.Cooperative.ID).Scan(&products, &ocop); err != nil || products != 1 || ocop != 1 {
		t.Errorf("cooperative figures: %d %d %v", products, ocop, err)
	}
}

func TestImportAPI(t *testing.T) {
	// A body limit above the import's own, so that a 50 MB file reaches it
	// (with the default limit the server refuses it first, also with 413).
	env := apptest.New(t, map[string]string{"HTTP_BODY_LIMIT": "67108864"})
	f := authtest.Setup(t, env)
	env.Client.Header.Set("Authorization", "Bearer "+f.Token(t, env, authtest.CoopManager))
	path := "/api/v1/cooperatives/" + f.Coop.ID.String() + "/products/import"
	good := csvOf(`che-1,`+f.Coop.Name+`,thai-nguyen,Chè một,do-uong,hộp,100000,,,1,0,,,`,
		`che-2,`+strings.ToUpper(f.Coop.Name)+`,Thái Nguyên,Chè hai,do-uong,hộp,120000,10,100000,1,4,VietGAP,"chè, trà",**Ngon**`)

	// A multipart upload, dry run: nothing changes.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "san-pham.csv")
	fw.Write([]byte(good))
	mw.Close()
	req := httptest.NewRequest("POST", path+"?dry_run=true", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res := env.Client.Do(req)
	var rep catalog.ImportReport
	res.JSON(t, &rep)
	if res.Status != 200 || !rep.DryRun || rep.Applied || rep.Created != 2 || count(t, env.DB, `SELECT count(*) FROM products`) != 0 {
		t.Fatalf("dry run: %d %s", res.Status, res.Body)
	}
	// Apply twice: the second updates.
	for _, want := range []struct{ created, updated int }{{2, 0}, {0, 2}} {
		res = env.Client.Do(csvRequest(path, good))
		res.JSON(t, &rep)
		if res.Status != 200 || !rep.Applied || rep.Created != want.created || rep.Updated != want.updated {
			t.Fatalf("apply: %d %s", res.Status, res.Body)
		}
	}
	// Another cooperative's row: 422 with the report, nothing changes.
	bad := good + `x-1,` + f.OtherCoop.Name + `,lam-dong,Cà phê,do-uong,kg,1,,,1,0,,,` + "\n"
	res = env.Client.Do(csvRequest(path, strings.Replace(bad, "100000,", "100001,", 1)))
	res.JSON(t, &rep)
	if res.Status != 422 || rep.Applied || rep.ErrorCount != 1 || rep.Errors[0].Line != 4 || rep.Errors[0].Column != "cooperative" {
		t.Fatalf("foreign row: %d %s", res.Status, res.Body)
	}
	if n := count(t, env.DB, `SELECT count(*) FROM product_variants WHERE price_vnd = 100001`); n != 0 {
		t.Fatal("a rejected import changed a price")
	}
	for _, tt := range []struct {
		name, ctype, body, want string
		status                  int
	}{
		{"wrong columns", "text/csv", "a,b\n1,2\n", "/problems/bad-csv", 400},
		{"not UTF-8", "text/csv", csvOf("che-1,HTX,thai-nguyen,Ch\xe8,do-uong,h,1,,,1,0,,,"), "/problems/bad-csv", 400},
		{"JSON instead of CSV", "application/json", "{}", "/problems/bad-csv", 400},
		{"50 MB", "text/csv", good + strings.Repeat("#", 50<<20), "/problems/import-too-large", 413},
	} {
		req := httptest.NewRequest("POST", path, strings.NewReader(tt.body))
		req.Header.Set("Content-Type", tt.ctype)
		res := env.Client.Do(req)
		if p := res.Problem(t); p.Status != tt.status || p.Type != tt.want {
			t.Errorf("%s: %d %s", tt.name, p.Status, p.Type)
		}
	}

	res = env.Client.Get("/api/v1/cooperatives/" + f.Coop.Slug + "/products/export.csv")
	if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(string(res.Body), "che-2,"+f.Coop.Name+",thai-nguyen,Chè hai,do-uong,hộp,120000,10,100000,1,4,VietGAP,\"chè, trà\",**Ngon**\r\n") {
		t.Fatalf("export: %d %s", res.Status, res.Body)
	}
}

func TestOCOPGroupsAPI(t *testing.T) {
	env := apptest.New(t, nil)
	res := env.Client.Get("/api/v1/ocop-groups")
	if res.Status != 200 {
		t.Fatalf("status %d: %s", res.Status, res.Body)
	}
	var got struct{ Items []catalog.Group }
	res.JSON(t, &got)
	if len(got.Items) != 6 || got.Items[0] != (catalog.Group{Slug: "thuc-pham", Name: "Thực phẩm", NameEn: "Food"}) {
		t.Fatalf("groups: %+v", got.Items)
	}
}

// TestOnlyManagersBringBackAnArchivedProduct: archiving, and undoing it,
// are the managers' (and admins'); staff may edit but not reactivate what a
// manager stopped selling. Each caller gets a freshly archived product.
func TestOnlyManagersBringBackAnArchivedProduct(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	n := 0
	want := authtest.Everyone(authtest.NotFound).With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.OK, authtest.CoopManager, authtest.Admin).With(authtest.Forbidden, authtest.CoopStaff)
	authtest.Check(t, env, want, func(_ *authtest.Fixture, a authtest.Actor) *http.Request {
		n++
		p := newProduct(t, env, f.Coop.Slug, fmt.Sprintf("Chè lưu trữ %d", n), catalog.StatusActive)
		if _, err := env.Server.Catalog.Archive(context.Background(), admin, p.Slug); err != nil {
			t.Fatal(err)
		}
		return jsonRequest("PATCH", "/api/v1/products/"+p.Slug, map[string]any{"status": "active"})
	})
}
