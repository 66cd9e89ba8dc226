package app

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/geo"
	"htxmarket/internal/search"
	"htxmarket/internal/sourcing"
)

// seedFinder is the search side of sourcing while seeding: the synonym
// groups from the database and no product search (the index is built after
// the seed); offers are then matched on their words.
type seedFinder struct{ d *sqlx.DB }

func (f seedFinder) Search(context.Context, search.Params) (search.Result, error) {
	return search.Result{}, nil
}

func (f seedFinder) Synonyms(ctx context.Context) ([]search.SynonymGroup, error) {
	return search.NewSynonymStore().List(ctx, f.d)
}

// demoOffers are what sample cooperatives can supply, by product slug.
var demoOffers = []struct {
	product, text, unit string
	quantity, min       float64
	price               int64
	months              []int
	surplusDays         int // a one-off surplus available this many days
}{
	{product: "buoi-dien", text: "Bưởi Diễn loại 1, quả 1–1,2 kg", unit: "tấn", quantity: 8, min: 0.5, price: 38_000_000, months: []int{9, 10, 11, 12, 1}},
	{product: "buoi-nam-roi-phu-huu", text: "Bưởi Năm Roi Phú Hữu", unit: "tấn", quantity: 15, min: 1, price: 30_000_000, months: []int{8, 9, 10, 11, 12, 1, 2}},
	{product: "cam-sanh-ham-yen", text: "Cam sành Hàm Yên", unit: "tấn", quantity: 20, min: 2, price: 20_000_000, months: []int{10, 11, 12, 1}},
	{product: "cam-vinh", text: "Cam Vinh Quỳ Hợp", unit: "tấn", quantity: 10, min: 1, price: 35_000_000, months: []int{10, 11, 12, 1}},
	{product: "khom-cau-duc", text: "Khóm Cầu Đúc", unit: "tấn", quantity: 30, min: 1, price: 15_000_000},
	{product: "vai-thieu-thanh-ha", text: "Vải thiều Thanh Hà", unit: "tấn", quantity: 25, min: 2, price: 40_000_000, months: []int{5, 6, 7}},
	{product: "mam-ca-linh-chau-doc", text: "Mắm cá linh Châu Đốc, hũ 500 g", unit: "hũ", quantity: 2000, min: 100, price: 76_000},
	{product: "na-chi-lang", text: "Còn 3 tấn na Chi Lăng, giao trong tháng", unit: "tấn", quantity: 3, min: 0.5, price: 45_000_000, surplusDays: 25},
}

// seedSourcing adds the demo offers and a few open requests of the demo
// wholesaler, once: a database whose wholesaler has requests is left as
// it is.
func seedSourcing(ctx context.Context, d *sqlx.DB, dm domains) error {
	var buyer uuid.UUID
	if err := d.GetContext(ctx, &buyer, `SELECT id FROM users WHERE email = 'daily@demo.htxmarket.vn'`); err != nil {
		return fmt.Errorf("seed: sourcing: the demo wholesaler: %w", err)
	}
	var n int
	if err := d.GetContext(ctx, &n, `SELECT count(*) FROM sourcing_requests WHERE buyer_id = $1`, buyer); err != nil || n > 0 {
		return err
	}
	provinces := geo.NewService(geo.NewStore(d))
	s := sourcing.NewService(d, provinces, seedFinder{d}, &searchVocabulary{provinces: provinces, products: dm.products}, nil)
	today := time.Now()
	for _, o := range demoOffers {
		var p struct {
			ID   uuid.UUID `db:"id"`
			Coop uuid.UUID `db:"cooperative_id"`
		}
		if err := d.GetContext(ctx, &p, `SELECT id, cooperative_id FROM products WHERE slug = $1`, o.product); err != nil {
			return fmt.Errorf("seed: sourcing: product %s: %w", o.product, err)
		}
		in := sourcing.NewOffer{ProductID: &p.ID, Text: o.text, Quantity: o.quantity, MinQuantity: o.min, Unit: o.unit,
			Months: o.months, UnitPriceVND: o.price}
		if o.surplusDays > 0 {
			in.Kind, in.AvailableUntil = "surplus", today.AddDate(0, 0, o.surplusDays).Format("2006-01-02")
		}
		if _, err := s.CreateOffer(ctx, p.Coop, in); err != nil {
			return fmt.Errorf("seed: sourcing: offer %s: %w", o.product, err)
		}
	}
	day := func(days int) string { return today.AddDate(0, 0, days).Format("2006-01-02") }
	for _, r := range []sourcing.NewRequest{
		{Text: "Bưởi loại 1 cho mùa Tết", Quantity: 20, Unit: "tấn", MaxUnitPriceVND: 40_000_000, Province: "ha-noi",
			WantedFrom: day(0), WantedTo: day(60), Notes: "Giao làm hai đợt, có hóa đơn."},
		{Text: "Cam sành", Quantity: 25, Unit: "tấn", Province: "ho-chi-minh", WantedFrom: day(0), WantedTo: day(45),
			Recurrence: "monthly"},
		{Text: "Mắm cá linh", Quantity: 500, Unit: "hũ", Province: "ha-noi", WantedFrom: day(0), WantedTo: day(30)},
	} {
		if _, err := s.CreateRequest(ctx, buyer, r); err != nil {
			return fmt.Errorf("seed: sourcing: request %s: %w", r.Text, err)
		}
	}
	return nil
}
