package search

import (
	"encoding/hex"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Words returns the words of s lowercased, in NFC, marks kept: the forms
// a word typed with tones is compared with.
func Words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(norm.NFC.String(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
}

// Toned reports whether a word carries Vietnamese marks (or any letter
// outside ASCII).
func Toned(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			return true
		}
	}
	return false
}

// ToneKey is a toned word as an ASCII key ("t" and the hex of its UTF-8):
// an engine that folds tones away when it compares filter values (as
// Meilisearch normalises them) still tells dừa from dứa by their keys.
func ToneKey(w string) string { return "t" + hex.EncodeToString([]byte(w)) }
