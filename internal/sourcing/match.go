package sourcing

import (
	"bytes"
	"container/heap"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"htxmarket/internal/platform/geo"
	"htxmarket/internal/search"
)

// Want is a request as matching sees it: quantities and prices in the
// base unit of its dimension (gram, millilitre or piece).
type Want struct {
	// Terms are the folded terms of the request's text; each term lists
	// its alternatives (itself and its synonyms), each a sequence of words.
	Terms          [][][]string
	Dimension      Dimension
	Quantity       float64 // base units
	MaxPrice       float64 // VND per base unit; 0: none given
	Lat, Lng       float64 // of the delivery province
	Certifications []string
	MinStars       int
	// Months are the months (1–12) of the wanted window.
	Months     []int
	WantedFrom time.Time
	// Invited, when not empty, are the only cooperatives that may supply.
	Invited []uuid.UUID
	// EngineRelevance is the search engine's relevance (0–1) of the
	// products it found for the text, by product ID: offers tied to a
	// product get the engine's typo tolerance and ranking.
	EngineRelevance map[uuid.UUID]float64
}

// Candidate is an offer as matching sees it.
type Candidate struct {
	OfferID       uuid.UUID
	CooperativeID uuid.UUID
	ProductID     uuid.UUID // uuid.Nil for free-text offers
	// Words are the folded words of the offer's text and its product's
	// name and keywords.
	Words          []string
	Dimension      Dimension
	Quantity       float64 // base units available (per month for seasonal offers)
	MinQuantity    float64 // base units, the smallest order
	Price          float64 // VND per base unit
	Months         []int   // empty: all year
	AvailableUntil *time.Time
	Lat, Lng       float64
	Stars          int
	Certifications []string
	Verified       bool
	// Fulfilment is the cooperative's record, 0–1 (see FulfilmentRate).
	Fulfilment float64
}

// Term is one part of a match's score: its value (0–1) and its weight.
type Term struct {
	Term   string  `json:"term"`
	Value  float64 `json:"value"`
	Weight float64 `json:"weight"`
}

// Weights of the score's terms; they sum to 1, so a score is 0–1.
const (
	WeightRelevance  = 0.30
	WeightCoverage   = 0.20
	WeightPrice      = 0.15
	WeightDistance   = 0.15
	WeightStars      = 0.10
	WeightFulfilment = 0.10
)

// minRelevance is the share of a request's terms an offer must match.
const minRelevance = 0.5

// distanceScale is the distance, in km, at which the distance term is
// one half: about Hà Nội to Thanh Hóa.
const distanceScale = 150.0

// Scored is a candidate that passed the constraints, with its score.
type Scored struct {
	Index      int // into the candidates
	Score      float64
	Breakdown  []Term
	DistanceKM float64
}

// FulfilmentRate is a cooperative's record from its finished sub-orders:
// delivered (or completed) against cancelled or refunded, with one of each
// assumed beforehand so that a newcomer starts at one half rather than at
// nothing or everything.
func FulfilmentRate(delivered, failed int) float64 {
	return float64(delivered+1) / float64(delivered+failed+2)
}

// Haversine returns the great-circle distance in km between two points.
func Haversine(lat1, lng1, lat2, lng2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dLat, dLng := (lat2-lat1)*rad, (lng2-lng1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Reject names the hard constraint a candidate fails, or "" when it passes.
func (w *Want) Reject(c *Candidate) string {
	switch {
	case !c.Verified:
		return "unverified"
	case c.Dimension != w.Dimension:
		return "unit"
	case c.Stars < w.MinStars:
		return "stars"
	case !containsAll(c.Certifications, w.Certifications):
		return "certifications"
	case !monthsOverlap(c.Months, w.Months):
		return "season"
	case c.AvailableUntil != nil && c.AvailableUntil.Before(w.WantedFrom):
		return "season"
	case c.MinQuantity > w.Quantity:
		return "min_quantity"
	case len(w.Invited) > 0 && !slices.Contains(w.Invited, c.CooperativeID):
		return "not_invited"
	}
	return ""
}

func containsAll(have, need []string) bool {
	for _, n := range need {
		if !slices.Contains(have, n) {
			return false
		}
	}
	return true
}

func monthsOverlap(offer, wanted []int) bool {
	if len(offer) == 0 || len(wanted) == 0 {
		return true
	}
	for _, m := range wanted {
		if slices.Contains(offer, m) {
			return true
		}
	}
	return false
}

// Relevance is the share of the request's terms the candidate's words
// match, or the search engine's relevance of its product if higher.
func (w *Want) Relevance(c *Candidate) float64 {
	r := 0.0
	if len(w.Terms) > 0 {
		n := 0
		for _, alts := range w.Terms {
			if matchesAny(c.Words, alts) {
				n++
			}
		}
		r = float64(n) / float64(len(w.Terms))
	}
	if c.ProductID != uuid.Nil {
		if e, ok := w.EngineRelevance[c.ProductID]; ok && e > r {
			r = e
		}
	}
	return r
}

func matchesAny(words []string, alts [][]string) bool {
	for _, alt := range alts {
		if len(alt) == 1 {
			for _, w := range words {
				if wordMatches(w, alt[0]) {
					return true
				}
			}
			continue
		}
		for i := 0; i+len(alt) <= len(words); i++ {
			if slices.Equal(words[i:i+len(alt)], alt) {
				return true
			}
		}
	}
	return false
}

// wordMatches compares an offer's word with a request's: the same, the
// request's a prefix of three letters or more ("xoai" of "xoai"), or one
// letter apart for words of five or more.
func wordMatches(w, t string) bool {
	if w == t {
		return true
	}
	if len(t) >= 3 && strings.HasPrefix(w, t) {
		return true
	}
	return len(t) >= 5 && oneEditApart(w, t)
}

// oneEditApart reports whether a and b differ by one insertion, deletion
// or substitution of a byte (words are folded to ASCII).
func oneEditApart(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return a[i+1:] == b[i+1:]
	}
	return a[i:] == b[i+1:]
}

// Rank returns the candidates that pass the hard constraints and match
// the text, best first, at most limit of them. The price term compares
// each price with the request's maximum, or without one with the median
// price of the passing candidates.
func Rank(w *Want, cands []Candidate, limit int) []Scored {
	type pass struct {
		i   int
		rel float64
	}
	passing := make([]pass, 0, 64)
	for i := range cands {
		c := &cands[i]
		if w.Reject(c) != "" {
			continue
		}
		if rel := w.Relevance(c); rel >= minRelevance {
			passing = append(passing, pass{i, rel})
		}
	}
	ref := w.MaxPrice
	if ref <= 0 && len(passing) > 0 {
		prices := make([]float64, len(passing))
		for j, p := range passing {
			prices[j] = cands[p.i].Price
		}
		sort.Float64s(prices)
		ref = prices[len(prices)/2]
	}
	if limit >= len(passing) { // all of them: a sort is cheaper than a heap
		out := make([]Scored, len(passing))
		// One array holds every breakdown, each its own full slice.
		terms := make([]Term, len(passing)*scoreTerms)
		for j, p := range passing {
			out[j] = scoreInto(w, &cands[p.i], p.rel, ref, terms[j*scoreTerms:(j+1)*scoreTerms:(j+1)*scoreTerms])
			out[j].Index = p.i
		}
		slices.SortFunc(out, func(a, b Scored) int {
			if better(a, b, cands) {
				return -1
			}
			if better(b, a, cands) {
				return 1
			}
			return 0
		})
		return out
	}
	h := &scoredHeap{cands: cands}
	for _, p := range passing {
		c := &cands[p.i]
		s := score(w, c, p.rel, ref)
		s.Index = p.i
		if h.Len() < limit {
			heap.Push(h, s)
		} else if limit > 0 && better(s, h.items[0], cands) {
			h.items[0] = s
			heap.Fix(h, 0)
		}
	}
	out := make([]Scored, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(Scored)
	}
	return out
}

// scoreTerms is the number of terms of a score.
const scoreTerms = 6

// score computes a passing candidate's score and its breakdown.
func score(w *Want, c *Candidate, rel, refPrice float64) Scored {
	return scoreInto(w, c, rel, refPrice, make([]Term, scoreTerms))
}

// scoreInto is score with the breakdown written into terms, of
// scoreTerms terms.
func scoreInto(w *Want, c *Candidate, rel, refPrice float64, terms []Term) Scored {
	d := Haversine(w.Lat, w.Lng, c.Lat, c.Lng)
	cover := 1.0
	if w.Quantity > 0 {
		cover = math.Min(1, c.Quantity/w.Quantity)
	}
	price := 1.0
	if refPrice > 0 {
		price = refPrice / (refPrice + c.Price)
	}
	terms[0] = Term{"relevance", rel, WeightRelevance}
	terms[1] = Term{"coverage", cover, WeightCoverage}
	terms[2] = Term{"price", price, WeightPrice}
	terms[3] = Term{"distance", distanceScale / (distanceScale + d), WeightDistance}
	terms[4] = Term{"stars", float64(c.Stars) / 5, WeightStars}
	terms[5] = Term{"fulfilment", c.Fulfilment, WeightFulfilment}
	total := 0.0
	for i := range terms {
		terms[i].Value = math.Round(terms[i].Value*1e4) / 1e4
		total += terms[i].Value * terms[i].Weight
	}
	return Scored{Score: math.Round(total*1e4) / 1e4, Breakdown: terms, DistanceKM: math.Round(d*10) / 10}
}

// better orders matches: higher score, then cheaper, then by offer ID so
// that the order is stable.
func better(a, b Scored, cands []Candidate) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	pa, pb := cands[a.Index].Price, cands[b.Index].Price
	if pa != pb {
		return pa < pb
	}
	return bytes.Compare(cands[a.Index].OfferID[:], cands[b.Index].OfferID[:]) < 0
}

// scoredHeap keeps the best limit matches with the worst on top.
type scoredHeap struct {
	items []Scored
	cands []Candidate
}

func (h *scoredHeap) Len() int           { return len(h.items) }
func (h *scoredHeap) Less(i, j int) bool { return better(h.items[j], h.items[i], h.cands) }
func (h *scoredHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *scoredHeap) Push(x any)         { h.items = append(h.items, x.(Scored)) }
func (h *scoredHeap) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}

// Words folds s and splits it into words of letters and digits, as the
// search engine's indexer does.
func Words(s string) []string {
	return strings.FieldsFunc(geo.Fold(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}

// stopWords are words of a request that say nothing of the goods.
var stopWords = map[string]bool{"can": true, "mua": true, "ban": true, "cho": true, "va": true, "hoac": true,
	"loai": true, "hang": true, "moi": true, "thang": true, "giao": true, "tai": true, "tu": true, "den": true}

// Terms turns a request's text into terms with their synonyms from the
// search engine's synonym groups: the longest group term that starts at
// each word wins, as in the search engine's own query parsing. Numbers,
// the units after them and stop words are dropped.
func Terms(text string, groups []search.SynonymGroup) [][][]string {
	alts := map[string][][]string{}
	longest := 0
	for _, g := range groups {
		var terms [][]string
		for _, t := range g.Terms {
			if ws := Words(t); len(ws) > 0 {
				terms = append(terms, ws)
				longest = max(longest, len(ws))
			}
		}
		for _, t := range terms {
			key := strings.Join(t, " ")
			for _, u := range terms {
				if !slices.ContainsFunc(alts[key], func(x []string) bool { return slices.Equal(x, u) }) {
					alts[key] = append(alts[key], u)
				}
			}
		}
	}
	ws := Words(text)
	var out [][][]string
	for i := 0; i < len(ws); {
		found := false
		for n := min(longest, len(ws)-i); n > 0; n-- {
			if a, ok := alts[strings.Join(ws[i:i+n], " ")]; ok {
				out = append(out, a)
				i += n
				found = true
				break
			}
		}
		if found {
			continue
		}
		w := ws[i]
		i++
		if stopWords[w] || isNumber(w) {
			continue
		}
		if _, unit := ParseUnit(w); unit && i >= 2 && isNumber(ws[i-2]) {
			continue // "20 tan": the quantity, not the goods
		}
		out = append(out, [][]string{{w}})
	}
	return out
}

func isNumber(w string) bool {
	return strings.IndexFunc(w, func(r rune) bool { return r < '0' || r > '9' }) < 0
}
