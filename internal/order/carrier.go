package order

import (
	"context"

	"htxmarket/internal/platform/web"
)

// Carrier hands a sub-order to a delivery service and says how to follow
// it. Integrations with carriers' APIs (GHN, GHTK, Viettel Post …) would
// implement it; the first one is the cooperative saying what it did.
type Carrier interface {
	Ship(ctx context.Context, so SubOrder, m Move) (Shipment, error)
}

// Shipment is a sub-order on its way: who carries it and its tracking code.
type Shipment struct {
	Carrier      string
	TrackingCode string
}

// ManualCarrier records what the cooperative typed: the carrier's name
// (or its own delivery) and the tracking code, if any. It calls nothing.
type ManualCarrier struct{}

var _ Carrier = ManualCarrier{}

// Ship returns the carrier and code of the move, refusing a shipment
// without a carrier.
func (ManualCarrier) Ship(_ context.Context, _ SubOrder, m Move) (Shipment, error) {
	if m.Carrier == "" {
		return Shipment{}, &web.ValidationError{Fields: []web.FieldError{{Field: "carrier", Message: "cần đơn vị vận chuyển khi giao hàng đi"}}}
	}
	return Shipment{Carrier: m.Carrier, TrackingCode: m.TrackingCode}, nil
}
