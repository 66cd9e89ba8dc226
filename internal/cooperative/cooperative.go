// Package cooperative is the cooperative capability: a signed-in user
// registers a hợp tác xã and becomes its manager; trade-promotion staff of
// its province verify or reject it; the manager corrects and resubmits,
// adds and removes members, and may delegate listing management to a trade
// staff member (assisted selling). Verified cooperatives appear in the
// public directory, on their storefront and in the open-data export.
//
// Every change to a cooperative writes an outbox message (TopicChanged) in
// its transaction; every change of who may act for it writes the audit log.
package cooperative

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/web"
)

// Errors of this package, mapped to statuses in internal/app/errors.go.
var (
	ErrNotFound          = errors.New("không tìm thấy hợp tác xã")
	ErrSlugTaken         = errors.New("đường dẫn này đã được một hợp tác xã khác sử dụng")
	ErrRegistrationTaken = errors.New("mã số hợp tác xã này đã được đăng ký")
	ErrWrongStatus       = errors.New("trạng thái hiện tại của hợp tác xã không cho phép thao tác này")
	ErrLastManager       = errors.New("hợp tác xã phải còn ít nhất một người quản lý")
	ErrNotMember         = errors.New("người này không phải thành viên của hợp tác xã")
	ErrNotDelegate       = errors.New("người này không được ủy quyền quản lý sản phẩm của hợp tác xã")
	ErrOwnCooperative    = errors.New("bạn không thể tự xét duyệt hợp tác xã mà mình là thành viên hoặc được ủy quyền")
	ErrNoPendingChanges  = errors.New("hợp tác xã không có thay đổi nào đang chờ duyệt")
	// ErrAccountNotFound is returned by Accounts.FindAccount.
	ErrAccountNotFound = errors.New("không tìm thấy tài khoản có email hoặc số điện thoại này")
)

// Audit actions of this capability; identity records memberships itself.
const (
	ActionRegister       = "cooperative.register"
	ActionUpdate         = "cooperative.update"
	ActionVerify         = "cooperative.verify"
	ActionReject         = "cooperative.reject"
	ActionDelegateGrant  = "delegation.grant"
	ActionDelegateRevoke = "delegation.revoke"
)

// Account is what this capability needs to know of a user it adds.
type Account struct {
	ID    uuid.UUID
	Roles []auth.Role
	// TradeProvince scopes a trade_staff role; "" for national staff.
	TradeProvince string
}

// Accounts is what this capability needs of identity. The methods taking
// ext work inside the caller's transaction, so that a membership and its
// audit entry commit or fail with the change that caused them.
type Accounts interface {
	// NormalizeLogin returns the e-mail address or mobile number login in
	// its normal form, and whether it is one.
	NormalizeLogin(login string) (string, bool)
	// FindAccount returns the enabled account whose e-mail address or
	// phone number is login, or ErrAccountNotFound.
	FindAccount(ctx context.Context, login string) (Account, error)
	// Notify posts an in-app notification.
	Notify(ctx context.Context, ext sqlx.ExtContext, n Note) error
	// AddMember makes user a member with role, or changes their role, and
	// records it in the audit log.
	AddMember(ctx context.Context, ext sqlx.ExtContext, coop, user uuid.UUID, role auth.Role, by Actor) error
	// RemoveMember ends a membership (ErrNotMember when there is none) and
	// records it in the audit log.
	RemoveMember(ctx context.Context, ext sqlx.ExtContext, coop, user uuid.UUID, by Actor) error
	// Audit appends to the audit log.
	Audit(ctx context.Context, ext sqlx.ExtContext, by Actor, action string, subject *uuid.UUID, coop uuid.UUID, details map[string]any) error
}

// Service holds the rules of cooperatives.
type Service struct {
	db       *sqlx.DB
	store    *Store
	geo      *geo.Service
	accounts Accounts
	now      func() time.Time
}

// NewService returns a Service on d.
func NewService(d *sqlx.DB, store *Store, provinces *geo.Service, accounts Accounts) *Service {
	return &Service{db: d, store: store, geo: provinces, accounts: accounts, now: time.Now}
}

// Store returns the service's store, for the catalog's SetProductStats and
// EnsureForImport.
func (s *Service) Store() *Store { return s.store }

// Get returns a cooperative by ID or slug, whatever its status. The catalog
// uses it to check that a cooperative may sell.
func (s *Service) Get(ctx context.Context, idOrSlug string) (Cooperative, error) {
	return s.store.Get(ctx, s.db, idOrSlug)
}

// Register creates a pending cooperative from r and makes the actor its
// manager.
func (s *Service) Register(ctx context.Context, by Actor, r Registration) (Cooperative, error) {
	var v web.ValidationError
	c := Cooperative{Status: StatusPending, Storefront: Storefront{Certifications: []string{}}}
	for _, req := range []struct {
		set   bool
		field string
	}{
		{r.Name != nil, "name"}, {r.RegistrationNumber != nil, "registration_number"},
		{r.Province != nil, "province"}, {r.Commune != nil, "commune"},
	} {
		v.Check(req.set, req.field, "không được để trống")
	}
	s.apply(ctx, &v, &c, r.Profile)
	slug := strings.TrimSpace(r.Slug)
	if slug != "" {
		v.Check(validSlug(slug), "slug", "chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang, từ 3 đến 60 ký tự")
	}
	if err := v.Err(); err != nil {
		return Cooperative{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Cooperative{}, fmt.Errorf("cooperative: new id: %w", err)
	}
	c.ID, c.CreatedAt = id, s.now()
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if slug == "" {
			if err := s.store.CreateWithSlug(ctx, tx, &c, Slugify(c.Name)); err != nil {
				return err
			}
		} else {
			c.Slug = slug
			ok, err := s.store.Create(ctx, tx, c)
			if err != nil {
				return err
			}
			if !ok {
				return ErrSlugTaken
			}
		}
		if err := s.accounts.AddMember(ctx, tx, c.ID, by.UserID(), auth.RoleCoopManager, by); err != nil {
			return err
		}
		if err := s.accounts.Audit(ctx, tx, by, ActionRegister, nil, c.ID, map[string]any{"slug": c.Slug}); err != nil {
			return err
		}
		return s.store.Created(ctx, tx, c.ID)
	})
	if err != nil {
		return Cooperative{}, err
	}
	return s.store.Get(ctx, s.db, c.ID.String())
}

// Registration returns a cooperative's full record to its members, to the
// trade staff who may review it and to administrators.
func (s *Service) Registration(ctx context.Context, by Actor, idOrSlug string) (Cooperative, error) {
	c, err := s.store.Get(ctx, s.db, idOrSlug)
	if err != nil {
		return Cooperative{}, err
	}
	if !by.Principal.MemberOf(c.ID) && !canView(by.Principal, c) {
		return Cooperative{}, hideFrom(by.Principal)
	}
	return c, nil
}

// canView reports whether staff p may read c's record: an administrator,
// or trade staff of its province, of the province it waits to move to, or
// national. Deciding a move takes authority over both (canReview).
func canView(p *auth.Principal, c Cooperative) bool {
	if canReview(p, c) || p.StaffOf(c.Province) {
		return true
	}
	ic := c.PendingChanges
	return ic != nil && ic.Province != nil && p.StaffOf(*ic.Province)
}

// Update changes the profile of a cooperative. Only its managers may; a
// rejected cooperative goes back to the queue as pending.
func (s *Service) Update(ctx context.Context, by Actor, idOrSlug string, p Profile) (Cooperative, error) {
	c, err := s.store.Get(ctx, s.db, idOrSlug)
	if err != nil {
		return Cooperative{}, err
	}
	if !by.Principal.MemberOf(c.ID, auth.RoleCoopManager) {
		return Cooperative{}, refuse(by.Principal, c.ID)
	}
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		c, err = s.store.Lock(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		verified := c
		var v web.ValidationError
		s.apply(ctx, &v, &c, p)
		if err := v.Err(); err != nil {
			return err
		}
		resubmitted := c.Status == StatusRejected
		if resubmitted {
			c.Status = StatusPending
		}
		// A verified cooperative keeps its verified identity in public; the
		// new values wait for trade staff (Verify applies them, Reject
		// discards them).
		if c.Status == StatusVerified {
			c.PendingChanges = pendingIdentity(verified, c, p)
			c.Name, c.RegistrationNumber, c.Province = verified.Name, verified.RegistrationNumber, verified.Province
			if ic := c.PendingChanges; ic != nil && ic.RegistrationNumber != nil {
				used, err := s.store.RegistrationInUse(ctx, tx, c.ID, *ic.RegistrationNumber)
				if err != nil {
					return err
				}
				if used {
					return ErrRegistrationTaken
				}
			}
		}
		if err := s.store.Update(ctx, tx, c, nil, s.now()); err != nil {
			return err
		}
		if err := s.accounts.Audit(ctx, tx, by, ActionUpdate, nil, c.ID,
			map[string]any{"fields": p.fields(), "resubmitted": resubmitted, "pending_changes": c.PendingChanges}); err != nil {
			return err
		}
		return s.store.Changed(ctx, tx, c.ID)
	})
	if err != nil {
		return Cooperative{}, err
	}
	return s.store.Get(ctx, s.db, c.ID.String())
}

// pendingIdentity returns the identity changes that wait for review once
// the verified cooperative was is edited by p into now: those already
// waiting, with the fields p sets to a new value replaced. A field sent
// with its verified value leaves a waiting change as it is: forms send
// every field, and the verified value is what they show. A manager
// withdraws waiting changes with WithdrawChanges.
func pendingIdentity(was, now Cooperative, p Profile) *IdentityChanges {
	ic := IdentityChanges{}
	if was.PendingChanges != nil {
		ic = *was.PendingChanges
	}
	set := func(out **string, set bool, verified, edited string) {
		if set && edited != verified {
			*out = &edited
		}
	}
	set(&ic.Name, p.Name != nil, was.Name, now.Name)
	set(&ic.RegistrationNumber, p.RegistrationNumber != nil, was.RegistrationNumber, now.RegistrationNumber)
	set(&ic.Province, p.Province != nil, was.Province, now.Province)
	if ic.empty() {
		return nil
	}
	return &ic
}

// WithdrawChanges drops the identity changes of a cooperative the actor
// manages that wait for review.
func (s *Service) WithdrawChanges(ctx context.Context, by Actor, idOrSlug string) (Cooperative, error) {
	c, err := s.managed(ctx, by, idOrSlug)
	if err != nil {
		return Cooperative{}, err
	}
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		c, err = s.store.Lock(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if c.PendingChanges == nil {
			return ErrNoPendingChanges
		}
		withdrawn := c.PendingChanges
		c.PendingChanges = nil
		if err := s.store.Update(ctx, tx, c, nil, s.now()); err != nil {
			return err
		}
		return s.accounts.Audit(ctx, tx, by, ActionUpdate, nil, c.ID, map[string]any{"withdrawn": withdrawn})
	})
	if err != nil {
		return Cooperative{}, err
	}
	return s.store.Get(ctx, s.db, c.ID.String())
}

// Verify makes a pending or rejected cooperative verified: public and
// allowed to sell; for a verified cooperative with identity changes
// waiting, it applies them. Trade staff of its province (and of the
// province it moves to), national trade staff and administrators may.
func (s *Service) Verify(ctx context.Context, by Actor, idOrSlug string) (Cooperative, error) {
	return s.review(ctx, by, idOrSlug, StatusVerified, "")
}

// Reject turns down a pending cooperative, discards the identity changes
// a verified one waits for, or withdraws a verified one with none from the
// public, with a reason its manager reads.
func (s *Service) Reject(ctx context.Context, by Actor, idOrSlug, reason string) (Cooperative, error) {
	return s.review(ctx, by, idOrSlug, StatusRejected, strings.TrimSpace(reason))
}

func (s *Service) review(ctx context.Context, by Actor, idOrSlug string, to Status, reason string) (Cooperative, error) {
	c, err := s.store.Get(ctx, s.db, idOrSlug)
	if err != nil {
		return Cooperative{}, err
	}
	if !canReview(by.Principal, c) {
		return Cooperative{}, auth.ErrForbidden
	}
	// A reviewer must stand outside the cooperative: its members and the
	// trade staff it delegated its listings to may not judge it.
	if by.Principal.MemberOf(c.ID) {
		return Cooperative{}, ErrOwnCooperative
	}
	if to == StatusRejected {
		var v web.ValidationError
		v.Check(reason != "", "reason", "hãy nêu lý do từ chối")
		v.Check(utf8.RuneCountInString(reason) <= maxTextLen, "reason", "lý do quá dài")
		if err := v.Err(); err != nil {
			return Cooperative{}, err
		}
	}
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		c, err = s.store.Lock(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		// Locked, it may have changed since the check above.
		if !canReview(by.Principal, c) {
			return auth.ErrForbidden
		}
		changes := c.PendingChanges
		if changes == nil && (c.Status == to || (to == StatusVerified && c.Status != StatusPending && c.Status != StatusRejected)) {
			return ErrWrongStatus
		}
		now := s.now()
		details := map[string]any{"reason": reason}
		switch {
		case changes != nil && to == StatusVerified:
			if changes.Name != nil {
				c.Name = *changes.Name
			}
			if changes.RegistrationNumber != nil {
				c.RegistrationNumber = *changes.RegistrationNumber
			}
			if changes.Province != nil {
				c.Province = *changes.Province
			}
			c.RejectionReason = ""
			details["applied"] = changes
		case changes != nil:
			// The verified identity stays; only the change is turned down.
			c.RejectionReason = reason
			details["discarded"] = changes
		default:
			c.Status, c.RejectionReason = to, reason
		}
		c.PendingChanges, c.ReviewedAt = nil, &now
		reviewer := by.UserID()
		if err := s.store.Update(ctx, tx, c, &reviewer, now); err != nil {
			return err
		}
		action := ActionVerify
		if to == StatusRejected {
			action = ActionReject
		}
		if err := s.accounts.Audit(ctx, tx, by, action, nil, c.ID, details); err != nil {
			return err
		}
		return s.store.Changed(ctx, tx, c.ID)
	})
	if err != nil {
		return Cooperative{}, err
	}
	return s.store.Get(ctx, s.db, c.ID.String())
}

// canReview reports whether p may verify or reject c: an administrator,
// or trade staff of its province (and of the province its pending changes
// move it to) or national.
func canReview(p *auth.Principal, c Cooperative) bool {
	if p.Has(auth.RoleAdmin) {
		return true
	}
	if ic := c.PendingChanges; ic != nil && ic.Province != nil && !p.StaffOf(*ic.Province) {
		return false
	}
	return p.StaffOf(c.Province)
}

// refuse answers a caller who may not act on cooperative id as the route
// guards do: 404 to an outsider, 403 to a member with too small a role.
func refuse(p *auth.Principal, id uuid.UUID) error {
	if p.MemberOf(id) {
		return auth.ErrForbidden
	}
	return hideFrom(p)
}

func hideFrom(p *auth.Principal) error {
	if p == nil {
		return auth.ErrUnauthenticated
	}
	if p.Has(auth.RoleTradeStaff) || p.Has(auth.RoleAdmin) {
		return auth.ErrForbidden
	}
	return ErrNotFound
}

// ReviewQueue returns cooperatives in a status (pending by default) for
// trade staff, limited to their province unless they are national staff,
// and for administrators.
func (s *Service) ReviewQueue(ctx context.Context, by Actor, f ReviewFilter) ([]Cooperative, error) {
	var v web.ValidationError
	if f.Status == "" {
		f.Status = StatusPending
	}
	v.Check(slices.Contains([]Status{StatusPending, StatusVerified, StatusRejected}, f.Status),
		"status", "phải là pending, verified hoặc rejected")
	if f.Province != "" {
		if _, err := s.geo.Get(ctx, f.Province); err != nil {
			v.Add("province", "không có tỉnh, thành phố này")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	p := by.Principal
	if !p.Has(auth.RoleAdmin) {
		switch {
		case !p.Has(auth.RoleTradeStaff):
			return nil, auth.ErrForbidden
		case p.Province != "" && f.Province == "":
			f.Province = p.Province
		case !p.StaffOf(f.Province):
			return nil, auth.ErrForbidden
		}
	}
	f.Limit = web.PageSize(f.Limit)
	return s.store.Review(ctx, s.db, f)
}

// Mine returns the cooperatives the user belongs to or acts for.
func (s *Service) Mine(ctx context.Context, userID uuid.UUID) ([]Mine, error) {
	return s.store.Mine(ctx, s.db, userID)
}

// Storefront returns the public profile of a verified cooperative; any
// other is not found.
func (s *Service) Storefront(ctx context.Context, idOrSlug string) (Storefront, error) {
	c, err := s.store.Get(ctx, s.db, idOrSlug)
	if err != nil {
		return Storefront{}, err
	}
	if c.Status != StatusVerified {
		return Storefront{}, ErrNotFound
	}
	return c.Storefront, nil
}

// Directory returns a page of verified cooperatives in alphabetical order
// and the cursor of the next page ("" on the last).
func (s *Service) Directory(ctx context.Context, f DirectoryFilter) ([]Storefront, string, error) {
	var v web.ValidationError
	if f.Province != "" {
		if _, err := s.geo.Get(ctx, f.Province); err != nil {
			v.Add("province", "không có tỉnh, thành phố này")
		}
	}
	v.Check(f.Group == "" || validSlug(f.Group), "group", "mã nhóm sản phẩm không hợp lệ")
	v.Check(utf8.RuneCountInString(f.Query) <= maxNameLen, "q", "từ khóa quá dài")
	afterName, afterID, ok := decodeCursor(f.Cursor)
	v.Check(ok, "cursor", "con trỏ trang không hợp lệ")
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	f.Limit = web.PageSize(f.Limit)
	cs, err := s.store.Directory(ctx, s.db, f, afterName, afterID)
	if err != nil {
		return nil, "", err
	}
	out := make([]Storefront, len(cs))
	for i, c := range cs {
		out[i] = c.Storefront
	}
	next := ""
	if len(cs) == f.Limit {
		last := cs[len(cs)-1]
		next = encodeCursor(last.folded, last.ID)
	}
	return out, next, nil
}

// EachVerified calls fn with the slug and last change of every verified
// cooperative, for the sitemap.
func (s *Service) EachVerified(ctx context.Context, fn func(slug string, updatedAt time.Time) error) error {
	return s.store.EachVerifiedSlug(ctx, s.db, fn)
}

// Export returns every verified cooperative for the open-data export.
func (s *Service) Export(ctx context.Context) ([]ExportRow, error) {
	cs, err := s.store.Export(ctx, s.db)
	if err != nil {
		return nil, err
	}
	out := make([]ExportRow, len(cs))
	for i, c := range cs {
		name := c.Province
		if p, err := s.geo.Get(ctx, c.Province); err == nil {
			name = p.Name
		}
		out[i] = ExportRow{Name: c.Name, Slug: c.Slug, RegistrationNumber: c.RegistrationNumber,
			Province: c.Province, ProvinceName: name, ProductGroups: c.ProductGroups,
			ProductCount: c.ProductCount, OCOPProductCount: c.OCOPProductCount}
	}
	return out, nil
}

// Members returns a cooperative's members to its members and administrators.
func (s *Service) Members(ctx context.Context, by Actor, idOrSlug string) ([]Member, error) {
	c, err := s.memberView(ctx, by, idOrSlug)
	if err != nil {
		return nil, err
	}
	return s.store.Members(ctx, s.db, c.ID)
}

func (s *Service) memberView(ctx context.Context, by Actor, idOrSlug string) (Cooperative, error) {
	c, err := s.store.Get(ctx, s.db, idOrSlug)
	if err != nil {
		return Cooperative{}, err
	}
	if !by.Principal.MemberOf(c.ID) && !by.Principal.Has(auth.RoleAdmin) {
		return Cooperative{}, refuse(by.Principal, c.ID)
	}
	return c, nil
}

// managed returns a cooperative the actor manages.
func (s *Service) managed(ctx context.Context, by Actor, idOrSlug string) (Cooperative, error) {
	c, err := s.store.Get(ctx, s.db, idOrSlug)
	if err != nil {
		return Cooperative{}, err
	}
	if !by.Principal.MemberOf(c.ID, auth.RoleCoopManager) {
		return Cooperative{}, refuse(by.Principal, c.ID)
	}
	return c, nil
}

// RemoveMember removes a member from a cooperative the actor manages; the
// last manager stays. A member leaving uses Leave.
func (s *Service) RemoveMember(ctx context.Context, by Actor, idOrSlug string, user uuid.UUID) error {
	c, err := s.managed(ctx, by, idOrSlug)
	if err != nil {
		return err
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := s.keepAManager(ctx, tx, c.ID, user); err != nil {
			return err
		}
		return s.accounts.RemoveMember(ctx, tx, c.ID, user, by)
	})
}

// keepAManager refuses to let user stop being a manager when they are the
// only one.
func (s *Service) keepAManager(ctx context.Context, tx sqlx.ExtContext, coop, user uuid.UUID) error {
	managers, err := s.store.LockManagers(ctx, tx, coop)
	if err != nil {
		return err
	}
	if len(managers) == 1 && managers[0] == user {
		return ErrLastManager
	}
	return nil
}

// Delegates returns the trade staff acting for a cooperative, to its
// members and administrators.
func (s *Service) Delegates(ctx context.Context, by Actor, idOrSlug string) ([]Delegate, error) {
	c, err := s.memberView(ctx, by, idOrSlug)
	if err != nil {
		return nil, err
	}
	return s.store.Delegates(ctx, s.db, c.ID)
}

// RevokeDelegate ends a delegation. The cooperative's managers may, and so
// may the delegate, stepping down.
func (s *Service) RevokeDelegate(ctx context.Context, by Actor, idOrSlug string, user uuid.UUID) error {
	c, err := s.store.Get(ctx, s.db, idOrSlug)
	if err != nil {
		return err
	}
	self := by.UserID() == user && by.Principal.MemberOf(c.ID, auth.RoleCoopDelegate)
	if !self && !by.Principal.MemberOf(c.ID, auth.RoleCoopManager) {
		return refuse(by.Principal, c.ID)
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		removed, err := s.store.RemoveDelegate(ctx, tx, c.ID, user)
		if err != nil {
			return err
		}
		if !removed {
			return ErrNotDelegate
		}
		return s.accounts.Audit(ctx, tx, by, ActionDelegateRevoke, &user, c.ID, nil)
	})
}

// Limits of the profile's fields, in characters.
const (
	maxNameLen     = 200
	maxShortLen    = 300
	maxTextLen     = 5000
	maxURLLen      = 500
	maxCertCount   = 20
	minFoundedYear = 1900
)

var (
	registrationRE = regexp.MustCompile(`^[0-9]{10}(-[0-9]{3})?$`)
	slugRE         = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	// phoneRE accepts Vietnamese mobile and landline numbers once spaces,
	// dots and hyphens are removed.
	phoneRE = regexp.MustCompile(`^(\+84|0)[1-9][0-9]{8,9}$`)
)

// reservedSlugs are path segments of the API that a slug cannot be.
var reservedSlugs = []string{"mine", "review", "export"}

func validSlug(s string) bool {
	n := len(s)
	return n >= 3 && n <= 60 && slugRE.MatchString(s) && !slices.Contains(reservedSlugs, s)
}

// apply validates the fields set in p, adding problems to v, and copies
// them into c.
func (s *Service) apply(ctx context.Context, v *web.ValidationError, c *Cooperative, p Profile) {
	text := func(field string, in *string, out *string, max int, required bool) {
		if in == nil {
			return
		}
		t := strings.Join(strings.Fields(*in), " ")
		switch {
		case required && t == "":
			v.Add(field, "không được để trống")
		case utf8.RuneCountInString(t) > max:
			v.Add(field, fmt.Sprintf("tối đa %d ký tự", max))
		case web.Invisible(t):
			v.Add(field, web.InvisibleMessage)
		}
		*out = t
	}
	text("name", p.Name, &c.Name, maxNameLen, true)
	text("commune", p.Commune, &c.Commune, maxNameLen, true)
	text("address", p.Address, &c.Address, maxShortLen, false)
	if p.Story != nil {
		c.Story = strings.TrimSpace(*p.Story)
		v.Check(utf8.RuneCountInString(c.Story) <= maxTextLen, "story", fmt.Sprintf("tối đa %d ký tự", maxTextLen))
	}
	if p.RegistrationNumber != nil {
		c.RegistrationNumber = strings.TrimSpace(*p.RegistrationNumber)
		v.Check(registrationRE.MatchString(c.RegistrationNumber), "registration_number",
			"mã số hợp tác xã gồm 10 chữ số, hoặc 10 chữ số, gạch ngang và 3 chữ số")
	}
	if p.Province != nil {
		province, err := s.province(ctx, *p.Province)
		if err != nil {
			v.Add("province", "không tìm thấy tỉnh, thành phố này")
		}
		c.Province = province
	}
	if p.Phone != nil {
		c.Phone = strings.NewReplacer(" ", "", ".", "", "-", "").Replace(strings.TrimSpace(*p.Phone))
		v.Check(c.Phone == "" || phoneRE.MatchString(c.Phone), "phone", "số điện thoại không hợp lệ (ví dụ 02083855123)")
	}
	if p.Email != nil {
		c.Email = strings.ToLower(strings.TrimSpace(*p.Email))
		a, err := mail.ParseAddress(c.Email)
		v.Check(c.Email == "" || (err == nil && a.Address == c.Email && a.Name == "" && len(c.Email) <= 254 &&
			!web.Invisible(c.Email) && !strings.ContainsFunc(c.Email, unicode.IsSpace)),
			"email", "email không hợp lệ")
	}
	if p.FoundedYear != nil {
		c.FoundedYear = p.FoundedYear
		v.Check(*p.FoundedYear >= minFoundedYear && *p.FoundedYear <= s.now().Year(), "founded_year",
			fmt.Sprintf("phải từ %d đến năm nay", minFoundedYear))
	}
	if p.MemberCount != nil {
		c.MemberCount = p.MemberCount
		v.Check(*p.MemberCount >= 1 && *p.MemberCount <= 1_000_000, "member_count", "phải là số từ 1 trở lên")
	}
	checkURL := func(field string, in *string, out *string) {
		if in == nil {
			return
		}
		*out = strings.TrimSpace(*in)
		if *out == "" {
			return
		}
		u, err := url.Parse(*out)
		v.Check(err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(*out) <= maxURLLen,
			field, "phải là một địa chỉ http(s) hợp lệ")
	}
	checkURL("logo_url", p.LogoURL, &c.LogoURL)
	checkURL("banner_url", p.BannerURL, &c.BannerURL)
	if p.Certifications != nil && len(*p.Certifications) > maxCertCount {
		// Counted first: deduplicating 100,000 names cost seconds of CPU.
		v.Add("certifications", fmt.Sprintf("tối đa %d chứng nhận", maxCertCount))
	} else if p.Certifications != nil {
		certs := make([]string, 0, len(*p.Certifications))
		for _, cert := range *p.Certifications {
			cert = strings.Join(strings.Fields(cert), " ")
			if cert == "" || utf8.RuneCountInString(cert) > 100 || web.Invisible(cert) {
				v.Add("certifications", "mỗi chứng nhận phải có tên, tối đa 100 ký tự, không chứa ký tự điều khiển hay ký tự ẩn")
				break
			}
			certs = append(certs, cert)
		}
		c.Certifications = dedupe(certs)
		v.Check(len(c.Certifications) <= maxCertCount, "certifications", fmt.Sprintf("tối đa %d chứng nhận", maxCertCount))
	}
}

// province accepts a province slug or resolves a current, former or
// colloquial name.
func (s *Service) province(ctx context.Context, in string) (string, error) {
	in = strings.TrimSpace(in)
	if p, err := s.geo.Get(ctx, in); err == nil {
		return p.Slug, nil
	}
	r, err := s.geo.Resolve(ctx, in)
	if err != nil {
		return "", err
	}
	return r.Province.Slug, nil
}

// fields names the fields an update sets, for the audit log.
func (p Profile) fields() []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"name", p.Name != nil}, {"registration_number", p.RegistrationNumber != nil}, {"province", p.Province != nil},
		{"commune", p.Commune != nil}, {"address", p.Address != nil}, {"phone", p.Phone != nil},
		{"email", p.Email != nil}, {"founded_year", p.FoundedYear != nil}, {"member_count", p.MemberCount != nil},
		{"story", p.Story != nil}, {"logo_url", p.LogoURL != nil}, {"banner_url", p.BannerURL != nil},
		{"certifications", p.Certifications != nil},
	} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// dedupe drops repeated strings, keeping the first of each.
func dedupe(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
