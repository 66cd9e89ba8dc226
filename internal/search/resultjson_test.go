package search

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
)

// Result.AppendJSON writes what json.Marshal writes: for results with
// every field of every type set (so that a field added to Result, Hit,
// Document, FacetValue or Alternative without its encoding fails here),
// with every field empty, and for texts with what JSON must escape.
func TestResultJSONMatchesEncodingJSON(t *testing.T) {
	texts := []string{"", "Nước mắm Phú Quốc", `<mark>dừa</mark> & "ngon"`, "a\\b\n\t\r\b\f\x01\x1f", "\u2028\u2029",
		"bad \xff utf-8 \xe1\xbb", "emoji 🍍", "'single'", "130.000 ₫ – ngon… \u2028 ạ",
		"\xed\xa0\x80 \xe0\x80\x80 \xc0\xaf \xc2 \xe1\x80 \xf0\x9f\x8d \xef\xbf\xbf \xf4\x90\x80\x80 ư"}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		var res Result
		fill(reflect.ValueOf(&res).Elem(), r, texts, i%4 == 0)
		check(t, &res)
	}
	check(t, &Result{})
	check(t, &Result{Hits: []Hit{{}}, Facets: Facets{"province": nil, "group": {}}, Dropped: []string{}, Popular: []Hit{}})
	loc := time.FixedZone("ICT", 7*3600)
	check(t, &Result{Hits: []Hit{{Document: Document{CreatedAt: time.Date(2025, 1, 2, 3, 4, 5, 6000, loc),
		UpdatedAt: time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC)}}}})

	// A year json.Marshal refuses: not ok, for the caller to report.
	bad := Result{Hits: []Hit{{Document: Document{CreatedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}}
	if _, err := json.Marshal(bad); err == nil {
		t.Fatal("json.Marshal encodes the year 10000")
	}
	if _, ok := bad.AppendJSON(nil); ok {
		t.Error("AppendJSON encodes the year 10000")
	}
}

func check(t *testing.T, res *Result) {
	t.Helper()
	want, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := res.AppendJSON([]byte("prefix"))
	if !ok || !bytes.Equal(got, append([]byte("prefix"), want...)) {
		t.Fatalf("AppendJSON (ok %v):\n%s\njson.Marshal:\n%s", ok, got, want)
	}
}

// fill sets every field of v, recursively, to a random value (sparse:
// empty values and nil slices and maps too).
func fill(v reflect.Value, r *rand.Rand, texts []string, sparse bool) {
	empty := sparse && r.IntN(3) == 0
	switch v.Interface().(type) {
	case time.Time:
		if !empty {
			loc := time.FixedZone("", (r.IntN(27)-12)*3600)
			v.Set(reflect.ValueOf(time.Date(1990+r.IntN(60), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60),
				[]int{0, 500_000_000, 123_456_789, 1000}[r.IntN(4)], loc)))
		}
		return
	case uuid.UUID:
		if !empty {
			v.Set(reflect.ValueOf(uuid.New()))
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), r, texts, sparse)
			}
		}
	case reflect.String:
		if !empty {
			v.SetString(texts[r.IntN(len(texts))])
		}
	case reflect.Int, reflect.Int64:
		if !empty {
			v.SetInt(r.Int64N(2_000_000) - 1000)
		}
	case reflect.Bool:
		v.SetBool(!empty && r.IntN(2) == 0)
	case reflect.Slice:
		if empty && r.IntN(2) == 0 {
			return
		}
		n := r.IntN(4)
		if empty {
			n = 0
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			fill(s.Index(i), r, texts, sparse)
		}
		v.Set(s)
	case reflect.Map:
		if empty && r.IntN(2) == 0 {
			return
		}
		m := reflect.MakeMap(v.Type())
		for range r.IntN(4) {
			k := reflect.New(v.Type().Key()).Elem()
			fill(k, r, texts, false)
			e := reflect.New(v.Type().Elem()).Elem()
			fill(e, r, texts, sparse)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	default:
		panic("fill: unhandled kind " + v.Kind().String() + " of " + v.Type().String())
	}
}
