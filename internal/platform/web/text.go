package web

import (
	"strings"
	"unicode"
)

// Invisible reports whether s holds a character that is not shown as
// itself: a control character (NUL, tab, new line, escape…), a formatting
// character (the bidirectional overrides and isolates, U+202A–U+202E and
// U+2066–U+2069, which make "HTX‮gnoL" read as "HTX Long"; zero-width
// spaces and joiners; soft hyphens) or a line or paragraph separator
// (U+2028, U+2029). Names shown to other people must not hold them: they
// hide or disguise what the name says.
func Invisible(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp)
	})
}

// InvisibleMessage is the field error for a name that is Invisible.
const InvisibleMessage = "không được chứa ký tự điều khiển hay ký tự ẩn (như ký tự đảo chiều văn bản)"
