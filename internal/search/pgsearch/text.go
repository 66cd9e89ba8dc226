package pgsearch

import (
	"html"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"htxmarket/internal/platform/geo"
)

// words folds s and splits it into [a-z0-9] words, exactly as the SQL
// function search_words does on the indexed side.
func words(s string) []string {
	return strings.FieldsFunc(geo.Fold(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}

// tonedWords returns the lowercased words of s that carry Vietnamese marks,
// as written (NFC): the words a tone-exact match compares.
func tonedWords(s string) []string {
	var out []string
	for _, w := range rawWords(s) {
		if geo.Fold(w) != w {
			out = append(out, w)
		}
	}
	return out
}

// rawWords returns the lowercased words of s in NFC, marks kept.
func rawWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(norm.NFC.String(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
}

// highlight wraps the words of text that match in <mark>…</mark>,
// HTML-escaping the rest. match receives each word lowercased (NFC) and
// folded.
func highlight(text string, match func(raw func() string, folded string) bool) (string, bool) {
	var b strings.Builder
	found := false
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := text[start:end]
		// The indexed text is NFC already: lowercase is all a toned
		// alternative needs.
		if f := geo.Fold(w); match(func() string { return strings.ToLower(w) }, f) {
			found = true
			b.WriteString("<mark>" + html.EscapeString(w) + "</mark>")
		} else {
			b.WriteString(html.EscapeString(w))
		}
		start = -1
	}
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		b.WriteString(html.EscapeString(string(r)))
	}
	flush(len(text))
	return b.String(), found
}
