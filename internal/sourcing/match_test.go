package sourcing

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"

	"htxmarket/internal/search"
)

// hanoi and others are province capitals' coordinates.
var (
	hanoi    = [2]float64{21.0285, 105.8542}
	bacNinh  = [2]float64{21.1861, 106.0763}
	hue      = [2]float64{16.4637, 107.5909}
	hcm      = [2]float64{10.7769, 106.7009}
	vaiWords = Words("Vải thiều Lục Ngạn loại 1")
)

func baseWant() *Want {
	return &Want{Terms: Terms("vải thiều", nil), Dimension: Mass, Quantity: 20e6, Lat: hanoi[0], Lng: hanoi[1],
		Months: []int{6, 7}, WantedFrom: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
}

func baseCand() Candidate {
	return Candidate{OfferID: uuid.New(), CooperativeID: uuid.New(), Words: vaiWords, Dimension: Mass,
		Quantity: 5e6, MinQuantity: 1e6, Price: 25, Months: []int{5, 6, 7}, Lat: bacNinh[0], Lng: bacNinh[1],
		Stars: 4, Certifications: []string{"VietGAP"}, Verified: true, Fulfilment: 0.8}
}

func TestRejectHardConstraints(t *testing.T) {
	until := time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)
	invited := uuid.New()
	tests := []struct {
		name   string
		want   func(*Want)
		cand   func(*Candidate)
		reject string
	}{
		{"passes", nil, nil, ""},
		{"unverified cooperative", nil, func(c *Candidate) { c.Verified = false }, "unverified"},
		{"countable against mass", nil, func(c *Candidate) { c.Dimension = "count:quả" }, "unit"},
		{"too few stars", func(w *Want) { w.MinStars = 5 }, nil, "stars"},
		{"missing certification", func(w *Want) { w.Certifications = []string{"VietGAP", "Hữu cơ"} }, nil, "certifications"},
		{"certifications held", func(w *Want) { w.Certifications = []string{"VietGAP"} }, nil, ""},
		{"out of season", nil, func(c *Candidate) { c.Months = []int{1, 2} }, "season"},
		{"all year", nil, func(c *Candidate) { c.Months = nil }, ""},
		{"surplus gone before the window", nil, func(c *Candidate) { c.AvailableUntil = &until }, "season"},
		{"minimum order above the need", func(w *Want) { w.Quantity = 0.5e6 }, nil, "min_quantity"},
		{"not invited", func(w *Want) { w.Invited = []uuid.UUID{invited} }, nil, "not_invited"},
		{"invited", func(w *Want) { w.Invited = []uuid.UUID{invited} }, func(c *Candidate) { c.CooperativeID = invited }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, c := baseWant(), baseCand()
			if tt.want != nil {
				tt.want(w)
			}
			if tt.cand != nil {
				tt.cand(&c)
			}
			if got := w.Reject(&c); got != tt.reject {
				t.Errorf("Reject = %q, want %q", got, tt.reject)
			}
			n := len(Rank(w, []Candidate{c}, 10))
			if (n == 1) != (tt.reject == "") {
				t.Errorf("Match kept %d, reject %q", n, tt.reject)
			}
		})
	}
}

func TestRelevanceFoldingSynonymsTypos(t *testing.T) {
	groups := []search.SynonymGroup{{Terms: []string{"dứa", "khóm", "thơm"}}, {Terms: []string{"chè", "trà"}}}
	tests := []struct {
		query, offer string
		match        bool
	}{
		{"vai thieu", "Vải thiều Lục Ngạn", true},
		{"vải thiều", "VAI THIEU sấy khô", true},
		{"khóm", "Dứa Queen Cầu Đúc", true},
		{"tra xanh", "Chè xanh Tân Cương", true},
		{"buoi da xanh", "Bưởi da xanh Bến Tre", true},
		{"buoi da xanhh", "Bưởi da xanh Bến Tre", true}, // a typo
		{"xoài", "Vải thiều Lục Ngạn", false},
		{"cần mua 20 tấn vải", "Vải thiều", true},
	}
	for _, tt := range tests {
		w := &Want{Terms: Terms(tt.query, groups)}
		c := Candidate{Words: Words(tt.offer)}
		if got := w.Relevance(&c) >= minRelevance; got != tt.match {
			t.Errorf("%q against %q: match %v, want %v (terms %v)", tt.query, tt.offer, got, tt.match, w.Terms)
		}
	}
}

// rankOf returns the position of offer id in the matches, or -1.
func rankOf(ms []Scored, cands []Candidate, id uuid.UUID) int {
	for i, m := range ms {
		if cands[m.Index].OfferID == id {
			return i
		}
	}
	return -1
}

// Closer, cheaper and larger offers never rank below an otherwise equal
// one, among random others.
func TestScoreMonotonicity(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 5))
	places := [][2]float64{hanoi, bacNinh, hue, hcm}
	changes := []struct {
		name   string
		better func(c *Candidate)
	}{
		{"closer", func(c *Candidate) { c.Lat, c.Lng = hanoi[0], hanoi[1] }},
		{"cheaper", func(c *Candidate) { c.Price *= 0.7 }},
		{"larger", func(c *Candidate) { c.Quantity *= 2 }},
	}
	for trial := range 200 {
		w := baseWant()
		if rnd.IntN(2) == 0 {
			w.MaxPrice = 30
		}
		var cands []Candidate
		for range 2 + rnd.IntN(20) {
			c := baseCand()
			p := places[rnd.IntN(len(places))]
			c.Lat, c.Lng = p[0], p[1]
			c.Price = 10 + float64(rnd.IntN(30))
			c.Quantity = float64(1+rnd.IntN(10)) * 1e6
			c.Stars = []int{0, 3, 4, 5}[rnd.IntN(4)]
			c.Fulfilment = rnd.Float64()
			cands = append(cands, c)
		}
		base := cands[0]
		base.Lat, base.Lng = hcm[0], hcm[1]
		base.Quantity = 4e6
		for _, ch := range changes {
			a, b := base, base
			a.OfferID, b.OfferID = uuid.New(), uuid.New()
			ch.better(&b)
			all := append(append([]Candidate{}, cands[1:]...), a, b)
			ms := Rank(w, all, len(all))
			ra, rb := rankOf(ms, all, a.OfferID), rankOf(ms, all, b.OfferID)
			if ra < 0 || rb < 0 {
				t.Fatalf("trial %d %s: offers missing from the matches", trial, ch.name)
			}
			if rb > ra {
				t.Fatalf("trial %d: the %s offer ranks %d, the other %d", trial, ch.name, rb, ra)
			}
			if ms[rb].Score < ms[ra].Score {
				t.Fatalf("trial %d: the %s offer scores %v < %v", trial, ch.name, ms[rb].Score, ms[ra].Score)
			}
		}
	}
}

func TestBreakdownAddsUpToScore(t *testing.T) {
	w, c := baseWant(), baseCand()
	ms := Rank(w, []Candidate{c}, 1)
	if len(ms) != 1 {
		t.Fatal("no match")
	}
	sum, weights := 0.0, 0.0
	for _, term := range ms[0].Breakdown {
		sum += term.Value * term.Weight
		weights += term.Weight
	}
	if d := sum - ms[0].Score; d > 1e-3 || d < -1e-3 || weights < 0.999 || weights > 1.001 {
		t.Errorf("breakdown sums to %v with weights %v, score %v", sum, weights, ms[0].Score)
	}
}
