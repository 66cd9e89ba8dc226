package web_test

import (
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/google/go-cmp/cmp"

	"htxmarket/internal/platform/web"
)

// strictApp decodes bodies into a struct with nested objects, lists, maps,
// an embedded struct and a free-form field.
func strictApp(t *testing.T) *fiber.App {
	type tier struct {
		MinQty int    `json:"min_qty"`
		Label  string `json:"label"`
	}
	type Base struct {
		Note string `json:"note"`
	}
	type input struct {
		Base
		Name    string            `json:"name"`
		Tags    []string          `json:"tags"`
		Tiers   []tier            `json:"tiers"`
		Owner   *struct{ ID int } `json:"owner"`
		Labels  map[string]string `json:"labels"`
		Details json.RawMessage   `json:"details"`
	}
	app := fiber.New(fiber.Config{ErrorHandler: web.ErrorHandler(slog.New(slog.NewTextHandler(testLog{t}, nil)), 0, nil)})
	app.Post("/", func(c *fiber.Ctx) error {
		var in input
		if err := web.DecodeJSON(c, &in); err != nil {
			return err
		}
		return c.JSON(in)
	})
	return app
}

func TestDecodeJSONIsStrict(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []web.FieldError // nil: accepted
	}{
		{"well-formed", `{"name":"Bưởi Diễn","note":"x","tags":["a"],"tiers":[{"min_qty":2,"label":"sỉ"}],` +
			`"owner":{"ID":1},"labels":{"Màu":"vàng"},"details":{"Any":"thing","any":1}}`, nil},
		{"escaped backslash before u0000 is text", `{"name":"a\\u0000"}`, nil},
		{"NUL escape in a value", `{"name":"Bưởi\u0000"}`,
			[]web.FieldError{{Field: "name", Message: "chứa ký tự NUL (\\u0000)"}}},
		{"invalid UTF-8 in a value", "{\"name\":\"B\xffi\"}",
			[]web.FieldError{{Field: "name", Message: "không phải văn bản UTF-8 hợp lệ"}}},
		{"NUL in a list item", `{"tags":["a","b\u0000"]}`,
			[]web.FieldError{{Field: "tags[1]", Message: "chứa ký tự NUL (\\u0000)"}}},
		{"NUL deep in a list of objects", `{"tiers":[{"min_qty":2},{"label":"\u0000"}]}`,
			[]web.FieldError{{Field: "tiers[1].label", Message: "chứa ký tự NUL (\\u0000)"}}},
		{"NUL in a map key", `{"labels":{"a\u0000":"b"}}`,
			[]web.FieldError{{Field: "labels.a\uFFFD", Message: "tên trường chứa ký tự NUL (\\u0000)"}}},
		{"NUL in free-form JSON", `{"details":{"x":["\u0000"]}}`,
			[]web.FieldError{{Field: "details.x[0]", Message: "chứa ký tự NUL (\\u0000)"}}},
		{"key in another case", `{"Name":"Bưởi"}`,
			[]web.FieldError{{Field: "Name", Message: "tên trường phân biệt chữ hoa, chữ thường: hãy viết “name”"}}},
		{"key of an embedded struct in another case", `{"NOTE":"x"}`,
			[]web.FieldError{{Field: "NOTE", Message: "tên trường phân biệt chữ hoa, chữ thường: hãy viết “note”"}}},
		{"nested key in another case", `{"tiers":[{"Min_Qty":2}]}`,
			[]web.FieldError{{Field: "tiers[0].Min_Qty", Message: "tên trường phân biệt chữ hoa, chữ thường: hãy viết “min_qty”"}}},
		{"Go field name without a tag, in another case", `{"owner":{"id":1}}`,
			[]web.FieldError{{Field: "owner.id", Message: "tên trường phân biệt chữ hoa, chữ thường: hãy viết “ID”"}}},
		{"long s folds to s in encoding/json", `{"tagſ":["a"]}`,
			[]web.FieldError{{Field: "tagſ", Message: "trường này không được hỗ trợ"}}},
		{"unknown nested key", `{"tiers":[{"price":1}]}`,
			[]web.FieldError{{Field: "tiers[0].price", Message: "trường này không được hỗ trợ"}}},
		{"duplicate key", `{"name":"a","name":"b"}`,
			[]web.FieldError{{Field: "name", Message: "trường này xuất hiện hai lần"}}},
		{"duplicate nested key", `{"tiers":[{"min_qty":2,"min_qty":3}]}`,
			[]web.FieldError{{Field: "tiers[0].min_qty", Message: "trường này xuất hiện hai lần"}}},
		{"duplicate map key", `{"labels":{"a":"1","a":"2"}}`,
			[]web.FieldError{{Field: "labels.a", Message: "trường này xuất hiện hai lần"}}},
	}
	app := strictApp(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			res, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			var p web.Problem
			_ = json.NewDecoder(res.Body).Decode(&p)
			if tt.want == nil {
				if res.StatusCode != 200 {
					t.Fatalf("status %d: %+v", res.StatusCode, p)
				}
				return
			}
			if res.StatusCode != 400 || p.Type != "/problems/validation" {
				t.Fatalf("status %d, problem %+v", res.StatusCode, p)
			}
			if diff := cmp.Diff(tt.want, p.Errors); diff != "" {
				t.Errorf("field errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeJSONBoundsItsAnswer(t *testing.T) {
	app := strictApp(t)
	body := `{"tags":[` + strings.Repeat(`"\u0000",`, 100_000) + `"a"]}`
	req := httptest.NewRequest("POST", "/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	var p web.Problem
	_ = json.NewDecoder(res.Body).Decode(&p)
	if res.StatusCode != 400 || len(p.Errors) == 0 || len(p.Errors) > 20 {
		t.Fatalf("status %d, %d field errors", res.StatusCode, len(p.Errors))
	}

	deep := strings.Repeat(`{"details":`, 1) + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "}"
	req = httptest.NewRequest("POST", "/", strings.NewReader(deep))
	req.Header.Set("Content-Type", "application/json")
	res, err = app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	_ = json.NewDecoder(res.Body).Decode(&p)
	if res.StatusCode != 400 || p.Type != "/problems/invalid-json" {
		t.Fatalf("deep nesting: status %d, %+v", res.StatusCode, p)
	}
}

// testLog writes a server's log to the test's.
type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
