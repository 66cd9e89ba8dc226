package app_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/valyala/fasthttp"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
	"htxmarket/internal/catalog"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/trace"
)

// Benchmarks of traceability:
//
//	go test ./internal/app -run '^$' -bench 'Trace' -benchtime 3s
//
// BenchmarkTracePage serves the public trace page of a batch with 12
// events through the whole application (middleware, compression off for
// a client that does not ask for it, scan counting) beside a bare Fiber
// handler that returns the same bytes; both are driven in memory through
// fasthttp, so the figures compare the work of the handlers, not a
// network. BenchmarkTraceVerify recomputes the chain of a batch of 1,000
// events, reading them from PostgreSQL.

// traceBenchBatch makes a batch of the fixture cooperative with n events.
func traceBenchBatch(b *testing.B, n int) (*apptest.Env, trace.Batch) {
	b.Helper()
	env := apptest.New(b, map[string]string{"ARGON2_MEMORY_KIB": "64", "ARGON2_TIME": "1", "LOG_LEVEL": "error"})
	f := authtest.Setup(b, env)
	ctx := context.Background()
	admin := &auth.Principal{UserID: uuid.New(), Roles: []auth.Role{auth.RoleAdmin}}
	p, err := env.Server.Catalog.Create(ctx, admin, f.Coop.Slug, catalog.NewProduct{
		Name: "Chè búp Tân Cương", Group: "do-uong", Province: f.Coop.Province, Status: catalog.StatusActive,
		Variants: []catalog.NewVariant{{SKU: "che-bup", Unit: "gói", PriceVND: 130_000, Stock: 10}},
	})
	if err != nil {
		b.Fatal(err)
	}
	manager := &auth.Principal{UserID: f.Users[authtest.CoopManager].ID}
	lat, lng := 21.5912, 105.7891
	batch, err := env.Server.Trace.CreateBatch(ctx, manager, f.Coop.ID, trace.NewBatch{
		ProductID: p.ID.String(), GTIN: "8938505974019", Quantity: 500, Unit: "kg", ProducedOn: "2025-05-01",
		Area: trace.Place{Name: "Đồi chè xóm Soi", Commune: "Phúc Xuân", Province: "thai-nguyen", Lat: &lat, Lng: &lng},
	})
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		k := trace.Kinds[i%len(trace.Kinds)]
		e := trace.NewEvent{Kind: k, ActorName: "Tổ sản xuất số 2", Notes: "Ghi chép tại vườn chè",
			Place: trace.Place{Name: "Xưởng chè", Province: "thai-nguyen"}}
		if k == trace.KindInspected {
			e.Inspector, e.Result = "Chi cục Quản lý chất lượng", "passed"
		}
		if _, err := env.Server.Trace.AddEvent(ctx, manager, f.Coop.ID, batch.ID, e); err != nil {
			b.Fatal(err)
		}
	}
	return env, batch
}

func serveInMemory(b *testing.B, h fasthttp.RequestHandler, path string, want []byte) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var ctx fasthttp.RequestCtx
		for pb.Next() {
			ctx.Request.Reset()
			ctx.Response.Reset()
			ctx.Request.Header.SetMethod(fiber.MethodGet)
			ctx.Request.SetRequestURI(path)
			h(&ctx)
			// The scan count in the page grows as the page is rendered again.
			if ctx.Response.StatusCode() != fiber.StatusOK || len(ctx.Response.Body()) < len(want)-16 {
				b.Errorf("status %d, %d bytes", ctx.Response.StatusCode(), len(ctx.Response.Body()))
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

func BenchmarkTracePage(b *testing.B) {
	env, batch := traceBenchBatch(b, 12)
	path := "/t/" + batch.Code
	page, _, err := env.Server.Trace.Page(context.Background(), batch.Code)
	if err != nil || !bytes.Contains(page, []byte(batch.Code)) {
		b.Fatal(err)
	}
	b.Logf("page: %d bytes", len(page))

	b.Run("app", func(b *testing.B) {
		serveInMemory(b, env.Server.App.Handler(), path, page)
	})
	b.Run("app-rendered-each-time", func(b *testing.B) {
		h := env.Server.App.Handler()
		forget := func(ctx *fasthttp.RequestCtx) { env.Server.Trace.ForgetPages(); h(ctx) }
		serveInMemory(b, forget, path, page)
	})
	b.Run("bare-fiber", func(b *testing.B) {
		bare := fiber.New(fiber.Config{DisableStartupMessage: true})
		bare.Get("/t/:code", func(c *fiber.Ctx) error {
			c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
			return c.Send(page)
		})
		serveInMemory(b, bare.Handler(), path, page)
	})
}

func BenchmarkTraceVerify1000Events(b *testing.B) {
	env, batch := traceBenchBatch(b, 1000)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		v, err := env.Server.Trace.Verify(ctx, batch.ID)
		if err != nil || !v.Valid || v.Events != 1000 {
			b.Fatalf("%+v %v", v, err)
		}
	}
}
