package cooperative

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/outbox"
	"htxmarket/internal/platform/web"
)

// Store keeps cooperatives, their members and delegates in PostgreSQL.
// Every method takes the connection or transaction to work in, so that the
// service, and the catalog for SetProductStats and EnsureForImport, can
// make it part of their own transactions.
type Store struct{}

// NewStore returns a Store.
func NewStore() *Store { return &Store{} }

// TopicChanged is the outbox topic of every change to a cooperative; the
// key is its ID and the payload its storefront with its status, and a
// "change" of "created" or "product_stats" when the cooperative is new or
// only the catalog's figures changed (LeavesProducts).
const TopicChanged = "cooperative.changed"

// Marks of the changes no product's public projection shows.
const (
	changeCreated      = "created"
	changeProductStats = "product_stats"
)

// LeavesProducts reports whether a TopicChanged payload records a change
// that leaves every product's public projection as it was: the
// cooperative's creation (any product of it came later and announces
// itself) or new catalog figures (product groups and counts). The search
// indexer need not read the cooperative's products again.
func LeavesProducts(payload []byte) bool {
	var p struct {
		Change string `json:"change"`
	}
	return json.Unmarshal(payload, &p) == nil && (p.Change == changeCreated || p.Change == changeProductStats)
}

const selectCooperative = `
SELECT c.id, c.slug, c.name, c.registration_number, c.province_slug, c.commune, c.address, c.phone, c.email,
       c.founded_year, c.member_count, c.story, c.logo_url, c.banner_url, c.certifications, c.status,
       c.rejection_reason, c.reviewed_at, c.product_groups, c.product_count, c.ocop_product_count,
       c.name_folded, c.pending_changes, c.created_at, c.updated_at
FROM cooperatives c`

type cooperativeRow struct {
	ID                 uuid.UUID      `db:"id"`
	Slug               string         `db:"slug"`
	Name               string         `db:"name"`
	RegistrationNumber sql.NullString `db:"registration_number"`
	Province           string         `db:"province_slug"`
	Commune            string         `db:"commune"`
	Address            string         `db:"address"`
	Phone              string         `db:"phone"`
	Email              string         `db:"email"`
	FoundedYear        sql.NullInt64  `db:"founded_year"`
	MemberCount        sql.NullInt64  `db:"member_count"`
	Story              string         `db:"story"`
	LogoURL            string         `db:"logo_url"`
	BannerURL          string         `db:"banner_url"`
	Certifications     pq.StringArray `db:"certifications"`
	Status             string         `db:"status"`
	RejectionReason    string         `db:"rejection_reason"`
	ReviewedAt         sql.NullTime   `db:"reviewed_at"`
	ProductGroups      pq.StringArray `db:"product_groups"`
	ProductCount       int            `db:"product_count"`
	OCOPProductCount   int            `db:"ocop_product_count"`
	NameFolded         string         `db:"name_folded"`
	PendingChanges     []byte         `db:"pending_changes"`
	CreatedAt          time.Time      `db:"created_at"`
	UpdatedAt          time.Time      `db:"updated_at"`
}

func toCooperative(r cooperativeRow) Cooperative {
	c := Cooperative{
		Storefront: Storefront{
			ID: r.ID, Slug: r.Slug, Name: r.Name, RegistrationNumber: r.RegistrationNumber.String,
			Province: r.Province, Commune: r.Commune, Address: r.Address, Phone: r.Phone, Email: r.Email,
			Story: r.Story, LogoURL: r.LogoURL, BannerURL: r.BannerURL, Certifications: nonNil(r.Certifications),
			ProductGroups: nonNil(r.ProductGroups), ProductCount: r.ProductCount, OCOPProductCount: r.OCOPProductCount,
		},
		Status: Status(r.Status), RejectionReason: r.RejectionReason,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, folded: r.NameFolded,
	}
	if r.FoundedYear.Valid {
		y := int(r.FoundedYear.Int64)
		c.FoundedYear = &y
	}
	if r.MemberCount.Valid {
		n := int(r.MemberCount.Int64)
		c.MemberCount = &n
	}
	if r.ReviewedAt.Valid {
		t := r.ReviewedAt.Time
		c.ReviewedAt = &t
	}
	if len(r.PendingChanges) > 0 {
		var ic IdentityChanges
		if json.Unmarshal(r.PendingChanges, &ic) == nil && !ic.empty() {
			c.PendingChanges = &ic
		}
	}
	return c
}

// pendingJSON is the pending_changes column's value of ic: NULL when
// nothing waits.
func pendingJSON(ic *IdentityChanges) []byte {
	if ic.empty() {
		return nil
	}
	b, _ := json.Marshal(ic)
	return b
}

func nonNil(a []string) []string {
	if a == nil {
		return []string{}
	}
	return a
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func nullInt(p *int) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*p), Valid: true}
}

// classify turns the driver's constraint errors into this package's
// sentinels.
func classify(err error, what string) error {
	switch c := db.Constraint(err); {
	case errors.Is(db.Classify(err), db.ErrDuplicate) && strings.Contains(c, "registration_number"):
		return ErrRegistrationTaken
	case errors.Is(db.Classify(err), db.ErrDuplicate) && strings.Contains(c, "slug"):
		return ErrSlugTaken
	case errors.Is(db.Classify(err), db.ErrForeignKey) && strings.Contains(c, "province"):
		return geo.ErrUnknownProvince
	case errors.Is(db.Classify(err), db.ErrNotFound):
		return ErrNotFound
	}
	return fmt.Errorf("cooperative: %s: %w", what, err)
}

// Create inserts c unless its slug is taken, and reports whether it did.
// A taken slug leaves the transaction usable, so that the caller can try
// another.
func (s *Store) Create(ctx context.Context, ext sqlx.ExtContext, c Cooperative) (bool, error) {
	const q = `
INSERT INTO cooperatives (id, slug, name, registration_number, province_slug, commune, address, phone, email,
                          founded_year, member_count, story, logo_url, banner_url, certifications, status,
                          created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
ON CONFLICT (slug) DO NOTHING`
	return execOne(ctx, ext, "create", q, c.ID, c.Slug, c.Name, nullString(c.RegistrationNumber), c.Province,
		c.Commune, c.Address, c.Phone, c.Email, nullInt(c.FoundedYear), nullInt(c.MemberCount), c.Story,
		c.LogoURL, c.BannerURL, pq.Array(nonNil(c.Certifications)), string(c.Status), c.CreatedAt)
}

// execOne runs a statement that changes at most one row and reports
// whether it changed one.
func execOne(ctx context.Context, ext sqlx.ExtContext, what, q string, args ...any) (bool, error) {
	res, err := ext.ExecContext(ctx, q, args...)
	if err != nil {
		return false, classify(err, what)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Get returns a cooperative by ID or slug, whatever its status.
func (s *Store) Get(ctx context.Context, ext sqlx.ExtContext, idOrSlug string) (Cooperative, error) {
	const q = selectCooperative + `
WHERE c.id = $1
   OR c.slug = $2`
	var id *uuid.UUID
	if u, err := uuid.Parse(idOrSlug); err == nil {
		id = &u
	}
	return s.get(ctx, ext, q, id, idOrSlug)
}

// Lock returns a cooperative by ID and locks its row until the transaction
// ends, so that concurrent reviews and edits apply one after the other.
func (s *Store) Lock(ctx context.Context, ext sqlx.ExtContext, id uuid.UUID) (Cooperative, error) {
	const q = selectCooperative + `
WHERE c.id = $1
FOR UPDATE`
	return s.get(ctx, ext, q, id)
}

func (s *Store) get(ctx context.Context, ext sqlx.ExtContext, q string, args ...any) (Cooperative, error) {
	var r cooperativeRow
	if err := sqlx.GetContext(ctx, ext, &r, q, args...); err != nil {
		return Cooperative{}, classify(err, "get")
	}
	return toCooperative(r), nil
}

// Update writes the profile, status and review outcome of c.
func (s *Store) Update(ctx context.Context, ext sqlx.ExtContext, c Cooperative, reviewer *uuid.UUID, now time.Time) error {
	const q = `
UPDATE cooperatives
SET name = $2, registration_number = $3, province_slug = $4, commune = $5, address = $6, phone = $7,
    email = $8, founded_year = $9, member_count = $10, story = $11, logo_url = $12, banner_url = $13,
    certifications = $14, status = $15, rejection_reason = $16,
    reviewed_by = COALESCE($17, reviewed_by), reviewed_at = $18, updated_at = $19, pending_changes = $20
WHERE id = $1`
	var reviewedAt sql.NullTime
	if c.ReviewedAt != nil {
		reviewedAt = sql.NullTime{Time: *c.ReviewedAt, Valid: true}
	}
	res, err := ext.ExecContext(ctx, q, c.ID, c.Name, nullString(c.RegistrationNumber), c.Province, c.Commune,
		c.Address, c.Phone, c.Email, nullInt(c.FoundedYear), nullInt(c.MemberCount), c.Story, c.LogoURL,
		c.BannerURL, pq.Array(nonNil(c.Certifications)), string(c.Status), c.RejectionReason, reviewer,
		reviewedAt, now, pendingJSON(c.PendingChanges))
	if err != nil {
		return classify(err, "update")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Changed records in the outbox, in the caller's transaction, that the
// cooperative changed: consumers (search, partners) read its current state
// from the payload.
func (s *Store) Changed(ctx context.Context, ext sqlx.ExtContext, id uuid.UUID) error {
	return s.changed(ctx, ext, id, "")
}

// Created records in the outbox that the cooperative was created.
func (s *Store) Created(ctx context.Context, ext sqlx.ExtContext, id uuid.UUID) error {
	return s.changed(ctx, ext, id, changeCreated)
}

func (s *Store) changed(ctx context.Context, ext sqlx.ExtContext, id uuid.UUID, change string) error {
	c, err := s.Get(ctx, ext, id.String())
	if err != nil {
		return err
	}
	payload := struct {
		Storefront
		Status Status `json:"status"`
		Change string `json:"change,omitempty"`
	}{c.Storefront, c.Status, change}
	return outbox.Write(ctx, ext, TopicChanged, c.ID.String(), payload)
}

// SetProductStats records the catalog's figures for a cooperative: its
// product groups, its number of products and of OCOP-rated products. The
// catalog calls it inside the transaction that changed them; nothing is
// written (not even to the outbox) when the figures are the same.
func (s *Store) SetProductStats(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID, groups []string, products, ocopProducts int) error {
	groups = dedupe(groups)
	const q = `
UPDATE cooperatives
SET product_groups = $2, product_count = $3, ocop_product_count = $4, updated_at = now()
WHERE id = $1
  AND (product_groups, product_count, ocop_product_count) IS DISTINCT FROM ($2, $3, $4)`
	res, err := ext.ExecContext(ctx, q, coopID, pq.Array(groups), products, ocopProducts)
	if err != nil {
		return classify(err, "set product stats")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// Unchanged, or no such cooperative: tell the two apart.
		if _, err := s.Get(ctx, ext, coopID.String()); err != nil {
			return err
		}
		return nil
	}
	return s.changed(ctx, ext, coopID, changeProductStats)
}

// EnsureForImport returns the cooperative of that name in the province,
// comparing names without case or accents, or creates it, verified, with a
// slug derived from the name. The admin CSV import and the demo seed use
// it; a transaction-scoped lock on the folded name makes two imports of the
// same new cooperative create it once.
func (s *Store) EnsureForImport(ctx context.Context, ext sqlx.ExtContext, name, provinceSlug string) (Cooperative, error) {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return Cooperative{}, fmt.Errorf("cooperative: import: empty name: %w", ErrNotFound)
	}
	// The same rule as a registration's name: no control characters,
	// bidirectional overrides or zero-width characters in a public name.
	if web.Invisible(name) {
		var v web.ValidationError
		v.Add("cooperative", "tên hợp tác xã "+web.InvisibleMessage)
		return Cooperative{}, v.Err()
	}
	const lock = `SELECT pg_advisory_xact_lock(hashtext('cooperative:' || $1 || ':' || fold_vi($2)))`
	if _, err := ext.ExecContext(ctx, lock, provinceSlug, name); err != nil {
		return Cooperative{}, fmt.Errorf("cooperative: import lock: %w", err)
	}
	const find = selectCooperative + `
WHERE c.province_slug = $1
  AND c.name_folded = fold_vi($2)
ORDER BY c.id
LIMIT 1`
	c, err := s.get(ctx, ext, find, provinceSlug, name)
	if !errors.Is(err, ErrNotFound) {
		return c, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Cooperative{}, fmt.Errorf("cooperative: new id: %w", err)
	}
	now := time.Now()
	c = Cooperative{Storefront: Storefront{ID: id, Name: name, Province: provinceSlug}, Status: StatusVerified, CreatedAt: now}
	if err := s.CreateWithSlug(ctx, ext, &c, Slugify(name)); err != nil {
		return Cooperative{}, err
	}
	if err := s.Created(ctx, ext, c.ID); err != nil {
		return Cooperative{}, err
	}
	return s.Get(ctx, ext, c.ID.String())
}

// maxSlugTries bounds the search for a free slug.
const maxSlugTries = 20

// CreateWithSlug inserts c with the first free slug among base, base-2,
// base-3 …, and sets c.Slug.
func (s *Store) CreateWithSlug(ctx context.Context, ext sqlx.ExtContext, c *Cooperative, base string) error {
	// n is the highest suffix in use, counting base itself as 1.
	const q = `
SELECT COALESCE(max(CASE WHEN slug = $1 THEN 1 ELSE substring(slug FROM '-([0-9]+)$')::int END), 0)
FROM cooperatives
WHERE slug = $1
   OR slug ~ ('^' || $1 || '-[0-9]+$')`
	var n int
	if err := sqlx.GetContext(ctx, ext, &n, q, base); err != nil {
		return fmt.Errorf("cooperative: free slug: %w", err)
	}
	for i := 1; i <= maxSlugTries; i++ {
		c.Slug = base
		if k := n + i; k > 1 {
			c.Slug = base + "-" + strconv.Itoa(k)
		}
		ok, err := s.Create(ctx, ext, *c)
		if err != nil || ok {
			return err
		}
	}
	return fmt.Errorf("cooperative: no free slug for %q", base)
}

// RegistrationInUse reports whether a cooperative other than id holds the
// registration number, or waits for it in its pending changes.
func (s *Store) RegistrationInUse(ctx context.Context, ext sqlx.ExtContext, id uuid.UUID, number string) (bool, error) {
	const q = `
SELECT EXISTS (SELECT 1
               FROM cooperatives
               WHERE id <> $1
                 AND (registration_number = $2 OR pending_changes->>'registration_number' = $2))`
	var used bool
	if err := sqlx.GetContext(ctx, ext, &used, q, id, number); err != nil {
		return false, fmt.Errorf("cooperative: registration in use: %w", err)
	}
	return used, nil
}

// Directory returns verified cooperatives matching f in alphabetical order,
// after the position (name, id) of the cursor.
func (s *Store) Directory(ctx context.Context, ext sqlx.ExtContext, f DirectoryFilter, afterName string, afterID uuid.UUID) ([]Cooperative, error) {
	const q = selectCooperative + `
WHERE c.status = 'verified'
  AND ($1 = '' OR c.province_slug = $1)
  AND ($2 = '' OR c.product_groups @> ARRAY[$2])
  AND ($3 = '' OR c.name_folded LIKE '%' || fold_vi($3) || '%')
  AND ($5::uuid IS NULL OR (c.name_folded, c.id) > ($4, $5))
ORDER BY c.name_folded, c.id
LIMIT $6`
	var after *uuid.UUID
	if afterID != uuid.Nil {
		after = &afterID
	}
	return s.list(ctx, ext, "directory", q, f.Province, f.Group, escapeLike(f.Query), afterName, after, f.Limit)
}

// Export returns every verified cooperative, alphabetically.
func (s *Store) Export(ctx context.Context, ext sqlx.ExtContext) ([]Cooperative, error) {
	const q = selectCooperative + `
WHERE c.status = 'verified'
ORDER BY c.name_folded, c.id`
	return s.list(ctx, ext, "export", q)
}

// Review returns cooperatives for the verification queue, oldest first.
func (s *Store) Review(ctx context.Context, ext sqlx.ExtContext, f ReviewFilter) ([]Cooperative, error) {
	// The pending queue holds verified cooperatives with identity changes
	// to review too. A province's queue holds a cooperative when its current
	// province and the one it moves to (if any) are both that province.
	const q = selectCooperative + `
WHERE (c.status = $1 OR ($1 = 'pending' AND c.pending_changes IS NOT NULL))
  AND ($2 = '' OR (c.province_slug = $2 AND COALESCE(c.pending_changes->>'province', $2) = $2))
  AND ($3::uuid IS NULL OR c.id > $3)
ORDER BY c.id
LIMIT $4`
	var after *uuid.UUID
	if f.After != uuid.Nil {
		after = &f.After
	}
	return s.list(ctx, ext, "review", q, string(f.Status), f.Province, after, f.Limit)
}

func (s *Store) list(ctx context.Context, ext sqlx.ExtContext, what, q string, args ...any) ([]Cooperative, error) {
	var rows []cooperativeRow
	if err := sqlx.SelectContext(ctx, ext, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("cooperative: %s: %w", what, err)
	}
	out := make([]Cooperative, len(rows))
	for i, r := range rows {
		out[i] = toCooperative(r)
	}
	return out, nil
}

// escapeLike escapes the LIKE wildcards in a user's query.
func escapeLike(q string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.TrimSpace(q))
}

// Mine returns the cooperatives a user belongs to or is a delegate of. A
// membership outranks a delegation of the same cooperative, as in the
// session's memberships.
func (s *Store) Mine(ctx context.Context, ext sqlx.ExtContext, userID uuid.UUID) ([]Mine, error) {
	const q = `
SELECT c.id, c.slug, c.name, c.province_slug, c.status,
       CASE WHEN c.status = 'rejected' THEN COALESCE(c.rejection_reason, '') ELSE '' END AS rejection_reason,
       m.role, c.pending_changes
FROM (SELECT cooperative_id, role
      FROM cooperative_members
      WHERE user_id = $1
      UNION ALL
      SELECT d.cooperative_id, 'coop_delegate'
      FROM cooperative_delegates d
      WHERE d.user_id = $1
        AND NOT EXISTS (SELECT 1
                        FROM cooperative_members m
                        WHERE m.cooperative_id = d.cooperative_id
                          AND m.user_id = d.user_id)) m
JOIN cooperatives c ON c.id = m.cooperative_id
ORDER BY c.name_folded, c.id, m.role`
	var rows []struct {
		ID       uuid.UUID `db:"id"`
		Slug     string    `db:"slug"`
		Name     string    `db:"name"`
		Province string    `db:"province_slug"`
		Status   string    `db:"status"`
		Reason   string    `db:"rejection_reason"`
		Role     string    `db:"role"`
		Pending  []byte    `db:"pending_changes"`
	}
	if err := sqlx.SelectContext(ctx, ext, &rows, q, userID); err != nil {
		return nil, fmt.Errorf("cooperative: mine: %w", err)
	}
	out := make([]Mine, len(rows))
	for i, r := range rows {
		out[i] = Mine{ID: r.ID, Slug: r.Slug, Name: r.Name, Province: r.Province, Status: Status(r.Status),
			RejectionReason: r.Reason, Role: auth.Role(r.Role)}
		if len(r.Pending) > 0 {
			var ic IdentityChanges
			if json.Unmarshal(r.Pending, &ic) == nil && !ic.empty() {
				out[i].PendingChanges = &ic
			}
		}
	}
	return out, nil
}

// Members returns the members of a cooperative, managers first.
func (s *Store) Members(ctx context.Context, ext sqlx.ExtContext, coop uuid.UUID) ([]Member, error) {
	const q = `
SELECT m.user_id, u.full_name, COALESCE(u.email, '') AS email, COALESCE(u.phone, '') AS phone, m.role, m.created_at
FROM cooperative_members m
JOIN users u ON u.id = m.user_id
WHERE m.cooperative_id = $1
ORDER BY m.role, u.full_name, m.user_id`
	out := []Member{}
	if err := sqlx.SelectContext(ctx, ext, &out, q, coop); err != nil {
		return nil, fmt.Errorf("cooperative: members: %w", err)
	}
	return out, nil
}

// LockManagers returns the IDs of a cooperative's managers, locking their
// membership rows so that two managers cannot remove each other at once.
func (s *Store) LockManagers(ctx context.Context, ext sqlx.ExtContext, coop uuid.UUID) ([]uuid.UUID, error) {
	const q = `
SELECT user_id
FROM cooperative_members
WHERE cooperative_id = $1
  AND role = 'coop_manager'
ORDER BY user_id
FOR UPDATE`
	var ids []uuid.UUID
	if err := sqlx.SelectContext(ctx, ext, &ids, q, coop); err != nil {
		return nil, fmt.Errorf("cooperative: managers: %w", err)
	}
	return ids, nil
}

// Delegates returns the delegates of a cooperative.
func (s *Store) Delegates(ctx context.Context, ext sqlx.ExtContext, coop uuid.UUID) ([]Delegate, error) {
	const q = `
SELECT d.user_id, u.full_name, COALESCE(u.email, '') AS email, COALESCE(u.phone, '') AS phone, d.granted_by, d.created_at
FROM cooperative_delegates d
JOIN users u ON u.id = d.user_id
WHERE d.cooperative_id = $1
ORDER BY u.full_name, d.user_id`
	out := []Delegate{}
	if err := sqlx.SelectContext(ctx, ext, &out, q, coop); err != nil {
		return nil, fmt.Errorf("cooperative: delegates: %w", err)
	}
	return out, nil
}

// AddDelegate makes a user a delegate of a cooperative and reports whether
// they were not one already.
func (s *Store) AddDelegate(ctx context.Context, ext sqlx.ExtContext, coop, user uuid.UUID, by *uuid.UUID, now time.Time) (bool, error) {
	const q = `
INSERT INTO cooperative_delegates (cooperative_id, user_id, granted_by, created_at, updated_at)
VALUES ($1, $2, $3, $4, $4)
ON CONFLICT (cooperative_id, user_id) DO NOTHING`
	return execOne(ctx, ext, "add delegate", q, coop, user, by, now)
}

// RemoveDelegate ends a delegation and reports whether there was one.
func (s *Store) RemoveDelegate(ctx context.Context, ext sqlx.ExtContext, coop, user uuid.UUID) (bool, error) {
	const q = `
DELETE FROM cooperative_delegates
WHERE cooperative_id = $1
  AND user_id = $2`
	return execOne(ctx, ext, "remove delegate", q, coop, user)
}

// EachVerifiedSlug calls fn with the slug and updated_at of every verified
// cooperative, in slug order, while it reads them.
func (s *Store) EachVerifiedSlug(ctx context.Context, ext sqlx.ExtContext, fn func(slug string, updatedAt time.Time) error) error {
	const q = `
SELECT c.slug, c.updated_at
FROM cooperatives c
WHERE c.status = 'verified'
ORDER BY c.slug`
	rows, err := ext.QueryxContext(ctx, q)
	if err != nil {
		return fmt.Errorf("cooperative: verified slugs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r struct {
			Slug      string    `db:"slug"`
			UpdatedAt time.Time `db:"updated_at"`
		}
		if err := rows.StructScan(&r); err != nil {
			return fmt.Errorf("cooperative: verified slugs: %w", err)
		}
		if err := fn(r.Slug, r.UpdatedAt); err != nil {
			return err
		}
	}
	return rows.Err()
}
