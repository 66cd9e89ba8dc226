package trace

import (
	"crypto/rand"
	"strings"
)

// GTIN14 returns barcode as a GTIN-14 (GTIN-8, -12 and -13 padded with
// zeros on the left) when it is a GTIN with a correct check digit, and
// false otherwise.
func GTIN14(barcode string) (string, bool) {
	s := strings.TrimSpace(barcode)
	switch len(s) {
	case 8, 12, 13, 14:
	default:
		return "", false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	s = strings.Repeat("0", 14-len(s)) + s
	if s[13] != checkDigit(s[:13]) {
		return "", false
	}
	return s, true
}

// checkDigit is the GS1 mod-10 check digit of the digits before it:
// weights 3 and 1 alternating from the right.
func checkDigit(digits string) byte {
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// codeAlphabet is the alphabet of batch codes: letters and digits that are
// not read one for another (no 0, 1, I, L, O, U), all valid in a GS1
// batch/lot number.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// newCode returns a random batch code of eight characters, each drawn
// uniformly (bytes of 240 and above are drawn again: 240 is 8 × 30).
func newCode() string {
	out := make([]byte, 0, 8)
	var buf [16]byte
	for len(out) < 8 {
		if _, err := rand.Read(buf[:]); err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		for _, c := range buf {
			if c < 240 && len(out) < 8 {
				out = append(out, codeAlphabet[int(c)%len(codeAlphabet)])
			}
		}
	}
	return string(out)
}

// validCode reports whether s has the form of a batch code.
func validCode(s string) bool {
	if len(s) != 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(codeAlphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}

// DigitalLink is the address a batch's QR code carries: the GS1 Digital
// Link URI origin/01/<GTIN-14>/10/<batch> when the batch has a GTIN, and
// origin/t/<batch> when not. Both open the public trace page.
func DigitalLink(origin, gtin, code string) string {
	if gtin != "" {
		return origin + "/01/" + gtin + "/10/" + code
	}
	return origin + "/t/" + code
}
