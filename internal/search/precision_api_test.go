package search_test

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/catalog"
	"htxmarket/internal/search"
)

// TestPrecisionAPI runs the precision rules through the API on the sample
// catalog, with the seeded synonym groups (thơm marked ambiguous by
// migration 00090); the responses are checked against the OpenAPI
// document by the test client.
func TestPrecisionAPI(t *testing.T) {
	env := apptest.New(t, nil)
	if _, err := env.Server.Catalog.Import(context.Background(), catalog.ImportRequest{CSV: bytes.NewReader(catalog.SampleCSV)}); err != nil {
		t.Fatal(err)
	}
	drain(t, env)
	find := func(q string) search.Result {
		t.Helper()
		status, res, body := get(t, env, "/api/v1/search?per_page=50&q="+url.QueryEscape(q))
		if status != 200 {
			t.Fatalf("q=%q: %d %s", q, status, body)
		}
		return res
	}
	exactNames := func(res search.Result) []string {
		var out []string
		for _, h := range res.Hits {
			if h.Match == search.MatchExact {
				out = append(out, h.Name)
			}
		}
		return out
	}
	has := func(h search.Hit, word string) bool {
		for _, text := range append([]string{h.Name, h.CooperativeName, h.ProvinceName}, append(h.Keywords, h.FormerNames...)...) {
			if slices.Contains(search.Words(text), word) {
				return true
			}
		}
		return false
	}

	t.Run("a toned word matches its exact form only, and the total counts those", func(t *testing.T) {
		res := find("dừa")
		names := exactNames(res)
		if res.Total != len(names) || len(names) < 3 {
			t.Fatalf("dừa: total %d, exact hits %q", res.Total, names)
		}
		for _, h := range res.Hits[:res.Total] {
			if !has(h, "dừa") {
				t.Errorf("dừa finds %q, which has no dừa", h.Name)
			}
		}
		for i, h := range res.Hits {
			if (i < res.Total) != (h.Match == search.MatchExact) {
				t.Errorf("hit %d %q labelled %q: exact hits come first", i, h.Name, h.Match)
			}
		}
		if res.Loose != len(res.Hits)-res.Total {
			t.Errorf("loose %d, hits %d, total %d", res.Loose, len(res.Hits), res.Total)
		}
		// Without tones: every form, pineapples included.
		if folded := find("dua"); folded.Total <= res.Total || !slices.Contains(exactNames(folded), "Khóm Cầu Đúc") {
			t.Errorf("dua: total %d (dừa %d), %q", folded.Total, res.Total, exactNames(folded))
		}
	})
	t.Run("synonyms expand to the group but its ambiguous term", func(t *testing.T) {
		names := exactNames(find("dứa"))
		if !slices.Contains(names, "Khóm Cầu Đúc") {
			t.Errorf("dứa does not find Khóm Cầu Đúc: %q", names)
		}
		for _, n := range names {
			if strings.Contains(n, "thơm") {
				t.Errorf("dứa finds %q through thơm", n)
			}
		}
		if names := exactNames(find("thơm cầu đúc")); !slices.Contains(names, "Khóm Cầu Đúc") {
			t.Errorf("thơm cầu đúc: %q", names)
		}
	})
	t.Run("a word that matches nothing is left out and named", func(t *testing.T) {
		res := find("kẹo dừa zzqxw")
		if !slices.Equal(res.Dropped, []string{"zzqxw"}) || !slices.Contains(exactNames(res), "Kẹo dừa Bến Tre") {
			t.Errorf("dropped %q, hits %q", res.Dropped, exactNames(res))
		}
	})
	t.Run("nothing found offers queries that find and popular products", func(t *testing.T) {
		res := find("zzqxw")
		if res.Total != 0 || res.Loose != 0 || len(res.Popular) == 0 {
			t.Errorf("zzqxw: total %d loose %d popular %d", res.Total, res.Loose, len(res.Popular))
		}
		// Words each of which finds products, never together.
		var q string
		for _, q = range []string{"nước mắm chè", "mật ong nước mắm", "gốm nước mắm"} {
			if res = find(q); res.Total+res.Loose == 0 && len(res.Dropped) == 0 {
				break
			}
		}
		if res.Total+res.Loose != 0 || len(res.Alternatives) == 0 || len(res.Popular) == 0 {
			t.Fatalf("%s: total %d, alternatives %+v, popular %d", q, res.Total, res.Alternatives, len(res.Popular))
		}
		for _, a := range res.Alternatives {
			if got := find(a.Text); got.Total != a.Total || a.Total == 0 {
				t.Errorf("alternative %q says %d, finds %d", a.Text, a.Total, got.Total)
			}
		}
		if res.PopularGroup == "" {
			t.Errorf("no group for the popular products of %+v", res.Alternatives)
		}
		for _, h := range res.Popular {
			if h.Group != res.PopularGroup {
				t.Errorf("popular %q of group %s, not %s", h.Name, h.Group, res.PopularGroup)
			}
		}
	})
	t.Run("ambiguous terms are validated", func(t *testing.T) {
		ctx := context.Background()
		if _, err := env.Server.Search.CreateSynonyms(ctx, []string{"sầu riêng", "durian"}, []string{"xoài"}); !errors.Is(err, search.ErrSynonymInvalid) {
			t.Errorf("ambiguous term outside the group: %v", err)
		}
		if _, err := env.Server.Search.CreateSynonyms(ctx, []string{"sầu riêng", "durian"}, []string{"sầu riêng", "durian"}); !errors.Is(err, search.ErrSynonymInvalid) {
			t.Errorf("every term ambiguous: %v", err)
		}
		g, err := env.Server.Search.CreateSynonyms(ctx, []string{"sầu riêng", "durian"}, []string{" Durian "})
		if err != nil || !slices.Equal(g.Ambiguous, []string{"durian"}) {
			t.Fatalf("create: %+v %v", g, err)
		}
		groups, err := env.Server.Search.Synonyms(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var seeded []string
		for _, g := range groups {
			if slices.Contains(g.Terms, "thơm") {
				seeded = g.Ambiguous
			}
		}
		if !slices.Equal(seeded, []string{"thơm"}) {
			t.Errorf("the seeded dứa group's ambiguous terms: %q", seeded)
		}
		// dừa and dứa are two spellings: each may have a group.
		if _, err := env.Server.Search.CreateSynonyms(ctx, []string{"dừa", "coconut"}, nil); err != nil {
			t.Errorf("dừa beside dứa's group: %v", err)
		}
	})
}
