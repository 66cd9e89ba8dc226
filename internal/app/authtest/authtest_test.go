package authtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gofiber/fiber/v2"

	"htxmarket/internal/app"
	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web/webtest"
)

// withRoutes adds cooperative- and province-scoped routes to a server, as a
// later capability will, and documents them so the client accepts them.
func withRoutes(t *testing.T) *apptest.Env {
	env := apptest.New(t, nil)
	ok := func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) }
	a := env.Server.App
	a.Get("/api/v1/authtest/coops/:coop", auth.RequireCoopMember("coop"), ok)
	a.Delete("/api/v1/authtest/coops/:coop", auth.Require(auth.RoleAdmin, auth.CoopMember("coop", auth.RoleCoopManager)), ok)
	a.Get("/api/v1/authtest/provinces/:slug", auth.Require(auth.ProvinceStaff("slug"), auth.RoleAdmin), ok)

	doc, err := openapi3.NewLoader().LoadFromData(mustDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	problem := &openapi3.ResponseRef{Value: doc.Components.Responses["Problem"].Value}
	op := func() *openapi3.Operation {
		o := openapi3.NewOperation()
		o.AddResponse(204, openapi3.NewResponse().WithDescription("ok"))
		for _, s := range []string{"401", "403", "404"} {
			o.Responses.Set(s, problem)
		}
		return o
	}
	param := func(name string) openapi3.Parameters {
		return openapi3.Parameters{{Value: openapi3.NewPathParameter(name).WithSchema(openapi3.NewStringSchema())}}
	}
	doc.Paths.Set("/api/v1/authtest/coops/{coop}", &openapi3.PathItem{Get: op(), Delete: op(), Parameters: param("coop")})
	doc.Paths.Set("/api/v1/authtest/provinces/{slug}", &openapi3.PathItem{Get: op(), Parameters: param("slug")})
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	spec, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	env.Client = webtest.New(t, a, spec)
	return env
}

func TestCooperativeAndProvinceScopes(t *testing.T) {
	env := withRoutes(t)
	coop := func(method string) func(f *authtest.Fixture, a authtest.Actor) *http.Request {
		return func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			return httptest.NewRequest(method, "/api/v1/authtest/coops/"+f.Coop.ID.String(), nil)
		}
	}
	members := authtest.Everyone(authtest.NotFound).
		With(authtest.Unauthorized, authtest.Anonymous).
		With(authtest.OK, authtest.CoopManager, authtest.CoopStaff)
	t.Run("any member", func(t *testing.T) { authtest.Check(t, env, members, coop("GET")) })

	managers := members.With(authtest.Forbidden, authtest.CoopStaff).With(authtest.OK, authtest.Admin)
	t.Run("managers or admin", func(t *testing.T) { authtest.Check(t, env, managers, coop("DELETE")) })

	t.Run("by slug", func(t *testing.T) {
		authtest.Check(t, env, members, func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			return httptest.NewRequest("GET", "/api/v1/authtest/coops/"+f.Coop.Slug, nil)
		})
	})

	province := authtest.Only(authtest.TradeStaff, authtest.NationalTradeStaff, authtest.Admin)
	t.Run("province staff", func(t *testing.T) {
		authtest.Check(t, env, province, func(f *authtest.Fixture, a authtest.Actor) *http.Request {
			return httptest.NewRequest("GET", "/api/v1/authtest/provinces/"+f.Coop.Province, nil)
		})
	})
}

// TestCheckReportsMismatches runs Check against a deliberately wrong
// expectation, to show that it fails rather than passing everything.
func TestCheckReportsMismatches(t *testing.T) {
	env := withRoutes(t)
	build := func(f *authtest.Fixture, a authtest.Actor) *http.Request {
		return httptest.NewRequest("GET", "/api/v1/authtest/coops/"+f.Coop.ID.String(), nil)
	}
	tests := []struct {
		name string
		want authtest.Want
	}{
		{"wrong outcomes", authtest.Public()},
		{"an actor left out", authtest.Want{authtest.Anonymous: authtest.Unauthorized}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				authtest.Check(r, env, tt.want, build)
			}()
			<-done
			if !r.failed {
				t.Fatal("Check passed")
			}
		})
	}
}

// recorder notes failures instead of failing the test.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true; runtime.Goexit() }

func mustDoc(t *testing.T) []byte {
	t.Helper()
	doc, err := app.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
