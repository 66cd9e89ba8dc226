package order

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// maxAddresses is how many addresses a buyer's book keeps; the least
// recently used go first.
const maxAddresses = 20

// SavedAddress is an address of a buyer's book.
type SavedAddress struct {
	ID uuid.UUID `json:"id"`
	Address
	ProvinceName string    `json:"province_name"`
	UsedAt       time.Time `json:"used_at"`
}

// remember puts the address of a signed-in buyer's checkout at the top of
// their book, inside the checkout's transaction.
func (s *Store) remember(ctx context.Context, ext sqlx.ExtContext, user uuid.UUID, a Address) error {
	const q = `
WITH up AS (
    INSERT INTO addresses (id, user_id, recipient, phone, province_slug, commune, street)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (user_id, recipient, phone, province_slug, commune, street) DO UPDATE
    SET used_at = now(), updated_at = now()
)
DELETE FROM addresses
WHERE user_id = $2
  AND id IN (SELECT id FROM addresses WHERE user_id = $2 ORDER BY used_at DESC OFFSET $8)`
	if _, err := s.stmts.Exec(ctx, ext, q, uuid.Must(uuid.NewV7()), user, a.Recipient, a.Phone, a.Province,
		a.Commune, a.Street, maxAddresses-1); err != nil {
		return fmt.Errorf("order: remember address: %w", err)
	}
	return nil
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
