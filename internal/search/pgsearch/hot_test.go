package pgsearch

import (
	"math/bits"
	"slices"
	"testing"

	"github.com/google/uuid"
)

// The attributes a search reads of every match (hotAttrs) filter and
// count certifications as the full ones do, for certifications past the
// first 8 and past the first 64 too.
func TestHotAttrsAgreeWithAttrs(t *testing.T) {
	ix := newIndex()
	sets := []uint64{0, 1, 1 << 7, 1 << 8, 1<<3 | 1<<9 | 1<<63, 1 << 40}
	for i, certs := range sets {
		for _, more := range [][]uint16{nil, {64, 70}} {
			id := uuid.New()
			d := memDoc{id: id, attrs: attrs{certs: certs, prov: uint16(i % 3), group: uint16(i % 2), stars: uint8(i % 6), coop: uint32(i)}}
			if more != nil {
				d.moreCerts = true
				ix.moreCerts[id] = more
			}
			ix.docs = append(ix.docs, d)
			ix.attr = append(ix.attr, d.attrs)
			ix.hot = append(ix.hot, hotOf(&d.attrs))
		}
	}
	for ord := range ix.docs {
		a, h := &ix.attr[ord], &ix.hot[ord]
		for cert := -2; cert < 72; cert++ {
			f := filter{cert: cert, coop: -1, provs: []bool{true, false, true}, minStars: 2}
			if got, want := ix.maskHot(&f, h, uint32(ord)), ix.mask(&f, a, uint32(ord)); got != want {
				t.Errorf("document %d, certification %d: mask %b from hot, %b from attrs", ord, cert, got, want)
			}
		}
		got, want := make([]int32, 72), make([]int32, 72)
		for b := h.certs; b != 0; b &= b - 1 {
			got[bits.TrailingZeros8(b)]++
		}
		if h.moreCerts {
			ix.countMoreCerts(uint32(ord), got)
		}
		for b := a.certs; b != 0; b &= b - 1 {
			want[bits.TrailingZeros64(b)]++
		}
		for _, c := range ix.moreCerts[ix.docs[ord].id] {
			want[c]++
		}
		if !slices.Equal(got, want) {
			t.Errorf("document %d: certifications counted %v from hot, %v from attrs", ord, got, want)
		}
	}
}
