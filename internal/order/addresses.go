package order

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// maxAddresses is how many addresses a buyer's book keeps; the least
// recently used go first. Checkout remembers the address it ships to
// (Store.insertOrder).
const maxAddresses = 20

// SavedAddress is an address of a buyer's book.
type SavedAddress struct {
	ID uuid.UUID `json:"id"`
	Address
	ProvinceName string    `json:"province_name"`
	UsedAt       time.Time `json:"used_at"`
}

// Addresses returns a buyer's address book, most recently used first.
func (s *Service) Addresses(ctx context.Context, user uuid.UUID) ([]SavedAddress, error) {
	const q = `
SELECT a.id, a.recipient, a.phone, a.province_slug, p.name AS province_name, a.commune, a.street, a.used_at
FROM addresses a
JOIN provinces p ON p.slug = a.province_slug
WHERE a.user_id = $1
ORDER BY a.used_at DESC, a.id`
	var rows []struct {
		ID           uuid.UUID `db:"id"`
		Recipient    string    `db:"recipient"`
		Phone        string    `db:"phone"`
		Province     string    `db:"province_slug"`
		ProvinceName string    `db:"province_name"`
		Commune      string    `db:"commune"`
		Street       string    `db:"street"`
		UsedAt       time.Time `db:"used_at"`
	}
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, user); err != nil {
		return nil, fmt.Errorf("order: addresses: %w", err)
	}
	out := make([]SavedAddress, len(rows))
	for i, r := range rows {
		out[i] = SavedAddress{ID: r.ID, Address: Address{Recipient: r.Recipient, Phone: r.Phone, Province: r.Province,
			Commune: r.Commune, Street: r.Street}, ProvinceName: r.ProvinceName, UsedAt: r.UsedAt}
	}
	return out, nil
}

// ForgetAddress removes an address from a buyer's book; another person's
// address is not found.
func (s *Service) ForgetAddress(ctx context.Context, user, id uuid.UUID) error {
	const q = `
DELETE FROM addresses
WHERE id = $2
  AND user_id = $1`
	res, err := s.db.ExecContext(ctx, q, user, id)
	if err != nil {
		return fmt.Errorf("order: forget address: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrAddressNotFound
	}
	return nil
}
