package pgsearch

import (
	"strings"

	"htxmarket/internal/search"
)

// synonyms maps each folded term (words joined by one space) to the folded
// terms of its groups, itself included.
type synonyms struct {
	alts    map[string][][]string
	longest int // words in the longest term
}

func newSynonyms(groups []search.SynonymGroup) *synonyms {
	s := &synonyms{alts: map[string][][]string{}}
	for _, g := range groups {
		var terms [][]string
		for _, t := range g.Terms {
			if w := words(t); len(w) > 0 {
				terms = append(terms, w)
				s.longest = max(s.longest, len(w))
			}
		}
		for _, t := range terms {
			key := strings.Join(t, " ")
			s.alts[key] = appendUnique(s.alts[key], terms...)
		}
	}
	return s
}

func appendUnique(dst [][]string, terms ...[]string) [][]string {
next:
	for _, t := range terms {
		for _, d := range dst {
			if strings.Join(d, " ") == strings.Join(t, " ") {
				continue next
			}
		}
		dst = append(dst, t)
	}
	return dst
}

// match returns the alternatives of the longest term starting at ws[0] and
// how many words it spans, or 0.
func (s *synonyms) match(ws []string) ([][]string, int) {
	for n := min(s.longest, len(ws)); n > 0; n-- {
		if alts, ok := s.alts[strings.Join(ws[:n], " ")]; ok {
			return alts, n
		}
	}
	return nil, 0
}
