package sourcing

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bruteForce tries every whole quantity of every option (none, or from its
// minimum to its maximum) and returns the cheapest cost of at least need
// units from at most maxParts options, or +Inf.
func bruteForce(opts []Option, need, maxParts int) float64 {
	best := math.Inf(1)
	var walk func(i, parts int, got int, cost float64)
	walk = func(i, parts, got int, cost float64) {
		if got >= need {
			best = math.Min(best, cost)
			return
		}
		if i == len(opts) || parts == maxParts {
			return
		}
		walk(i+1, parts, got, cost)
		for q := max(1, int(opts[i].Min)); q <= int(opts[i].Max); q++ {
			walk(i+1, parts+1, got+q, cost+float64(q)*opts[i].Cost)
		}
	}
	walk(0, 0, 0, 0)
	return best
}

func TestCombineMatchesBruteForce(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 11))
	for trial := range 400 {
		n := 1 + rnd.IntN(7)
		opts := make([]Option, n)
		for i := range opts {
			mx := 1 + rnd.IntN(12)
			mn := 0
			if rnd.IntN(2) == 0 {
				mn = rnd.IntN(mx + 1)
			}
			opts[i] = Option{Index: i, Min: float64(mn), Max: float64(mx), Cost: float64(1 + rnd.IntN(20))}
		}
		need := 1 + rnd.IntN(25)
		parts := 1 + rnd.IntN(4)
		want := bruteForce(opts, need, parts)
		got := Combine(opts, float64(need), parts, 3, 1_000_000)
		if math.IsInf(want, 1) {
			if len(got.Best) != 0 {
				t.Fatalf("trial %d: no cover exists, Combine found %+v (opts %+v need %d parts %d)", trial, got.Best[0], opts, need, parts)
			}
			continue
		}
		if len(got.Best) == 0 {
			t.Fatalf("trial %d: Combine found nothing, brute force %v (opts %+v need %d parts %d)", trial, want, opts, need, parts)
		}
		if !got.Optimal || math.Abs(got.Best[0].Cost-want) > 1e-6 {
			t.Fatalf("trial %d: Combine %v (optimal %v), brute force %v (opts %+v need %d parts %d)", trial, got.Best[0].Cost, got.Optimal, want, opts, need, parts)
		}
		if got.LowerBound > want+1e-6 {
			t.Fatalf("trial %d: lower bound %v above the optimum %v", trial, got.LowerBound, want)
		}
		// Every combination returned is valid and costs what it says.
		for _, c := range got.Best {
			sum, cost := 0.0, 0.0
			if len(c.Parts) > parts {
				t.Fatalf("trial %d: %d parts, at most %d", trial, len(c.Parts), parts)
			}
			for _, p := range c.Parts {
				op := opts[p.Index]
				if p.Quantity < op.Min-1e-9 || p.Quantity > op.Max+1e-9 || p.Quantity <= 0 {
					t.Fatalf("trial %d: part %+v outside [%v, %v]", trial, p, op.Min, op.Max)
				}
				sum += p.Quantity
				cost += p.Quantity * op.Cost
			}
			if sum < float64(need)-1e-9 || math.Abs(cost-c.Cost) > 1e-6 {
				t.Fatalf("trial %d: combination %+v covers %v of %d, costs %v", trial, c, sum, need, cost)
			}
		}
	}
}

func TestCombineRespectsMinimumOrder(t *testing.T) {
	// The cheapest offer sells 10 at least; 6 are wanted: buying its 10
	// costs 10, buying 6 of the dearer one costs 12.
	opts := []Option{{Index: 0, Min: 10, Max: 20, Cost: 1}, {Index: 1, Min: 0, Max: 6, Cost: 2}}
	got := Combine(opts, 6, 2, 2, 1000)
	if len(got.Best) == 0 || got.Best[0].Cost != 10 || got.Best[0].Parts[0].Quantity != 10 {
		t.Fatalf("got %+v, want 10 units of option 0 for 10", got.Best)
	}
	// At 3 per unit it is cheaper to take 6 of the other.
	opts[0].Cost = 1.3
	got = Combine(opts, 6, 2, 2, 1000)
	if got.Best[0].Cost != 12 || got.Best[0].Parts[0].Index != 1 {
		t.Fatalf("got %+v, want 6 units of option 1 for 12", got.Best)
	}
}
