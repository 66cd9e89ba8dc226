package trace

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// The hash chain.
//
// A batch's link is SHA-256("htx-trace-v1 batch\n" + canonical(batch facts)).
// Event n's link is SHA-256("htx-trace-v1 event\n" + hex(link n-1) + "\n" +
// canonical(event n)), link 0 being the batch's. canonical is JSON with the
// keys of every object sorted, no insignificant whitespace, strings escaped
// as RFC 8785 (JCS) escapes them, integers as integers, coordinates as
// strings with six decimals and times in UTC with microseconds, so that the
// same content always gives the same bytes after a round trip through
// PostgreSQL. Every field of a batch or event is in its canonical content,
// private ones included: a changed cost is as much tampering as a changed
// date.

const (
	batchDomain = "htx-trace-v1 batch\n"
	eventDomain = "htx-trace-v1 event\n"
)

// object is a JSON object as a list of members, cheaper to build than a
// map; canonical sorts it by key (in place) when writing it.
type object []member

type member struct {
	k string
	v any
}

// canonical returns the canonical JSON of v, which holds only what the
// content functions below build: maps with string keys, slices, strings,
// integers (or pointers to them, nil being null) and nil.
func canonical(v any) []byte {
	var b bytes.Buffer
	b.Grow(1024)
	writeCanonical(&b, v)
	return b.Bytes()
}

func writeCanonical(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		writeString(b, x)
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case *int:
		if x == nil {
			b.WriteString("null")
		} else {
			b.WriteString(strconv.Itoa(*x))
		}
	case *int64:
		if x == nil {
			b.WriteString("null")
		} else {
			b.WriteString(strconv.FormatInt(*x, 10))
		}
	case []string:
		writeArray(b, x)
	case []map[string]any:
		writeArray(b, x)
	case []any:
		writeArray(b, x)
	case object:
		slices.SortFunc(x, func(a, b member) int { return strings.Compare(a.k, b.k) }) // byte order
		b.WriteByte('{')
		for i, m := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, m.k)
			b.WriteByte(':')
			writeCanonical(b, m.v)
		}
		b.WriteByte('}')
	case []object:
		writeArray(b, x)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys) // byte order, which is code point order for UTF-8
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			writeCanonical(b, x[k])
		}
		b.WriteByte('}')
	default:
		panic(fmt.Sprintf("trace: canonical JSON of %T", v)) // only our own content reaches here
	}
}

// writeString writes s as a JSON string escaped as RFC 8785 does: quote,
// backslash and control characters only, the rest as UTF-8.
func writeString(b *bytes.Buffer, s string) {
	const hexDigits = "0123456789abcdef"
	b.WriteByte('"')
	start := 0 // the run of bytes written as they are
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b.WriteString(s[start:i])
		start = i + 1
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xf])
		}
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// coord is a coordinate as hashed: six decimals, "" for none.
func coord(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', 6, 64)
}

// hashTime is a time as hashed.
func hashTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

func placeContent(p Place) object {
	return object{{"name", p.Name}, {"commune", p.Commune}, {"province", p.Province},
		{"lat", coord(p.Lat)}, {"lng", coord(p.Lng)}}
}

// batchContent is what a batch's link hashes.
func batchContent(b Batch) map[string]any {
	inputs := make([]map[string]any, len(b.Inputs))
	for i, in := range b.Inputs {
		inputs[i] = map[string]any{"kind": in.Kind, "name": in.Name, "amount": in.Amount,
			"applied_on": in.AppliedOn, "cost_vnd": in.CostVND}
	}
	certs := make([]map[string]any, len(b.Certifications))
	for i, c := range b.Certifications {
		certs[i] = map[string]any{"name": c.Name, "number": c.Number, "issuer": c.Issuer,
			"valid_until": c.ValidUntil, "document": c.Document}
	}
	return map[string]any{
		"id": b.ID.String(), "cooperative_id": b.CooperativeID.String(), "product_id": b.ProductID.String(),
		"code": b.Code, "gtin": b.GTIN, "quantity": b.Quantity, "unit": b.Unit,
		"produced_on": b.ProducedOn, "expires_on": b.ExpiresOn, "area": placeContent(b.Area),
		"inputs": inputs, "certifications": certs, "created_by": b.createdBy.String(),
	}
}

// eventContent is what an event's link hashes.
func eventContent(e Event) object {
	photos := e.Photos
	if photos == nil {
		photos = []string{}
	}
	return object{
		{"id", e.ID.String()}, {"batch_id", e.BatchID.String()}, {"seq", e.Seq}, {"kind", string(e.Kind)},
		{"occurred_at", hashTime(e.OccurredAt)}, {"recorded_at", hashTime(e.RecordedAt)},
		{"place", placeContent(e.Place)}, {"actor_name", e.ActorName}, {"actor_phone", e.ActorPhone},
		{"recorded_by", e.RecordedBy.String()}, {"notes", e.Notes}, {"inspector", e.Inspector},
		{"result", e.Result}, {"cost_vnd", e.CostVND}, {"photos", photos}, {"corrects_seq", e.CorrectsSeq},
	}
}

// BatchHash is the hash of a batch's link.
func BatchHash(b Batch) [32]byte {
	return sha256.Sum256(append([]byte(batchDomain), canonical(batchContent(b))...))
}

// EventHash is the hash of an event's link after the link whose hash is prev.
func EventHash(prev [32]byte, e Event) [32]byte {
	h := sha256.New()
	h.Write([]byte(eventDomain))
	h.Write([]byte(hex.EncodeToString(prev[:])))
	h.Write([]byte("\n"))
	h.Write(canonical(eventContent(e)))
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// Verify recomputes the chain of batch b and its events in order of seq and
// names the first link that does not hold: a stored hash that differs from
// its content's, a previous hash that is not the previous link's, or a gap
// in the sequence.
func Verify(b Batch, events []Event) Verification {
	v := Verification{BatchID: b.ID, Valid: true, Events: len(events)}
	want := BatchHash(b)
	if hex.EncodeToString(want[:]) != b.Hash {
		v.Valid = false
		v.BrokenAt = &BrokenLink{Link: "batch", Reason: "Thông tin lô hàng đã bị thay đổi sau khi ghi."}
		return v
	}
	prev := want
	for i, e := range events {
		id := e.ID
		broken := func(reason string) Verification {
			v.Valid = false
			v.BrokenAt = &BrokenLink{Link: "event", EventID: &id, Seq: e.Seq, Reason: reason}
			return v
		}
		switch {
		case e.Seq != i+1:
			return broken(fmt.Sprintf("Thiếu sự kiện số %d trong chuỗi.", i+1))
		case e.PrevHash != hex.EncodeToString(prev[:]):
			return broken("Mã băm của mắt xích trước không khớp.")
		}
		got := EventHash(prev, e)
		if hex.EncodeToString(got[:]) != e.Hash {
			return broken("Nội dung sự kiện đã bị thay đổi sau khi ghi.")
		}
		prev = got
	}
	v.Head = hex.EncodeToString(prev[:])
	return v
}

// newID is a new UUIDv7.
func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// writeArray writes a JSON array of the canonical forms of xs.
func writeArray[T any](b *bytes.Buffer, xs []T) {
	b.WriteByte('[')
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(',')
		}
		writeCanonical(b, x)
	}
	b.WriteByte(']')
}
