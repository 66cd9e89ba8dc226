package pgsearch

import (
	"bytes"
	"math"
	"slices"
)

// score is the relevance of the document d to c, as the SQL of the
// engine computed it before the index moved into memory: PostgreSQL's
// ts_rank of the loose query, twice that of the exact one, and that of the
// typed words as a phrase, with field weights (weightScores: name above
// keywords above cooperative and places above description) and, for
// several words, their proximity; a bonus per word typed with its tones and
// found so in the name (cá ranks Cá kho above Cà pháo); the closeness of
// the whole name to the query (pg_trgm's trigram similarity, so a short
// name that is just the query comes first); a little for a matching
// cooperative (above a matching province); OCOP stars to break ties.
func (c *compiled) score(ix *index, d *memDoc, sc *scratch) float64 {
	if len(c.units) == 0 {
		return 0
	}
	ents, ends := sc.entries[:0], sc.itemEnd[:0]
	for _, it := range c.words {
		ents = it.entries(ix, d, ents)
		ends = append(ends, len(ents))
	}
	sc.entries, sc.itemEnd = ents, ends
	s := c.loose.rank(sc) + 2*c.exact.rank(sc) + c.typed.rank(sc)
	for _, w := range c.toned {
		if ix.hasToned(d, w) {
			s++
		}
	}
	if c.trigrams == nil {
		c.trigrams = trigrams([]uint32{}, []byte(c.folded))
	}
	s += 0.5 * similarity(ix.tri[d.triStart:d.triEnd], c.trigrams)
	if c.inCooperative(ix.coops[d.coop].ids) {
		s += 0.05
	}
	return s + 0.005*float64(d.stars)
}

// rankItem is one word of a ranked query (a prefix: its lexemes).
type rankItem struct {
	word   string
	prefix bool
	elem
}

// rankQuery is a query as ts_rank sees it: its distinct words (indexes in
// compiled.words), and whether its top operator is AND (or a phrase).
type rankQuery struct {
	items []int
	and   bool
}

// add adds word i unless the query has it; as in PostgreSQL, a prefix is
// the same item as its word, and the first one stays.
func (r *rankQuery) add(words []rankItem, i int) {
	if !slices.ContainsFunc(r.items, func(j int) bool { return words[j].word == words[i].word }) {
		r.items = append(r.items, i)
	}
}

// entries appends the position lists of d's lexemes that it matches.
func (it rankItem) entries(ix *index, d *memDoc, out [][]uint16) [][]uint16 {
	if it.set == nil {
		for _, id := range it.ids {
			if ps := ix.positions(d, id); len(ps) > 0 {
				out = append(out, ps)
			}
		}
		return out
	}
	for j := d.lexStart; j < d.lexEnd; j++ {
		if it.has(ix.lex[j]) {
			out = append(out, ix.posAt(d, j))
		}
	}
	return out
}

// rank is PostgreSQL's ts_rank (tsrank.c, calc_rank_and and
// calc_rank_or, normalisation 0) with weightScores, of the document whose
// entries by word are in sc (score).
func (r rankQuery) rank(sc *scratch) float64 {
	entries := func(i int) [][]uint16 {
		start := 0
		if i > 0 {
			start = sc.itemEnd[i-1]
		}
		return sc.entries[start:sc.itemEnd[i]]
	}
	var res float64
	if r.and && len(r.items) >= 2 {
		res = -1
		for n, i := range r.items {
			for _, post := range entries(i) {
				for _, k := range r.items[:n] {
					for _, ct := range entries(k) {
						for _, a := range post {
							for _, b := range ct {
								dist := int(a&0x3fff) - int(b&0x3fff)
								if dist < 0 {
									dist = -dist
								}
								if dist == 0 {
									continue
								}
								w := math.Sqrt(weightScores[a>>14] * weightScores[b>>14] * wordDistance(dist))
								if res < 0 {
									res = w
								} else {
									res = 1 - (1-res)*(1-w)
								}
							}
						}
					}
				}
			}
		}
	} else {
		for _, i := range r.items {
			for _, post := range entries(i) {
				var resj float64
				wjm, jm := -1.0, 0
				for j, p := range post {
					w := weightScores[p>>14]
					resj += w / float64((j+1)*(j+1))
					if w > wjm {
						wjm, jm = w, j
					}
				}
				res += (wjm + resj - wjm/float64((jm+1)*(jm+1))) / 1.64493406685
			}
		}
		if len(r.items) > 0 {
			res /= float64(len(r.items))
		}
	}
	if res < 0 {
		res = 1e-20
	}
	return res
}

// wordDistance is ts_rank's weight of two words dist positions apart.
func wordDistance(dist int) float64 {
	if dist > 100 {
		return 1e-30
	}
	return wordDistances[dist]
}

// wordDistances holds ts_rank's 1 / (1.005 + 0.05 e^(d/1.5 - 2)) for d up
// to 100.
var wordDistances = func() (t [101]float64) {
	for d := range t {
		t[d] = 1 / (1.005 + 0.05*math.Exp(float64(d)/1.5-2))
	}
	return t
}()

// inCooperative reports whether every unit matches the words of a
// cooperative's name (lexemes ids, in order).
func (c *compiled) inCooperative(ids []uint32) bool {
	for _, u := range c.units {
		if !hasPhrase(ids, u.exact) && !hasPhrase(ids, u.loose) {
			return false
		}
	}
	return true
}

// hasPhrase reports whether one of phs appears in ids at consecutive
// places.
func hasPhrase(ids []uint32, phs []phrase) bool {
	for _, ph := range phs {
		for i := 0; i+len(ph) <= len(ids); i++ {
			ok := true
			for j, e := range ph {
				if ok = e.has(ids[i+j]); !ok {
					break
				}
			}
			if ok {
				return true
			}
		}
	}
	return false
}

// similarity is pg_trgm's similarity of two texts' trigrams (see
// trigrams): those both have over those either has.
func similarity(ta, tb []uint32) float64 {
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	common := 0
	for i, j := 0, 0; i < len(ta) && j < len(tb); {
		switch {
		case ta[i] == tb[j]:
			common++
			i++
			j++
		case ta[i] < tb[j]:
			i++
		default:
			j++
		}
	}
	return float64(common) / float64(len(ta)+len(tb)-common)
}

// trigrams appends to out the distinct trigrams of the words of the folded
// text s, sorted, each word padded with two spaces before and one after
// as pg_trgm does.
func trigrams(out []uint32, s []byte) []uint32 {
	start := len(out)
	for len(s) > 0 {
		i := bytes.IndexByte(s, ' ')
		w := s
		if i >= 0 {
			w, s = s[:i], s[i+1:]
		} else {
			s = nil
		}
		if len(w) == 0 {
			continue
		}
		// "  w ": the trigrams "  w0", " w0w1", …, "w(n-2)w(n-1) ".
		prev := [2]uint32{' ', ' '}
		for _, c := range w {
			out = append(out, prev[0]<<16|prev[1]<<8|uint32(c))
			prev = [2]uint32{prev[1], uint32(c)}
		}
		out = append(out, prev[0]<<16|prev[1]<<8|' ')
	}
	t := out[start:]
	slices.Sort(t)
	return append(out[:start], slices.Compact(t)...)
}
