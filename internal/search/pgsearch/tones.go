package pgsearch

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Tones typed are information: a query word typed with Vietnamese marks
// (dừa) matches that exact form, one typed without (dua) every form (dừa,
// dứa, dưa). To tell them apart, the index keeps beside the folded
// lexemes of PostgreSQL's vector the toned words of each document (the
// words that carry marks, lowercased, NFC) with the fields they are in.

// qword is a query word as typed and folded.
type qword struct {
	raw   string // lowercased, NFC
	fold  string // [a-z0-9]+
	toned bool   // raw carries marks: it matches its exact form only
}

// term is one word of a phrase a unit matches: a folded word, and the
// exact toned form it must have ("" for any form).
type term struct {
	fold  string
	toned string
}

func (t term) String() string {
	if t.toned != "" {
		return t.toned
	}
	return t.fold
}

// queryWords splits text into words, each with its folded form. A word
// that folds into several (rare symbols) gives each, untoned.
func queryWords(text string) []qword {
	var out []qword
	for _, r := range rawWords(text) {
		fs := words(r)
		switch {
		case len(fs) == 1:
			out = append(out, qword{raw: r, fold: fs[0], toned: r != fs[0]})
		default:
			for _, f := range fs {
				out = append(out, qword{raw: f, fold: f})
			}
		}
	}
	return out
}

// termOf is the term a typed word asks for.
func termOf(w qword) term {
	if w.toned {
		return term{fold: w.fold, toned: w.raw}
	}
	return term{fold: w.fold}
}

// hasMarks reports whether a lowercased word carries marks (tones, the
// vowel marks of ă â ê ô ơ ư, or đ).
func hasMarks(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			return true
		}
	}
	return false
}

// toneMarks are the combining marks of the five tones (huyền, sắc, ngã,
// hỏi, nặng), as opposed to those that make a letter (ă â ê ô ơ ư).
var toneMarks = [...]rune{'\u0300', '\u0301', '\u0303', '\u0309', '\u0323'}

// detone returns w without its tones, its letters kept: nấm → nâm, mắm →
// măm, dừa → dưa. A word typed with a wrong tone finds the words that
// differ from it only by their tone first.
func detone(w string) string {
	d := norm.NFD.String(w)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		drop := false
		for _, m := range toneMarks {
			if r == m {
				drop = true
				break
			}
		}
		if !drop {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// tonedDict numbers the toned words of the index, and finds those that
// differ only by their tone.
type tonedDict struct {
	ids   map[string]uint32
	words []string
	base  map[string][]uint32 // detone(word) → ids
}

func (t *tonedDict) add(w string) uint32 {
	if id, ok := t.ids[w]; ok {
		return id
	}
	if t.ids == nil {
		t.ids, t.base = map[string]uint32{}, map[string][]uint32{}
	}
	id := uint32(len(t.words))
	t.ids[w] = id
	t.words = append(t.words, w)
	b := detone(w)
	t.base[b] = append(t.base[b], id)
	return id
}

func (t *tonedDict) clone() tonedDict {
	c := tonedDict{ids: make(map[string]uint32, len(t.ids)), words: append([]string(nil), t.words...),
		base: make(map[string][]uint32, len(t.base))}
	for k, v := range t.ids {
		c.ids[k] = v
	}
	for k, v := range t.base {
		c.base[k] = append([]uint32(nil), v...)
	}
	return c
}

// tonedEntries returns the toned words of a document with the weights
// (a bit per weight, as in postings) of the fields they are in: A the
// name, B the keywords, C the cooperative and places, D the description.
func tonedEntries(r docRow) map[string]uint8 {
	out := map[string]uint8{}
	add := func(ws []string, bit uint8) {
		for _, w := range ws {
			if hasMarks(w) && len(w) <= maxKeyBytes {
				out[w] |= bit
			}
		}
	}
	add(lowerNFC(r.NameWords), maskA)
	add(rawWords(r.Keywords), maskB)
	add(rawWords(r.CooperativeName+" "+r.Places), maskC)
	add(rawWords(r.Description), maskD)
	return out
}

// maxKeyBytes bounds a toned word kept in the index.
const maxKeyBytes = 64

func lowerNFC(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = strings.ToLower(norm.NFC.String(w))
	}
	return out
}
