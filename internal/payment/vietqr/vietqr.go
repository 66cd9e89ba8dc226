// Package vietqr encodes bank transfers as VietQR codes: the EMVCo
// Merchant-Presented Mode payload as profiled by NAPAS (VietQR spec v1.5.2)
// for NAPAS 247 transfers to an account, and the QR image of that payload.
// Every Vietnamese banking app scans these codes and pre-fills the transfer,
// so a buyer pays an order without typing the account, amount or reference.
package vietqr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ErrInvalid is matched (errors.Is) by every error about bad input: a
// Transfer that cannot be encoded, a payload that cannot be parsed, an image
// size out of range.
var ErrInvalid = errors.New("thông tin chuyển khoản VietQR không hợp lệ")

// Limits of a Transfer.
const (
	// MaxAmountVND is the largest amount tag 54 holds (13 digits).
	MaxAmountVND int64 = 9_999_999_999_999
	// MaxMessageLen is the longest transfer content, counted after folding.
	MaxMessageLen = 50
	// maxAccountLen is the longest beneficiary account (NAPAS: ans, up to 19).
	maxAccountLen = 19
)

// Fixed values of the NAPAS profile.
const (
	napasGUID         = "A000000727" // NAPAS' globally unique identifier in tag 38
	serviceToAccount  = "QRIBFTTA"   // NAPAS 247 transfer to an account (QRIBFTTC would be to a card)
	formatIndicator   = "01"
	initiationStatic  = "11" // the payer may reuse the code and types the amount
	initiationDynamic = "12" // one transfer with the amount filled in
	currencyVND       = "704"
	countryVN         = "VN"
)

// Transfer is one bank transfer to be encoded.
type Transfer struct {
	BankBIN   string // 6-digit NAPAS BIN of the receiving bank, e.g. "970436" (Vietcombank)
	Account   string // receiving account number (digits/letters, up to 19)
	AmountVND int64  // 0 = the payer types the amount (static QR); >0 = dynamic QR with amount
	Message   string // transfer content (purpose), e.g. the order reference "HTX ABC123"; ASCII after folding, <= 50 chars
}

// FieldError says what is wrong with one field of a Transfer (or, for
// ParseTLV, with the payload). Message is Vietnamese, for the user.
type FieldError struct {
	Field   string // the Transfer field: "BankBIN", "Account", "AmountVND", "Message"; or "payload", "size"
	Message string
}

// ValidationError lists every bad field at once, so that a form can show
// them all. It matches ErrInvalid with errors.Is.
type ValidationError struct {
	Fields []FieldError
}

// Error joins the field messages after ErrInvalid's text.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return ErrInvalid.Error() + ": " + strings.Join(parts, "; ")
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Fields: []FieldError{{Field: field, Message: fmt.Sprintf(format, args...)}}}
}

// Payload returns the VietQR string for t, ending with its CRC. It returns a
// *ValidationError listing every bad field of t.
func Payload(t Transfer) (string, error) {
	message := FoldMessage(t.Message)
	if err := validate(t, message); err != nil {
		return "", err
	}

	beneficiary := new(tlvWriter)
	beneficiary.add("00", t.BankBIN)
	beneficiary.add("01", t.Account)

	merchant := new(tlvWriter)
	merchant.add("00", napasGUID)
	merchant.add("01", beneficiary.String())
	merchant.add("02", serviceToAccount)

	w := new(tlvWriter)
	w.add("00", formatIndicator)
	if t.AmountVND > 0 {
		w.add("01", initiationDynamic)
	} else {
		w.add("01", initiationStatic)
	}
	w.add("38", merchant.String())
	w.add("53", currencyVND)
	if t.AmountVND > 0 {
		w.add("54", strconv.FormatInt(t.AmountVND, 10))
	}
	w.add("58", countryVN)
	if message != "" {
		additional := new(tlvWriter)
		additional.add("08", message)
		w.add("62", additional.String())
	}
	if err := errors.Join(beneficiary.err, merchant.err, w.err); err != nil {
		return "", err
	}
	// The CRC covers its own tag and length.
	s := w.String() + "6304"
	return s + fmt.Sprintf("%04X", CRC16(s)), nil
}

func validate(t Transfer, message string) error {
	var v ValidationError
	add := func(field, message string) { v.Fields = append(v.Fields, FieldError{field, message}) }

	if len(t.BankBIN) != 6 || !allDigits(t.BankBIN) {
		add("BankBIN", "mã ngân hàng (BIN) phải gồm 6 chữ số")
	}
	switch {
	case t.Account == "":
		add("Account", "số tài khoản không được để trống")
	case !allAlnum(t.Account):
		add("Account", "số tài khoản chỉ được gồm chữ số và chữ cái không dấu")
	case len(t.Account) > maxAccountLen:
		add("Account", fmt.Sprintf("số tài khoản tối đa %d ký tự", maxAccountLen))
	}
	switch {
	case t.AmountVND < 0:
		add("AmountVND", "số tiền không được âm")
	case t.AmountVND > MaxAmountVND:
		add("AmountVND", "số tiền vượt quá mức tối đa 9.999.999.999.999 đồng")
	}
	switch {
	case message == "" && strings.TrimSpace(t.Message) != "":
		add("Message", "nội dung chuyển khoản phải có chữ hoặc số")
	case len(message) > MaxMessageLen:
		add("Message", fmt.Sprintf("nội dung chuyển khoản tối đa %d ký tự (sau khi bỏ dấu), hiện có %d", MaxMessageLen, len(message)))
	}
	if len(v.Fields) > 0 {
		return &v
	}
	return nil
}

// FoldMessage returns the transfer content as Payload encodes it: Vietnamese
// diacritics removed (đ → d), every run of other characters — punctuation,
// symbols, letters with no ASCII form — turned into one space, and the ends
// trimmed. Banks reject or silently drop special characters in the content,
// and the shop matches incoming transfers by this text, so only ASCII letters,
// digits and single spaces survive. Callers that reconcile bank statements
// should store this folded form.
func FoldMessage(s string) string {
	var b strings.Builder
	gap := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r): // a tone mark or the breve/circumflex/horn of a decomposed letter
			continue
		case r == 'đ':
			r = 'd'
		case r == 'Đ', r == 'Ð': // Ð (eth) is often typed for Đ
			r = 'D'
		}
		if !isAlnum(r) {
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteByte(' ')
		}
		gap = false
		b.WriteRune(r)
	}
	return b.String()
}

// CRC16 returns the CRC-16/CCITT-FALSE of s (polynomial 0x1021, initial value
// 0xFFFF, no reflection, no final XOR), the checksum of EMVCo tag 63.
func CRC16(s string) uint16 {
	crc := uint16(0xFFFF)
	for i := 0; i < len(s); i++ {
		crc ^= uint16(s[i]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// ParseTLV splits an EMVCo payload (or the value of a template such as tag
// 38) into its top-level tags and values. Lengths count characters. When the
// payload holds tag 63, the CRC, it must be the last tag and must match.
func ParseTLV(payload string) (map[string]string, error) {
	if payload == "" {
		return nil, invalid("payload", "chuỗi VietQR trống")
	}
	rs := []rune(payload)
	out := make(map[string]string)
	for i := 0; i < len(rs); {
		if len(rs)-i < 4 {
			return nil, invalid("payload", "chuỗi bị cắt cụt ở vị trí %d", i)
		}
		tag, length := string(rs[i:i+2]), string(rs[i+2:i+4])
		if !allDigits(tag) || !allDigits(length) {
			return nil, invalid("payload", "mã trường hoặc độ dài không phải số ở vị trí %d", i)
		}
		n, _ := strconv.Atoi(length)
		start := i + 4
		if start+n > len(rs) {
			return nil, invalid("payload", "trường %s dài %d ký tự, vượt quá cuối chuỗi", tag, n)
		}
		if _, dup := out[tag]; dup {
			return nil, invalid("payload", "trường %s xuất hiện hai lần", tag)
		}
		out[tag] = string(rs[start : start+n])
		i = start + n
		if tag == "63" {
			if n != 4 || i != len(rs) {
				return nil, invalid("payload", "trường CRC (63) phải dài 4 ký tự và nằm cuối chuỗi")
			}
			covered := string(rs[:start]) // up to and including "6304"
			want := fmt.Sprintf("%04X", CRC16(covered))
			if !strings.EqualFold(out[tag], want) {
				return nil, invalid("payload", "mã kiểm tra CRC không khớp: chuỗi ghi %s, tính được %s", out[tag], want)
			}
		}
	}
	return out, nil
}

// tlvWriter appends EMVCo data objects: a 2-digit tag, a 2-digit length and
// the value. It keeps the first error so that callers check once.
type tlvWriter struct {
	b   strings.Builder
	err error
}

func (w *tlvWriter) add(tag, value string) {
	if w.err != nil {
		return
	}
	n := utf8.RuneCountInString(value)
	if n > 99 {
		w.err = invalid("payload", "trường %s dài %d ký tự, tối đa 99", tag, n)
		return
	}
	fmt.Fprintf(&w.b, "%s%02d%s", tag, n, value)
}

func (w *tlvWriter) String() string { return w.b.String() }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func allAlnum(s string) bool {
	for _, r := range s {
		if !isAlnum(r) {
			return false
		}
	}
	return true
}

func isAlnum(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
}
