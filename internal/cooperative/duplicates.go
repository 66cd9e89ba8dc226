package cooperative

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/auth"
)

// StaffOpenAPI is the API document's fragment for the routes of StaffRoutes.
//
//go:embed duplicates.openapi.yaml
var StaffOpenAPI []byte

// StaffRoutes registers what reviewers and administrators need beside the
// verification queue, on r, the /api/v1 group:
//
//	GET /cooperatives/{coop}/review-check   trade staff of its province, admin: applicant and possible duplicates
//	GET /admin/cooperatives                 admin: every cooperative, by status, province and text
func StaffRoutes(r fiber.Router, s *Service) {
	h := handler{s: s}
	r.Get("/cooperatives/:coop/review-check", auth.Require(auth.RoleTradeStaff, auth.RoleAdmin), h.reviewCheck)
	r.Get("/admin/cooperatives", auth.Require(auth.RoleAdmin), h.adminList)
}

// nameSimilarity is the least pg_trgm similarity of two folded names,
// without their "hợp tác xã"/"HTX" prefix, for them to be shown as a
// possible duplicate. Generic names of one province ("nông nghiệp Diễn",
// "nông nghiệp Đông Anh") stay under it; a name retyped with one word
// changed or added reaches it.
const nameSimilarity = 0.6

// maxDuplicates bounds the possible duplicates shown for one registration.
const maxDuplicates = 10

// ReviewCheck is what a reviewer checks beside a registration: who applied
// and the cooperatives it may duplicate.
type ReviewCheck struct {
	// Applicant is the cooperative's first manager: who registered it,
	// unless they have left it since. Nil for a cooperative a catalog
	// import created.
	Applicant  *Person     `json:"applicant"`
	Duplicates []Duplicate `json:"duplicates"`
}

// Duplicate is another cooperative that may be the same one: its
// registration number has the same 10-digit base, or its name is similar
// and it is in the same province (the proposed name, number and province
// when identity changes wait for review).
type Duplicate struct {
	ID                 uuid.UUID `json:"id"`
	Slug               string    `json:"slug"`
	Name               string    `json:"name"`
	RegistrationNumber string    `json:"registration_number"`
	Province           string    `json:"province"`
	Status             Status    `json:"status"`
	// SameRegistration is true when the registration numbers share their base.
	SameRegistration bool `json:"same_registration"`
	// NameSimilarity is the similarity of the names, from 0 to 1.
	NameSimilarity float64 `json:"name_similarity"`
}

// ReviewCheck returns the applicant of a cooperative and its possible
// duplicates, for trade staff of its province and administrators.
func (s *Service) ReviewCheck(ctx context.Context, by Actor, idOrSlug string) (ReviewCheck, error) {
	c, err := s.store.Get(ctx, s.db, idOrSlug)
	if err != nil {
		return ReviewCheck{}, err
	}
	if !canReview(by.Principal, c) {
		return ReviewCheck{}, hideFrom(by.Principal)
	}
	applicant, err := firstManager(ctx, s.db, c.ID)
	if err != nil {
		return ReviewCheck{}, err
	}
	dups, err := duplicatesOf(ctx, s.db, c.ID)
	if err != nil {
		return ReviewCheck{}, err
	}
	return ReviewCheck{Applicant: applicant, Duplicates: dups}, nil
}

func firstManager(ctx context.Context, ext sqlx.ExtContext, coop uuid.UUID) (*Person, error) {
	const q = `
SELECT u.id AS user_id, u.full_name, COALESCE(u.email, '') AS email, COALESCE(u.phone, '') AS phone, m.created_at
FROM cooperative_members m
JOIN users u ON u.id = m.user_id
WHERE m.cooperative_id = $1
  AND m.role = 'coop_manager'
ORDER BY m.created_at, u.id
LIMIT 1`
	var p Person
	err := sqlx.GetContext(ctx, ext, &p, q, coop)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cooperative: applicant: %w", err)
	}
	return &p, nil
}

func duplicatesOf(ctx context.Context, ext sqlx.ExtContext, coop uuid.UUID) ([]Duplicate, error) {
	// Two indexed lookups, joined: the same registration base anywhere,
	// and similar names in the same province. A verified cooperative's
	// identity changes waiting for review are what is compared: a new name
	// or number may be another's.
	const q = `
WITH me AS (
    SELECT id,
           COALESCE(pending_changes->>'province', province_slug) AS province_slug,
           split_part(COALESCE(pending_changes->>'registration_number', registration_number), '-', 1) AS base,
           regexp_replace(COALESCE(fold_vi(pending_changes->>'name'), name_folded), '^(hop tac xa|htx)\s+', '') AS core
    FROM cooperatives
    WHERE id = $1
), candidates AS (
    SELECT c.id
    FROM cooperatives c, me
    WHERE me.base IS NOT NULL
      AND c.registration_number IS NOT NULL
      AND split_part(c.registration_number, '-', 1) = me.base
    UNION
    SELECT c.id
    FROM cooperatives c, me
    WHERE c.province_slug = me.province_slug
      AND similarity(regexp_replace(c.name_folded, '^(hop tac xa|htx)\s+', ''), me.core) >= $2
)
SELECT c.id, c.slug, c.name, COALESCE(c.registration_number, '') AS registration_number, c.province_slug, c.status,
       COALESCE(me.base IS NOT NULL AND split_part(c.registration_number, '-', 1) = me.base, false) AS same_registration,
       similarity(regexp_replace(c.name_folded, '^(hop tac xa|htx)\s+', ''), me.core) AS name_similarity
FROM candidates d
JOIN cooperatives c ON c.id = d.id
CROSS JOIN me
WHERE c.id <> me.id
ORDER BY same_registration DESC, name_similarity DESC, c.id
LIMIT $3`
	var rows []struct {
		ID                 uuid.UUID `db:"id"`
		Slug               string    `db:"slug"`
		Name               string    `db:"name"`
		RegistrationNumber string    `db:"registration_number"`
		Province           string    `db:"province_slug"`
		Status             string    `db:"status"`
		SameRegistration   bool      `db:"same_registration"`
		NameSimilarity     float64   `db:"name_similarity"`
	}
	if err := sqlx.SelectContext(ctx, ext, &rows, q, coop, nameSimilarity, maxDuplicates); err != nil {
		return nil, fmt.Errorf("cooperative: duplicates: %w", err)
	}
	out := make([]Duplicate, len(rows))
	for i, r := range rows {
		out[i] = Duplicate{ID: r.ID, Slug: r.Slug, Name: r.Name, RegistrationNumber: r.RegistrationNumber,
			Province: r.Province, Status: Status(r.Status), SameRegistration: r.SameRegistration,
			NameSimilarity: float64(int(r.NameSimilarity*100+0.5)) / 100}
	}
	return out, nil
}

func (h handler) reviewCheck(c *fiber.Ctx) error {
	rc, err := h.s.ReviewCheck(c.UserContext(), actor(c), c.Params("coop"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(rc)
}
