package cooperative

import (
	"time"

	"github.com/google/uuid"

	"htxmarket/internal/platform/auth"
)

// Status is where a cooperative stands in verification.
type Status string

// The statuses of a cooperative. Only verified cooperatives are public and
// may sell.
const (
	StatusPending  Status = "pending"
	StatusVerified Status = "verified"
	StatusRejected Status = "rejected"
)

// Cooperative is a hợp tác xã with its full profile, as its members and the
// staff who review it see it: the storefront and the review's outcome.
type Cooperative struct {
	Storefront
	Status          Status     `json:"status"`
	RejectionReason string     `json:"rejection_reason"`
	ReviewedAt      *time.Time `json:"reviewed_at"`
	// PendingChanges are a verified cooperative's changes to its identity
	// waiting for trade staff; the storefront shows the verified values
	// until they approve. nil when nothing waits.
	PendingChanges *IdentityChanges `json:"pending_changes"`
	CreatedAt      time.Time        `json:"created_at"`
	UpdatedAt      time.Time        `json:"updated_at"`

	// folded is the name as the database folds it, the directory's sort key.
	folded string
}

// IdentityChanges are new values of the fields that identify a
// cooperative; nil fields are unchanged.
type IdentityChanges struct {
	Name               *string `json:"name,omitempty"`
	RegistrationNumber *string `json:"registration_number,omitempty"`
	Province           *string `json:"province,omitempty"` // slug
}

func (ic *IdentityChanges) empty() bool {
	return ic == nil || (ic.Name == nil && ic.RegistrationNumber == nil && ic.Province == nil)
}

// Storefront is the public profile of a verified cooperative.
type Storefront struct {
	ID                 uuid.UUID `json:"id"`
	Slug               string    `json:"slug"`
	Name               string    `json:"name"`
	RegistrationNumber string    `json:"registration_number"`
	Province           string    `json:"province"` // slug
	Commune            string    `json:"commune"`
	Address            string    `json:"address"`
	Phone              string    `json:"phone"`
	Email              string    `json:"email"`
	FoundedYear        *int      `json:"founded_year"`
	MemberCount        *int      `json:"member_count"`
	Story              string    `json:"story"`
	LogoURL            string    `json:"logo_url"`
	BannerURL          string    `json:"banner_url"`
	Certifications     []string  `json:"certifications"`
	// The catalog's figures (see Store.SetProductStats).
	ProductGroups    []string `json:"product_groups"`
	ProductCount     int      `json:"product_count"`
	OCOPProductCount int      `json:"ocop_product_count"`
}

// Profile holds the fields a manager fills in. In an update, nil fields are
// left as they are.
type Profile struct {
	Name               *string `json:"name"`
	RegistrationNumber *string `json:"registration_number"`
	// Province is a slug, or a current or former name that geo resolves.
	Province       *string   `json:"province"`
	Commune        *string   `json:"commune"`
	Address        *string   `json:"address"`
	Phone          *string   `json:"phone"`
	Email          *string   `json:"email"`
	FoundedYear    *int      `json:"founded_year"`
	MemberCount    *int      `json:"member_count"`
	Story          *string   `json:"story"`
	LogoURL        *string   `json:"logo_url"`
	BannerURL      *string   `json:"banner_url"`
	Certifications *[]string `json:"certifications"`
}

// Registration is what a signed-in user submits to register a cooperative.
type Registration struct {
	Profile
	// Slug is optional; one is derived from the name when it is empty.
	Slug string `json:"slug"`
}

// Person is someone acting for a cooperative.
type Person struct {
	UserID   uuid.UUID `json:"user_id" db:"user_id"`
	FullName string    `json:"full_name" db:"full_name"`
	Email    string    `json:"email,omitempty" db:"email"`
	Phone    string    `json:"phone,omitempty" db:"phone"`
	Since    time.Time `json:"since" db:"created_at"`
}

// Member is a person who works for a cooperative.
type Member struct {
	Person
	Role auth.Role `json:"role" db:"role"`
}

// Delegate is a trade-promotion staff member allowed to manage a
// cooperative's listings on its behalf.
type Delegate struct {
	Person
	GrantedBy *uuid.UUID `json:"granted_by" db:"granted_by"`
}

// Mine is a cooperative the signed-in user belongs to, with the role held.
type Mine struct {
	ID       uuid.UUID `json:"id"`
	Slug     string    `json:"slug"`
	Name     string    `json:"name"`
	Province string    `json:"province"`
	Status   Status    `json:"status"`
	// RejectionReason says why staff rejected it; empty unless rejected.
	RejectionReason string    `json:"rejection_reason"`
	Role            auth.Role `json:"role"`
	// PendingChanges are its identity changes waiting for trade staff.
	PendingChanges *IdentityChanges `json:"pending_changes"`
}

// DirectoryFilter selects verified cooperatives for the public directory,
// in alphabetical order after the cursor.
type DirectoryFilter struct {
	Province string // slug
	Group    string // OCOP group slug
	Query    string // part of the name, accents optional
	Cursor   string
	Limit    int
}

// ReviewFilter selects cooperatives for the verification queue, oldest
// first after the cursor.
type ReviewFilter struct {
	Status   Status
	Province string
	After    uuid.UUID
	Limit    int
}

// ExportRow is one cooperative of the open-data export.
type ExportRow struct {
	Name               string   `json:"name"`
	Slug               string   `json:"slug"`
	RegistrationNumber string   `json:"registration_number"`
	Province           string   `json:"province"`
	ProvinceName       string   `json:"province_name"`
	ProductGroups      []string `json:"product_groups"`
	ProductCount       int      `json:"product_count"`
	OCOPProductCount   int      `json:"ocop_product_count"`
}

// Actor is who acts, for permission checks and the audit log.
type Actor struct {
	Principal *auth.Principal // nil for the command line and imports
	IP        string
}

// UserID returns the acting user's ID, or uuid.Nil.
func (a Actor) UserID() uuid.UUID {
	if a.Principal == nil {
		return uuid.Nil
	}
	return a.Principal.UserID
}
