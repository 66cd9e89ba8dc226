package geo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Errors of this package.
var (
	ErrUnknownProvince = errors.New("không tìm thấy tỉnh, thành phố có tên này")
	ErrEmptyName       = errors.New("hãy nhập tên tỉnh, thành phố")
)

// Store reads provinces.
type Store interface {
	List(ctx context.Context) ([]Province, error)
	// Names returns every name a province is known by.
	Names(ctx context.Context) ([]Name, error)
}

// Name is one name of a province: its current name, a former province's or
// an alias.
type Name struct {
	Name   string `db:"name"`
	Folded string `db:"name_folded"`
	Slug   string `db:"province_slug"`
	Kind   string `db:"kind"`
}

// Service answers questions about provinces. The provinces change only
// with a migration, that is with a deploy, so the service reads them once
// and answers from memory: every address, filter and search uses them.
type Service struct {
	store Store

	mu     sync.Mutex
	loaded *provinceIndex
}

type provinceIndex struct {
	list   []Province
	bySlug map[string]Province
	byName map[string]Name // by folded name
}

// NewService returns a Service reading from store.
func NewService(store Store) *Service { return &Service{store: store} }

// index loads the provinces on first use; a failed load is retried on the
// next call.
func (s *Service) index(ctx context.Context) (*provinceIndex, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loaded != nil {
		return s.loaded, nil
	}
	list, err := s.store.List(ctx)
	if err != nil {
		return nil, err
	}
	names, err := s.store.Names(ctx)
	if err != nil {
		return nil, err
	}
	ix := &provinceIndex{list: list, bySlug: make(map[string]Province, len(list)), byName: make(map[string]Name, len(names))}
	for _, p := range list {
		ix.bySlug[p.Slug] = p
	}
	for _, n := range names {
		ix.byName[n.Folded] = n
	}
	s.loaded = ix
	return ix, nil
}

// List returns the 34 provinces in their official order. The slice is
// shared: callers must not modify it.
func (s *Service) List(ctx context.Context) ([]Province, error) {
	ix, err := s.index(ctx)
	if err != nil {
		return nil, err
	}
	return ix.list, nil
}

// Get returns one province by slug.
func (s *Service) Get(ctx context.Context, slug string) (Province, error) {
	ix, err := s.index(ctx)
	if err != nil {
		return Province{}, err
	}
	p, ok := ix.bySlug[slug]
	if !ok {
		return Province{}, fmt.Errorf("geo: province %q: %w", slug, ErrUnknownProvince)
	}
	return p, nil
}

// maxNameLen bounds the input of Resolve; the longest name is far shorter.
const maxNameLen = 100

// Resolve maps a current, former or colloquial name, with or without
// diacritics and with or without a "Tỉnh"/"Thành phố" prefix, to the current
// province.
func (s *Service) Resolve(ctx context.Context, name string) (Resolution, error) {
	q := strings.TrimSpace(name)
	if q == "" {
		return Resolution{}, ErrEmptyName
	}
	if len(q) > maxNameLen {
		return Resolution{}, ErrUnknownProvince
	}
	ix, err := s.index(ctx)
	if err != nil {
		return Resolution{}, err
	}
	n, ok := ix.byName[stripPrefix(Fold(q))]
	if !ok {
		return Resolution{}, ErrUnknownProvince
	}
	return Resolution{Query: q, Matched: n.Name, Match: n.Kind, Province: ix.bySlug[n.Slug]}, nil
}

// prefixes that people write before a province's name, folded.
var prefixes = []string{"thanh pho ", "tinh ", "tp. ", "tp.", "tp ", "t. "}

func stripPrefix(folded string) string {
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(folded, p); ok && rest != "" {
			return strings.TrimSpace(rest)
		}
	}
	return folded
}

// Fold lowercases s, removes Vietnamese tone and vowel marks, folds đ to d
// and collapses white space. It agrees with the database's fold_vi() on
// every province name (a test checks). Text in Latin script, Vietnamese
// included, is folded a rune at a time from a table (search folds every
// word it highlights); other text goes through Unicode decomposition.
func Fold(s string) string {
	tab := foldTable()
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		var f rune
		switch {
		case r < utf8.RuneSelf:
			f = r
			switch {
			case 'A' <= r && r <= 'Z':
				f = r + 'a' - 'A'
			case r == ' ' || '\t' <= r && r <= '\r':
				f = foldSpace
			}
		case r < foldTableEnd:
			f = tab[r]
		case r >= 0x1E00 && r <= 0x1EFF:
			f = tab[foldTableEnd+r-0x1E00]
		default:
			f = foldOther
		}
		switch f {
		case foldOther:
			return foldDecomposed(s)
		case foldDrop:
			continue
		case foldSpace:
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(f)
	}
	return b.String()
}

// What foldTable holds for a rune that does not fold to one rune.
const (
	foldDrop  rune = -3 // a mark
	foldSpace rune = -1 // white space
	foldOther rune = -2 // anything else: decompose the whole text
)

// foldTableEnd is where the first part of foldTable ends (Latin-1,
// Latin Extended-A and -B, spacing modifiers, combining marks); Latin
// Extended Additional (U+1E00–U+1EFF, Vietnamese ạ ả ấ …) follows.
const foldTableEnd = 0x370

// foldTable is foldDecomposed of each rune below foldTableEnd and of
// Latin Extended Additional, computed once.
var foldTable = sync.OnceValue(func() []rune {
	t := make([]rune, foldTableEnd+0x100)
	one := func(r rune) rune {
		if unicode.IsSpace(r) {
			return foldSpace
		}
		f := []rune(foldDecomposed(string(r)))
		switch len(f) {
		case 0:
			return foldDrop
		case 1:
			return f[0]
		}
		return foldOther
	}
	for r := rune(0); r < foldTableEnd; r++ {
		t[r] = one(r)
	}
	for r := rune(0x1E00); r <= 0x1EFF; r++ {
		t[foldTableEnd+r-0x1E00] = one(r)
	}
	return t
})

// foldDecomposed is Fold through Unicode canonical decomposition.
func foldDecomposed(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsSpace(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
