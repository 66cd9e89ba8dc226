package identity

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"htxmarket/internal/platform/auth"
)

// User is an account with its roles.
type User struct {
	ID       uuid.UUID `json:"id"`
	Email    string    `json:"email,omitempty"`
	Phone    string    `json:"phone,omitempty"` // E.164, +84…
	FullName string    `json:"full_name"`
	// CompanyName and TaxCode describe a wholesaler's business.
	CompanyName string `json:"company_name,omitempty"`
	TaxCode     string `json:"tax_code,omitempty"`
	// Roles are the global roles (consumer, wholesaler, trade_staff, admin).
	Roles []auth.Role `json:"roles"`
	// TradeProvince scopes a trade_staff role; empty for national staff.
	TradeProvince string            `json:"trade_province,omitempty"`
	Memberships   []auth.Membership `json:"memberships"`
	CreatedAt     time.Time         `json:"created_at"`
}

// Registration is what a person fills in to open an account. Email or Phone
// (or both) must be set; a wholesaler also gives CompanyName and TaxCode.
type Registration struct {
	Email       string
	Phone       string
	Password    string
	FullName    string
	AccountType auth.Role // consumer (default) or wholesaler
	CompanyName string
	TaxCode     string
}

// NewUser is an account created by an administrator or the command line,
// with any one global role.
type NewUser struct {
	Email       string
	Phone       string
	Password    string
	FullName    string
	Role        auth.Role
	Province    string // for trade_staff; empty for national staff
	CompanyName string
	TaxCode     string
}

// Caller describes who asks for an action, for limits and the audit log.
type Caller struct {
	// UserID is the acting user; uuid.Nil for the command line and for
	// requests made before signing in.
	UserID    uuid.UUID
	IP        string
	UserAgent string
}

// Session kinds.
const (
	KindCookie = "cookie" // a browser's session, sent as a cookie
	KindBearer = "bearer" // an API client's token
)

// NewSession is a session just started. Token is shown to its owner once
// and never stored.
type NewSession struct {
	ID        uuid.UUID
	Token     string
	ExpiresAt time.Time
}

// Audit actions.
const (
	ActionUserCreate       = "user.create"
	ActionRoleGrant        = "role.grant"
	ActionRoleRevoke       = "role.revoke"
	ActionMembershipAdd    = "membership.add"
	ActionMembershipRemove = "membership.remove"
	ActionPasswordChange   = "password.change"
	ActionResetRequest     = "password.reset_request"
	ActionPasswordReset    = "password.reset"
	ActionLoginLink        = "login.link"
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID            int64           `json:"id"`
	ActorID       *uuid.UUID      `json:"actor_id"`
	Action        string          `json:"action"`
	SubjectID     *uuid.UUID      `json:"subject_id"`
	CooperativeID *uuid.UUID      `json:"cooperative_id"`
	Details       json.RawMessage `json:"details"`
	IP            string          `json:"ip"`
	CreatedAt     time.Time       `json:"created_at"`
}

// AuditFilter selects audit entries, newest first, before the ID Before
// (0 for the newest).
type AuditFilter struct {
	Action    string
	SubjectID uuid.UUID
	Before    int64
	Limit     int
}

// UserFilter selects users, newest first, after the cursor After.
type UserFilter struct {
	Query string // part of an e-mail address, phone number or name
	Role  auth.Role
	After uuid.UUID
	Limit int
}

// Message is an e-mail to one person.
type Message struct {
	To      string
	Subject string
	Text    string
}

// StoredMessage is a message in the development mailbox.
type StoredMessage struct {
	ID        int64     `json:"id"`
	To        string    `json:"to"`
	Subject   string    `json:"subject"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}
