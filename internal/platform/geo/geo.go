package geo

import (
	"context"
	"errors"
	"strings"
	"unicode"

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
	Get(ctx context.Context, slug string) (Province, error)
	// FindFolded returns the province having a name whose folded form is
	// folded, with that name and its kind.
	FindFolded(ctx context.Context, folded string) (Province, string, string, error)
}

// Service answers questions about provinces.
type Service struct {
	store Store
}

// NewService returns a Service reading from store.
func NewService(store Store) *Service { return &Service{store: store} }

// List returns the 34 provinces in their official order.
func (s *Service) List(ctx context.Context) ([]Province, error) { return s.store.List(ctx) }

// Get returns one province by slug.
func (s *Service) Get(ctx context.Context, slug string) (Province, error) {
	return s.store.Get(ctx, slug)
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
	p, matched, kind, err := s.store.FindFolded(ctx, stripPrefix(Fold(q)))
	if err != nil {
		return Resolution{}, err
	}
	return Resolution{Query: q, Matched: matched, Match: kind, Province: p}, nil
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
// every province name (a test checks).
func Fold(s string) string {
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
