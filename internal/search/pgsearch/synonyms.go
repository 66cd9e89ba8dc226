package pgsearch

import (
	"strings"

	"golang.org/x/text/unicode/norm"

	"htxmarket/internal/search"
)

// synonyms are the groups as the engine applies them. A typed sequence of
// words starts a term when their folded forms are the term's and each word
// typed with tones is written as in the term: "tra" and "trà" start trà,
// "tra" and "trả" do not start… well, "trả" does not, as it is not trà.
// A term expands to every term of its group but the ambiguous ones
// (search.SynonymGroup): dứa finds khóm, not thơm; thơm, typed, finds dứa
// and khóm.
type synonyms struct {
	groups  [][]synTerm
	byFold  map[string][]synRef // a term's folded words, joined by a space
	longest int                 // words in the longest term
}

type synTerm struct {
	words     []term
	ambiguous bool
}

type synRef struct{ group, term int }

func newSynonyms(groups []search.SynonymGroup) *synonyms {
	s := &synonyms{byFold: map[string][]synRef{}}
	for _, g := range groups {
		amb := map[string]bool{}
		for _, a := range g.Ambiguous {
			amb[strings.ToLower(norm.NFC.String(a))] = true
		}
		var terms []synTerm
		for _, t := range g.Terms {
			qs := queryWords(t)
			if len(qs) == 0 {
				continue
			}
			st := synTerm{ambiguous: amb[strings.ToLower(norm.NFC.String(t))]}
			for _, q := range qs {
				st.words = append(st.words, termOf(q))
			}
			terms = append(terms, st)
			s.longest = max(s.longest, len(qs))
		}
		gi := len(s.groups)
		s.groups = append(s.groups, terms)
		for ti, t := range terms {
			key := foldKey(t.words)
			s.byFold[key] = append(s.byFold[key], synRef{gi, ti})
		}
	}
	return s
}

func foldKey(ts []term) string {
	fs := make([]string, len(ts))
	for i, t := range ts {
		fs[i] = t.fold
	}
	return strings.Join(fs, " ")
}

func phraseKey(ts []term) string {
	fs := make([]string, len(ts))
	for i, t := range ts {
		fs[i] = t.String()
	}
	return strings.Join(fs, " ")
}

// appendUnique appends the phrases not in dst yet.
func appendUnique(dst [][]term, phrases ...[]term) [][]term {
next:
	for _, p := range phrases {
		k := phraseKey(p)
		for _, d := range dst {
			if phraseKey(d) == k {
				continue next
			}
		}
		dst = append(dst, p)
	}
	return dst
}

// compatible reports whether the typed words may be the term's words:
// the same folded words (the caller's key), and each word typed with
// tones written as in the term.
func compatible(typed []qword, words []term) bool {
	for i, w := range typed {
		if w.toned && w.raw != words[i].String() {
			return false
		}
	}
	return true
}

// match returns the alternatives of the longest term starting at ws[0]
// (the typed words first) and how many words it spans, or 0.
func (s *synonyms) match(ws []qword) ([][]term, int) {
	for n := min(s.longest, len(ws)); n > 0; n-- {
		folds := make([]string, n)
		for i, w := range ws[:n] {
			folds[i] = w.fold
		}
		var alts [][]term
		for _, ref := range s.byFold[strings.Join(folds, " ")] {
			group := s.groups[ref.group]
			if !compatible(ws[:n], group[ref.term].words) {
				continue
			}
			if alts == nil {
				typed := make([]term, n)
				for i, w := range ws[:n] {
					typed[i] = termOf(w)
				}
				alts = [][]term{typed}
			}
			for j, t := range group {
				if j == ref.term || !t.ambiguous {
					alts = appendUnique(alts, t.words)
				}
			}
		}
		if alts != nil {
			return alts, n
		}
	}
	return nil, 0
}
