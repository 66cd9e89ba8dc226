package order_test

import (
	"testing"

	"htxmarket/internal/order"
)

// TestDepositOf: a deposit is the percent of the sub-order's total rounded
// half up to whole đồng, never nothing nor the whole total.
func TestDepositOf(t *testing.T) {
	tests := []struct {
		name    string
		total   int64
		percent int
		want    int64
	}{
		{"exact", 1_000_000, 30, 300_000},
		{"rounds half up", 1_005, 15, 151},                  // 150.75
		{"rounds down below half", 101, 15, 15},             // 15.15
		{"half rounds up", 5, 10, 1},                        // 0.5
		{"a third of a round number", 999_999, 25, 250_000}, // 249 999.75
		{"largest percent", 3_000_000_000, 90, 2_700_000_000},
		{"never the whole total", 3, 90, 2}, // 2.7 rounds to 3 = the total
		{"no percent, no deposit", 1_000_000, 0, 0},
		{"a total too small to split", 1, 50, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := order.DepositOf(tc.total, tc.percent); got != tc.want {
				t.Errorf("DepositOf(%d, %d) = %d, want %d", tc.total, tc.percent, got, tc.want)
			}
		})
	}
}
