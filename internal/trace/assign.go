package trace

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/web"
)

// When a cooperative packs a sub-order it picks, for each line, the batch
// the goods came from; the buyer's order page then links each line to its
// trace. The order tables are read, never written: the picks live in
// trace_line_batches.

// LineBatch is one line of a sub-order with the batch it was packed from.
type LineBatch struct {
	LineID      uuid.UUID  `json:"line_id"`
	ProductID   uuid.UUID  `json:"product_id"`
	ProductName string     `json:"product_name"`
	Quantity    int        `json:"quantity"`
	Unit        string     `json:"unit"`
	BatchID     *uuid.UUID `json:"batch_id"`
	BatchCode   string     `json:"batch_code"`
	TraceURL    string     `json:"trace_url"`
}

// LinePick is a batch picked for a line; a nil batch clears the pick.
type LinePick struct {
	LineID  string  `json:"line_id"`
	BatchID *string `json:"batch_id"`
}

// subOrderStatuses are the statuses in which picks may change: from
// confirmation to delivery.
var subOrderStatuses = map[string]bool{"confirmed": true, "packed": true, "shipped": true, "delivered": true}

type lineRow struct {
	LineID      uuid.UUID  `db:"line_id"`
	ProductID   uuid.UUID  `db:"product_id"`
	ProductName string     `db:"product_name"`
	Quantity    int        `db:"quantity"`
	Unit        string     `db:"unit"`
	BatchID     *uuid.UUID `db:"batch_id"`
	BatchCode   *string    `db:"batch_code"`
	BatchGTIN   *string    `db:"batch_gtin"`
}

func (st *Store) subOrder(ctx context.Context, ext sqlx.ExtContext, coopID, id uuid.UUID, lock bool) (string, error) {
	q := `
		SELECT status
		FROM sub_orders
		WHERE id = $1 AND cooperative_id = $2`
	if lock {
		q += `
		FOR SHARE`
	}
	var status string
	err := sqlx.GetContext(ctx, ext, &status, q, id, coopID)
	return status, db.Classify(err)
}

func (st *Store) lines(ctx context.Context, ext sqlx.ExtContext, subOrderID uuid.UUID) ([]lineRow, error) {
	const q = `
		SELECT l.id AS line_id, l.product_id, l.product_name, l.quantity, l.unit,
		       a.batch_id, b.code AS batch_code, b.gtin AS batch_gtin
		FROM order_lines l
		LEFT JOIN trace_line_batches a ON a.order_line_id = l.id
		LEFT JOIN trace_batches b ON b.id = a.batch_id
		WHERE l.sub_order_id = $1
		ORDER BY l.position`
	var rows []lineRow
	err := sqlx.SelectContext(ctx, ext, &rows, q, subOrderID)
	return rows, db.Classify(err)
}

func (s *Service) toLineBatches(rows []lineRow) []LineBatch {
	out := make([]LineBatch, len(rows))
	for i, r := range rows {
		out[i] = LineBatch{LineID: r.LineID, ProductID: r.ProductID, ProductName: r.ProductName,
			Quantity: r.Quantity, Unit: r.Unit, BatchID: r.BatchID}
		if r.BatchCode != nil {
			gtin := ""
			if r.BatchGTIN != nil {
				gtin = *r.BatchGTIN
			}
			out[i].BatchCode, out[i].TraceURL = *r.BatchCode, DigitalLink(s.opt.Origin, gtin, *r.BatchCode)
		}
	}
	return out
}

// SubOrderBatches lists the lines of one of the cooperative's sub-orders
// with the batch each was packed from.
func (s *Service) SubOrderBatches(ctx context.Context, coopID, subOrderID uuid.UUID) ([]LineBatch, error) {
	if _, err := s.store.subOrder(ctx, s.db, coopID, subOrderID, false); err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return nil, ErrLineNotFound
		}
		return nil, err
	}
	rows, err := s.store.lines(ctx, s.db, subOrderID)
	if err != nil {
		return nil, err
	}
	return s.toLineBatches(rows), nil
}

// AssignBatches records the batches the lines of a sub-order were packed
// from. Each batch must be the cooperative's and of the line's product.
// Lines not named keep their pick; all picks are made or none.
func (s *Service) AssignBatches(ctx context.Context, viewer *auth.Principal, coopID, subOrderID uuid.UUID, picks []LinePick) ([]LineBatch, error) {
	v := &web.ValidationError{}
	if len(picks) == 0 || len(picks) > MaxAssignments {
		v.Add("lines", fmt.Sprintf("gửi từ 1 đến %d dòng", MaxAssignments))
		return nil, v
	}
	type pick struct{ line, batch uuid.UUID }
	parsed := make([]pick, len(picks))
	seen := map[uuid.UUID]bool{}
	for i, p := range picks {
		f := fmt.Sprintf("lines[%d].", i)
		line, err := uuid.Parse(p.LineID)
		v.Check(err == nil, f+"line_id", "không phải mã dòng hàng")
		v.Check(!seen[line], f+"line_id", "dòng hàng được gửi hai lần")
		seen[line] = true
		parsed[i].line = line
		if p.BatchID != nil {
			b, err := uuid.Parse(*p.BatchID)
			v.Check(err == nil, f+"batch_id", "không phải mã lô hàng")
			parsed[i].batch = b
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out []LineBatch
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		status, err := s.store.subOrder(ctx, tx, coopID, subOrderID, true)
		if errors.Is(err, db.ErrNotFound) {
			return ErrLineNotFound
		}
		if err != nil {
			return err
		}
		if !subOrderStatuses[status] {
			return web.Detail(ErrWrongStatus, "Đơn hàng đang ở trạng thái %q: chỉ gán lô hàng cho đơn đã xác nhận, đã đóng gói, đang giao hoặc đã giao.", status)
		}
		rows, err := s.store.lines(ctx, tx, subOrderID)
		if err != nil {
			return err
		}
		products := map[uuid.UUID]uuid.UUID{}
		for _, r := range rows {
			products[r.LineID] = r.ProductID
		}
		for i, p := range parsed {
			f := fmt.Sprintf("lines[%d].", i)
			product, ok := products[p.line]
			if !ok {
				v.Add(f+"line_id", "không phải dòng hàng của đơn này")
				continue
			}
			if p.batch == uuid.Nil {
				if err := s.store.unassign(ctx, tx, p.line); err != nil {
					return err
				}
				continue
			}
			b, err := s.store.lockBatch(ctx, tx, p.batch)
			if errors.Is(err, db.ErrNotFound) || (err == nil && b.CooperativeID != coopID) {
				v.Add(f+"batch_id", "không phải lô hàng của hợp tác xã")
				continue
			}
			if err != nil {
				return err
			}
			full, err := s.store.batch(ctx, tx, p.batch)
			if err != nil {
				return err
			}
			if full.ProductID != product {
				v.Add(f+"batch_id", "lô hàng này là của sản phẩm khác")
				continue
			}
			if err := s.store.assign(ctx, tx, p.line, subOrderID, p.batch, viewer.UserID); err != nil {
				return err
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		rows, err = s.store.lines(ctx, tx, subOrderID)
		out = s.toLineBatches(rows)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (st *Store) assign(ctx context.Context, ext sqlx.ExtContext, line, subOrder, batch, by uuid.UUID) error {
	const q = `
		INSERT INTO trace_line_batches (order_line_id, sub_order_id, batch_id, assigned_by)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (order_line_id) DO UPDATE
		SET batch_id = EXCLUDED.batch_id, assigned_by = EXCLUDED.assigned_by, updated_at = now()`
	_, err := ext.ExecContext(ctx, q, line, subOrder, batch, by)
	return db.Classify(err)
}

func (st *Store) unassign(ctx context.Context, ext sqlx.ExtContext, line uuid.UUID) error {
	const q = `
		DELETE FROM trace_line_batches
		WHERE order_line_id = $1`
	_, err := ext.ExecContext(ctx, q, line)
	return db.Classify(err)
}

// LineTraces returns the trace of each of the given order lines that has
// a batch. A line's identifier is known only to its buyer and its
// cooperative, and a trace is public, so anyone may ask.
func (s *Service) LineTraces(ctx context.Context, ids []uuid.UUID) ([]Assignment, error) {
	const q = `
		SELECT a.order_line_id, b.id, b.code, b.gtin
		FROM trace_line_batches a
		JOIN trace_batches b ON b.id = a.batch_id
		WHERE a.order_line_id = ANY($1::uuid[])`
	strs := make([]string, len(ids))
	for i, id := range ids {
		strs[i] = id.String()
	}
	var rows []struct {
		Line  uuid.UUID `db:"order_line_id"`
		Batch uuid.UUID `db:"id"`
		Code  string    `db:"code"`
		GTIN  *string   `db:"gtin"`
	}
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, pq.StringArray(strs)); err != nil {
		return nil, db.Classify(err)
	}
	out := make([]Assignment, len(rows))
	for i, r := range rows {
		g := ""
		if r.GTIN != nil {
			g = *r.GTIN
		}
		out[i] = Assignment{LineID: r.Line, BatchID: r.Batch, BatchCode: r.Code, TraceURL: DigitalLink(s.opt.Origin, g, r.Code)}
	}
	return out, nil
}
