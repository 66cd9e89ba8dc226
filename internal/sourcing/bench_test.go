package sourcing

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
)

// reportPercentiles times each call of f and reports p50, p95 and p99.
func reportPercentiles(b *testing.B, f func()) {
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		f()
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	at := func(p float64) float64 {
		return float64(took[min(len(took)-1, int(p*float64(len(took))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

var benchGoods = []string{"Vải thiều Lục Ngạn", "Nhãn lồng Hưng Yên", "Bưởi da xanh", "Xoài cát Hòa Lộc", "Cà phê Robusta",
	"Chè Shan tuyết", "Gạo ST25", "Mật ong hoa nhãn", "Thanh long ruột đỏ", "Sầu riêng Ri6", "Dứa Queen", "Cam Vinh",
	"Khoai lang tím", "Hạt điều rang", "Tiêu đen", "Măng tây", "Nấm linh chi", "Mít Thái", "Chanh leo", "Ổi lê"}

var benchPlaces = [][2]float64{hanoi, bacNinh, hue, hcm, {10.0452, 105.7469}, {11.9404, 108.4583}, {20.8449, 106.6881}}

func benchCandidates(n int, rnd *rand.Rand) []Candidate {
	cands := make([]Candidate, n)
	for i := range cands {
		p := benchPlaces[rnd.IntN(len(benchPlaces))]
		cands[i] = Candidate{OfferID: uuid.New(), CooperativeID: uuid.New(),
			Words: Words(fmt.Sprintf("%s loại %d", benchGoods[rnd.IntN(len(benchGoods))], 1+rnd.IntN(3))), Dimension: Mass,
			Quantity: float64(1+rnd.IntN(8)) * 1e6, MinQuantity: float64(rnd.IntN(3)) * 1e5, Price: 10 + float64(rnd.IntN(40)),
			Months: []int{4, 5, 6, 7}, Lat: p[0], Lng: p[1], Stars: []int{0, 3, 4, 5}[rnd.IntN(4)],
			Certifications: []string{"VietGAP"}, Verified: rnd.IntN(10) > 0, Fulfilment: rnd.Float64()}
	}
	return cands
}

// BenchmarkMatch100k matches one request against 100,000 offers in memory,
// a twentieth of them about the goods wanted.
func BenchmarkMatch100k(b *testing.B) {
	rnd := rand.New(rand.NewPCG(1, 1))
	cands := benchCandidates(100_000, rnd)
	w := baseWant()
	w.Terms = Terms("vai thieu", nil)
	reportPercentiles(b, func() {
		if len(Rank(w, cands, 50)) == 0 {
			b.Fatal("no match")
		}
	})
}

// BenchmarkCombine1000 covers 60 tonnes from 1,000 candidate offers of 1
// to 12 tonnes with minimum orders: the cheapest covers take 5 or more.
func BenchmarkCombine1000(b *testing.B) {
	rnd := rand.New(rand.NewPCG(2, 2))
	opts := make([]Option, 1000)
	for i := range opts {
		mx := float64(1+rnd.IntN(12)) * 1e6
		opts[i] = Option{Index: i, Min: float64(rnd.IntN(4)) * 0.25 * mx, Max: mx, Cost: 15 + rnd.Float64()*20}
	}
	var parts int
	reportPercentiles(b, func() {
		r := Combine(opts, 60e6, MaxParts, 3, NodeLimit)
		if len(r.Best) == 0 {
			b.Fatal("no combination")
		}
		parts = len(r.Best[0].Parts)
		if !r.Optimal {
			b.Fatal("search cut short")
		}
	})
	if parts < 5 {
		b.Fatalf("best combination has %d parts, the benchmark wants 5 or more", parts)
	}
}
