package sourcing

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// Option is an offer that may supply part of a request, in the request's
// base unit.
type Option struct {
	Index int     // into the caller's candidates
	Min   float64 // smallest order, base units (0: none)
	Max   float64 // most it can supply, base units
	// Cost is the delivered cost of one base unit: the offer's price plus
	// its transport to the request's province.
	Cost float64
}

// Alloc is one part of a combination: how much of which option.
type Alloc struct {
	Index    int
	Quantity float64
}

// Combination is a set of parts that together cover a request.
type Combination struct {
	Parts []Alloc
	Cost  float64
}

// CombineResult is the answer of Combine.
type CombineResult struct {
	// Best are the cheapest combinations found, best first.
	Best []Combination
	// Optimal is true when the search finished: Best[0] is then the
	// cheapest combination there is.
	Optimal bool
	// LowerBound is the cost of the fractional relaxation (every minimum
	// order and the limit on parts dropped): no combination costs less.
	// Best[0].Cost − LowerBound bounds the distance from the optimum when
	// Optimal is false.
	LowerBound float64
	Nodes      int
}

// Combine finds the cheapest ways to buy at least need base units from at
// most maxParts options, each bought between its Min and its Max, and
// returns up to keep of them.
//
// The problem is a knapsack with minimum orders. For a chosen set of
// options the best quantities are easy: every option at its minimum, then
// the rest of the need from the cheapest options of the set up to their
// maxima (exchanging a unit between two options of the set never helps
// the cheaper one less). So the search is over sets only. Combine sorts the
// options by delivered cost and walks the sets depth first (take the next
// option, or skip it) with two cuts:
//
//   - bound: a set's cost plus the cheapest fractional cover of what it
//     still lacks (from its own spare capacity and the options not yet
//     decided, minimum orders ignored) is a lower bound for every set that
//     extends it; a branch whose bound is no better than the keep-th best
//     set found is cut. The bound is computed in O(log n) from prefix sums.
//   - a set that covers the need is not extended: every option not yet
//     decided costs at least as much per unit as each in the set, so
//     adding one replaces cheaper units with dearer ones.
//
// The search stops after nodeLimit nodes; Optimal then says false and
// LowerBound gives the gap. On 1,000 candidate offers and a need that
// takes 5 or more cooperatives it finishes in milliseconds (see the
// benchmark), and brute force over small cases agrees with it (see the
// tests).
func Combine(opts []Option, need float64, maxParts, keep, nodeLimit int) CombineResult {
	// The options by delivered cost, equal costs in the order given.
	type placed struct {
		Option
		pos int
	}
	ps := make([]placed, 0, len(opts))
	for i, op := range opts {
		if op.Max > 0 && op.Max >= op.Min {
			ps = append(ps, placed{op, i})
		}
	}
	slices.SortFunc(ps, func(a, b placed) int {
		switch {
		case a.Cost < b.Cost:
			return -1
		case b.Cost < a.Cost:
			return 1
		}
		return cmp.Compare(a.pos, b.pos)
	})
	o := make([]Option, len(ps))
	for i, p := range ps {
		o[i] = p.Option
	}
	n := len(o)
	cumCap, cumCost := make([]float64, n+1), make([]float64, n+1)
	for i, op := range o {
		cumCap[i+1] = cumCap[i] + op.Max
		cumCost[i+1] = cumCost[i] + op.Max*op.Cost
	}
	// topCap[i] lists the largest maxima of options i…n-1, largest first,
	// at most maxParts of them: can the parts still allowed cover the need?
	// Each list is the next one with o[i].Max inserted in its place, all
	// in one backing array.
	topCap := make([][]float64, n+1)
	if maxParts > 0 {
		backing := make([]float64, n*maxParts)
		for i := n - 1; i >= 0; i-- {
			next, m := topCap[i+1], o[i].Max
			t := backing[i*maxParts : i*maxParts : (i+1)*maxParts]
			k := 0
			for k < len(next) && next[k] >= m {
				k++
			}
			t = append(t, next[:k]...)
			if len(t) < maxParts {
				t = append(t, m)
			}
			for _, v := range next[k:] {
				if len(t) == maxParts {
					break
				}
				t = append(t, v)
			}
			topCap[i] = t
		}
	}
	// fill returns the cheapest fractional cost of x units from options
	// i…n-1 in order, and false when they cannot cover it.
	fill := func(i int, x float64) (float64, bool) {
		if x <= 0 {
			return 0, true
		}
		if cumCap[n]-cumCap[i] < x {
			return 0, false
		}
		j := sort.Search(n-i, func(k int) bool { return cumCap[i+k+1]-cumCap[i] >= x }) + i
		return cumCost[j] - cumCost[i] + (x-(cumCap[j]-cumCap[i]))*o[j].Cost, true
	}

	res := CombineResult{Optimal: true}
	if lb, ok := fill(0, need); ok {
		res.LowerBound = lb
	} else {
		return res
	}
	var set []int
	var best []Combination
	worst := func() float64 {
		if len(best) < keep {
			return math.Inf(1)
		}
		return best[len(best)-1].Cost
	}
	record := func(c Combination) {
		best = append(best, c)
		sort.SliceStable(best, func(a, b int) bool { return best[a].Cost < best[b].Cost })
		if len(best) > keep {
			best = best[:keep]
		}
	}
	// allocate gives the set's quantities: minima, then the rest from the
	// cheapest; spare is what the set could still add.
	allocate := func() (Combination, float64) {
		c := Combination{Parts: make([]Alloc, len(set))}
		rest := need
		for k, i := range set {
			c.Parts[k] = Alloc{Index: i, Quantity: o[i].Min}
			rest -= o[i].Min
		}
		for k, i := range set { // set is in cost order
			if rest <= 0 {
				break
			}
			add := math.Min(o[i].Max-o[i].Min, rest)
			c.Parts[k].Quantity += add
			rest -= add
		}
		for k, i := range set {
			c.Cost += c.Parts[k].Quantity * o[i].Cost
		}
		return c, rest
	}
	var walk func(i int)
	walk = func(i int) {
		if res.Nodes >= nodeLimit {
			res.Optimal = false
			return
		}
		res.Nodes++
		c, rest := allocate()
		if len(set) > 0 && rest <= 1e-9 {
			// A part left at zero (no minimum, the others cover) makes
			// this the same as the set without it, walked on its own.
			if c.Cost < worst() && !slices.ContainsFunc(c.Parts, func(a Alloc) bool { return a.Quantity <= 0 }) {
				record(c)
			}
			return
		}
		if len(set) == maxParts || i == n {
			return
		}
		// Can the parts still allowed cover what is missing?
		capLeft := 0.0
		for k, v := range topCap[i] {
			if k == maxParts-len(set) {
				break
			}
			capLeft += v
		}
		if capLeft < rest-1e-9 {
			return
		}
		// Bound: the set's cost so far plus the cheapest cover of the rest
		// from options i… (the set's own spare capacity is used up by
		// allocate already, at lower costs).
		add, ok := fill(i, rest)
		if !ok || c.Cost+add >= worst()-1e-9 {
			return
		}
		set = append(set, i)
		walk(i + 1)
		set = set[:len(set)-1]
		walk(i + 1)
	}
	walk(0)
	for k := range best {
		for p := range best[k].Parts {
			best[k].Parts[p].Index = o[best[k].Parts[p].Index].Index
		}
	}
	res.Best = best
	return res
}

// Limits of the combination search.
const (
	// MaxParts is the most offers a combination takes.
	MaxParts = 8
	// NodeLimit bounds the search's work; see CombineResult.Optimal.
	NodeLimit = 200_000
)
