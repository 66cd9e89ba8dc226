package geo_test

import (
	"testing"

	"htxmarket/internal/app/apptest"
)

// Vietnam's extreme points on land: Lũng Cú (23.39° N), Mũi Cà Mau
// (8.56° N, with Hòn Khoai a little further south), A Pa Chải (102.14° E)
// and Mũi Đôi (109.46° E). Every provincial capital lies within.
const (
	southLat, northLat = 8.4, 23.4
	westLng, eastLng   = 102.1, 109.5
)

// TestProvincesCoordinates checks the coordinates the browser draws its
// maps from (the sourcing request's map of matches): all 34 provinces come
// with a point inside Vietnam, no two on the same spot, and latitude and
// longitude the right way round.
func TestProvincesCoordinates(t *testing.T) {
	env := apptest.New(t, nil)
	res := env.Client.Get("/api/v1/provinces")
	if res.Status != 200 {
		t.Fatalf("status %d: %s", res.Status, res.Body)
	}
	var list struct {
		Items []struct {
			Slug string   `json:"slug"`
			Name string   `json:"name"`
			Lat  *float64 `json:"lat"`
			Lng  *float64 `json:"lng"`
		} `json:"items"`
	}
	res.JSON(t, &list)
	if len(list.Items) != 34 {
		t.Fatalf("%d provinces, want 34", len(list.Items))
	}
	type point struct{ lat, lng float64 }
	at := map[string]point{}
	seen := map[point]string{}
	for _, p := range list.Items {
		if p.Lat == nil || p.Lng == nil {
			t.Errorf("%s: no coordinates", p.Slug)
			continue
		}
		pt := point{*p.Lat, *p.Lng}
		if pt.lat < southLat || pt.lat > northLat || pt.lng < westLng || pt.lng > eastLng {
			t.Errorf("%s (%s) at %.3f, %.3f: outside Vietnam", p.Slug, p.Name, pt.lat, pt.lng)
		}
		if other, ok := seen[pt]; ok {
			t.Errorf("%s and %s on the same point %v", p.Slug, other, pt)
		}
		seen[pt] = p.Slug
		at[p.Slug] = pt
	}
	// A map drawn from these points must keep the country's shape: the
	// north above the centre above the south, the north-west left of the
	// north-east, the Mekong delta's tip the southernmost.
	// (A missing province sits at 0, 0 and fails these too.)
	for _, o := range []struct {
		name string
		ok   bool
	}{
		{"Hà Nội north of Huế", at["ha-noi"].lat > at["hue"].lat},
		{"Huế north of Hồ Chí Minh", at["hue"].lat > at["ho-chi-minh"].lat},
		{"Điện Biên west of Quảng Ninh", at["dien-bien"].lng < at["quang-ninh"].lng},
		{"An Giang west of Đồng Nai", at["an-giang"].lng < at["dong-nai"].lng},
	} {
		if !o.ok {
			t.Errorf("want %s", o.name)
		}
	}
	for slug, p := range at {
		if slug != "ca-mau" && p.lat <= at["ca-mau"].lat {
			t.Errorf("%s at %.3f° N is not north of Cà Mau (%.3f° N)", slug, p.lat, at["ca-mau"].lat)
		}
	}
}
