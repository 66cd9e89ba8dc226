package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/cooperative"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/storage"
	"htxmarket/internal/trace"
)

// seedTrace gives the first demo cooperative a batch of Bưởi Diễn with a
// season of events, so that the trace page has something to show. A
// cooperative that has a batch already is left as it is.
func seedTrace(ctx context.Context, cfg config.Config, log *slog.Logger, d *sqlx.DB, env *Env, coop cooperative.Cooperative) error {
	var n int
	if err := d.GetContext(ctx, &n, `SELECT count(*) FROM trace_batches WHERE cooperative_id = $1`, coop.ID); err != nil {
		return fmt.Errorf("seed: trace: %w", err)
	}
	if n > 0 {
		return nil
	}
	var ids struct {
		Product uuid.UUID `db:"product"`
		Manager uuid.UUID `db:"manager"`
	}
	err := d.GetContext(ctx, &ids, `
		SELECT p.id AS product, m.user_id AS manager
		FROM products p
		JOIN cooperative_members m ON m.cooperative_id = p.cooperative_id AND m.role = 'coop_manager'
		WHERE p.cooperative_id = $1 AND p.slug = 'buoi-dien'
		LIMIT 1`, coop.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // another sample catalog: nothing to trace
	}
	if err != nil {
		return fmt.Errorf("seed: trace: %w", err)
	}
	media, err := storage.NewDisk(cfg.Media.StorageDir, "/media")
	if err != nil {
		return err
	}
	s := trace.NewService(d, traceProvinces{geo.NewService(geo.NewStore(d))}, media,
		trace.Options{Origin: cfg.Auth.PublicOrigin}, log)
	manager := &auth.Principal{UserID: ids.Manager}
	lat, lng := 21.0712, 105.7436
	harvest := time.Now().AddDate(0, 0, -3).UTC().Truncate(24 * time.Hour)
	b, err := s.CreateBatch(ctx, manager, coop.ID, trace.NewBatch{
		ProductID: ids.Product.String(), GTIN: "8938505974019", Quantity: 800, Unit: "kg",
		ProducedOn: harvest.Format(time.DateOnly), ExpiresOn: harvest.AddDate(0, 0, 45).Format(time.DateOnly),
		Area: trace.Place{Name: "Vườn bưởi xóm Đông", Commune: "Xã Tây Tựu", Province: "ha-noi", Lat: &lat, Lng: &lng},
		Inputs: []trace.Input{
			{Kind: "fertiliser", Name: "Phân hữu cơ vi sinh Sông Gianh", Amount: "300 kg", AppliedOn: harvest.AddDate(0, -4, 0).Format(time.DateOnly)},
			{Kind: "treatment", Name: "Chế phẩm sinh học Trichoderma", Amount: "5 lít", AppliedOn: harvest.AddDate(0, -2, 0).Format(time.DateOnly)},
		},
		Certifications: []trace.Certification{{Name: "VietGAP", Number: "VG-HN-2025-0117", Issuer: "Trung tâm Chứng nhận phù hợp"}},
	})
	if err != nil {
		return fmt.Errorf("seed: trace batch: %w", err)
	}
	at := func(days, hour int) string {
		return harvest.AddDate(0, 0, days).Add(time.Duration(hour-7) * time.Hour).Format(time.RFC3339)
	}
	events := []trace.NewEvent{
		{Kind: trace.KindTreated, OccurredAt: at(-60, 7), ActorName: "Tổ kỹ thuật", Notes: "Phun chế phẩm sinh học phòng nấm, không dùng thuốc hóa học."},
		{Kind: trace.KindHarvested, OccurredAt: at(0, 6), ActorName: "Tổ thu hái số 2", Notes: "Hái quả chín đều, loại 1,2–1,5 kg."},
		{Kind: trace.KindInspected, OccurredAt: at(0, 14), Inspector: "Chi cục Quản lý chất lượng Hà Nội", Result: "passed",
			Notes: "Không phát hiện dư lượng thuốc bảo vệ thực vật."},
		{Kind: trace.KindPacked, OccurredAt: at(1, 8), ActorName: "Xưởng đóng gói HTX",
			Place: trace.Place{Name: "Xưởng đóng gói", Commune: "Xã Tây Tựu", Province: "ha-noi"}, Notes: "Đóng thùng 10 kg, dán tem truy xuất."},
	}
	for _, e := range events {
		if _, err := s.AddEvent(ctx, manager, coop.ID, b.ID, e); err != nil {
			return fmt.Errorf("seed: trace event: %w", err)
		}
	}
	fmt.Fprintf(env.Stdout, "\nLô hàng truy xuất mẫu: %s (%d sự kiện) %s\n", b.Code, len(events), b.TraceURL)
	return nil
}
