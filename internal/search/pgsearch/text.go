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

// fieldWord is a word of a shown field: where it is in the text, and its
// folded and lowercased (NFC) forms, which highlight compares.
type fieldWord struct {
	start, end  int
	fold, lower string
}

// fieldWords splits text into the words highlight marks (runs of letters,
// digits and combining marks) with their folded and lowercased forms. A
// document's are computed once, when it is read (docCache), not in every
// search that shows it.
func fieldWords(text string) []fieldWord {
	var out []fieldWord
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := text[start:end]
		out = append(out, fieldWord{start: start, end: end, fold: geo.Fold(w), lower: strings.ToLower(w)})
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
	}
	flush(len(text))
	return out
}

// fieldWordsSize is about what the words of text take in memory.
func fieldWordsSize(ws []fieldWord) int {
	n := 0
	for _, w := range ws {
		n += 48 + len(w.fold) + len(w.lower)
	}
	return n
}

// highlight wraps the words ws of text (fieldWords) that match in
// <mark>…</mark>, HTML-escaping the rest. match receives each word
// lowercased (NFC) and folded. It reports whether a word matched; the text
// is built only then.
func highlight(text string, ws []fieldWord, match func(lower, folded string) bool) (string, bool) {
	first := -1
	for i, w := range ws {
		if match(w.lower, w.fold) {
			first = i
			break
		}
	}
	if first < 0 {
		return "", false
	}
	var b strings.Builder
	b.Grow(len(text) + 32)
	at := 0
	for i, w := range ws {
		b.WriteString(html.EscapeString(text[at:w.start]))
		word := html.EscapeString(text[w.start:w.end])
		if i == first || i > first && match(w.lower, w.fold) {
			b.WriteString("<mark>")
			b.WriteString(word)
			b.WriteString("</mark>")
		} else {
			b.WriteString(word)
		}
		at = w.end
	}
	b.WriteString(html.EscapeString(text[at:]))
	return b.String(), true
}
