package pgsearch

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/search"
	"htxmarket/internal/search/searchtest"
)

// The tsvector text output is read with its quoting, escapes, weights
// (D unwritten) and lexemes without positions.
func TestReadVector(t *testing.T) {
	ix := newIndex()
	var d memDoc
	if err := ix.readVector(&d, `'ca':1A,5C 'it''s':2B 'back\\slash':3 'nopos' 'phe':4A,16383`); err != nil {
		t.Fatal(err)
	}
	got := map[string][]uint16{}
	for j := d.lexStart; j < d.lexEnd; j++ {
		got[ix.dict.words[ix.lex[j]]] = slices.Clone(ix.posAt(&d, j))
	}
	want := map[string][]uint16{
		"ca":         {weightA<<14 | 1, weightC<<14 | 5},
		"it's":       {weightB<<14 | 2},
		`back\slash`: {3},
		"nopos":      nil,
		"phe":        {weightA<<14 | 4, 16383},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b []uint16) bool { return slices.Equal(a, b) })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{`ca:1`, `'ca`, `'ca':1A 'x`} {
		if err := ix.readVector(&memDoc{}, bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// fixture indexes the contract suite's documents in PostgreSQL and loads
// them into an index.
func fixture(t *testing.T) (*sqlx.DB, *Engine, *index) {
	t.Helper()
	d := dbtest.New(t)
	e := New(d, WithResultCache(0, 0))
	ctx := context.Background()
	if err := e.Upsert(ctx, searchtest.Documents()); err != nil {
		t.Fatal(err)
	}
	if err := e.SetSynonyms(ctx, searchtest.Synonyms()); err != nil {
		t.Fatal(err)
	}
	ix, err := e.current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return d, e, ix
}

// An index compacted after many changes answers as before, from fewer
// ordinals.
func TestCompactKeepsTheLiveDocuments(t *testing.T) {
	_, e, ix := fixture(t)
	queries := []search.Query{{Text: "nuoc mam"}, {Text: "ca"}, {Text: "cafe", Sort: search.SortPriceAsc},
		{Provinces: []string{"an-giang"}, MinStars: 4}, {Text: "tra", Groups: []string{"do-uong"}}}
	answer := func(ix *index) []evaluation {
		var out []evaluation
		for _, q := range queries {
			q.Page, q.PerPage = 1, 20
			if q.Sort == "" {
				q.Sort = search.SortRelevance
			}
			p := newPlan(q.Text, e.synonyms(context.Background()), false)
			ix.lookupVocabulary(&p)
			c := ix.compile(p)
			out = append(out, ix.evaluate(q, &c, !p.empty(), 0))
		}
		return out
	}
	// Every document replaced twice: two dead ordinals for each live one.
	var rows []docRow
	for _, d := range ix.docs {
		rows = append(rows, docRowOf(ix, &d))
	}
	for range 2 {
		for _, r := range rows {
			r.Version++
			if err := ix.put(r); err != nil {
				t.Fatal(err)
			}
		}
	}
	ix.settle()
	before := answer(ix)
	c := ix.compact()
	if c.dead() != 0 || c.live != len(rows) || len(c.docs) != len(rows) {
		t.Fatalf("compacted: %d docs, %d live, %d dead; want %d, none dead", len(c.docs), c.live, c.dead(), len(rows))
	}
	if len(c.pos) >= len(ix.pos) || len(c.lex) >= len(ix.lex) {
		t.Errorf("arenas not compacted: %d positions (was %d)", len(c.pos), len(ix.pos))
	}
	if diff := cmp.Diff(before, answer(c), cmp.AllowUnexported(evaluation{}, pageDoc{})); diff != "" {
		t.Errorf("answers changed by compaction (-before +after):\n%s", diff)
	}
}

// docRowOf rebuilds the row a document of ix was read from.
func docRowOf(ix *index, d *memDoc) docRow {
	var tsv []string
	for j := d.lexStart; j < d.lexEnd; j++ {
		var ps []string
		for _, p := range ix.posAt(d, j) {
			ps = append(ps, fmt.Sprintf("%d%s", p&0x3fff, []string{"", "C", "B", "A"}[p>>14]))
		}
		lex := "'" + ix.dict.words[ix.lex[j]] + "'"
		if len(ps) > 0 {
			lex += ":" + strings.Join(ps, ",")
		}
		tsv = append(tsv, lex)
	}
	var toned []string
	for _, w := range strings.Split(string(ix.text[d.textStart:d.textEnd]), "\x00") {
		if w != "" {
			toned = append(toned, w)
		}
	}
	var certs []string
	for i, c := range ix.certs.values {
		if ix.hasCert(d, i) {
			certs = append(certs, c)
		}
	}
	var season []int64
	for m := range int64(13) {
		if d.season&(1<<m) != 0 {
			season = append(season, m)
		}
	}
	return docRow{ID: d.id, Version: d.version, TSV: strings.Join(tsv, " "), NameWords: toned,
		CooperativeSlug: ix.coops[d.coop].slug, CooperativeName: ix.coops[d.coop].name,
		Province: ix.provs.values[d.prov], Group: ix.groups.values[d.group], Stars: int(d.stars),
		Certifications: certs, SeasonMonths: season, Price: d.price, InStock: d.inStock, StaticRank: d.rank}
}

// tsquery writes a rank query as PostgreSQL's tsquery: its words joined
// by & (AND, or a phrase when there are two words and the query is one) or
// by |.
func tsquery(words []rankItem, r rankQuery, phrase bool) string {
	var ws []string
	for _, i := range r.items {
		w := "'" + words[i].word + "'"
		if words[i].prefix {
			w += ":*"
		}
		ws = append(ws, w)
	}
	switch {
	case phrase:
		return strings.Join(ws, " <-> ")
	case r.and:
		return strings.Join(ws, " & ")
	}
	return strings.Join(ws, " | ")
}

// The score's ts_rank agrees with PostgreSQL's ts_rank over the same
// vectors, for queries of one word, several words, synonyms and typos.
func TestRankAgreesWithPostgres(t *testing.T) {
	d, e, ix := fixture(t)
	ctx := context.Background()
	for _, text := range []string{"nuoc mam ", "ca ", "mat ong ", "cafe ", "dứa ", "htx ong meo vac ", "vai thieeu ", "bac giang ", "che ", "nuoc"} {
		p := newPlan(text, e.synonyms(ctx), true)
		ix.lookupVocabulary(&p)
		c := ix.compile(p)
		for _, q := range []struct {
			name   string
			r      rankQuery
			phrase bool
		}{{"loose", c.loose, false}, {"exact", c.exact, false}, {"typed", c.typed, c.typed.and}} {
			// PostgreSQL pairs only one entry of an earlier prefix with
			// later words; this port pairs them all.
			if q.r.and && slices.ContainsFunc(q.r.items, func(i int) bool { return c.words[i].prefix }) {
				continue
			}
			tsq := tsquery(c.words, q.r, q.phrase)
			var rows []struct {
				ID   string  `db:"id"`
				Rank float64 `db:"rank"`
			}
			const sql = `
SELECT id::text, ts_rank('{0.05, 0.25, 0.5, 1.0}', tsv_full, $1::tsquery) AS rank
FROM search_documents`
			if err := sqlx.SelectContext(ctx, d, &rows, sql, tsq); err != nil {
				t.Fatalf("%q %s %s: %v", text, q.name, tsq, err)
			}
			sc := &scratch{}
			for _, r := range rows {
				doc := &ix.docs[ix.byID[mustUUID(t, r.ID)]]
				ents, ends := sc.entries[:0], sc.itemEnd[:0]
				for _, it := range c.words {
					ents = it.entries(ix, doc, ents)
					ends = append(ends, len(ents))
				}
				sc.entries, sc.itemEnd = ents, ends
				got := q.r.rank(sc)
				if math.Abs(got-r.Rank) > 1e-5*max(1, r.Rank) && !(r.Rank < 1e-19 && got < 1e-19) {
					t.Errorf("%q %s (%s) on %s: ts_rank %g, port %g", text, q.name, tsq, r.ID, r.Rank, got)
				}
			}
		}
	}
}

// The similarity of names to a query is pg_trgm's similarity().
func TestSimilarityAgreesWithPgTrgm(t *testing.T) {
	d, _, _ := fixture(t)
	var names []string
	if err := d.Select(&names, `SELECT name_folded FROM search_documents ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	queries := []string{"nuoc mam", "ca", "ca phe buon ma thuot", "a", "mat ong bac ha", "xyz", "duong thot not an giang 40"}
	for _, a := range append(names, queries...) {
		for _, b := range queries {
			var want float32
			if err := d.Get(&want, `SELECT similarity($1, $2)`, a, b); err != nil {
				t.Fatal(err)
			}
			got := similarity(trigrams(nil, []byte(a)), trigrams(nil, []byte(b)))
			if float32(got) != want {
				t.Errorf("similarity(%q, %q): pg_trgm %g, port %g", a, b, want, got)
			}
		}
	}
}

// A misspelt word's nearest lexemes are those pg_trgm ranks first over
// the same vocabulary.
func TestNearTermsAgreeWithPgTrgm(t *testing.T) {
	d, _, ix := fixture(t)
	var vocab []string
	for id, w := range ix.dict.words {
		if len(ix.post[id]) > 0 {
			vocab = append(vocab, w)
		}
	}
	for _, w := range []string{"mamm", "thieeu", "robusa", "tuyeet", "khomm", "phongg", "giangg", "zzzz", "nuoc"} {
		var want []string
		const q = `
SELECT v.term
FROM unnest($1::text[]) AS v(term)
WHERE similarity(v.term, $2) >= $3
ORDER BY similarity(v.term, $2) DESC, v.term COLLATE "C"
LIMIT $4`
		if err := d.Select(&want, q, pq.Array(vocab), w, nearSimilarity, nearTerms); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, ix.near(w, nearSimilarity), cmpEmpty); diff != "" {
			t.Errorf("near %q (-pg_trgm +port):\n%s", w, diff)
		}
	}
}

func mustUUID(t *testing.T, s string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

var cmpEmpty = cmp.Transformer("empty", func(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
})
