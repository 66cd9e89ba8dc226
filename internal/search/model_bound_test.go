package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestBoundedCutsWholeCharacters(t *testing.T) {
	d := Document{Name: strings.Repeat("ễ", 300), Keywords: []string{strings.Repeat("mật", 40), "ong"}}
	kw := d.Keywords[0]
	b := d.Bounded()
	if n := utf8.RuneCountInString(b.Name); n != maxNameRunes || !utf8.ValidString(b.Name) {
		t.Errorf("name of %d characters, valid %v", n, utf8.ValidString(b.Name))
	}
	if n := utf8.RuneCountInString(b.Keywords[0]); n != maxKeywordRunes || b.Keywords[1] != "ong" {
		t.Errorf("keywords %q", b.Keywords)
	}
	if d.Keywords[0] != kw {
		t.Error("Bounded changed the document's own keywords")
	}
}
