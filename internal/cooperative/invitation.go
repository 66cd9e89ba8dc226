package cooperative

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/web"
)

// Memberships and delegations are given by consent: a manager invites a
// person by e-mail address or phone number, and the person accepts or
// declines. The answer to the manager is the same whether or not anyone has
// an account with that login, and names nobody: inviting is no way to look
// accounts up.

// Errors of invitations, mapped to statuses in internal/app/errors.go.
var (
	ErrInvitationNotFound = errors.New("không tìm thấy lời mời, hoặc lời mời đã hết hạn")
	ErrTooManyInvitations = errors.New("hợp tác xã đang có quá nhiều lời mời chưa được trả lời; hãy hủy bớt lời mời cũ")
	// ErrReviewerMember refuses a membership to someone whose staff role
	// covers the cooperative: a member may not judge it, and a staff role
	// must not be blocked by a membership.
	ErrReviewerMember = errors.New("tài khoản cán bộ xét duyệt hợp tác xã của tỉnh này không thể làm thành viên hợp tác xã; hãy dùng một tài khoản khác")
	// ErrNotProvinceStaff refuses a delegation to someone who is not trade
	// staff with authority over the cooperative's province.
	ErrNotProvinceStaff = errors.New("người được ủy quyền phải là cán bộ xúc tiến thương mại của tỉnh này hoặc cấp quốc gia")
)

// Audit actions of invitations.
const (
	ActionInvite        = "invitation.create"
	ActionInviteCancel  = "invitation.cancel"
	ActionInviteAccept  = "invitation.accept"
	ActionInviteDecline = "invitation.decline"
)

// Kinds of invitation.
const (
	InviteMember   = "member"
	InviteDelegate = "delegate"
)

const (
	// invitationTTL is how long an invitation may be answered.
	invitationTTL = 14 * 24 * time.Hour
	// maxOpenInvitations bounds a cooperative's unanswered invitations.
	maxOpenInvitations = 50
)

// Invitation is an invitation as the cooperative's managers see it: what
// they typed and what they offered, never whom it reached.
type Invitation struct {
	ID        uuid.UUID  `json:"id" db:"id"`
	Kind      string     `json:"kind" db:"kind"`
	Role      *auth.Role `json:"role" db:"role"`
	Login     string     `json:"login" db:"login"`
	Status    string     `json:"status" db:"status"`
	ExpiresAt time.Time  `json:"expires_at" db:"expires_at"`
	CreatedAt time.Time  `json:"created_at" db:"created_at"`
}

// ReceivedInvitation is an invitation as the person invited sees it.
type ReceivedInvitation struct {
	ID              uuid.UUID  `json:"id" db:"id"`
	Kind            string     `json:"kind" db:"kind"`
	Role            *auth.Role `json:"role" db:"role"`
	CooperativeID   uuid.UUID  `json:"cooperative_id" db:"cooperative_id"`
	CooperativeSlug string     `json:"cooperative_slug" db:"cooperative_slug"`
	CooperativeName string     `json:"cooperative_name" db:"cooperative_name"`
	InvitedBy       string     `json:"invited_by" db:"invited_by"`
	ExpiresAt       time.Time  `json:"expires_at" db:"expires_at"`
	CreatedAt       time.Time  `json:"created_at" db:"created_at"`
}

// Note is an in-app notification to one person.
type Note struct {
	UserID uuid.UUID
	Source string // what caused it; the same source notifies once
	Title  string
	Body   string
	Link   string
}

// InviteMember invites the person with the e-mail address or phone number
// login to join a cooperative the actor manages, as coop_staff unless role
// says coop_manager; accepted by a member, it changes their role.
func (s *Service) InviteMember(ctx context.Context, by Actor, idOrSlug, login string, role auth.Role) (Invitation, error) {
	if role == "" {
		role = auth.RoleCoopStaff
	}
	var v web.ValidationError
	v.Check(role == auth.RoleCoopStaff || role == auth.RoleCoopManager, "role", "phải là coop_staff hoặc coop_manager")
	return s.invite(ctx, by, idOrSlug, login, InviteMember, &role, &v)
}

// InviteDelegate invites the trade staff member with the e-mail address or
// phone number login to manage the listings of a cooperative the actor
// manages. Whether they have authority over its province is checked when
// they accept, so that the answer here says nothing about the account.
func (s *Service) InviteDelegate(ctx context.Context, by Actor, idOrSlug, login string) (Invitation, error) {
	var v web.ValidationError
	return s.invite(ctx, by, idOrSlug, login, InviteDelegate, nil, &v)
}

func (s *Service) invite(ctx context.Context, by Actor, idOrSlug, login, kind string, role *auth.Role, v *web.ValidationError) (Invitation, error) {
	normal, ok := "", false
	if len(login) <= 254 {
		normal, ok = s.accounts.NormalizeLogin(login)
	}
	v.Check(ok, "login", "hãy nhập một email hoặc số điện thoại di động hợp lệ")
	if err := v.Err(); err != nil {
		return Invitation{}, err
	}
	c, err := s.managed(ctx, by, idOrSlug)
	if err != nil {
		return Invitation{}, err
	}
	// Whether the account exists changes only what is stored, never the
	// answer: unknown logins get an invitation nobody can accept.
	var invitee *uuid.UUID
	a, err := s.accounts.FindAccount(ctx, normal)
	switch {
	case err == nil:
		invitee = &a.ID
	case !errors.Is(err, ErrAccountNotFound):
		return Invitation{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Invitation{}, fmt.Errorf("cooperative: new id: %w", err)
	}
	now := s.now()
	var inv Invitation
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if _, err := s.store.Lock(ctx, tx, c.ID); err != nil {
			return err
		}
		open, err := s.store.OpenInvitations(ctx, tx, c.ID, now)
		if err != nil {
			return err
		}
		if open >= maxOpenInvitations {
			return ErrTooManyInvitations
		}
		inviter := by.UserID()
		inv, err = s.store.Invite(ctx, tx, id, c.ID, kind, role, normal, invitee, &inviter, now, now.Add(invitationTTL))
		if err != nil {
			return err
		}
		if err := s.accounts.Audit(ctx, tx, by, ActionInvite, invitee, c.ID,
			map[string]any{"invitation": inv.ID, "kind": kind, "role": role}); err != nil {
			return err
		}
		if invitee == nil {
			return nil
		}
		title := fmt.Sprintf("Lời mời tham gia %s", c.Name)
		body := "Bạn được mời làm thành viên của hợp tác xã. Mở trang Quản lý để nhận lời mời hoặc từ chối."
		if kind == InviteDelegate {
			title = fmt.Sprintf("Lời mời quản lý sản phẩm cho %s", c.Name)
			body = "Hợp tác xã mời bạn quản lý sản phẩm thay họ. Mở trang Quản lý để nhận lời mời hoặc từ chối."
		}
		return s.accounts.Notify(ctx, tx, Note{UserID: *invitee, Source: "invitation:" + inv.ID.String(),
			Title: truncate(title, 200), Body: body, Link: "/quan-ly"})
	})
	if err != nil {
		return Invitation{}, err
	}
	return inv, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Invitations returns the unanswered invitations of a cooperative the actor
// manages, newest first.
func (s *Service) Invitations(ctx context.Context, by Actor, idOrSlug string) ([]Invitation, error) {
	c, err := s.managed(ctx, by, idOrSlug)
	if err != nil {
		return nil, err
	}
	return s.store.Invitations(ctx, s.db, c.ID, s.now())
}

// CancelInvitation withdraws an unanswered invitation of a cooperative the
// actor manages.
func (s *Service) CancelInvitation(ctx context.Context, by Actor, idOrSlug string, id uuid.UUID) error {
	c, err := s.managed(ctx, by, idOrSlug)
	if err != nil {
		return err
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		inv, err := s.store.LockInvitation(ctx, tx, id, s.now())
		if err != nil {
			return err
		}
		if inv.cooperative != c.ID {
			return ErrInvitationNotFound
		}
		if err := s.store.AnswerInvitation(ctx, tx, id, "cancelled", s.now()); err != nil {
			return err
		}
		return s.accounts.Audit(ctx, tx, by, ActionInviteCancel, inv.user, c.ID, map[string]any{"invitation": id})
	})
}

// MyInvitations returns the unanswered invitations addressed to the user.
func (s *Service) MyInvitations(ctx context.Context, user uuid.UUID) ([]ReceivedInvitation, error) {
	return s.store.Received(ctx, s.db, user, s.now())
}

// AnswerInvitation accepts or declines an invitation addressed to the
// actor. Accepting makes them a member with the offered role, or a
// delegate; it is refused to a member invitee whose staff role covers the
// cooperative, and to a delegate invitee without authority over its
// province. Anyone else's invitation is not found.
func (s *Service) AnswerInvitation(ctx context.Context, by Actor, id uuid.UUID, accept bool) error {
	me := by.UserID()
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		inv, err := s.store.LockInvitation(ctx, tx, id, s.now())
		if err != nil {
			return err
		}
		if inv.user == nil || *inv.user != me {
			return ErrInvitationNotFound
		}
		if !accept {
			if err := s.store.AnswerInvitation(ctx, tx, id, "declined", s.now()); err != nil {
				return err
			}
			return s.accounts.Audit(ctx, tx, by, ActionInviteDecline, &me, inv.cooperative, map[string]any{"invitation": id})
		}
		c, err := s.store.Lock(ctx, tx, inv.cooperative)
		if err != nil {
			return err
		}
		inviter := Actor{Principal: &auth.Principal{UserID: uuid.Nil}, IP: by.IP}
		if inv.invitedBy != nil {
			inviter.Principal.UserID = *inv.invitedBy
		}
		switch inv.Kind {
		case InviteMember:
			if canReview(by.Principal, c) {
				return ErrReviewerMember
			}
			role := auth.RoleCoopStaff
			if inv.Role != nil {
				role = *inv.Role
			}
			if role == auth.RoleCoopStaff {
				if err := s.keepAManager(ctx, tx, c.ID, me); err != nil {
					return err
				}
			}
			if err := s.accounts.AddMember(ctx, tx, c.ID, me, role, by); err != nil {
				return err
			}
		case InviteDelegate:
			if !by.Principal.StaffOf(c.Province) {
				return ErrNotProvinceStaff
			}
			added, err := s.store.AddDelegate(ctx, tx, c.ID, me, inv.invitedBy, s.now())
			if err != nil {
				return err
			}
			if added {
				if err := s.accounts.Audit(ctx, tx, inviter, ActionDelegateGrant, &me, c.ID, nil); err != nil {
					return err
				}
			}
		}
		if err := s.store.AnswerInvitation(ctx, tx, id, "accepted", s.now()); err != nil {
			return err
		}
		return s.accounts.Audit(ctx, tx, by, ActionInviteAccept, &me, c.ID, map[string]any{"invitation": id})
	})
}

// Leave ends the actor's own membership of a cooperative; its last manager
// stays.
func (s *Service) Leave(ctx context.Context, by Actor, idOrSlug string) error {
	c, err := s.store.Get(ctx, s.db, idOrSlug)
	if err != nil {
		return err
	}
	if !by.Principal.MemberOf(c.ID, auth.RoleCoopManager, auth.RoleCoopStaff) ||
		by.Principal.MemberOf(c.ID, auth.RoleCoopDelegate) {
		return refuse(by.Principal, c.ID)
	}
	me := by.UserID()
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := s.keepAManager(ctx, tx, c.ID, me); err != nil {
			return err
		}
		return s.accounts.RemoveMember(ctx, tx, c.ID, me, by)
	})
}

// ChangeRole changes the role of a member of a cooperative the actor
// manages; the last manager stays one.
func (s *Service) ChangeRole(ctx context.Context, by Actor, idOrSlug string, user uuid.UUID, role auth.Role) (Member, error) {
	var v web.ValidationError
	v.Check(role == auth.RoleCoopStaff || role == auth.RoleCoopManager, "role", "phải là coop_staff hoặc coop_manager")
	if err := v.Err(); err != nil {
		return Member{}, err
	}
	c, err := s.managed(ctx, by, idOrSlug)
	if err != nil {
		return Member{}, err
	}
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		ms, err := s.store.Members(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if !isMember(ms, user) {
			return ErrNotMember
		}
		if role == auth.RoleCoopStaff {
			if err := s.keepAManager(ctx, tx, c.ID, user); err != nil {
				return err
			}
		}
		return s.accounts.AddMember(ctx, tx, c.ID, user, role, by)
	})
	if err != nil {
		return Member{}, err
	}
	ms, err := s.store.Members(ctx, s.db, c.ID)
	if err != nil {
		return Member{}, err
	}
	for _, m := range ms {
		if m.UserID == user {
			return m, nil
		}
	}
	return Member{}, ErrNotMember
}

func isMember(ms []Member, user uuid.UUID) bool {
	for _, m := range ms {
		if m.UserID == user {
			return true
		}
	}
	return false
}
