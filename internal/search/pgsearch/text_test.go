package pgsearch

import (
	"testing"

	"htxmarket/internal/search"
)

// Highlights mark the words a query matched: a word typed with tones in
// that form only, one typed without in every form, a synonym, the prefix
// of a word still being typed; the rest of the text is HTML-escaped, and a
// text without a match has no highlight.
func TestHighlight(t *testing.T) {
	syn := newSynonyms([]search.SynonymGroup{{ID: 1, Terms: []string{"chè", "trà"}}})
	tests := []struct {
		query, text string
		typing      bool
		want        string // "" when nothing matches
	}{
		{"dừa", "Kẹo dừa & dứa <Bến Tre>", false, "Kẹo <mark>dừa</mark> &amp; dứa &lt;Bến Tre&gt;"},
		{"dua", "Kẹo dừa & dứa", false, "Kẹo <mark>dừa</mark> &amp; <mark>dứa</mark>"},
		{"DỪA", "DỪA xiêm \"Bến Tre\"", false, "<mark>DỪA</mark> xiêm &#34;Bến Tre&#34;"},
		{"chè", "Trà xanh, chè Shan", false, "<mark>Trà</mark> xanh, <mark>chè</mark> Shan"},
		{"nuoc m", "Nước mắm Phú Quốc", true, "<mark>Nước</mark> <mark>mắm</mark> Phú Quốc"},
		{"gạo", "Kẹo dừa Bến Tre", false, ""},
		{"dừa", "", false, ""},
		{"o'", "O'Neil's", false, "<mark>O</mark>&#39;Neil&#39;s"},
	}
	for _, tt := range tests {
		p := newPlan(tt.query, syn, tt.typing)
		for i := range p.units {
			// A submitted word the index has is not a prefix
			// (lookupVocabulary).
			p.units[i].prefix = p.units[i].prefix && tt.typing
		}
		got, ok := highlight(tt.text, fieldWords(tt.text), p.matcher())
		if !ok {
			got = ""
		}
		if got != tt.want {
			t.Errorf("highlight(%q) of %q = %q, want %q", tt.text, tt.query, got, tt.want)
		}
	}
}
