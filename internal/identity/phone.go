package identity

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"htxmarket/internal/platform/web"
)

// NormalizePhone turns a Vietnamese mobile number as people write it
// (0912345678, +84 912 345 678, 84-91-234-5678, 0084.912.345.678) into E.164,
// +84912345678. It reports false for anything that is not a Vietnamese
// mobile number: ten national digits starting 03, 05, 07, 08 or 09.
func NormalizePhone(s string) (string, bool) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	d := b.String()
	var national string
	switch {
	case strings.HasPrefix(d, "+84"):
		national = d[3:]
	case strings.HasPrefix(d, "0084"):
		national = d[4:]
	case strings.HasPrefix(d, "84") && len(d) == 11:
		national = d[2:]
	case strings.HasPrefix(d, "0") && len(d) == 10:
		national = d[1:]
	default:
		return "", false
	}
	if len(national) != 9 || !strings.ContainsRune("35789", rune(national[0])) {
		return "", false
	}
	return "+84" + national, true
}

// maxEmailLen is the longest address SMTP can carry.
const maxEmailLen = 254

// NormalizeEmail trims and lowercases an e-mail address and reports whether
// it is a plain address (no display name) with a dotted domain.
func NormalizeEmail(s string) (string, bool) {
	e := strings.ToLower(strings.TrimSpace(s))
	// Separators (U+2029…) and invisible characters make an address that
	// reads like another one; mail.ParseAddress lets some through.
	if e == "" || len(e) > maxEmailLen || !utf8.ValidString(e) || web.Invisible(e) || strings.ContainsFunc(e, unicode.IsSpace) {
		return "", false
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || a.Name != "" {
		return "", false
	}
	at := strings.LastIndexByte(e, '@')
	domain := e[at+1:]
	if at < 1 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", false
	}
	return e, true
}

// Login is what a person signs in with: an e-mail address or a mobile
// number, normalised; exactly one field is set.
type Login struct {
	Email string
	Phone string
}

// ParseLogin reads an e-mail address (anything with an @) or a mobile number.
func ParseLogin(s string) (Login, bool) {
	if strings.Contains(s, "@") {
		e, ok := NormalizeEmail(s)
		return Login{Email: e}, ok
	}
	p, ok := NormalizePhone(s)
	return Login{Phone: p}, ok
}

// String returns the normalised e-mail address or phone number.
func (l Login) String() string {
	if l.Email != "" {
		return l.Email
	}
	return l.Phone
}
