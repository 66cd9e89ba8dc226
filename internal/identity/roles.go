package identity

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// GrantRole gives a user a global role, or for trade_staff changes its
// province (empty for national staff), and records it in the audit log.
func (s *Service) GrantRole(ctx context.Context, userID uuid.UUID, role auth.Role, province string, c Caller) (User, error) {
	var v web.ValidationError
	v.Check(role.Global(), "role", "vai trò phải là consumer, wholesaler, trade_staff hoặc admin")
	v.Check(role == auth.RoleTradeStaff || province == "", "province", "chỉ cán bộ xúc tiến thương mại mới gắn với tỉnh")
	if err := v.Err(); err != nil {
		return User{}, err
	}
	err := s.store.InTx(ctx, func(st Store) error {
		u, err := st.User(ctx, userID)
		if err != nil {
			return err
		}
		if role == auth.RoleWholesaler && (u.CompanyName == "" || u.TaxCode == "") {
			v.Add("role", "tài khoản chưa có tên doanh nghiệp và mã số thuế")
			return v.Err()
		}
		if err := st.GrantRole(ctx, userID, role, province, s.now()); err != nil {
			return err
		}
		return st.AddAudit(ctx, audit(c, ActionRoleGrant, &userID, nil, map[string]any{"role": role, "province": province}))
	})
	if err != nil {
		return User{}, err
	}
	return s.store.User(ctx, userID)
}

// RevokeRole takes a global role from a user, refusing to remove the last
// administrator, and records it in the audit log.
func (s *Service) RevokeRole(ctx context.Context, userID uuid.UUID, role auth.Role, c Caller) (User, error) {
	if !role.Global() {
		var v web.ValidationError
		v.Add("role", "vai trò phải là consumer, wholesaler, trade_staff hoặc admin")
		return User{}, v.Err()
	}
	err := s.store.InTx(ctx, func(st Store) error {
		u, err := st.User(ctx, userID)
		if err != nil {
			return err
		}
		if role == auth.RoleAdmin && slices.Contains(u.Roles, auth.RoleAdmin) {
			n, err := st.CountRole(ctx, auth.RoleAdmin)
			if err != nil {
				return err
			}
			if n <= 1 {
				return ErrLastAdmin
			}
		}
		had, err := st.RevokeRole(ctx, userID, role)
		if err != nil || !had {
			return err
		}
		return st.AddAudit(ctx, audit(c, ActionRoleRevoke, &userID, nil, map[string]any{"role": role}))
	})
	if err != nil {
		return User{}, err
	}
	return s.store.User(ctx, userID)
}

// AddMember makes a user a member of a cooperative with role (coop_manager
// or coop_staff), or changes the role of a member, and records it in the
// audit log. Tests call it; the cooperative API calls AddMemberIn.
func (s *Service) AddMember(ctx context.Context, coop, userID uuid.UUID, role auth.Role, c Caller) error {
	return s.store.InTx(ctx, func(st Store) error { return s.addMember(ctx, st, coop, userID, role, c) })
}

// AddMemberIn is AddMember inside the caller's transaction ext, for the
// cooperative capability, whose changes and memberships commit together.
func (s *Service) AddMemberIn(ctx context.Context, ext sqlx.ExtContext, coop, userID uuid.UUID, role auth.Role, c Caller) error {
	return s.addMember(ctx, NewStore(ext), coop, userID, role, c)
}

func (s *Service) addMember(ctx context.Context, st Store, coop, userID uuid.UUID, role auth.Role, c Caller) error {
	if role != auth.RoleCoopManager && role != auth.RoleCoopStaff {
		var v web.ValidationError
		v.Add("role", "vai trò trong hợp tác xã phải là coop_manager hoặc coop_staff")
		return v.Err()
	}
	prev, err := st.AddMember(ctx, coop, userID, role, s.now())
	if err != nil || prev == role {
		return err
	}
	return st.AddAudit(ctx, audit(c, ActionMembershipAdd, &userID, &coop, map[string]any{"role": role, "previous_role": prev}))
}

// RemoveMember ends a user's membership of a cooperative and records it in
// the audit log.
func (s *Service) RemoveMember(ctx context.Context, coop, userID uuid.UUID, c Caller) error {
	return s.store.InTx(ctx, func(st Store) error { return s.removeMember(ctx, st, coop, userID, c) })
}

// RemoveMemberIn is RemoveMember inside the caller's transaction ext.
func (s *Service) RemoveMemberIn(ctx context.Context, ext sqlx.ExtContext, coop, userID uuid.UUID, c Caller) error {
	return s.removeMember(ctx, NewStore(ext), coop, userID, c)
}

func (s *Service) removeMember(ctx context.Context, st Store, coop, userID uuid.UUID, c Caller) error {
	prev, err := st.RemoveMember(ctx, coop, userID)
	if err != nil {
		return err
	}
	return st.AddAudit(ctx, audit(c, ActionMembershipRemove, &userID, &coop, map[string]any{"role": prev}))
}

// AuditIn appends an action of another capability to the audit log, inside
// the caller's transaction ext. subject and coop may be nil.
func (s *Service) AuditIn(ctx context.Context, ext sqlx.ExtContext, c Caller, action string, subject, coop *uuid.UUID, details map[string]any) error {
	return NewStore(ext).AddAudit(ctx, audit(c, action, subject, coop, details))
}

// UserByLogin returns the enabled account whose e-mail address or phone
// number is login, or ErrUserNotFound, for a manager adding a member.
func (s *Service) UserByLogin(ctx context.Context, login string) (User, error) {
	l, ok := ParseLogin(login)
	if !ok {
		return User{}, ErrUserNotFound
	}
	u, _, err := s.store.UserByLogin(ctx, l)
	return u, err
}

// AuditLog returns audit entries, newest first.
func (s *Service) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	f.Limit = web.PageSize(f.Limit)
	return s.store.ListAudit(ctx, f)
}

// Users returns accounts, newest first, for administrators.
func (s *Service) Users(ctx context.Context, f UserFilter) ([]User, error) {
	f.Limit = web.PageSize(f.Limit)
	if f.Role != "" && !f.Role.Valid() {
		var v web.ValidationError
		v.Add("role", "vai trò không hợp lệ")
		return nil, v.Err()
	}
	return s.store.ListUsers(ctx, f)
}

func marshalDetails(m map[string]any) json.RawMessage {
	if len(m) == 0 {
		return json.RawMessage(`{}`)
	}
	for k, v := range m {
		if v == "" || v == auth.Role("") {
			delete(m, k)
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return json.RawMessage(`{}`)
	}
	return b
}
