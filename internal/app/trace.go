package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/catalog"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/storage"
	"htxmarket/internal/trace"
)

// tracePageTTL is how long a rendered public trace page is served from
// memory; an event appended through this instance forgets them at once.
const tracePageTTL = 15 * time.Second

// traceProvinces gives traceability the provinces and their capitals.
type traceProvinces struct{ geo *geo.Service }

var _ trace.Provinces = traceProvinces{}

func (a traceProvinces) List(ctx context.Context) ([]trace.ProvincePoint, error) {
	all, err := a.geo.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]trace.ProvincePoint, len(all))
	for i, p := range all {
		out[i] = trace.ProvincePoint{Slug: p.Slug, Name: p.Name, Lat: p.Lat, Lng: p.Lng}
	}
	return out, nil
}

// mountTrace builds traceability and registers its API on v1 and its
// public pages (/t/{code}, /01/{gtin}/10/{code}) on app, which must come
// before the single-page application's fallback.
func mountTrace(app, v1 fiber.Router, cfg config.Config, log *slog.Logger, d *sqlx.DB,
	provinces *geo.Service, media storage.Storage, products *catalog.Service) *trace.Service {
	s := trace.NewService(d, traceProvinces{provinces}, media, trace.Options{
		Origin:        cfg.Auth.PublicOrigin,
		PhotoMaxBytes: cfg.Media.ImageMaxBytes,
		PageTTL:       tracePageTTL,
		Picture: func(ctx context.Context, data []byte) ([]byte, string, error) {
			pic, err := products.ProcessPicture(ctx, data)
			if err != nil {
				return nil, "", err
			}
			return pic.Medium.Data, pic.Medium.ContentType, nil
		},
	}, log)
	trace.Routes(v1, s)
	trace.PageRoutes(app, s)
	return s
}

// flushTraceScans writes the trace page views counted in memory before
// the database pool closes; a failure costs only those counts.
func (s *Server) flushTraceScans() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.Trace.FlushScans(ctx); err != nil {
		s.log.Warn("trace scan counts not written at shutdown", "err", err)
	}
}
