package trace

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/db"
)

// Store is the PostgreSQL side of traceability. It reads the names of
// products, cooperatives and provinces, and the order lines a batch is
// assigned to, but writes only the trace tables.
type Store struct{}

type productRow struct {
	ID            uuid.UUID `db:"id"`
	CooperativeID uuid.UUID `db:"cooperative_id"`
	Name          string    `db:"name"`
	Slug          string    `db:"slug"`
}

func (st *Store) product(ctx context.Context, ext sqlx.ExtContext, id uuid.UUID) (productRow, error) {
	const q = `
		SELECT id, cooperative_id, name, slug
		FROM products
		WHERE id = $1 AND status <> 'archived'`
	var p productRow
	err := sqlx.GetContext(ctx, ext, &p, q, id)
	return p, db.Classify(err)
}

func (st *Store) coopID(ctx context.Context, ext sqlx.ExtContext, idOrSlug string) (uuid.UUID, error) {
	const q = `
		SELECT id
		FROM cooperatives
		WHERE slug = $1 OR id::text = $1`
	var id uuid.UUID
	err := sqlx.GetContext(ctx, ext, &id, q, idOrSlug)
	return id, db.Classify(err)
}

// lastGTIN is the GTIN of the product's newest batch that has one.
func (st *Store) lastGTIN(ctx context.Context, ext sqlx.ExtContext, productID uuid.UUID) (string, error) {
	const q = `
		SELECT gtin
		FROM trace_batches
		WHERE product_id = $1 AND gtin IS NOT NULL
		ORDER BY id DESC
		LIMIT 1`
	var g string
	err := sqlx.GetContext(ctx, ext, &g, q, productID)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return g, db.Classify(err)
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (st *Store) insertBatch(ctx context.Context, ext sqlx.ExtContext, b Batch) error {
	const q = `
		INSERT INTO trace_batches (id, cooperative_id, product_id, code, gtin, quantity, unit,
		    produced_on, expires_on, area_name, area_commune, area_province, area_lat, area_lng,
		    inputs, certifications, hash, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`
	inputs, err := json.Marshal(b.Inputs)
	if err != nil {
		return err
	}
	certs, err := json.Marshal(b.Certifications)
	if err != nil {
		return err
	}
	hash, err := hex.DecodeString(b.Hash)
	if err != nil {
		return err
	}
	_, err = ext.ExecContext(ctx, q, b.ID, b.CooperativeID, b.ProductID, b.Code, nullable(b.GTIN),
		b.Quantity, b.Unit, b.ProducedOn, nullable(b.ExpiresOn), b.Area.Name, b.Area.Commune,
		b.Area.Province, b.Area.Lat, b.Area.Lng, inputs, certs, hash, b.createdBy)
	if err != nil {
		return fmt.Errorf("trace: insert batch: %w", db.Classify(err))
	}
	return nil
}

type batchRow struct {
	ID             uuid.UUID       `db:"id"`
	CooperativeID  uuid.UUID       `db:"cooperative_id"`
	ProductID      uuid.UUID       `db:"product_id"`
	ProductName    string          `db:"product_name"`
	ProductSlug    string          `db:"product_slug"`
	Code           string          `db:"code"`
	GTIN           sql.NullString  `db:"gtin"`
	Quantity       int             `db:"quantity"`
	Unit           string          `db:"unit"`
	ProducedOn     time.Time       `db:"produced_on"`
	ExpiresOn      sql.NullTime    `db:"expires_on"`
	AreaName       string          `db:"area_name"`
	AreaCommune    string          `db:"area_commune"`
	AreaProvince   string          `db:"area_province"`
	AreaLat        sql.NullFloat64 `db:"area_lat"`
	AreaLng        sql.NullFloat64 `db:"area_lng"`
	Inputs         []byte          `db:"inputs"`
	Certifications []byte          `db:"certifications"`
	Hash           []byte          `db:"hash"`
	ScanCount      int64           `db:"scan_count"`
	EventCount     int             `db:"event_count"`
	CreatedBy      uuid.UUID       `db:"created_by"`
	CreatedAt      time.Time       `db:"created_at"`
}

const batchColumns = `
		b.id, b.cooperative_id, b.product_id, p.name AS product_name, p.slug AS product_slug,
		b.code, b.gtin, b.quantity, b.unit, b.produced_on, b.expires_on, b.area_name,
		b.area_commune, b.area_province, b.area_lat, b.area_lng, b.inputs, b.certifications,
		b.hash, b.scan_count, b.created_by, b.created_at,
		(SELECT count(*) FROM trace_events e WHERE e.batch_id = b.id) AS event_count`

func floatPtr(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	return &f.Float64
}

func toBatch(r batchRow) (Batch, error) {
	b := Batch{ID: r.ID, CooperativeID: r.CooperativeID, ProductID: r.ProductID, ProductName: r.ProductName,
		ProductSlug: r.ProductSlug, Code: r.Code, GTIN: r.GTIN.String, Quantity: r.Quantity, Unit: r.Unit,
		ProducedOn: r.ProducedOn.Format(time.DateOnly),
		Area: Place{Name: r.AreaName, Commune: r.AreaCommune, Province: r.AreaProvince,
			Lat: floatPtr(r.AreaLat), Lng: floatPtr(r.AreaLng)},
		Hash: hex.EncodeToString(r.Hash), ScanCount: r.ScanCount, EventCount: r.EventCount,
		CreatedAt: r.CreatedAt, createdBy: r.CreatedBy}
	if r.ExpiresOn.Valid {
		b.ExpiresOn = r.ExpiresOn.Time.Format(time.DateOnly)
	}
	if err := json.Unmarshal(r.Inputs, &b.Inputs); err != nil {
		return Batch{}, fmt.Errorf("trace: batch %s inputs: %w", r.ID, err)
	}
	if err := json.Unmarshal(r.Certifications, &b.Certifications); err != nil {
		return Batch{}, fmt.Errorf("trace: batch %s certifications: %w", r.ID, err)
	}
	return b, nil
}

func (st *Store) batchWhere(ctx context.Context, ext sqlx.ExtContext, where string, args ...any) (Batch, error) {
	q := `SELECT` + batchColumns + `
		FROM trace_batches b
		JOIN products p ON p.id = b.product_id
		WHERE ` + where
	var r batchRow
	if err := sqlx.GetContext(ctx, ext, &r, q, args...); err != nil {
		return Batch{}, db.Classify(err)
	}
	return toBatch(r)
}

func (st *Store) batch(ctx context.Context, ext sqlx.ExtContext, id uuid.UUID) (Batch, error) {
	return st.batchWhere(ctx, ext, `b.id = $1`, id)
}

func (st *Store) batchByCode(ctx context.Context, ext sqlx.ExtContext, code string) (Batch, error) {
	return st.batchWhere(ctx, ext, `b.code = $1`, code)
}

// lockBatch reads the batch's own row and locks it for the appending
// transaction.
func (st *Store) lockBatch(ctx context.Context, tx *sqlx.Tx, id uuid.UUID) (Batch, error) {
	const q = `
		SELECT id, cooperative_id, hash
		FROM trace_batches
		WHERE id = $1
		FOR UPDATE`
	var r struct {
		ID            uuid.UUID `db:"id"`
		CooperativeID uuid.UUID `db:"cooperative_id"`
		Hash          []byte    `db:"hash"`
	}
	if err := tx.GetContext(ctx, &r, q, id); err != nil {
		return Batch{}, db.Classify(err)
	}
	return Batch{ID: r.ID, CooperativeID: r.CooperativeID, Hash: hex.EncodeToString(r.Hash)}, nil
}

func (st *Store) batches(ctx context.Context, ext sqlx.ExtContext, coopID, productID, after uuid.UUID, limit int) ([]Batch, error) {
	q := `SELECT` + batchColumns + `
		FROM trace_batches b
		JOIN products p ON p.id = b.product_id
		WHERE b.cooperative_id = $1
		  AND ($2::uuid = '00000000-0000-0000-0000-000000000000' OR b.product_id = $2)
		  AND ($3::uuid = '00000000-0000-0000-0000-000000000000' OR b.id < $3)
		ORDER BY b.id DESC
		LIMIT $4`
	var rows []batchRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q, coopID, productID, after, limit); err != nil {
		return nil, db.Classify(err)
	}
	out := make([]Batch, 0, len(rows))
	for _, r := range rows {
		b, err := toBatch(r)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// head returns the sequence number and hash of the batch's last event (0
// and "" for none).
func (st *Store) head(ctx context.Context, tx *sqlx.Tx, batchID uuid.UUID) (int, string, error) {
	const q = `
		SELECT seq, hash
		FROM trace_events
		WHERE batch_id = $1
		ORDER BY seq DESC
		LIMIT 1`
	var r struct {
		Seq  int    `db:"seq"`
		Hash []byte `db:"hash"`
	}
	err := tx.GetContext(ctx, &r, q, batchID)
	if err == sql.ErrNoRows {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", db.Classify(err)
	}
	return r.Seq, hex.EncodeToString(r.Hash), nil
}

func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func (st *Store) insertEvent(ctx context.Context, ext sqlx.ExtContext, e Event) error {
	const q = `
		INSERT INTO trace_events (id, batch_id, seq, kind, occurred_at, place_name, place_commune,
		    place_province, lat, lng, actor_name, actor_phone, recorded_by, notes, inspector, result,
		    cost_vnd, photos, corrects_seq, prev_hash, hash, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
		    $19, $20, $21, $22, $22)`
	prev, err := hex.DecodeString(e.PrevHash)
	if err != nil {
		return err
	}
	hash, err := hex.DecodeString(e.Hash)
	if err != nil {
		return err
	}
	_, err = ext.ExecContext(ctx, q, e.ID, e.BatchID, e.Seq, string(e.Kind), e.OccurredAt, e.Place.Name,
		e.Place.Commune, nullable(e.Place.Province), e.Place.Lat, e.Place.Lng, e.ActorName, e.ActorPhone,
		e.RecordedBy, e.Notes, e.Inspector, e.Result, e.CostVND, pq.StringArray(e.Photos),
		nullInt(e.CorrectsSeq), prev, hash, e.RecordedAt)
	if err != nil {
		return fmt.Errorf("trace: insert event: %w", db.Classify(err))
	}
	return nil
}

type eventRow struct {
	ID            uuid.UUID       `db:"id"`
	BatchID       uuid.UUID       `db:"batch_id"`
	Seq           int             `db:"seq"`
	Kind          string          `db:"kind"`
	OccurredAt    time.Time       `db:"occurred_at"`
	PlaceName     string          `db:"place_name"`
	PlaceCommune  string          `db:"place_commune"`
	PlaceProvince sql.NullString  `db:"place_province"`
	Lat           sql.NullFloat64 `db:"lat"`
	Lng           sql.NullFloat64 `db:"lng"`
	ActorName     string          `db:"actor_name"`
	ActorPhone    string          `db:"actor_phone"`
	RecordedBy    uuid.UUID       `db:"recorded_by"`
	Notes         string          `db:"notes"`
	Inspector     string          `db:"inspector"`
	Result        string          `db:"result"`
	CostVND       sql.NullInt64   `db:"cost_vnd"`
	Photos        pq.StringArray  `db:"photos"`
	CorrectsSeq   sql.NullInt32   `db:"corrects_seq"`
	PrevHash      []byte          `db:"prev_hash"`
	Hash          []byte          `db:"hash"`
	CreatedAt     time.Time       `db:"created_at"`
}

func toEvent(r eventRow) Event {
	e := Event{ID: r.ID, BatchID: r.BatchID, Seq: r.Seq, Kind: Kind(r.Kind), OccurredAt: r.OccurredAt.UTC(),
		Place: Place{Name: r.PlaceName, Commune: r.PlaceCommune, Province: r.PlaceProvince.String,
			Lat: floatPtr(r.Lat), Lng: floatPtr(r.Lng)},
		ActorName: r.ActorName, ActorPhone: r.ActorPhone, RecordedBy: r.RecordedBy, Notes: r.Notes,
		Inspector: r.Inspector, Result: r.Result, Photos: []string(r.Photos),
		PrevHash: hex.EncodeToString(r.PrevHash), Hash: hex.EncodeToString(r.Hash), RecordedAt: r.CreatedAt.UTC()}
	if e.Photos == nil {
		e.Photos = []string{}
	}
	if r.CostVND.Valid {
		e.CostVND = &r.CostVND.Int64
	}
	if r.CorrectsSeq.Valid {
		n := int(r.CorrectsSeq.Int32)
		e.CorrectsSeq = &n
	}
	return e
}

func (st *Store) events(ctx context.Context, ext sqlx.ExtContext, batchID uuid.UUID) ([]Event, error) {
	const q = `
		SELECT id, batch_id, seq, kind, occurred_at, place_name, place_commune, place_province, lat, lng,
		       actor_name, actor_phone, recorded_by, notes, inspector, result, cost_vnd, photos,
		       corrects_seq, prev_hash, hash, created_at
		FROM trace_events
		WHERE batch_id = $1
		ORDER BY seq`
	var rows []eventRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q, batchID); err != nil {
		return nil, db.Classify(err)
	}
	out := make([]Event, len(rows))
	for i, r := range rows {
		out[i] = toEvent(r)
	}
	return out, nil
}

// addScans adds counted scans to their batches in one statement.
func (st *Store) addScans(ctx context.Context, ext sqlx.ExtContext, counts map[uuid.UUID]int64) error {
	if len(counts) == 0 {
		return nil
	}
	const q = `
		UPDATE trace_batches b
		SET scan_count = b.scan_count + s.n, last_scanned_at = now()
		FROM unnest($1::uuid[], $2::bigint[]) AS s (id, n)
		WHERE b.id = s.id`
	ids := make([]string, 0, len(counts))
	ns := make([]int64, 0, len(counts))
	for id, n := range counts {
		ids = append(ids, id.String())
		ns = append(ns, n)
	}
	_, err := ext.ExecContext(ctx, q, pq.StringArray(ids), pq.Int64Array(ns))
	return db.Classify(err)
}

// pageExtras returns what the trace page shows beside the batch: its
// cooperative's name and slug and the keys of its product's first photo
// (medium and thumbnail; "" without one).
func (st *Store) pageExtras(ctx context.Context, ext sqlx.ExtContext, coopID, productID uuid.UUID) (pageExtra, error) {
	const q = `
		SELECT c.name, c.slug,
		       coalesce(i.medium_key, '') AS medium_key, coalesce(i.thumb_key, '') AS thumb_key
		FROM cooperatives c
		LEFT JOIN LATERAL (
		    SELECT medium_key, thumb_key
		    FROM product_images
		    WHERE product_id = $2
		    ORDER BY position, id
		    LIMIT 1
		) i ON true
		WHERE c.id = $1`
	var r pageExtra
	err := sqlx.GetContext(ctx, ext, &r, q, coopID, productID)
	return r, db.Classify(err)
}

type pageExtra struct {
	Name      string `db:"name"`
	Slug      string `db:"slug"`
	MediumKey string `db:"medium_key"`
	ThumbKey  string `db:"thumb_key"`
}
