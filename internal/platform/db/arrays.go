package db

import (
	"database/sql"
	"database/sql/driver"
	"strconv"

	"github.com/google/uuid"
)

// UUIDs is a uuid[] parameter. lib/pq's generic pq.Array converts each
// element through reflection and driver.Valuer; this writes the array's
// text form directly, which matters on the checkout's hot path.
type UUIDs []uuid.UUID

// Value implements driver.Valuer: {"…","…"}, or NULL for a nil slice.
func (a UUIDs) Value() (driver.Value, error) {
	if a == nil {
		return nil, nil
	}
	b := make([]byte, 0, 2+len(a)*39)
	b = append(b, '{')
	for i, id := range a {
		if i > 0 {
			b = append(b, ',')
		}
		var s [38]byte
		s[0], s[37] = '"', '"'
		encodeUUID(s[1:37], id)
		b = append(b, s[:]...)
	}
	return string(append(b, '}')), nil
}

func encodeUUID(dst []byte, id uuid.UUID) {
	const hex = "0123456789abcdef"
	j := 0
	for i, c := range id {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst[j] = '-'
			j++
		}
		dst[j], dst[j+1] = hex[c>>4], hex[c&0xf]
		j += 2
	}
}

// NullInt64s is a bigint[] parameter whose elements may be NULL.
type NullInt64s []sql.NullInt64

// Value implements driver.Valuer.
func (a NullInt64s) Value() (driver.Value, error) {
	if a == nil {
		return nil, nil
	}
	b := make([]byte, 0, 2+len(a)*8)
	b = append(b, '{')
	for i, n := range a {
		if i > 0 {
			b = append(b, ',')
		}
		if n.Valid {
			b = strconv.AppendInt(b, n.Int64, 10)
		} else {
			b = append(b, "NULL"...)
		}
	}
	return string(append(b, '}')), nil
}
