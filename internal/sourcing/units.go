package sourcing

import (
	"sort"
	"strings"

	"htxmarket/internal/platform/geo"
)

// Dimension is what a unit measures. Quantities compare only within one
// dimension: mass with mass, volume with volume, and each countable unit
// (quả, hộp, chai…) only with itself, since a box of one cooperative is
// not a box of another's.
type Dimension string

// Dimensions of the measured units; a countable unit's dimension is
// "count:" and its own name.
const (
	Mass   Dimension = "mass"   // base unit: gram
	Volume Dimension = "volume" // base unit: millilitre
)

// Unit is one unit a request or an offer may be written in.
type Unit struct {
	Name      string    `json:"name"`      // as people write it: "kg", "tấn", "quả"
	Dimension Dimension `json:"dimension"` // mass, volume or count:<name>
	// Base is how many base units (g, ml, or one piece) one unit is.
	Base float64 `json:"base"`
}

// units lists the units, each under its name; aliases resolve through
// unitAliases.
var units = map[string]Unit{}

func init() {
	for _, u := range []Unit{
		{Name: "g", Dimension: Mass, Base: 1},
		{Name: "kg", Dimension: Mass, Base: 1_000},
		{Name: "yến", Dimension: Mass, Base: 10_000},
		{Name: "tạ", Dimension: Mass, Base: 100_000},
		{Name: "tấn", Dimension: Mass, Base: 1_000_000},
		{Name: "ml", Dimension: Volume, Base: 1},
		{Name: "l", Dimension: Volume, Base: 1_000},
	} {
		units[u.Name] = u
	}
	for _, name := range countable {
		units[name] = Unit{Name: name, Dimension: Dimension("count:" + name), Base: 1}
	}
}

// countable are the units counted in pieces.
var countable = []string{"quả", "hộp", "chai", "gói", "túi", "hũ", "thùng", "bao", "bó", "con", "cây", "chiếc", "lọ", "can", "bình", "khay"}

// unitAliases maps folded spellings ("tan", "kilogram", "lit") to a unit.
var unitAliases = map[string]string{
	"gam": "g", "gram": "g", "kilogram": "kg", "kilo": "kg", "ki lo": "kg", "can ta": "tạ",
	"tan": "tấn", "ton": "tấn", "t": "tấn", "ta": "tạ", "yen": "yến",
	"lit": "l", "liter": "l", "litre": "l", "mililit": "ml",
}

// ParseUnit returns the unit named s, written exactly or typed without
// diacritics ("tan" is tấn). A name typed with marks must be a unit's own:
// "thúng" (a basket) is not "thùng" (a crate).
func ParseUnit(s string) (Unit, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	if u, ok := units[s]; ok {
		return u, true
	}
	f := geo.Fold(s)
	if f != s {
		return Unit{}, false
	}
	if name, ok := unitAliases[f]; ok {
		return units[name], true
	}
	for name, u := range units {
		if geo.Fold(name) == f {
			return u, true
		}
	}
	return Unit{}, false
}

// Units lists every unit, mass first, then volume, then the countable
// ones by name.
func Units() []Unit {
	out := make([]Unit, 0, len(units))
	for _, u := range units {
		out = append(out, u)
	}
	rank := func(u Unit) int {
		switch u.Dimension {
		case Mass:
			return 0
		case Volume:
			return 1
		}
		return 2
	}
	sort.Slice(out, func(i, j int) bool {
		if ri, rj := rank(out[i]), rank(out[j]); ri != rj {
			return ri < rj
		}
		if out[i].Base != out[j].Base {
			return out[i].Base < out[j].Base
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Comparable reports whether quantities in a and b can be compared.
func Comparable(a, b Unit) bool { return a.Dimension == b.Dimension }

// Convert returns q of unit from expressed in unit to; ok is false for
// incomparable units.
func Convert(q float64, from, to Unit) (float64, bool) {
	if !Comparable(from, to) {
		return 0, false
	}
	return q * from.Base / to.Base, true
}

// tonnesPerBase is the weight in tonnes of one base unit, for transport
// costs: a gram is a millionth of a tonne, and a millilitre of the goods
// sold here (sauces, honey, oils) is taken to weigh a gram. Pieces have no
// known weight and travel free in the cost model.
func tonnesPerBase(d Dimension) float64 {
	switch d {
	case Mass, Volume:
		return 1e-6
	}
	return 0
}
