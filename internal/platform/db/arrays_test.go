package db

import (
	"testing"

	"github.com/google/uuid"
	"github.com/lib/pq"
)

func TestArraysWriteWhatPqWrites(t *testing.T) {
	ids := UUIDs{uuid.MustParse("0190f5a2-7c1e-7abc-8def-0123456789ab"), uuid.New(), uuid.Nil}
	got, _ := ids.Value()
	want, _ := pq.Array([]uuid.UUID(ids)).Value()
	if got != want {
		t.Errorf("UUIDs = %v, pq.Array = %v", got, want)
	}
	if v, _ := (UUIDs)(nil).Value(); v != nil {
		t.Errorf("nil UUIDs = %v, want NULL", v)
	}
	if v, _ := (UUIDs{}).Value(); v != "{}" {
		t.Errorf("empty UUIDs = %v", v)
	}
	ns := NullInt64s{{Int64: 5, Valid: true}, {}, {Int64: -12, Valid: true}}
	if v, _ := ns.Value(); v != "{5,NULL,-12}" {
		t.Errorf("NullInt64s = %v", v)
	}
	if v, _ := (NullInt64s)(nil).Value(); v != nil {
		t.Errorf("nil NullInt64s = %v", v)
	}
}
